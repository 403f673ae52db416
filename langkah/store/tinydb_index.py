"""The overview index of the embedded store: the few columns `query_summaries` filters and
sorts by, one row per cycle file, so a page of the overview reads only that page's files.

Layout (in `<data>/overview-index/`, disposable: deleting it costs one slow listing):
    base.json     a first line {"format", "schema", "sha256" of the rest, "token"}, then one
                  JSON array of rows (see ROW); written whole (temp file + rename)
    journal       one JSON line per write since the base: [row, token]; appended by writers
                  under the journal lock (shared), folded into the base under it (exclusive)
    pending/<id>  made by a writer before it replaces a cycle file, removed after its
                  journal line: one left behind names a cycle whose row may be outdated
    journal.lock  the lock above (flock)

Why plain JSON and not sqlite3: the index is rebuilt from the cycle files whenever it is in
doubt, so it needs no transactions of its own; one array of arrays loads in ~60 ms at 50,000
cycles and keeps the store a folder of plain files a person can read. `token` is the cycles
folder's mtime after the write (a rename there changes it): a reader that finds it unchanged
and no pending marker trusts the rows without a stat of every file; otherwise it compares
every file's (inode, mtime, size) with its row and re-reads the files that differ.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langkah.engine.timing import urgency_rank
from langkah.store.atomic import TEMP_SUFFIX, FileKey
from langkah.store.base import SCHEMA_VERSION, SummaryQuery

INDEX_DIR = "overview-index"
FORMAT = 1
FOLD_AFTER = 512  # journal lines folded into the base by the next reader past this many

# ROW: [cycle_id, inode, mtime_ns, size, stale, sop_id, kecamatan, period, status, timed,
#       near_at (epoch seconds or None), due_at (epoch seconds or None), search text,
#       problem (a damaged file's message, else None)]
ID, INO, MTIME, SIZE, STALE, SOP, KEC, PERIOD, STATUS, TIMED, NEAR, DUE, TEXT, PROBLEM = range(14)
_OPEN = ("active", "paused")

Row = list[Any]


def _epoch(value: Any) -> float | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value).timestamp()


def summary_row(cycle_id: str, key: FileKey, summary: dict[str, Any], agrees: bool) -> Row:
    """The index row of a cycle file's stored summary; `agrees`: the summary records its log's
    version and head (else the row is marked stale, as is a summary without `due_at`)."""
    holders = summary.get("holders") or {}
    words = [
        cycle_id,
        summary.get("kecamatan", ""),
        summary.get("sop_name", ""),
        summary.get("period", ""),
        summary.get("activity", ""),
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
        _epoch(summary.get("near_at")),
        _epoch(summary.get("due_at")),
        " ".join(str(w) for w in words).casefold(),
        None,
    ]


def valid_row(row: Any) -> bool:
    """Whether a row read from the journal has the shape of ROW (a line edited by hand is
    dropped, and its cycle's file read again)."""
    if not (isinstance(row, list) and len(row) == PROBLEM + 1 and isinstance(row[ID], str)):
        return False
    numbers = (INO, MTIME, SIZE, STALE, TIMED)
    texts = (SOP, KEC, PERIOD, STATUS, TEXT)
    return (
        all(type(row[i]) is int for i in numbers)
        and all(isinstance(row[i], str) for i in texts)
        and all(row[i] is None or type(row[i]) in (int, float) for i in (NEAR, DUE))
        and (row[PROBLEM] is None or isinstance(row[PROBLEM], str))
    )


def problem_row(cycle_id: str, key: FileKey, problem: str) -> Row:
    """The row of a cycle file that cannot be read: listed as a problem, never as a cycle."""
    return [cycle_id, *key, 0, "", "", "", "", 0, None, None, "", problem]


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


def order_key(row: Row, now: dt.datetime) -> tuple[int, float, str]:
    """The overview's order (views.OverviewRow.urgency) from an index row."""
    near = dt.datetime.fromtimestamp(row[NEAR], dt.UTC) if row[NEAR] is not None else None
    due = dt.datetime.fromtimestamp(row[DUE], dt.UTC) if row[DUE] is not None else None
    rank = urgency_rank(row[STATUS] in _OPEN, bool(row[TIMED]), near, due, now)
    return (rank, row[DUE] if row[DUE] is not None else float("inf"), row[ID])


def select(rows: dict[str, Row], query: SummaryQuery) -> tuple[list[str], int]:
    """The ids of the page `query` selects, in order, and how many rows it selects in all."""
    now = query.now
    stamp = now.timestamp()
    open_ = _OPEN
    kept: list[tuple[int, float, str]] = []
    plain = not (query.sop_id or query.unit or query.period or query.status or query.text)
    inf = float("inf")
    for row in rows.values():
        if not plain and not accepts(row, query, stamp):
            continue
        if row[PROBLEM] is not None:
            continue
        # urgency_rank inlined on epoch seconds (the same rules): this loop meets every row
        due, near = row[DUE], row[NEAR]
        if row[STATUS] not in open_:
            rank = 4
        elif due is not None and due < stamp:
            rank = 0
        elif near is not None and near <= stamp:
            rank = 1
        else:
            rank = 2 if row[TIMED] else 3
        kept.append((rank, due if due is not None else inf, row[ID]))
    total = len(kept)
    end = None if query.limit is None else query.offset + max(query.limit, 0)
    if end is not None and end < total // 4:
        import heapq

        page = heapq.nsmallest(end, kept)[query.offset :]
    else:
        kept.sort()
        page = kept[query.offset : end]
    return [item[2] for item in page], total


class OverviewIndex:
    """The index files of one data folder; see the module docstring."""

    def __init__(self, root: Path, cycles_dir: Path):
        self.dir = root / INDEX_DIR
        self.cycles_dir = cycles_dir
        self.pending_dir = self.dir / "pending"
        self.base_path = self.dir / "base.json"
        self.journal_path = self.dir / "journal"
        self.lock_path = self.dir / "journal.lock"

    def token(self) -> int:
        try:
            return os.stat(self.cycles_dir).st_mtime_ns
        except OSError:
            return 0

    # -- writers (each under its cycle's lock) ------------------------------------------------

    def begin(self, cycle_id: str) -> None:
        """Before a cycle file is replaced: a marker that names it until its row is written."""
        try:
            self.pending_dir.mkdir(parents=True, exist_ok=True)
            os.close(os.open(self.pending_dir / cycle_id, os.O_CREAT | os.O_WRONLY, 0o644))
        except OSError:
            self.drop()  # no marker: nothing may trust the index until it is rebuilt

    def written(self, row: Row) -> None:
        """After a cycle file was replaced: its new row in the journal, the marker removed.
        Best effort: a failure leaves the marker, and the next reader re-reads that file."""
        line = json.dumps([row, self.token()], ensure_ascii=False, separators=(",", ":"))
        try:
            with self._journal_lock(fcntl.LOCK_SH):
                fd = os.open(self.journal_path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o644)
                try:
                    os.write(fd, line.encode("utf-8") + b"\n")
                finally:
                    os.close(fd)
            os.unlink(self.pending_dir / row[ID])
        except OSError:
            pass

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

    def pending(self) -> list[str]:
        try:
            return sorted(os.listdir(self.pending_dir))
        except OSError:
            return []

    def load(self) -> tuple[dict[str, Row], int | None, int]:
        """(rows by id, the newest token recorded, journal bytes read) from the base and the
        journal; token None: no usable base (missing, torn, edited, another format): every
        row must be checked against its file (the journal's rows are kept for that check)."""
        rows: dict[str, Row] = {}
        token: int | None = None
        try:
            meta_line, _, body = self.base_path.read_bytes().partition(b"\n")
            meta = json.loads(meta_line)
            same = meta.get("format") == FORMAT and meta.get("schema") == SCHEMA_VERSION
            if same and meta.get("sha256") == hashlib.sha256(body).hexdigest():
                rows = {row[ID]: row for row in json.loads(body)}
                token = int(meta["token"])
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            rows, token = {}, None
        usable = token is not None
        try:
            journal = self.journal_path.read_bytes()
        except FileNotFoundError:
            journal = b""
        except OSError:
            return {}, None, 0
        for line in journal.splitlines():
            try:
                row, written_token = json.loads(line)
                if not valid_row(row):
                    raise ValueError(line)
            except (ValueError, TypeError):
                continue  # a torn last line (a killed writer): its marker names the cycle
            rows[row[ID]] = row  # without a base: rows to check, each against its file
            if usable:
                token = max(token or 0, int(written_token))
        return rows, token, len(journal)

    def save(self, rows: dict[str, Row], token: int, read_to: int = 0) -> bool:
        """Fold everything into a new base (journal emptied), if no writer is appending now.
        Best effort: a read-only folder or a busy journal keeps the old files."""
        data = json.dumps(list(rows.values()), ensure_ascii=False, separators=(",", ":")).encode()
        meta = {
            "format": FORMAT,
            "schema": SCHEMA_VERSION,
            "sha256": hashlib.sha256(data).hexdigest(),
            "token": token,
        }
        temp = self.dir / f".base.json.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            with self._journal_lock(fcntl.LOCK_EX, wait=False) as held:
                if not held:
                    return False
                # lines appended since `rows` were read (from byte `read_to` of the journal)
                # would be lost by the truncation below: keep what they changed
                with contextlib.suppress(FileNotFoundError):
                    later = self.journal_path.read_bytes()[read_to:]
                    if later:
                        for line in later.splitlines():
                            with contextlib.suppress(ValueError, TypeError, IndexError):
                                row, _ = json.loads(line)
                                if not valid_row(row):
                                    continue
                                old = rows.get(row[ID])
                                if old is None or old[INO : SIZE + 1] != row[INO : SIZE + 1]:
                                    rows[row[ID]] = row
                        data = json.dumps(
                            list(rows.values()), ensure_ascii=False, separators=(",", ":")
                        ).encode("utf-8")
                        meta["sha256"] = hashlib.sha256(data).hexdigest()
                temp.write_bytes(json.dumps(meta).encode() + b"\n" + data)
                os.replace(temp, self.base_path)
                with contextlib.suppress(FileNotFoundError):
                    os.truncate(self.journal_path, 0)
            return True
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
            return False
