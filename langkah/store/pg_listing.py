"""The PostgreSQL store's listings: every cycle's id and summary, and the overview's page
(filtered, ordered most urgent first and cut in the database, on the indexed columns)."""

from __future__ import annotations

from typing import Any

from langkah.messages import Text, say, text_of
from langkah.store.base import DamagedStoreError, ListedSummaries, SummaryPage, SummaryQuery
from langkah.store.pg_connection import Connection
from langkah.store.pg_reads import PgReads
from langkah.store.pg_rows import LAST_EVENT, DamagedRowError, head_differs, missing_last

_LISTED = "SELECT c.id, c.summary, c.version, c.head, c.header, e.hash"

# the words a text filter looks for, as the embedded store's index holds them
_TEXT = (
    "lower(concat_ws(' ', c.id, c.kecamatan, c.summary->>'sop_name', c.period,"
    " c.summary->>'activity', c.summary->>'actors',"
    " (SELECT string_agg(h.value, ' ') FROM jsonb_each_text(CASE WHEN"
    " jsonb_typeof(c.summary->'holders') = 'object' THEN c.summary->'holders'"
    " ELSE '{}'::jsonb END) h)))"
)
_OPEN = "c.status IN ('active', 'paused')"  # as the partial indexes cycles_open_due /
_ENDED = "c.status NOT IN ('active', 'paused')"  # cycles_ended_due say it (pg_schema V3)
_NEAR = (
    "coalesce(CASE WHEN c.summary->>'near_at' ~ '^[0-9]{4}-'"
    " THEN (c.summary->>'near_at')::timestamptz <= %(now)s END, false)"
)
_TIMED = "coalesce(c.summary->'timed' = 'true'::jsonb, false)"
# most urgent first (engine.timing.urgency_rank): the rows of each part come from an index in
# due-time order, as many as the page needs: the overdue (rank 0), the other open ones by rank
# (1 near their due time, 2 timed, 3 neither), with a due time and without, the ended (4):
# (rank, condition). A part read whole and sorted instead was slower (25 -> 45 ms at 50,000).
_NOT_NEAR = f"{_OPEN} AND c.due_at >= %(now)s AND NOT {_NEAR}"
_PARTS = [
    ("0", f"{_OPEN} AND c.due_at < %(now)s"),
    ("1", f"{_OPEN} AND c.due_at >= %(now)s AND {_NEAR}"),
    ("2", f"{_NOT_NEAR} AND {_TIMED}"),
    ("3", f"{_NOT_NEAR} AND NOT {_TIMED}"),
    ("1", f"{_OPEN} AND c.due_at IS NULL AND {_NEAR}"),
    ("2", f"{_OPEN} AND c.due_at IS NULL AND NOT {_NEAR} AND {_TIMED}"),
    ("3", f"{_OPEN} AND c.due_at IS NULL AND NOT {_NEAR} AND NOT {_TIMED}"),
    ("4", _ENDED),
]
# the same predicate as the partial index cycles_stale (pg_schema V3)
_STALE = (
    "NOT (summary ? 'due_at') OR summary->>'version' IS DISTINCT FROM version::text"
    " OR summary->>'head' IS DISTINCT FROM head"
)


def _distinct(column: str) -> str:
    """The distinct values of an indexed column of cycles, by skipping through its index."""
    return (
        f"WITH RECURSIVE v AS (SELECT min({column}) AS x FROM cycles UNION ALL"
        f" SELECT (SELECT min({column}) FROM cycles WHERE {column} > v.x) FROM v"
        " WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"
    )


def _parts(status: str | None) -> list[tuple[str, str]]:
    """The parts a status filter can select rows from: the others contradict it, and the
    planner does not prove that (an ended part under an open filter scanned every open row
    of the index: 15 of a filtered page's 40 ms at 50,000)."""
    if status == "overdue":
        return _PARTS[:1]
    if status in ("open", "active", "paused"):
        return [part for part in _PARTS if part[0] != "4"]
    if status:  # an ended status
        return [part for part in _PARTS if part[0] == "4"]
    return _PARTS


