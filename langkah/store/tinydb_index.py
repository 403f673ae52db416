"""The overview index of the embedded store: the few columns `query_summaries` filters and
sorts by, one row per cycle file, so a page of the overview reads only that page's files.

Layout (in `<data>/overview-index/`, disposable: deleting it costs one slow listing; the whole
description is in docs/store-format.md, "The overview index"):
    base.json     a first line {"format", "schema", "sha256" of the rest, "token", "byteorder"},
                  then the rows in columns (`Columns`); written whole (temp file + rename)
    journal       one JSON line per event since the base, appended by writers under the
                  journal lock (shared), folded into the base under it (exclusive):
                  ["b", id]      a writer is about to replace that cycle's file
                  [row, token]   the row it wrote (ends the "b")
                  ["e", id]      the file is gone (ends the "b" without a row)
                  a "b" not ended names a cycle whose row may be outdated (a writer still
                  writing, or one killed between its file and its row); a fold keeps those
                  ids in the base's "pending" so that none is forgotten
    journal.lock  the lock above (flock)

Why JSON and packed arrays, not sqlite3: the index is rebuilt from the cycle files whenever it
is in doubt, so it needs no transactions of its own; a writer only appends a line; the columns
load in ~40 ms at 50,000 cycles. `token` is the cycles folder's mtime after a write (a rename
there changes it): a reader that finds it unchanged and no cycle pending trusts the rows
without a stat of every file; otherwise it compares every file's (inode, mtime, size) with its
row and re-reads the files that differ.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import heapq
import json
import operator
import os
import re
import secrets
import shutil
import stat
import sys
import threading
import weakref
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langkah.messages import AS_GIVEN, Text, say
from langkah.store.atomic import TEMP_SUFFIX, FileKey, UnreadableFile, fault_point, read_regular
from langkah.store.base import SCHEMA_VERSION, SummaryQuery
from langkah.store.tinydb_storage import dump_json

INDEX_DIR = "overview-index"
FORMAT = 5  # 3: columns (numbers as arrays, texts as codes); 4: pending in the journal;
# 5: LOG, the log key (last column)
FOLD_AFTER = 128 * 1024  # journal bytes folded into the base by the next reader past this

# ROW: [cycle_id, inode, mtime_ns, size, stale, sop_id, kecamatan, period, status, timed,
#       near_at (epoch seconds or None), due_at (epoch seconds or None), search text,
#       problem (a damaged file's message, else None),
#       log ("<version> <head>" as the stored summary records them, "" if it does not:
#       what `langkah stats` keys its kept facts by)]
ID, INO, MTIME, SIZE, STALE, SOP, KEC, PERIOD, STATUS, TIMED, NEAR, DUE, TEXT, PROBLEM = range(14)
LOG = 14
_OPEN = ("active", "paused")

Row = list[Any]
_CYCLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,80}$")


def _epoch(value: Any) -> float | None:
    """An ISO instant as epoch seconds; ValueError for what is not one (an edited summary)."""
    if not value:
        return None
    if type(value) is str:  # each action of a visit writes the same instants again
        return _epoch_of_text(value)
    return _epoch_of(value)


@functools.lru_cache(maxsize=1024)
def _epoch_of_text(value: str) -> float | None:
    return _epoch_of(value)


def _epoch_of(value: Any) -> float | None:
    try:
        instant = dt.datetime.fromisoformat(value)
    except TypeError:
        raise ValueError(value) from None
    if instant.tzinfo is None:
        raise ValueError(value)
    return instant.timestamp()


def summary_row(
    cycle_id: str, key: FileKey, summary: dict[str, Any], agrees: bool, verifies: bool = True
) -> Row:
    """The index row of a cycle file's stored summary; `agrees`: the summary records its log's
    version and head (else the row is marked stale, as is a summary without `due_at`);
    `verifies`: its log's chain checked (else LOG is "", so `langkah stats` reads it again)."""
    try:
        near, due = _epoch(summary.get("near_at")), _epoch(summary.get("due_at"))
    except ValueError:  # not the summary Langkah wrote: recomputed from the log (stale)
        near = due = None
        agrees = False
    holders = summary.get("holders") or {}
    words = [
        cycle_id,
        summary.get("kecamatan", ""),
        summary.get("sop_name", ""),
        summary.get("period", ""),
        summary.get("activity", ""),
        summary.get("actors", ""),
        *(holders.values() if isinstance(holders, dict) else []),
    ]
    return [
        cycle_id,
        *key,
        int(not agrees or "due_at" not in summary),
        str(summary.get("sop_id", "")),
        str(summary.get("kecamatan", "")),
        str(summary.get("period", "")),
        str(summary.get("status", "")),
        int(bool(summary.get("timed"))),
        near,
        due,
        " ".join(" ".join(str(w) for w in words).split()).casefold(),  # no line break:
        None,  # the base keeps the texts one per line
        log_key(summary) if verifies else "",
    ]


