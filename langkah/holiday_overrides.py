"""The local holiday override file, `<data_dir>/hari_libur.toml` (see docs/holidays.md).

`[tambah]` adds days off ("2026-12-24" = "name"); `hapus = [dates]` removes days off.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from langkah.engine.toml_lines import key_lines, line_of, syntax_error

FILE_NAME = "hari_libur.toml"
_MAX_BYTES = 1 << 20  # a year of holidays is a few kilobytes


class OverrideError(ValueError):
    """A holiday override file that cannot be used; the message names the file and line."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None):
        super().__init__(message)
        self.path = path
        self.line = line


def load_overrides(path: Path) -> tuple[dict[dt.date, str], set[dt.date]]:
    """Read the override file: (days added with their names, days removed). Empty if absent."""
    from langkah.store.atomic import UnreadableFile, read_regular

    path = Path(path)
    try:  # no FIFO, device or symbolic link is opened; at most _MAX_BYTES read
        text = read_regular(path, _MAX_BYTES).decode("utf-8")
    except FileNotFoundError:
        return {}, set()
    except UnreadableFile as error:
        raise OverrideError(f"{path}: cannot read: {error.why}", path) from None
    except OSError as error:
        raise OverrideError(f"{path}: cannot read: {error.strerror}", path) from None
    except UnicodeDecodeError as error:
        raise OverrideError(f"{path}: not UTF-8 text ({error.reason})", path) from None
    return parse_overrides(text, path)


def parse_overrides(text: str, path: Path | str) -> tuple[dict[dt.date, str], set[dt.date]]:
    """Parse the text of an override file; `path` names it in messages."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, clean = syntax_error(error, text)
        raise OverrideError(f"{path}:{line}: TOML syntax error: {clean}", path, line) from None
    lines = key_lines(text)

    def fail(key_path: tuple[str, ...], message: str) -> OverrideError:
        line = line_of(lines, key_path)
        where = f"{path}:{line}" if line else str(path)
        return OverrideError(f"{where}: {message}", path, line)

    add: dict[dt.date, str] = {}
    remove: set[dt.date] = set()
    removed: list[tuple[tuple[str, ...], object]] = []
    for key, value in data.items():
        if key == "hapus":
            removed.append((("hapus",), value))
        elif key != "tambah":
            raise fail((key,), f"unknown key '{key}' (use [tambah] and hapus = [...])")
    tambah = data.get("tambah", {})
    if not isinstance(tambah, dict):
        raise fail(("tambah",), 'tambah must be a table: [tambah] then 2026-12-24 = "name"')
    for key, value in tambah.items():
        if key == "hapus":  # `hapus = [...]` written after [tambah] lands inside that table
            removed.append((("tambah", "hapus"), value))
            continue
        day = _date(key)
        if day is None:
            raise fail(("tambah", key), f"'{key}' is not a date: write YYYY-MM-DD = \"name\"")
        if not isinstance(value, str) or not value.strip():
            raise fail(("tambah", key), f"the name of {key} must be non-empty text in quotes")
        add[day] = value.strip()
    for key_path, value in removed:
        if not isinstance(value, list):
            raise fail(key_path, "hapus must be a list of dates: hapus = [2026-05-15]")
        for item in value:
            day = _date(item)
            if day is None:
                raise fail(key_path, f"'{item}' in hapus is not a date (YYYY-MM-DD)")
            remove.add(day)
    both = sorted(remove & add.keys())
    if both:
        raise fail(("tambah", both[0].isoformat()), f"{both[0]} is both added and removed")
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
