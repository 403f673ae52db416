"""Find the line of a key path in a TOML text, for error messages.

`tomllib` keeps no positions, so this scans table headers and `key =` lines. It understands what
the definition files use: tables, arrays of tables, dotted keys; values that span lines (arrays,
multi-line strings) are attributed to the line of their key. A key path is resolved by its longest
prefix present in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'))*)\s*="""
)


def _split_key(text: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'""", text)
    return [p.strip("\"'") for p in parts]


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map every key path that a header or a `key =` line names to its 1-based line number."""
    lines: dict[KeyPath, int] = {}
    array_counts: dict[tuple[str, ...], int] = {}
    current: KeyPath = ()
    in_multiline: str | None = None

    def resolve(names: list[str]) -> KeyPath:
        path: list[str | int] = []
        for i, name in enumerate(names):
            path.append(name)
            prefix = tuple(names[: i + 1])
            if prefix in array_counts and i < len(names) - 1:
                path.append(array_counts[prefix] - 1)
        return tuple(path)

    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if in_multiline in line:
                in_multiline = None
            continue
        if header := _HEADER.match(line):
            names = _split_key(header.group(2))
            if header.group(1) == "[[":
                key = tuple(names)
                array_counts[key] = array_counts.get(key, 0) + 1
                # a new parent element restarts the counts of nested arrays
                for other in list(array_counts):
                    if len(other) > len(key) and other[: len(key)] == key:
                        del array_counts[other]
                current = resolve(names) + (array_counts[key] - 1,)
            else:
                current = resolve(names)
            lines.setdefault(current, number)
            continue
        if found := _KEY.match(line):
            path = current + tuple(_split_key(found.group(1)))
            lines.setdefault(path, number)
            rest = line[found.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_multiline = quote
    return lines


class LazyKeyLines(Mapping[KeyPath, int]):
    """`key_lines(text)`, computed on the first lookup: a valid file never needs its lines
    (the scan costs about a third of validating a long definition)."""

    def __init__(self, text: str):
        self._text = text
        self._lines: dict[KeyPath, int] | None = None

    def _all(self) -> dict[KeyPath, int]:
        if self._lines is None:
            self._lines = key_lines(self._text)
        return self._lines

    def __getitem__(self, path: KeyPath) -> int:
        return self._all()[path]

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, path: object) -> bool:
        return path in self._all()


def line_of(lines: Mapping[KeyPath, int], path: KeyPath) -> int | None:
    """The line of the longest prefix of `path` that the file names, or None."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def format_path(path: KeyPath) -> str:
    """`("steps", 2, "time")` -> `steps[3].time` (positions counted from 1, as people do)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_SYNTAX_LINE = re.compile(r"\(at line (\d+), column \d+\)|\(at end of document\)")


def syntax_error(error: Exception, text: str) -> tuple[int | None, str]:
    """The line of a `tomllib.TOMLDecodeError` and its message without the position."""
    message = str(error)
    match = _SYNTAX_LINE.search(message)
    line = int(match.group(1)) if match and match.group(1) else len(text.splitlines()) or None
    return line, _SYNTAX_LINE.sub("", message).strip()