class RowEncoder:
    """`dump_json(summary_row(cycle_id, key, summary, True))` for the rows an append writes,
    remembering per cycle the encoded middle of its last row (every column but the file's
    key and LOG) with the summary's values it was made of: an action that changes only the
    summary's version and head (a note, an input) encodes just those. Equal bytes either way
    (tests/store/test_row_encoder.py)."""

    _KEPT = 128
    # every summary value the middle is made of (summary_row); a summary without one of
    # them (not one Langkah wrote) is encoded afresh each time
    _MADE_OF = operator.itemgetter(
        "sop_id", "kecamatan", "sop_name", "period", "status", "timed", "near_at", "due_at",
        "activity", "actors", "holders",
    )  # fmt: skip

    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[Any, ...], bytes]] = {}

    def encode(self, cycle_id: str, key: FileKey, summary: dict[str, Any]) -> bytes:
        log = log_key(summary)
        try:
            made_of = self._MADE_OF(summary)
        except KeyError:
            return dump_json(summary_row(cycle_id, key, summary, True))
        kept = self._kept.get(cycle_id)
        if kept is None or kept[0] != made_of or not _PLAIN_KEY.fullmatch(cycle_id + log):
            row = summary_row(cycle_id, key, summary, True)
            rows = self._kept
            rows.pop(cycle_id, None)
            rows[cycle_id] = (made_of, dump_json(row[4:-1])[1:-1])
            if len(rows) > self._KEPT:
                with contextlib.suppress(RuntimeError, StopIteration):  # another thread's
                    rows.pop(next(iter(rows)), None)
            return dump_json(row)
        return b'["%s",%d,%d,%d,%s,"%s"]' % (
            cycle_id.encode("ascii"),
            key[0],
            key[1],
            key[2],
            kept[1],
            log.encode("ascii"),
        )


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\- ]*")  # ids and log keys that JSON writes as they are


def log_key(summary: dict[str, Any]) -> str:
    """The LOG column: the version and head a stored summary records ("" if it does not)."""
    version, head = summary.get("version"), summary.get("head")
    if type(version) is not int or not isinstance(head, str) or not head or " " in head:
        return ""
    return f"{version} {head}"


def valid_row(row: Any) -> bool:
    """Whether a row read from the journal has the shape of ROW (a line edited by hand is
    dropped, and its cycle's file read again)."""
    if not (isinstance(row, list) and len(row) == LOG + 1 and isinstance(row[ID], str)):
        return False
    if not _CYCLE_ID.match(row[ID]):
        return False  # not a cycle id (tinydb_store's rule): never a path to open
    numbers = (INO, MTIME, SIZE, STALE, TIMED)
    texts = (SOP, KEC, PERIOD, STATUS, TEXT, LOG)
    return (
        all(type(row[i]) is int for i in numbers)
        and all(isinstance(row[i], str) for i in texts)
        and all(row[i] is None or type(row[i]) in (int, float) for i in (NEAR, DUE))
        and (row[PROBLEM] is None or type(row[PROBLEM]) in (dict, str))
    )


def problem_row(cycle_id: str, key: FileKey, problem: Text) -> Row:
    """The row of a cycle file that cannot be read: listed as a problem, never as a cycle.
    The problem is kept as its Text's JSON (`Text.to_json`), said in the reader's language."""
    return [cycle_id, *key, 0, "", "", "", "", 0, None, None, "", problem.to_json(), ""]


def problem_text(stored: Any) -> Text:
    """A problem row's PROBLEM as a Text: the JSON of a Text, or (an index written before
    problems were Texts) the English string, shown as given."""
    if isinstance(stored, dict):
        try:
            return Text.from_json(stored)
        except (KeyError, TypeError):
            pass
    return say(AS_GIVEN, detail=str(stored))


