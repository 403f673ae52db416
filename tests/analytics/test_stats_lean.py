"""`langkah stats --json`'s lean path on PostgreSQL (langkah/stats_lean.py): a warm run answered
without the service, the engine's models or a definition parsed prints the very bytes the full
path prints (langkah/stats_in_sql.py), for every selection; whenever it cannot answer (a changed
cycle, a filter naming nothing stored, a cache of another stamp or broken) the full path runs
and says what it says."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest

from langkah import stats_lean
from langkah.cli import stats_command
from tests.analytics.test_facts_cache import (  # noqa: F401  (fixtures: their names are redefined as arguments, F811)
    app,
    clock,
    data_dir,
    later,
    scenarios,
    store,
)
from tests.cli_support import _run

pytestmark = [pytest.mark.needs_postgresql, pytest.mark.usefixtures("on_postgresql")]


def run(capsys, monkeypatch, *args: str, path: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `langkah stats --json ARGS`; `path`: "full" (the lean
    path turned off), "lean" (the full path must not run: it fails the test) or "any"."""
    opened = []
    with monkeypatch.context() as patch:
        if path == "full":
            patch.setattr(stats_lean, "lean_json", lambda args, periods: None)
        if path == "lean":

            def no_full_path(args):
                raise AssertionError("the full path ran")

            patch.setattr(stats_command, "_open_app", no_full_path)
        else:  # its store closed after (many runs in one process: the server's connections)
            open_app = stats_command._open_app
            patch.setattr(
                stats_command, "_open_app", lambda a: opened.append(open_app(a)) or opened[-1]
            )
        capsys.readouterr()
        try:
            code = _run(("stats", "--json", *args))
        finally:
            for service in opened:
                service.store.close()
        out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def selections(full_json: str) -> list[tuple[str, ...]]:
    """Filters naming what the store holds (and one selecting nothing)."""
    figures = json.loads(full_json)
    kecamatan = sorted({g["kecamatan"] for g in figures["groups"]})
    periods = sorted({g["period"] for g in figures["groups"]})
    assert kecamatan and periods
    return [
        (),
        ("--kecamatan", kecamatan[0]),
        ("--kecamatan", f"  {kecamatan[-1].upper()} "),  # as the full path: case, spaces
        ("--period", periods[0]),
        ("--period", periods[0][:4]),  # a year holds its quarters
        ("--from", periods[-1]),
        ("--to", periods[0]),
        ("--from", periods[0], "--to", periods[-1], "--kecamatan", kecamatan[0]),
        ("--from", "2030-T1"),  # nothing selected: an empty figure set
    ]


def test_the_lean_path_prints_the_full_paths_bytes(store, app, clock, capsys, monkeypatch):  # noqa: F811
    # and a visit running at a step whose standard is a deadline in its period (kalipare's
    # step 2: "paling lambat tanggal 5 triwulan berikutnya"), timed against its due instant
    scenarios.Runner(app, clock, "kalipare", {}).step(15)
    monkeypatch.setenv("LANGKAH_NOW", clock.now.isoformat())
    code, cold, _ = run(capsys, monkeypatch, path="full")  # makes the facts rows and the cache
    assert code == 0
    assert (data_dir() / stats_lean.CACHE_FILE).is_file()
    for _ in range(2):  # at the store's now, then later (running visits timed anew)
        for args in selections(cold):
            full = run(capsys, monkeypatch, *args, path="full")
            lean = run(capsys, monkeypatch, *args, path="lean")
            assert lean == full, args
            assert full[0] == 0
        assert json.loads(full[1])["groups"] == []  # the last selection: nothing
        later(monkeypatch, days=3)
    # and the figures are the ones computed from every log
    assert run(capsys, monkeypatch, path="lean")[1] == run(capsys, monkeypatch, "--no-cache",
                                                            path="full")[1]  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("--kecamatan", "Nowhere"),
        ("--sop", "no-such-sop"),
        ("--period", "2026-X9"),
        ("--from", "2026-T3", "--to", "2026-T1"),
        ("--period", "2026", "--from", "2026-T1"),
    ],
)
def test_bad_filters_get_the_full_paths_message_and_code(store, capsys, monkeypatch, args):  # noqa: F811
    run(capsys, monkeypatch, path="full")  # warm: the lean path could answer
    full = run(capsys, monkeypatch, *args, path="full")
    assert full[0] == 2 and full[2]
    assert run(capsys, monkeypatch, *args, path="any") == full


