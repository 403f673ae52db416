"""The PostgreSQL store's listings: every cycle's id and summary, and the overview's page
(filtered, ordered most urgent first and cut in the database, on the indexed columns)."""

from __future__ import annotations

from typing import Any

from langkah.store.base import DamagedStoreError, ListedSummaries, SummaryPage, SummaryQuery
from langkah.store.pg_connection import Connection
from langkah.store.pg_reads import PgReads
from langkah.store.pg_rows import HEAD_DIFFERS, LAST_EVENT, DamagedRowError, missing_last

_LISTED = "SELECT c.id, c.summary, c.version, c.head, c.header, e.hash"

# the words a text filter looks for, as the embedded store's index holds them
_TEXT = (
    "lower(concat_ws(' ', c.id, c.kecamatan, c.summary->>'sop_name', c.period,"
    " c.summary->>'activity', c.summary->>'actors',"
    " (SELECT string_agg(h.value, ' ') FROM jsonb_each_text(CASE WHEN"
    " jsonb_typeof(c.summary->'holders') = 'object' THEN c.summary->'holders'"
    " ELSE '{}'::jsonb END) h)))"
)
# most urgent first: overdue, near its due time, timed, untimed, ended
_RANK = (
    "CASE WHEN c.status NOT IN ('active', 'paused') THEN 4"
    " WHEN c.due_at < %(now)s THEN 0"
    " WHEN c.summary->>'near_at' ~ '^[0-9]{4}-' AND"
    " (c.summary->>'near_at')::timestamptz <= %(now)s THEN 1"
    " WHEN c.summary->'timed' = 'true'::jsonb THEN 2 ELSE 3 END"
)


def query_filters(query: SummaryQuery) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of `query` (SummaryQuery's rules) and its parameters."""
    where = ["e.hash IS NOT NULL"]  # a row whose last event is missing is a problem
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
            "cannot list the cycles",
        )
        return sorted(row[0] for row in rows)

    def _listed(
        self, rows: list[Any], found: list[dict[str, Any]], problems: list[str]
    ) -> tuple[dict[str, str], list[str]]:
        """The summaries of listed rows (`_LISTED`) into `found`, the rows that cannot be
        listed into `problems`; returns the integrity problems by cycle (a row whose last
        event's hash is not its head, or whose log this object found not to verify) and the
        cycles whose summary does not record the row's version and head (stale)."""
        integrity: dict[str, str] = {}
        stale: list[str] = []
        for cycle_id, summary, version, head, header, last_hash in rows:
            try:
                self._schema(cycle_id, header)
                if last_hash is None:
                    raise missing_last(self._address(cycle_id), version)
                if not isinstance(summary, dict):
                    raise DamagedRowError(self._address(cycle_id), "no summary")
            except DamagedStoreError as error:
                problems.append(str(error))
                continue
            known = self._verified.get(cycle_id)
            if last_hash != head:
                integrity[cycle_id] = HEAD_DIFFERS.format(version)
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
            "cannot list the cycles",
        )
        found: list[dict[str, Any]] = []
        problems: list[str] = []
        integrity, stale = self._listed(sorted(rows), found, problems)
        return ListedSummaries(found, problems, integrity, stale)

    def query_summaries(self, query: SummaryQuery) -> SummaryPage:
        """The page of summaries `query` selects: filtered, ordered (most urgent first: the
        rank from `due_at`, the summary's `near_at` and `timed`, then `due_at`, then the id in
        code-point order) and cut in one query on the indexed columns."""
        where, params = query_filters(query)
        params["limit"] = query.limit
        params["offset"] = max(query.offset, 0)
        joined = f" FROM cycles c {LAST_EVENT} WHERE {where}"

        def work(conn: Connection, _: bool) -> tuple[Any, ...]:
            rows = conn.execute(
                _LISTED + joined + f' ORDER BY {_RANK}, c.due_at NULLS LAST, c.id COLLATE "C"'
                " LIMIT %(limit)s OFFSET %(offset)s",
                params,
            ).fetchall()
            total = conn.execute("SELECT count(*)" + joined, params).fetchone()
            damaged = conn.execute(
                f"SELECT c.id, c.version FROM cycles c {LAST_EVENT} WHERE e.hash IS NULL"
                " ORDER BY c.id"
            ).fetchall()
            stale = conn.execute(
                "SELECT c.id FROM cycles c WHERE NOT (c.summary ? 'due_at')"
                " OR c.summary->>'version' IS DISTINCT FROM c.version::text"
                " OR c.summary->>'head' IS DISTINCT FROM c.head ORDER BY c.id COLLATE \"C\""
            ).fetchall()
            kecamatan = conn.execute("SELECT DISTINCT kecamatan FROM cycles").fetchall()
            periods = conn.execute("SELECT DISTINCT period FROM cycles").fetchall()
            return rows, total, damaged, stale, kecamatan, periods

        rows, total, damaged, stale, kecamatan, periods = self._run(work, "cannot list the cycles")
        page: list[dict[str, Any]] = []
        problems = [str(missing_last(self._address(c), version)) for c, version in damaged]
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