def accepts(row: Row, query: SummaryQuery, now: float) -> bool:
    """Whether a row passes the query's filters (the overview's and `status`' semantics)."""
    if row[PROBLEM] is not None:
        return False
    if query.sop_id and row[SOP] != query.sop_id:
        return False
    if query.unit:
        unit = query.unit.casefold()
        if row[KEC].casefold() != unit and not row[SOP].startswith(unit):
            return False
    if query.period and row[PERIOD].casefold() != query.period.casefold():
        return False
    status = query.status
    if status == "open":
        if row[STATUS] not in _OPEN:
            return False
    elif status == "overdue":
        if row[STATUS] not in _OPEN or row[DUE] is None or not row[DUE] < now:
            return False
    elif status and row[STATUS] != status:
        return False
    words = query.text.casefold().split()
    return all(word in row[TEXT] for word in words)


_NUMBERS = (
    (INO, "q"),
    (MTIME, "q"),
    (SIZE, "q"),
    (STALE, "B"),
    (TIMED, "B"),
    (NEAR, "d"),
    (DUE, "d"),
    (SOP, "I"),
    (KEC, "I"),
    (PERIOD, "I"),
    (STATUS, "I"),
)
_CODED = (SOP, KEC, PERIOD, STATUS)  # texts stored as codes into a table of their values
_NONE = float("nan")


@dataclass
class Columns:
    """The base's rows, column by column: one array per number, the ids and search texts as
    one string each (split when needed), repeated texts as codes. Loading builds no object
    per row, which is what keeps a query at 50,000 cycles cheap. Rows that are problems (a
    file that cannot be read) are kept whole in `problems`."""

    ids: list[str] = field(default_factory=list)  # sorted: a row's position orders like its id
    text: str = ""
    arrays: dict[int, array[Any]] = field(default_factory=dict)
    tables: dict[int, list[str]] = field(default_factory=dict)
    problems: dict[str, Row] = field(default_factory=dict)
    logs: str = ""  # the LOG column, one line per id
    _texts: list[str] | None = None
    _text_bytes: bytes | None = None  # the texts as read, until a search decodes them
    _logs: list[str] | None = None
    _log_bytes: bytes | None = None  # the LOG column as read, until `langkah stats` decodes it

    @classmethod
    def from_rows(cls, rows: dict[str, Row]) -> Columns:
        good = sorted((row for row in rows.values() if row[PROBLEM] is None), key=lambda r: r[ID])
        tables: dict[int, list[str]] = {}
        arrays: dict[int, array[Any]] = {}
        for column, code in _NUMBERS:
            if column in _CODED:
                values = sorted({row[column] for row in good})
                tables[column] = values
                where = {value: n for n, value in enumerate(values)}
                arrays[column] = array(code, [where[row[column]] for row in good])
            elif code == "d":
                arrays[column] = array(
                    code, [_NONE if r[column] is None else r[column] for r in good]
                )
            else:
                arrays[column] = array(code, [row[column] for row in good])
        problems = {row[ID]: row for row in rows.values() if row[PROBLEM] is not None}
        return cls(
            [row[ID] for row in good],
            "\n".join(row[TEXT] for row in good),
            arrays,
            tables,
            problems,
            "\n".join(row[LOG] for row in good),
        )

    def encode(self) -> bytes:
        """A JSON line (the counts, tables and problem rows), then the ids, the search texts and
        the log keys as UTF-8 (one per line), then the numeric columns as packed arrays."""
        ids = "\n".join(self.ids).encode("utf-8")
        text = self._text_bytes if self._text_bytes is not None else self.text.encode("utf-8")
        logs = self._log_bytes if self._log_bytes is not None else self.logs.encode("utf-8")
        head = {
            "n": len(self.ids),
            "ids_bytes": len(ids),
            "text_bytes": len(text),
            "log_bytes": len(logs),
            "tables": {str(k): v for k, v in self.tables.items()},
            "problems": list(self.problems.values()),
        }
        parts = [json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode(), b"\n"]
        parts += [ids, text, logs]
        parts += [self.arrays[column].tobytes() for column, _ in _NUMBERS]
        return b"".join(parts)

    @classmethod
    def decode(cls, body: bytes | memoryview) -> Columns:
        """`encode`'s bytes back (the search texts and log keys are decoded on first use: only
        a search, only `langkah stats` need them). Without copying the body (~10 MB at 50,000)."""
        view = memoryview(body)
        end = bytes(view[:65536]).find(b"\n")
        if end < 0:
            end = bytes(view).index(b"\n")  # a large table of problems
        head = json.loads(bytes(view[:end]))
        n = int(head["n"])
        at = end + 1
        ids_end = at + int(head["ids_bytes"])
        text_end = ids_end + int(head["text_bytes"])
        log_end = text_end + int(head["log_bytes"])
        ids = str(view[at:ids_end], "utf-8").split("\n") if n else []
        arrays: dict[int, array[Any]] = {}
        at = log_end
        for column, code in _NUMBERS:
            values: array[Any] = array(code)
            size = values.itemsize * n
            values.frombytes(view[at : at + size])
            if len(values) != n:
                raise ValueError("a column is shorter than the ids")
            arrays[column] = values
            at += size
        if at != len(view) or len(ids) != n:
            raise ValueError("the columns do not match the ids")
        tables = {int(k): list(v) for k, v in head["tables"].items()}
        problems = {row[ID]: row for row in head["problems"] if valid_row(row)}
        columns = cls(ids, "", arrays, tables, problems, "")
        columns._text_bytes = bytes(view[ids_end:text_end])
        columns._log_bytes = bytes(view[text_end:log_end])
        for section in (columns._text_bytes, columns._log_bytes):  # one line per id
            if n and section.count(b"\n") != n - 1 or not n and section:
                raise ValueError("a text section does not match the ids")
        return columns

    def texts(self) -> list[str]:
        if self._texts is None:
            if self._text_bytes is not None:
                self.text, self._text_bytes = self._text_bytes.decode("utf-8"), None
            self._texts = _lines(self.text, len(self.ids), "search texts")
        return self._texts

    def log_keys(self) -> list[str]:
        if self._logs is None:
            if self._log_bytes is not None:
                self.logs, self._log_bytes = self._log_bytes.decode("utf-8"), None
            self._logs = _lines(self.logs, len(self.ids), "log keys")
        return self._logs

    def row(self, i: int) -> Row:
        texts, logs = self.texts(), self.log_keys()
        row: Row = [self.ids[i], 0, 0, 0, 0, "", "", "", "", 0, None, None, texts[i], None, logs[i]]
        for column, code in _NUMBERS:
            value = self.arrays[column][i]
            if column in _CODED:
                value = self.tables[column][value]
            elif code == "d":
                value = None if value != value else value  # NaN: None
            row[column] = value
        return row

    def to_rows(self) -> dict[str, Row]:
        rows = {self.ids[i]: self.row(i) for i in range(len(self.ids))}
        rows.update(self.problems)
        return rows