def _page_sql(where: str, limited: bool, status: str | None = None) -> str:
    """The page: each rank's first rows (offset + limit of them, the damaged ones left out) in
    the order of its index, then cut; only the page's rows are joined to their last event."""
    cut = " LIMIT %(wanted)s" if limited else ""
    ranks = " UNION ALL ".join(
        f'(SELECT c.id, {rank} AS rank, c.due_at, c.id COLLATE "C" AS sort_id FROM cycles c'
        f" WHERE {where} AND c.id <> ALL(%(damaged)s) AND {part}"
        f' ORDER BY 2, c.due_at, c.id COLLATE "C"{cut})'
        for rank, part in _parts(status)
    )
    page = " LIMIT %(limit)s OFFSET %(offset)s" if limited else " OFFSET %(offset)s"
    return (
        f"WITH p AS (SELECT id, rank, due_at, sort_id FROM ({ranks}) r"
        f" ORDER BY rank, due_at, sort_id{page})"
        f" {_LISTED} FROM p JOIN cycles c ON c.id = p.id {LAST_EVENT}"
        " ORDER BY p.rank, p.due_at, p.sort_id"
    )


def query_filters(query: SummaryQuery) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of `query` (SummaryQuery's rules) and its parameters."""
    where = ["true"]
    params: dict[str, Any] = {"now": query.now}
    if query.sop_id:
        where.append("c.sop_id = %(sop)s")
        params["sop"] = query.sop_id
    if query.unit:
        where.append(
            "(lower(c.kecamatan) = %(unit)s OR left(c.sop_id, length(%(unit)s)) = %(unit)s)"
        )
        params["unit"] = query.unit.casefold()
    if query.period:
        where.append("lower(c.period) = %(period)s")
        params["period"] = query.period.casefold()
    if query.status in ("open", "overdue"):
        where.append("c.status IN ('active', 'paused')")
        if query.status == "overdue":
            where.append("c.due_at < %(now)s")
    elif query.status:
        where.append("c.status = %(status)s")
        params["status"] = query.status
    for n, word in enumerate(query.text.casefold().split()):
        where.append(f"strpos({_TEXT}, %(w{n})s) > 0")
        params[f"w{n}"] = word
    return " AND ".join(where), params


class PgListing(PgReads):
    """Listing the cycles of a PostgreSQL store."""

    def cycle_ids(self) -> list[str]:
        rows = self._run(
            lambda conn, _: conn.execute("SELECT id FROM cycles").fetchall(),
            say("pg.do.list"),
        )
        return sorted(row[0] for row in rows)

    def _listed(
        self, rows: list[Any], found: list[dict[str, Any]], problems: list[Text]
    ) -> tuple[dict[str, Text], list[str]]:
        """The summaries of listed rows (`_LISTED`) into `found`, the rows that cannot be
        listed into `problems`; returns the integrity problems by cycle (a row whose last
        event's hash is not its head, or whose log this object found not to verify) and the
        cycles whose summary does not record the row's version and head (stale)."""
        integrity: dict[str, Text] = {}
        stale: list[str] = []
        for cycle_id, summary, version, head, header, last_hash in rows:
            try:
                self._schema(cycle_id, header)
                if last_hash is None:
                    raise missing_last(self._address(cycle_id), version)
                if not isinstance(summary, dict):
                    raise DamagedRowError(self._address(cycle_id), say("damage.no_summary"))
            except DamagedStoreError as error:
                problems.append(text_of(error))
                continue
            known = self._verified.get(cycle_id)
            if last_hash != head:
                integrity[cycle_id] = head_differs(version)
            elif known is not None and known[:2] == (version, head) and known[2]:
                integrity[cycle_id] = known[2]
            if summary.get("version") != version or summary.get("head") != head:
                stale.append(cycle_id)
            found.append(summary)
        return integrity, stale

    def summaries(self) -> ListedSummaries:
        """Every cycle's stored summary in one query. A cycle row whose last event is missing
        is a problem (damaged); one whose last event's hash is not the row's head, or whose
        log this object found not to verify, is named in `integrity`; a summary that does not
        record the row's version and head is `stale`."""
        rows = self._run(
            lambda conn, _: conn.execute(f"{_LISTED} FROM cycles c {LAST_EVENT}").fetchall(),
            say("pg.do.list"),
        )
        found: list[dict[str, Any]] = []
        problems: list[Text] = []
        integrity, stale = self._listed(sorted(rows), found, problems)
        return ListedSummaries(found, problems, integrity, stale)

    def _damaged(self, conn: Connection) -> list[tuple[str, int]]:
        """The cycle rows whose last event row is missing (id, version). Looking at every row
        takes ~150 ms at 50,000 cycles, so it is done at this object's first page and again
        only when the server's counts of deleted or changed event rows move (that happens
        behind the append-only trigger's back, or by `repair`); in between, the rows written
        since (their change numbers) are looked at."""
        row = conn.execute(
            "SELECT (SELECT coalesce(max(aside_id), 0) FROM damaged_cycles),"
            " 'events'::regclass::oid::bigint,"
            " pg_stat_get_tuples_deleted('events'::regclass)"
            " + pg_stat_get_tuples_updated('events'::regclass),"
            " (SELECT coalesce(max(change_no), 0) FROM cycles)"
        ).fetchone()
        token, newest = (tuple(row[:3]), int(row[3])) if row else ((), 0)
        kept = self._damaged_seen
        missing = "NOT EXISTS (SELECT FROM events e WHERE e.cycle_id = c.id AND e.seq = c.version)"
        if kept is not None and kept[0] == token:
            damaged = dict(kept[2])
            for cycle_id, version, gone in conn.execute(
                f"SELECT c.id, c.version, {missing} FROM cycles c WHERE c.change_no > %s",
                [kept[1]],
            ).fetchall():
                damaged.pop(cycle_id, None)
                if gone:
                    damaged[cycle_id] = int(version)
        else:
            found = conn.execute(f"SELECT c.id, c.version FROM cycles c WHERE {missing}")
            damaged = {str(r[0]): int(r[1]) for r in found.fetchall()}
        self._damaged_seen = (token, newest, damaged)
        return sorted(damaged.items())

    def query_summaries(self, query: SummaryQuery) -> SummaryPage:
        """The page of summaries `query` selects: filtered, ordered (most urgent first: the
        rank from `due_at`, the summary's `near_at` and `timed`, then `due_at`, then the id in
        code-point order) and cut in the database: each rank's rows are read in the order of
        an index (cycles_open_due, cycles_ended_due), only as many as the page needs."""
        where, params = query_filters(query)
        params["offset"] = max(query.offset, 0)
        if query.limit is not None:
            params["limit"] = query.limit
            params["wanted"] = query.limit + params["offset"]

        def work(conn: Connection, _: bool) -> tuple[Any, ...]:
            damaged = self._damaged(conn)
            params["damaged"] = [cycle_id for cycle_id, _ in damaged]
            sql = _page_sql(where, query.limit is not None, query.status)
            rows = conn.execute(sql, params).fetchall()
            # the filters' columns are all in cycles_filters: counted from that index alone,
            # less the damaged rows (a look-up of each)
            total = conn.execute(
                f"SELECT (SELECT count(*) FROM cycles c WHERE {where})"
                f" - (SELECT count(*) FROM cycles c WHERE {where} AND c.id = ANY(%(damaged)s))",
                params,
            ).fetchone()
            stale = conn.execute(f"SELECT id FROM cycles WHERE {_STALE}").fetchall()
            kecamatan = conn.execute(_distinct("kecamatan")).fetchall()
            periods = conn.execute(_distinct("period")).fetchall()
            return rows, total, damaged, stale, kecamatan, periods

        rows, total, damaged, stale, kecamatan, periods = self._run(work, say("pg.do.list"))
        page: list[dict[str, Any]] = []
        problems = [text_of(missing_last(self._address(c), version)) for c, version in damaged]
        integrity, _ = self._listed(rows, page, problems)  # stale: the whole store's, above
        return SummaryPage(
            page,
            int(total[0]) if total else 0,
            problems,
            integrity,
            stale=sorted(row[0] for row in stale),
            kecamatan=sorted(row[0] for row in kecamatan),
            periods=sorted((row[0] for row in periods), reverse=True),
        )
