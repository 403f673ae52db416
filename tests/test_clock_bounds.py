"""Clock and calendar bounds (issue 11 part 5): times outside [2000-01-01, last holiday-data
year + 1] are refused, a clock behind the log is refused (not clamped), and a cycle running into
a year the holiday data does not cover says so in show, status, JSON and the report."""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from langkah.engine.clock_bounds import package_last_year
from tests.cli_support import WIB, Cli
from tests.report.docx_text import all_text

LAST = package_last_year()


@pytest.fixture
def cli(capsys, monkeypatch):
    return Cli(capsys, monkeypatch)


@pytest.mark.parametrize(
    "now",
    [
        "9999-12-31T23:59:59",
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+05:00",
        "1999-12-31T23:59:59+00:00",
        f"{LAST + 2}-01-01T00:00:00+00:00",
    ],
)
@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["start", "kalipare"]])
def test_langkah_now_outside_the_window_is_refused_with_a_message(cli, monkeypatch, now, command):
    args = [*command, "--period", "2026-T3"] if command[0] == "start" else command
    monkeypatch.setattr(Cli, "__call__", _fixed_now(now))
    err = cli(*args, status=1)
    assert "LANGKAH_NOW" in err and "holidays" in err


def test_an_edge_of_the_window_is_accepted(cli, monkeypatch):
    monkeypatch.setattr(Cli, "__call__", _fixed_now(f"{LAST + 1}-12-31T10:00:00+07:00"))
    cli("start", "kalipare", "--period", f"{LAST + 1}-T4")
    monkeypatch.setattr(Cli, "__call__", _fixed_now("2000-01-03T09:00:00+07:00"))
    cli("start", "kalipare", "--period", "2000-T1")


def test_a_start_in_year_one_is_refused_through_the_service():
    from langkah.engine.clock_bounds import TimeOutOfBounds
    from langkah.service import Langkah

    app = Langkah.open(clock=lambda: dt.datetime(1, 1, 1, 12, tzinfo=dt.UTC))
    with pytest.raises(TimeOutOfBounds):
        app.start("kalipare", "2026-T3")
    assert app.cycle_ids() == []


def test_a_clock_behind_the_last_event_is_refused_naming_both_times(cli):
    cycle = cli.start()
    cli("note", cycle, "satu")
    last = cli.now
    cli.now -= dt.timedelta(hours=2)
    err = cli("note", cycle, "dua", status=1)
    assert cli.now.astimezone(dt.UTC).isoformat() in err  # the clock's reading
    assert last.astimezone(dt.UTC).isoformat() in err  # the last event's time
    assert cli.show(cycle)["version"] == 2  # nothing recorded


def test_a_cycle_running_into_an_uncovered_year_warns_everywhere(cli, tmp_path, monkeypatch):
    start = dt.datetime(LAST + 1, 12, 30, 8, 0, tzinfo=WIB)
    cli.now = start
    cycle = cli("start", "kalipare", "--period", f"{LAST + 1}-T4").strip()
    out = cli("show", cycle)
    assert str(LAST + 1) in out and "hari_libur.toml" in out
    data = cli.show(cycle)
    assert data["holiday_data"]["last_year"] == LAST
    assert data["holiday_data"]["uncovered_years"][0] == LAST + 1  # (and its due time's year)
    out, err = cli.both("status")
    assert "hari_libur.toml" in out + err and cycle in out + err
    rows = __import__("json").loads(cli("status", "--json"))
    assert rows[0]["uncovered_years"][0] == LAST + 1
    target = tmp_path / "r.docx"
    cli("report", cycle, "-o", str(target))
    assert "hari_libur.toml" in all_text(docx.Document(str(target)))


def test_a_covered_cycle_has_no_warning(cli):
    cycle = cli.start()
    assert "hari_libur" not in cli("show", cycle)
    assert cli.show(cycle)["holiday_data"]["uncovered_years"] == []


def test_hari_libur_toml_extends_the_covered_years(cli, monkeypatch):
    import os
    from pathlib import Path

    data = Path(os.environ["LANGKAH_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    (data / "hari_libur.toml").write_text(
        f'[tambah]\n{LAST + 2}-12-24 = "Cuti Bersama Natal"\n', encoding="utf-8"
    )
    cli.now = dt.datetime(LAST + 2, 3, 2, 8, 0, tzinfo=WIB)
    cycle = cli("start", "kalipare", "--period", f"{LAST + 2}-T1").strip()
    assert cli.show(cycle)["holiday_data"]["last_year"] == LAST + 2


def test_validate_says_how_to_extend_the_holiday_data_near_its_end(cli):
    cli.now = dt.datetime(LAST, 6, 1, 8, 0, tzinfo=WIB)
    out, err = cli.both("validate")
    assert "hari_libur.toml" in out + err and str(LAST) in out + err


def _fixed_now(value: str):
    from tests.cli_support import _run

    def call(self, *args, status=0):
        self.monkeypatch.setenv("LANGKAH_NOW", value)
        self.capsys.readouterr()
        code = _run(args)
        out, err = self.capsys.readouterr()
        assert code == status, (args, out, err)
        assert "Traceback" not in out + err
        return out if status == 0 else err

    return call


@pytest.mark.parametrize("period", ["0001-T1", "1899-T1", "1999-T4", f"{LAST + 2}-T1", "9999"])
def test_a_period_outside_the_countable_years_is_refused_at_start(cli, period):
    """A year typed wrong (2062 for 2026) or one whose working days are not known: refused
    with the span, nothing started."""
    err = cli("start", "kalipare", "--period", period, status=1)
    assert f"periode {period}" in err and f"2000 sampai {LAST + 1}" in err
    assert cli("status", "--json").count('"cycle_id"') == 0


def test_the_countable_years_are_those_of_the_clock():
    from langkah.engine.clock_bounds import check_period, period_years
    from langkah.engine.period import Period, PeriodError

    assert period_years(2026) == (2000, 2027)
    assert check_period(Period.parse("2000-T1"), 2026) == Period.parse("2000-T1")
    assert check_period(Period.parse("2027"), 2026) == Period.parse("2027")
    with pytest.raises(PeriodError) as refused:
        check_period(Period.parse("2028-S1"), 2026)
    assert "(2000 to 2027)" in refused.value.message("en")


def test_the_start_form_says_so_while_the_period_is_typed():
    from langkah.tui.presenters import start
    from langkah.tui.strings import set_language

    set_language("id")
    assert start.period_label(f"{LAST + 1}-T4", "id", LAST) == f"Triwulan IV Tahun {LAST + 1}"
    assert "di luar tahun yang bisa dihitung" in start.period_label("2062-T1", "id", LAST)
    assert start.start_request("kalipare", "2062-T1", LAST).period is None
    assert start.start_request("kalipare", "2026-T1", LAST).period is not None