@dataclass
class IndexView:
    """The base's columns with the rows written since (`overlay`: id -> row, None when its
    file is gone) on top: what a query selects from."""

    columns: Columns
    overlay: dict[str, Row | None]

    def key(self, cycle_id: str) -> list[int] | None:
        if cycle_id in self.overlay:
            row = self.overlay[cycle_id]
            return row[INO : SIZE + 1] if row is not None else None
        i = bisect.bisect_left(self.columns.ids, cycle_id)
        if i < len(self.columns.ids) and self.columns.ids[i] == cycle_id:
            return [int(self.columns.arrays[c][i]) for c in (INO, MTIME, SIZE)]
        return None

    def rows(self) -> Iterator[Row]:
        """Every row as a list (for the few queries that need them all: not the page's)."""
        c = self.columns
        for i, cycle_id in enumerate(c.ids):
            if cycle_id not in self.overlay:
                yield c.row(i)
        for cycle_id, row in c.problems.items():
            if cycle_id not in self.overlay:
                yield row
        yield from (row for row in self.overlay.values() if row is not None)

    def problems(self) -> list[Text]:
        return [problem_text(row[PROBLEM]) for row in self.rows_of_problems()]

    def rows_of_problems(self) -> list[Row]:
        c = self.columns
        found = [row for i, row in c.problems.items() if i not in self.overlay]
        return found + [r for r in self.overlay.values() if r is not None and r[PROBLEM]]

    def stale(self) -> list[str]:
        c = self.columns
        flags = c.arrays.get(STALE, array("B"))
        found = [c.ids[i] for i in range(len(c.ids)) if flags[i] and c.ids[i] not in self.overlay]
        extra = [
            r[ID] for r in self.overlay.values() if r is not None and r[STALE] and not r[PROBLEM]
        ]
        return sorted(found + extra)

    def values(self, column: int) -> set[str]:
        """Every value of a coded column present among the cycles."""
        c = self.columns
        codes = c.arrays.get(column, array("I"))
        used = (
            set(codes)
            if not self.overlay
            else {codes[i] for i in range(len(c.ids)) if c.ids[i] not in self.overlay}
        )
        found = {c.tables[column][code] for code in used}
        return found | {
            r[column] for r in self.overlay.values() if r is not None and not r[PROBLEM]
        }

    def select(self, query: SummaryQuery) -> tuple[list[str], int]:
        """The ids of the page `query` selects, in order, and how many it selects in all."""
        stamp = query.now.timestamp()
        inf = float("inf")
        kept: list[tuple[int, float, str]] = []
        c = self.columns
        n = len(c.ids)
        if n:
            kept = self._select_columns(query, stamp)
        for row in self.overlay.values():
            if row is None or not accepts(row, query, stamp):
                continue
            due, near = row[DUE], row[NEAR]
            rank = _rank(row[STATUS] in _OPEN, bool(row[TIMED]), near, due, stamp)
            kept.append((rank, due if due is not None else inf, row[ID]))
        total = len(kept)
        end = None if query.limit is None else query.offset + max(query.limit, 0)
        if end is not None and end < total // 4:
            page = heapq.nsmallest(end, kept)[query.offset :]
        else:
            kept.sort()
            page = kept[query.offset : end]
        return [item[2] for item in page], total

    def _select_columns(self, query: SummaryQuery, stamp: float) -> list[tuple[int, float, str]]:
        """`select` over the base's columns (the rows in `overlay` are skipped)."""
        c = self.columns
        ids, overlay = c.ids, self.overlay
        tables = c.tables

        def codes(column: int, keep: Callable[[str], bool]) -> set[int] | None:
            return {n for n, value in enumerate(tables[column]) if keep(value)}

        allowed: list[tuple[array[Any], set[int]]] = []
        if query.sop_id:
            allowed.append((c.arrays[SOP], codes(SOP, lambda v: v == query.sop_id) or set()))
        if query.unit:
            unit = query.unit.casefold()
            kec = codes(KEC, lambda v: v.casefold() == unit) or set()
            sop = codes(SOP, lambda v: v.startswith(unit)) or set()
            unit_rows = {i for i, k in enumerate(c.arrays[KEC]) if k in kec}
            unit_rows |= {i for i, s in enumerate(c.arrays[SOP]) if s in sop}
        else:
            unit_rows = None
        if query.period:
            period = query.period.casefold()
            allowed.append(
                (c.arrays[PERIOD], codes(PERIOD, lambda v: v.casefold() == period) or set())
            )
        open_codes = codes(STATUS, lambda v: v in _OPEN) or set()
        status = query.status
        if status in ("open", "overdue"):
            allowed.append((c.arrays[STATUS], open_codes))
        elif status:
            allowed.append((c.arrays[STATUS], codes(STATUS, lambda v: v == status) or set()))
        words = query.text.casefold().split()
        texts = c.texts() if words else None
        status_codes, timed, near_at, due_at = (
            c.arrays[STATUS],
            c.arrays[TIMED],
            c.arrays[NEAR],
            c.arrays[DUE],
        )
        inf = float("inf")
        kept: list[tuple[int, float, str]] = []
        append = kept.append
        plain = not (overlay or allowed or unit_rows is not None or status == "overdue" or texts)
        if plain:  # no filter: the rank of every row (the first screen's query), tightly
            for cycle_id, code, due, near, is_timed in zip(
                ids, status_codes, due_at, near_at, timed, strict=True
            ):
                if code not in open_codes:
                    append((4, inf if due != due else due, cycle_id))
                elif due < stamp:
                    append((0, due, cycle_id))
                elif near <= stamp:
                    append((1, inf if due != due else due, cycle_id))
                else:
                    append((2 if is_timed else 3, inf if due != due else due, cycle_id))
            return kept
        for i in range(len(ids)):
            if overlay and ids[i] in overlay:
                continue
            if allowed and not all(values[i] in ok for values, ok in allowed):
                continue
            if unit_rows is not None and i not in unit_rows:
                continue
            due = due_at[i]
            if status == "overdue" and not due < stamp:  # NaN (no due time) is never less
                continue
            if texts is not None and not all(word in texts[i] for word in words):
                continue
            # engine.timing.urgency_rank on epoch seconds (the same rules): met by every row
            if status_codes[i] not in open_codes:
                rank = 4
            elif due < stamp:
                rank = 0
            elif near_at[i] <= stamp:
                rank = 1
            else:
                rank = 2 if timed[i] else 3
            append((rank, inf if due != due else due, ids[i]))
        return kept