def test_changed_cycles_and_a_bad_cache_go_the_full_way(store, app, capsys, monkeypatch):  # noqa: F811
    run(capsys, monkeypatch, path="full")
    running = store["running"].state.cycle_id
    step = store["running"].current_step
    app.record_inputs(running, {spec.id: scenarios.value_for(spec) for spec in step.inputs})
    app.complete(running)
    with pytest.raises(AssertionError, match="the full path ran"):
        run(capsys, monkeypatch, path="lean")  # an outdated facts row: not the lean path's
    expected = run(capsys, monkeypatch, path="full")
    assert run(capsys, monkeypatch, path="lean") == expected  # refreshed: lean again
    cache = data_dir() / stats_lean.CACHE_FILE
    kept = json.loads(cache.read_text())
    for damage in ("torn", "other stamp", "digest missing", "period missing"):
        broken = json.loads(json.dumps(kept))
        if damage == "other stamp":
            broken["stamp"] = "other"
        elif damage == "digest missing":
            broken["digests"].popitem()
        elif damage == "period missing":
            for entry in broken["digests"].values():
                if entry["dated"]:
                    entry["dues"] = {}
        text = json.dumps(broken)
        cache.write_text(text[: len(text) // 2] if damage == "torn" else text)
        if damage != "period missing" or any(e["dated"] for e in kept["digests"].values()):
            with pytest.raises(AssertionError, match="the full path ran"):
                run(capsys, monkeypatch, path="lean")
        assert run(capsys, monkeypatch, path="any") == expected  # and it writes it again
        assert run(capsys, monkeypatch, path="lean") == expected


def test_a_cache_that_is_a_fifo_goes_the_full_way_without_waiting(store, capsys, monkeypatch):  # noqa: F811
    """A FIFO in the cache's place is never opened for reading (it would block): the full
    path runs, and its rename replaces the FIFO with the cache."""
    expected = run(capsys, monkeypatch, path="full")
    cache = data_dir() / stats_lean.CACHE_FILE
    cache.unlink()
    os.mkfifo(cache)
    with pytest.raises(AssertionError, match="the full path ran"):
        run(capsys, monkeypatch, path="lean")
    assert run(capsys, monkeypatch, path="any") == expected
    assert cache.is_file()
    assert run(capsys, monkeypatch, path="lean") == expected


def test_the_lean_path_imports_neither_the_service_nor_the_engines_models(
    store,  # noqa: F811
    capsys,
    monkeypatch,
):
    run(capsys, monkeypatch, path="full")
    code = (
        "import sys\n"
        "from langkah.main import main\n"
        "assert main(['stats', '--json']) == 0\n"
        "heavy = ['langkah.service', 'langkah.engine.definition', 'langkah.engine.cycle',\n"
        "         'langkah.engine.events', 'langkah.analytics.facts', 'pydantic']\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert json.loads(done.stdout)["cycles"] > 0


def _forget_running_rows(url: str) -> None:
    """The running visits' kept positions gone (as after a migration): the next run makes them
    (pg_facts' FILL_RUNNING, with the deadlines and limits that run gives)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DELETE FROM stats_running")
        conn.execute(
            "INSERT INTO stats_running_todo SELECT cycle_id FROM stats_cycles"
            " WHERE running IS NOT NULL"
        )


def test_running_rows_made_by_the_lean_path_equal_the_full_paths(
    store,  # noqa: F811
    app,  # noqa: F811
    clock,  # noqa: F811
    capsys,
    monkeypatch,
    pg_url,  # noqa: F811
):
    scenarios.Runner(app, clock, "kalipare", {}).step(15)  # running at a deadline step
    monkeypatch.setenv("LANGKAH_NOW", clock.now.isoformat())
    run(capsys, monkeypatch, path="full")
    for days in (0, 3):  # the due not reached yet, then passed
        later(monkeypatch, days=days)
        _forget_running_rows(pg_url)
        full = run(capsys, monkeypatch, path="full")
        _forget_running_rows(pg_url)
        lean = run(capsys, monkeypatch, path="lean")
        assert lean == full
        assert lean == run(capsys, monkeypatch, path="lean")  # and with the rows it made
