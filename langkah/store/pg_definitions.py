"""The PostgreSQL store's pinned definitions (append-only rows, digest and text)."""

from __future__ import annotations

import hashlib
import time

from langkah.messages import Text, say, text_of
from langkah.store.base import StoreError
from langkah.store.pg_reads import PgReads

_SEEN_FOR = 2.0  # seconds a definition's row version read with a cycle stands for a check
_CHECKS = 1024  # definitions whose check this object remembers


class PgDefinitions(PgReads):
    """The definitions the cycles of a PostgreSQL store were started with."""

    def put_definition(self, digest: str, text: str) -> None:
        if "\x00" in text:
            raise StoreError(say("pg.definition_nul", digest=digest[:12]))
        self._run(
            lambda conn, _: conn.execute(
                "INSERT INTO definitions (digest, text) VALUES (%s, %s)"
                " ON CONFLICT (digest) DO NOTHING",
                [digest, text],
            ),
            say("pg.do.pin_definition", digest=digest[:12]),
            write=True,
        )

    def _definition_text(self, digest: str) -> str | None:
        row = self._run(
            lambda conn, _: conn.execute(
                "SELECT text FROM definitions WHERE digest = %s", [digest]
            ).fetchone(),
            say("pg.do.read_definition", digest=digest[:12]),
        )
        return None if row is None else str(row[0])

    def get_definition(self, digest: str) -> str:
        text = self._definition_text(digest)
        if text is None:
            raise StoreError(say("definition.missing", source=self.definition_source(digest)))
        return text

    def definition_source(self, digest: str) -> str:
        return f"{self.location}#definitions/{digest}"

    def _checked_by_append(self, digest: str) -> bool:
        """Is `digest` the definition of a cycle whose `exclusive` block is optimistic in this
        thread? Its append writes only if the definition's row is the one checked (pg_writes)."""
        for cycle_id, block in self._blocks().items():
            kept = self._logs.get(cycle_id) if block.optimistic else None
            if kept is not None and kept[1].header.get("definition_digest") == digest:
                return True
        return False

    def definition_problem(self, digest: str) -> Text | None:
        """Checked again whenever the row changes (its `xmin`, the transaction that wrote it:
        a row changed behind the trigger's back gets a new one); one small query otherwise,
        none when the row's version came with the cycle just now or the action's append checks
        it."""
        seen = self._definition_seen.get(digest)
        kept = self._definition_checks.get(digest)
        fresh = seen is not None and time.monotonic() - seen[1] < _SEEN_FOR
        if kept is not None and (
            (fresh and seen is not None and seen[0] == kept[0]) or self._checked_by_append(digest)
        ):
            return kept[1]
        try:
            row = self._run(
                lambda conn, _: conn.execute(
                    "SELECT xmin::text FROM definitions WHERE digest = %s", [digest]
                ).fetchone(),
                say("pg.do.read_definition", digest=digest[:12]),
            )
            if row is None:
                return None  # missing is not changed: loading it says so (get_definition)
            kept = self._definition_checks.get(digest)
            if kept is not None and kept[0] == row[0]:
                return kept[1]
            text = self._definition_text(digest)
        except StoreError as error:
            return text_of(error)
        problem = None
        if text is not None and hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
            what = "definition.emptied" if not text.strip() else "definition.changed"
            problem = say(what, name=f"{digest[:12]}…", what=say("definition.its_digest"))
        if len(self._definition_checks) < _CHECKS:
            self._definition_checks[digest] = (str(row[0]), problem)
        return problem