def _rank(open_: bool, timed: bool, near: float | None, due: float | None, stamp: float) -> int:
    """engine.timing.urgency_rank on epoch seconds (tests/store/test_query.py compares them)."""
    if not open_:
        return 4
    if due is not None and due < stamp:
        return 0
    if near is not None and near <= stamp:
        return 1
    return 2 if timed else 3


class OverviewIndex:
    """The index files of one data folder; see the module docstring."""

    def __init__(self, root: Path, cycles_dir: Path):
        self.dir = root / INDEX_DIR
        self.cycles_dir = cycles_dir
        self.base_path = self.dir / "base.json"
        self.journal_path = self.dir / "journal"
        self.lock_path = self.dir / "journal.lock"
        self.legacy_pending_dir = self.dir / "pending"  # format 3's markers (removed on a fold)
        self._mutex = threading.Lock()
        self._holds = 0  # `begin_holding`s not yet ended: the journal lock is held (shared)
        self._fds: tuple[int, int] | None = None  # the journal lock's and the journal's
        self._kept: list[int] = []  # the same, for the finalizer (closed when dropped)
        weakref.finalize(self, _close_fds, self._kept)

    def token(self) -> int:
        try:
            return os.stat(self.cycles_dir).st_mtime_ns
        except OSError:
            return 0

    # -- writers (each under its cycle's lock) ------------------------------------------------

    def begin(self, cycle_id: str) -> None:
        """Before a cycle file is replaced: a line that names it until its row is written
        (an append to the open journal: no file is made, nothing more for the fsync to carry)."""
        if not self._append(_begin_line(cycle_id)):
            self.drop()  # nothing names the cycle: nothing may trust the index until rebuilt

    def written(self, row: Row) -> None:
        """After a cycle file was replaced: its new row in the journal (which ends its "b").
        Best effort: a failure leaves the "b", and the next reader re-reads that file."""
        self._row_line(dump_json(row))

    def begin_holding(self, cycle_id: str) -> None:
        """`begin`, keeping the journal lock (shared) until the row (`written_held`) or
        `let_go`: no fold comes between the two lines, and the row needs neither a look at
        the journal nor a lock of its own (an action's append: two lock calls fewer)."""
        line = _begin_line(cycle_id)
        try:
            with self._mutex:
                if self._holds and self._fds is not None:  # held: not replaced since
                    journal_fd = self._fds[1]
                else:
                    lock_fd, journal_fd = self._open_journal()
                    fcntl.flock(lock_fd, fcntl.LOCK_SH)
                self._holds += 1
                os.write(journal_fd, line)
        except OSError:
            self._close_journal()  # lets every hold go (the lock goes with its file)
            self.drop()  # nothing names the cycle: nothing may trust the index until rebuilt

    def written_held(self, encoded: bytes) -> None:
        """The row (encoded by `RowEncoder`) after `begin_holding`'s "b"; ends the hold. Best
        effort, as `written`."""
        line = self._row_bytes(encoded)
        try:
            with self._mutex:
                fds = self._fds
                if not self._holds or fds is None:  # the hold was lost to an error meanwhile
                    return
                try:
                    os.write(fds[1], line)
                finally:
                    self._let_go_locked()
        except OSError:
            self._close_journal()

    def let_go(self) -> None:
        """End a `begin_holding` without a row (the write failed: its "b" stays)."""
        with self._mutex:
            if self._holds:
                with contextlib.suppress(OSError):
                    self._let_go_locked()

    def _let_go_locked(self) -> None:
        self._holds -= 1
        if not self._holds and self._fds is not None:
            fcntl.flock(self._fds[0], fcntl.LOCK_UN)

    def _row_line(self, encoded: bytes) -> None:
        self._append(self._row_bytes(encoded))

    def _row_bytes(self, encoded: bytes) -> bytes:
        """The line `[row, token]`, the same bytes as `dump_json([row, token])`, with the
        token read now (after the rename)."""
        line = b"[%s,%d]\n" % (encoded, self.token())
        fault_point()  # the fault suite's kill between the cycle write and this line
        return line

    def gone(self, cycle_id: str) -> None:
        """A pending cycle whose file is gone: its "b" ended without a row."""
        self._append(json.dumps([END, cycle_id]).encode("utf-8") + b"\n")

    def _append(self, line: bytes) -> bool:
        """One line at the journal's end, under the journal lock (shared: a fold waits). The
        journal and its lock stay open between writes (a journal removed meanwhile is opened
        again); one thread of this process appends at a time."""
        try:
            with self._mutex:
                if self._holds and self._fds is not None:  # held already (`begin_holding`)
                    os.write(self._fds[1], line)
                    return True
                lock_fd, journal_fd = self._open_journal()
                fcntl.flock(lock_fd, fcntl.LOCK_SH)
                try:
                    os.write(journal_fd, line)
                finally:
                    fcntl.flock(lock_fd, fcntl.LOCK_UN)
            return True
        except OSError:
            self._close_journal()
            return False

    def _open_journal(self) -> tuple[int, int]:
        if self._fds is not None and os.fstat(self._fds[1]).st_nlink > 0:
            return self._fds
        self._close_journal()
        self.dir.mkdir(parents=True, exist_ok=True)
        lock_fd = os.open(self.lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            flags = os.O_CREAT | os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_NOFOLLOW
            journal_fd = os.open(self.journal_path, flags, 0o644)
            if not stat.S_ISREG(os.fstat(journal_fd).st_mode):  # a FIFO put there: not ours
                os.close(journal_fd)
                raise OSError(f"{self.journal_path} is not a regular file")
        except OSError:
            os.close(lock_fd)
            raise
        self._fds = (lock_fd, journal_fd)
        self._kept[:] = self._fds
        return self._fds

    def _close_journal(self) -> None:
        fds, self._fds = self._fds, None
        self._holds = 0
        self._kept.clear()
        for fd in fds or ():
            with contextlib.suppress(OSError):
                os.close(fd)

    def drop(self) -> None:
        """Forget the index (the next reader rebuilds it from the cycle files)."""
        with contextlib.suppress(OSError):
            self.base_path.unlink()

    @contextlib.contextmanager
    def _journal_lock(self, kind: int, wait: bool = True) -> Iterator[bool]:
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                fcntl.flock(fd, kind if wait else kind | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)  # closing releases the lock

    # -- readers ------------------------------------------------------------------------------

    def position(self) -> JournalPosition:
        """Where the journal ends now (what `since` reads on from)."""
        with self._reading():
            return self._position()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """The journal lock, shared (a fold waits), when it can be had: a read-only data
        folder has none to take, and nobody folds there."""
        try:
            fd = os.open(self.lock_path, os.O_RDONLY)
        except OSError:
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)

    def _position(self) -> JournalPosition:
        keys = []
        for path in (self.base_path, self.journal_path):
            try:
                st = os.stat(path)
                keys.append((st.st_ino, st.st_mtime_ns if path == self.base_path else 0))
                size = st.st_size
            except OSError:
                keys.append((0, 0))
                size = 0
        return JournalPosition(keys[0], keys[1][0], size)

    def since(self, start: JournalPosition) -> tuple[JournalPosition, Written | None]:
        """The lines appended since `start`: the cycles they name and the newest token their
        rows recorded. None: the journal was folded or replaced since (what was written
        between is unknown)."""
        with self._reading():  # a fold waits until this is read
            end = self._position()
            same = (end.base, end.journal) == (start.base, start.journal)
            if not same or end.size < start.size:
                return end, None
            written = Written()
            if end.size == start.size:
                return end, written
            try:
                chunk = read_regular(self.journal_path)[start.size : end.size]
            except (OSError, UnreadableFile):
                return end, None
        pending: set[str] = set()
        for line in chunk.splitlines():
            row, token = _journal_line(line, pending, written.cycle_ids)
            if row is not None:
                written.cycle_ids.add(row[ID])
                written.token = max(written.token, token)
        written.in_flight = bool(pending)
        return end, written

    def load(self) -> Loaded:
        """The base's columns, the journal's rows by id, the cycles still pending, the newest
        token recorded and the journal bytes read. Columns None: no usable base (missing,
        torn, edited, another format): every row must be checked against its file (the
        journal's rows are kept for that)."""
        loaded = Loaded()
        try:
            raw = read_regular(self.base_path)  # never a FIFO or device: no hang
            start = raw.index(b"\n") + 1
            meta = json.loads(raw[:start])
            body = memoryview(raw)[start:]  # not copied (a base of 50,000 rows is ~10 MB)
            same = meta.get("format") == FORMAT and meta.get("schema") == SCHEMA_VERSION
            same = same and meta.get("byteorder") == sys.byteorder
            if same and meta.get("sha256") == hashlib.sha256(body).hexdigest():
                loaded.columns = Columns.decode(body)
                loaded.token = int(meta["token"])
                loaded.pending = {i for i in meta.get("pending", ()) if _valid_id(i)}
        except (
            OSError,
            UnreadableFile,
            ValueError,
            TypeError,
            KeyError,
            IndexError,
            AttributeError,
        ):
            loaded = Loaded()
        try:
            journal = read_regular(self.journal_path)
        except FileNotFoundError:
            journal = b""
        except (OSError, UnreadableFile):
            return Loaded()
        for line in journal.splitlines():
            row, written_token = _journal_line(line, loaded.pending)
            if row is None:
                continue
            loaded.rows[row[ID]] = row
            if loaded.columns is not None:
                loaded.token = max(loaded.token or 0, int(written_token))
        loaded.read_to = len(journal)
        return loaded

    def save(self, rows: dict[str, Row], token: int, pending: set[str], read_to: int = 0) -> bool:
        """Fold everything into a new base (journal emptied), if no writer is appending now.
        `pending`: the cycles pending in the journal up to `read_to` and not settled since.
        Best effort: a read-only folder or a busy journal keeps the old files."""
        temp = self.dir / f".base.json.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        pending = set(pending)
        try:
            with self._journal_lock(fcntl.LOCK_EX, wait=False) as held:
                if not held:
                    return False
                # lines appended since `rows` were read (from byte `read_to` of the journal)
                # would be lost by the truncation below: keep what they changed, and the
                # cycles they left pending
                with contextlib.suppress(FileNotFoundError):
                    for line in read_regular(self.journal_path)[read_to:].splitlines():
                        row, _ = _journal_line(line, pending)
                        if row is None:
                            continue
                        old = rows.get(row[ID])
                        if old is None or old[INO : SIZE + 1] != row[INO : SIZE + 1]:
                            rows[row[ID]] = row
                data = Columns.from_rows(rows).encode()
                meta = {
                    "format": FORMAT,
                    "schema": SCHEMA_VERSION,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "token": token,
                    "byteorder": sys.byteorder,  # the arrays are in this machine's order
                    "pending": sorted(pending),
                }
                temp.write_bytes(json.dumps(meta).encode() + b"\n" + data)
                os.replace(temp, self.base_path)
                with contextlib.suppress(FileNotFoundError):
                    os.truncate(self.journal_path, 0)
            if self.legacy_pending_dir.exists():  # an older Langkah's markers: the fold read
                shutil.rmtree(self.legacy_pending_dir, ignore_errors=True)  # every file since
            return True
        except (OSError, UnreadableFile):
            with contextlib.suppress(OSError):
                temp.unlink()
            return False


