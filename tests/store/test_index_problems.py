"""The overview index keeps a problem row's problem as its Text's JSON, said in the reader's
language; a row written with an English string (before problems were Texts) is still read."""

from __future__ import annotations

import os

from langkah.messages import AS_GIVEN, say
from langkah.store import SummaryQuery
from langkah.store.tinydb_index import PROBLEM, problem_row, problem_text, valid_row
from langkah.store.tinydb_store import TinyDBStore
from tests.store.test_query import NOW, fill


def test_a_problem_row_keeps_the_text_and_reads_an_english_string_as_given():
    why = say("unreadable.skipped", path="/x/c-1.json", why=say("unreadable.fifo"))
    row = problem_row("c-1", (1, 2, 3), why)
    assert valid_row(row) and problem_text(row[PROBLEM]) == why
    old = [*row[:PROBLEM], "/x/c-1.json: skipped: a FIFO, not a regular file", *row[PROBLEM + 1 :]]
    assert valid_row(old)
    assert problem_text(old[PROBLEM]) == say(AS_GIVEN, detail=old[PROBLEM])
    assert not valid_row([*row[:PROBLEM], 7, *row[PROBLEM + 1 :]])
    assert problem_text({"key": "no.such.key", "params": {}}).key == AS_GIVEN


def test_a_fifo_is_a_problem_row_said_in_either_language(tmp_path):
    store = TinyDBStore(tmp_path / "data")
    fill(store, 3, 1)
    fifo = tmp_path / "data" / "cycles" / "aneh-0001.json"
    os.mkfifo(fifo)
    page = store.query_summaries(SummaryQuery(now=NOW))
    assert page.total == 3 and len(page.problems) == 1
    again = TinyDBStore(tmp_path / "data").query_summaries(SummaryQuery(now=NOW))
    (problem,) = again.problems  # from the index's row, kept as the Text's JSON
    assert problem.key == "unreadable.skipped"
    assert problem.message("id") == f"{fifo}: dilewati: FIFO, bukan berkas biasa"
    assert problem.message("en") == f"{fifo}: skipped: a FIFO, not a regular file"
    index = TinyDBStore(tmp_path / "data").index
    loaded = index.load()
    rows = loaded.columns.to_rows()
    rows.update(loaded.rows)
    assert rows["aneh-0001"][PROBLEM] == problem.to_json()
    rows["aneh-0001"][PROBLEM] = "an index written before: English"
    index.save(rows, index.token(), set(), loaded.read_to)
    (old,) = TinyDBStore(tmp_path / "data").query_summaries(SummaryQuery(now=NOW)).problems
    assert old == say(AS_GIVEN, detail="an index written before: English")
