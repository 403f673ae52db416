"""Cycles built through the service with a clock that moves in exact working minutes.

Used by the report tests and by `python -m tests.report.scenarios OUT_DIR` (renders the three
seed reports plus a cancelled and an unfinished one, for looking at them).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from langkah.engine.cycle import Person
from langkah.engine.definition import InputKind, InputSpec
from langkah.service import CycleView, Langkah

# Monday 5 October 2026, 08.00 WIB
START = dt.datetime(2026, 10, 5, 1, 0, tzinfo=dt.UTC)


class SteppingClock:
    """A clock the test moves by working minutes of a calendar."""

    def __init__(self, start: dt.datetime = START):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def value_for(spec: InputSpec, extra: str = "") -> Any:
    match spec.type:
        case InputKind.CHECK:
            return True
        case InputKind.DOCUMENT:
            return {"nomor": f"005/12/416-317/2026{extra}", "tanggal": "2026-10-05"}
        case InputKind.DATE:
            return "2026-10-05"
        case InputKind.NUMBER:
            return 12.5
        case InputKind.CHOICE:
            return spec.choices[0]
        case _:
            return f"isian {spec.label}{extra}"


class Runner:
    """Drives one cycle: each `step()` spends working minutes, fills the inputs and moves on."""

    def __init__(self, app: Langkah, clock: SteppingClock, sop: str, roles: dict[str, Person]):
        self.app, self.clock = app, clock
        self.view = app.start(sop, "2026-T3", roles)
        self.cycle_id = self.view.state.cycle_id

    def spend(self, minutes: float) -> None:
        self.clock.now = self.view.calendar.add_working_minutes(self.clock.now, minutes)

    def step(
        self,
        minutes: float,
        answer: bool | None = None,
        reason: str = "",
        note: str = "",
        values: dict[str, Any] | None = None,
    ) -> CycleView:
        self.spend(minutes)
        step = self.view.current_step
        assert step is not None
        filled = {s.id: value_for(s) for s in step.inputs}
        filled.update(values or {})
        if filled:
            self.view = self.app.record_inputs(self.cycle_id, filled)
        if note:
            self.view = self.app.note(self.cycle_id, note)
        if step.decision is not None:
            self.view = self.app.answer(self.cycle_id, bool(answer), reason or None)
        else:
            self.view = self.app.complete(self.cycle_id)
        return self.view

    def current(self) -> CycleView:
        return self.app.open_cycle(self.cycle_id)


def open_app(data_dir: Path, defs_dir: Path, clock: SteppingClock) -> Langkah:
    app = Langkah.open(data_dir, defs_dir, clock=clock)
    app.recorder = "operator"
    return app


DAWAR_ROLES = {
    "camat": Person(name="AKHMAD TAUFIQ, S.Sos., MM.", nip="197006261990031006", rank="Pembina"),
    "sekcam": Person(
        name="Drs. BAMBANG SUTRISNO, M.Si.", nip="196805121994031008", rank="Penata Tingkat I"
    ),
    "tim_sakip": Person(name="Siti Rahayu, S.E."),
}

RETURN_REASON = "Rekap capaian sub kegiatan belum lengkap"


def dawarblandong(app: Langkah, clock: SteppingClock, finish: bool = True) -> CycleView:
    """Finished, late at step 2, returned once at step 9 (back to step 7)."""
    run = Runner(app, clock, "dawarblandong", DAWAR_ROLES)
    run.step(5)
    run.step(80, note="Rapat diundur karena Sekcam menghadiri rapat di kabupaten")
    run.step(100)
    run.step(400)
    if not finish:
        run.spend(200)
        return run.current()
    for minutes in (450, 300, 120, 45):
        run.step(minutes)
    run.step(90, answer=False, reason=RETURN_REASON)
    run.step(60)
    run.step(30)
    run.step(60, answer=True, reason="")
    run.step(20)
    return run.step(10)


def kalipare(app: Langkah, clock: SteppingClock) -> CycleView:
    """Finished; the analysis (step 3) took longer than its hour."""
    roles = {
        "sekretaris": Person(
            name="SUGENG HARIYANTO, S.Sos", nip="196703151989031012", rank="Penata"
        ),
        "kasubag_evapor": Person(name="Dewi Lestari, S.AP"),
    }
    run = Runner(app, clock, "kalipare", roles)
    for minutes in (15, 25, 95, 15, 10, 5):
        run.step(minutes)
    return run.view


def mentebah(app: Langkah, clock: SteppingClock) -> CycleView:
    """Finished; the Camat approves at step 7 on the first pass."""
    roles = {"kasubbag": Person(name="YOHANES ALOYSIUS, S.E.", nip="197812122006041015")}
    run = Runner(app, clock, "mentebah", roles)
    for minutes in (30, 60, 400, 450, 500, 900):
        run.step(minutes)
    run.step(45, answer=True)
    return run.step(30)


def cancelled(app: Langkah, clock: SteppingClock) -> CycleView:
    run = Runner(app, clock, "kalipare", {})
    run.step(15)
    run.step(30)
    clock.now += dt.timedelta(minutes=20)
    return app.cancel(run.cycle_id, "Data kinerja seksi belum masuk; diulang triwulan depan")


def mixed_store(app: Langkah, clock: SteppingClock) -> dict[str, CycleView]:
    """Finished, cancelled, paused and running (overdue later) cycles: the mix the caches'
    tests (recaps, analytics facts) are checked on."""
    views = {
        "dawar": dawarblandong(app, clock),
        "running": dawarblandong(app, clock, finish=False),
        "kalipare": kalipare(app, clock),
    }
    run = Runner(app, clock, "kalipare", {})
    run.step(15)
    clock.now += dt.timedelta(minutes=20)
    views["cancelled"] = app.cancel(run.cycle_id, "tidak jadi")
    paused = Runner(app, clock, "mentebah", {})
    paused.step(30)
    run.spend(40)
    app.pause(paused.cycle_id, "menunggu Camat")
    run.spend(90)
    app.resume(paused.cycle_id, "Camat kembali")
    run.spend(30)
    views["paused"] = app.pause(paused.cycle_id, "menunggu data")
    return views


def big_definition_text(steps: int) -> str:
    """A valid SOP with `steps` steps, each with a check input and a 15-minute standard."""
    parts = [
        "format = 1",
        "[identity]",
        'government = "PEMERINTAH KABUPATEN UJI"',
        'unit = "KECAMATAN UJI"',
        'kecamatan = "Uji"',
        'name = "SOP Panjang"',
        "[calendar]",
        'timezone = "Asia/Jakarta"',
        "[[actors]]",
        'id = "staf"',
        'title = "Staf"',
    ]
    for number in range(1, steps + 1):
        parts += [
            "[[steps]]",
            f"number = {number}",
            f'activity = "Kegiatan nomor {number} yang cukup panjang untuk dibungkus dalam sel"',
            'actors = ["staf"]',
            'time = "15 menit"',
            f'output = "Keluaran {number}"',
            "  [[steps.inputs]]",
            '  id = "dokumen"',
            f'  label = "Dokumen {number}"',
            '  type = "check"',
        ]
    return "\n".join(parts) + "\n"


def big_view(steps: int = 200) -> CycleView:
    """A finished cycle of a `steps`-step SOP, built with the engine alone (no store)."""
    from langkah.engine import actions
    from langkah.engine.cycle import apply
    from langkah.engine.holidays_id import calendar_for
    from langkah.engine.loader import parse_definition
    from langkah.engine.period import Period

    loaded = parse_definition(big_definition_text(steps), "big.toml", "uji/panjang")
    definition = loaded.definition
    calendar = calendar_for(definition.calendar)
    now = START
    state = apply(
        definition,
        None,
        actions.start(
            loaded,
            "uji-2026-t3-000000",
            Period.parse("2026-T3"),
            {},
            now,
            "operator",
            event_id="e1",
        ),
    )
    for number in range(1, steps + 1):
        now = calendar.add_working_minutes(now, 10 + number % 11)
        state = apply(
            definition,
            state,
            actions.record_inputs(
                state,
                definition,
                {"dokumen": True},
                now,
                "operator",
                event_id=f"e{state.version + 1}",
            ),
        )
        state = apply(
            definition,
            state,
            actions.complete(state, definition, now, "operator", event_id=f"e{state.version + 1}"),
        )
    return CycleView(state, loaded, calendar, now)


def main(out: Path) -> None:
    import tempfile

    from langkah.report import ReportOptions, export_report

    out.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp())
    for name, build, options in (
        ("dawarblandong", dawarblandong, ReportOptions()),
        ("kalipare", kalipare, ReportOptions(paper="F4", font="Bookman Old Style")),
        ("mentebah", mentebah, ReportOptions()),
        ("cancelled", cancelled, ReportOptions()),
        ("unfinished", lambda a, c: dawarblandong(a, c, finish=False), ReportOptions()),
    ):
        clock = SteppingClock()
        app = open_app(root / name, root / "defs", clock)
        view = build(app, clock)
        print(export_report(view, out / f"{name}.docx", options))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/r"))