BEGIN, END = "b", "e"  # the journal's pending lines (see the module docstring)


def _begin_line(cycle_id: str) -> bytes:
    """The journal's `["b", id]` line (a cycle id is ASCII letters, digits, "_" and "-",
    tinydb_store's rule: no escaping)."""
    return b'["%s","%s"]\n' % (BEGIN.encode(), cycle_id.encode("ascii"))


@dataclass(frozen=True)
class JournalPosition:
    """A point in the journal: the base's and the journal's identity, and the journal's size."""

    base: tuple[int, int]  # (inode, mtime_ns); a fold replaces it
    journal: int  # inode
    size: int


@dataclass
class Written:
    """What `OverviewIndex.since` read: the cycles named, the newest token a row recorded (0:
    none), and whether a writer named a cycle whose row has not come yet."""

    cycle_ids: set[str] = field(default_factory=set)
    token: int = 0
    in_flight: bool = False


@dataclass
class Loaded:
    """What `OverviewIndex.load` read."""

    columns: Columns | None = None
    rows: dict[str, Row] = field(default_factory=dict)  # the journal's rows by id
    pending: set[str] = field(default_factory=set)
    token: int | None = None  # the newest token recorded (None: no usable base)
    read_to: int = 0  # the journal bytes read


def _lines(text: str, n: int, what: str) -> list[str]:
    """A section of one line per row; ValueError when it does not have one per id (a base
    edited by hand passes its checksum only if its checksum was edited too)."""
    lines = text.split("\n") if n else []
    if len(lines) != n:
        raise ValueError(f"the {what} do not match the ids")
    return lines


def _close_fds(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    fds.clear()


def _valid_id(value: Any) -> bool:
    return isinstance(value, str) and _CYCLE_ID.match(value) is not None


def _journal_line(
    line: bytes, pending: set[str], named: set[str] | None = None
) -> tuple[Row | None, int]:
    """A journal line's row and token ((None, 0) for any other line), with `pending` updated:
    a "b" adds its cycle, a row or an "e" ends it; `named` gets the cycle of a "b" or "e". A
    torn or edited line is skipped (a torn row line leaves its "b": the cycle is read again)."""
    try:
        item = json.loads(line)
        first, second = item
    except (ValueError, TypeError):
        return None, 0
    if isinstance(first, str):
        if _valid_id(second):
            if named is not None:
                named.add(second)
            if first == BEGIN:
                pending.add(second)
            elif first == END:
                pending.discard(second)
        return None, 0
    if not valid_row(first) or type(second) is not int:
        return None, 0
    pending.discard(first[ID])
    return first, second
