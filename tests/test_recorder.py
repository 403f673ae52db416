"""A person is named only from what a person entered, never from the operating-system login."""

from __future__ import annotations

import json

import pytest

from langkah.cli.main import main
from langkah.report import content
from langkah.report.options import ReportOptions
from langkah.service import Langkah, default_recorder
from tests.engine_support import StepClock
from tests.report import scenarios

LOGIN = "kecamatan01"


@pytest.fixture(autouse=True)
def _a_login_name(monkeypatch):
    """The machine has a login name; nothing may pick it up."""
    monkeypatch.setattr("getpass.getuser", lambda: LOGIN)
    for name in ("USER", "LOGNAME", "USERNAME"):
        monkeypatch.setenv(name, LOGIN)
    monkeypatch.delenv("LANGKAH_USER", raising=False)


def test_without_langkah_user_nobody_is_named(tmp_path):
    assert default_recorder() == ""
    app = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=StepClock())
    view = app.start("kalipare", "2026-T3")
    app.note(view.state.cycle_id, "catatan")
    assert [e.by for e in app.events(view.state.cycle_id)] == ["", ""]
    assert app.open_cycle(view.state.cycle_id).state.started_by == ""


def test_langkah_user_and_by_name_the_recorder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LANGKAH_USER", "Siti Rahayu")
    assert default_recorder() == "Siti Rahayu"
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "start", "kalipare", "--period", "2026-T3"]) == 0
    cycle = capsys.readouterr().out.strip()
    assert main([*data, "--by", "Budi", "note", cycle, "dicek"]) == 0
    capsys.readouterr()
    assert main([*data, "show", cycle, "--json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert [e["by"] for e in events] == ["Siti Rahayu", "Budi"]


def test_the_report_never_signs_with_the_recorder_when_no_officer_is_named(tmp_path):
    clock = scenarios.SteppingClock()
    app = scenarios.open_app(tmp_path / "data", tmp_path / "defs", clock)
    app.recorder = LOGIN  # even a recorder's name is not a signer
    run = scenarios.Runner(app, clock, "kalipare", {})  # no Sekretaris named
    for minutes in (15, 25, 95, 15, 10, 5):
        run.step(minutes)
    view = run.view
    assert view.state.started_by == LOGIN
    right = content.signatures(view, ReportOptions()).right
    assert not right.filled
    assert right.name == content.BLANK  # a line to write the name on
    assert LOGIN not in " ".join([*right.above, right.name, right.rank, right.nip])
    assert right.above[-1].startswith("Sekretaris")
