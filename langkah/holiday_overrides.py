"""The local holiday override file, `<data_dir>/hari_libur.toml` (see docs/holidays.md).

`[tambah]` adds days off ("2026-12-24" = "name"); `hapus = [dates]` removes days off.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from langkah.engine.toml_lines import key_lines, line_of, syntax_error
from langkah.messages import Text, TextError, os_reason, say

FILE_NAME = "hari_libur.toml"
_MAX_BYTES = 1 << 20  # a year of holidays is a few kilobytes


class OverrideError(TextError, ValueError):
    """A holiday override file that cannot be used; the message (a Text, `str()` its English)
    names the file and, where it can, the line."""

    def __init__(self, text: Text, path: Path | None = None, line: int | None = None):
        super().__init__(text)
        self.path = path
        self.line = line

    @classmethod
    def at(cls, path: Path, line: int | None, problem: Text) -> OverrideError:
        """`problem` prefixed with where it is: "<path>:<line>: ", or "<path>: " without a line."""
        where = f"{path}:{line}" if line else str(path)
        return cls(say("holidays.at", where=where, problem=problem), path, line)


def load_overrides(path: Path) -> tuple[dict[dt.date, str], set[dt.date]]:
    """Read the override file: (days added with their names, days removed). Empty if absent."""
    from langkah.store.atomic import UnreadableFile, read_regular

    path = Path(path)
    try:  # no FIFO, device or symbolic link is opened; at most _MAX_BYTES read
        text = read_regular(path, _MAX_BYTES).decode("utf-8")
    except FileNotFoundError:
        return {}, set()
    except UnreadableFile as error:
        raise OverrideError.at(path, None, say("holidays.cannot_read", why=error.why)) from None
    except OSError as error:
        why = os_reason(error)
        raise OverrideError.at(path, None, say("holidays.cannot_read", why=why)) from None
    except UnicodeDecodeError as error:
        reason = error.reason  # the codec's words, as given
        raise OverrideError.at(path, None, say("holidays.not_utf8", reason=reason)) from None
    return parse_overrides(text, path)


def parse_overrides(text: str, path: Path | str) -> tuple[dict[dt.date, str], set[dt.date]]:
    """Parse the text of an override file; `path` names it in messages."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, clean = syntax_error(error, text)
        raise OverrideError.at(path, line, say("holidays.toml_syntax", detail=clean)) from None
    lines = key_lines(text)

    def fail(key_path: tuple[str, ...], problem: Text) -> OverrideError:
        """`problem` at the line of `key_path` (the file alone if no line names it)."""
        return OverrideError.at(path, line_of(lines, key_path), problem)

    add: dict[dt.date, str] = {}
    remove: set[dt.date] = set()
    removed: list[tuple[tuple[str, ...], object]] = []
    for key, value in data.items():
        if key == "hapus":
            removed.append((("hapus",), value))
        elif key != "tambah":
            raise fail((key,), say("holidays.unknown_key", name=key))
    tambah = data.get("tambah", {})
    if not isinstance(tambah, dict):
        raise fail(("tambah",), say("holidays.tambah_not_table"))
    for key, value in tambah.items():
        if key == "hapus":  # `hapus = [...]` written after [tambah] lands inside that table
            removed.append((("tambah", "hapus"), value))
            continue
        day = _date(key)
        if day is None:
            raise fail(("tambah", key), say("holidays.not_a_date", written=key))
        if not isinstance(value, str) or not value.strip():
            raise fail(("tambah", key), say("holidays.empty_name", day=key))
        add[day] = value.strip()
    for key_path, value in removed:
        if not isinstance(value, list):
            raise fail(key_path, say("holidays.hapus_not_list"))
        for item in value:
            day = _date(item)
            if day is None:
                raise fail(key_path, say("holidays.hapus_not_date", item=item))
            remove.add(day)
    both = sorted(remove & add.keys())
    if both:
        raise fail(("tambah", both[0].isoformat()), say("holidays.both", day=both[0].isoformat()))
    return add, remove


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
