"""Sample cycles for `langkah --demo`: one running now, one overdue, one sent back, one finished.

Everything goes through the service, with a fake clock moved forward between actions, so the
demo data is exactly what real use would have stored. The names of people are fictitious
(except the Camat who signed the Dawarblandong SOP, as written in it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from langkah.engine.cycle import Person
from langkah.engine.definition import InputKind, Step
from langkah.engine.period import Period
from langkah.service import CycleView, Langkah

DAWARBLANDONG = "dawarblandong"
KALIPARE = "kalipare"
MENTEBAH = "mentebah"
RECORDER = "demo"

PEOPLE: dict[str, dict[str, Person]] = {
    DAWARBLANDONG: {
        "camat": Person(
            name="AKHMAD TAUFIQ, S.Sos., MM.", nip="197006261990031006", rank="Pembina"
        ),
        "sekcam": Person(
            name="Siti Rahmawati, S.AP.", nip="198005122005012003", rank="Penata Tk. I"
        ),
        "tim_sakip": Person(name="Budi Santoso, S.E.", nip="198703142010011002", rank="Penata"),
    },
    KALIPARE: {
        "sekretaris": Person(name="Dra. Endang Lestari", nip="196911201994032004", rank="Pembina"),
        "kasubag_evapor": Person(
            name="Agus Prasetyo, S.Kom.", nip="198409092009011005", rank="Penata"
        ),
    },
    MENTEBAH: {
        "kasubbag": Person(name="Yohanes Apui, S.Sos.", nip="198201152008011007", rank="Penata"),
    },
}


class _FakeClock:
    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now = self.now + dt.timedelta(**delta)


def _value(step: Step, kind: InputKind, day: dt.date, choices: tuple[str, ...]) -> Any:
    match kind:
        case InputKind.CHECK:
            return True
        case InputKind.DOCUMENT:
            return {
                "nomor": f"005/{step.number:03d}/416-317/{day.year}",
                "tanggal": day.isoformat(),
            }
        case InputKind.DATE:
            return day.isoformat()
        case InputKind.NUMBER:
            return 1
        case InputKind.CHOICE:
            return choices[0] if choices else ""
    return "Terlampir"


def _fill(service: Langkah, view: CycleView, clock: _FakeClock) -> CycleView:
    step = view.current_step
    if step is None or not step.inputs:
        return view
    day = clock.now.date()
    values = {s.id: _value(step, s.type, day, s.choices) for s in step.inputs}
    return service.record_inputs(view.state.cycle_id, values, view.version, by=RECORDER)


def _advance(
    service: Langkah, view: CycleView, clock: _FakeClock, until: int | None, minutes: float
) -> CycleView:
    """Take every step (filled, completed, decisions answered yes) until step `until` is current."""
    while view.state.is_open and view.state.current_step != until:
        clock.advance(minutes=minutes / 2)
        view = _fill(service, view, clock)
        clock.advance(minutes=minutes / 2)
        step = view.current_step
        if step is not None and step.decision:
            view = service.answer(view.state.cycle_id, True, None, view.version, by=RECORDER)
        else:
            view = service.complete(view.state.cycle_id, view.version, by=RECORDER)
    return view


def _sop(service: Langkah, kecamatan: str) -> str:
    for sop_id in service.catalog.definitions:  # ids only: nothing parsed
        if sop_id.startswith(kecamatan + "/"):
            return sop_id
    raise KeyError(f"the demo needs the {kecamatan} SOP, which is not in the catalog")


def seed_demo(app: Langkah, now: dt.datetime) -> list[str]:
    """Create the demo cycles as of `now`; returns their ids (the running one first)."""
    saved_clock = app.clock
    clock = _FakeClock(now)
    app.clock = clock
    this_quarter = Period.containing(now.date(), "triwulan")
    previous = Period.containing(now.date() - dt.timedelta(days=92), "triwulan")
    ids = []
    try:
        # In a meeting now: Dawarblandong, this quarter, at step 4 for the last 40 minutes.
        clock.now = now - dt.timedelta(hours=4)
        view = app.start(_sop(app, DAWARBLANDONG), this_quarter, PEOPLE[DAWARBLANDONG], RECORDER)
        view = _advance(app, view, clock, 3, 60)
        clock.now = now - dt.timedelta(minutes=40)
        view = _advance(app, view, clock, 4, 0)
        ids.append(view.state.cycle_id)

        # Overdue: Mentebah, this quarter, stuck at step 3 ("1 Hari") for about a week.
        clock.now = now - dt.timedelta(days=9)
        view = app.start(_sop(app, MENTEBAH), this_quarter, PEOPLE[MENTEBAH], RECORDER)
        view = _advance(app, view, clock, 2, 90)
        clock.now = now - dt.timedelta(days=8)
        view = _advance(app, view, clock, 3, 0)
        ids.append(view.state.cycle_id)

        # Sent back: Dawarblandong, previous quarter; step 9 answered "tidak" with a reason.
        clock.now = now - dt.timedelta(days=20)
        view = app.start(_sop(app, DAWARBLANDONG), previous, PEOPLE[DAWARBLANDONG], RECORDER)
        view = _advance(app, view, clock, 8, 240)
        clock.now = now - dt.timedelta(hours=2)
        view = _advance(app, view, clock, 9, 30)
        clock.advance(minutes=30)
        view = _fill(app, view, clock)
        clock.now = now - dt.timedelta(minutes=25)
        view = app.answer(
            view.state.cycle_id,
            False,
            "Capaian indikator Seksi Kesra belum sesuai target Perjanjian Kinerja; "
            "lengkapi rekap sesuai arahan Sekcam",
            view.version,
            by=RECORDER,
        )
        clock.advance(minutes=5)
        view = app.note(
            view.state.cycle_id, "Rekap ulang dijadwalkan hari ini.", None, view.version, RECORDER
        )
        ids.append(view.state.cycle_id)

        # Finished: Kalipare, previous quarter, every step done in one working day.
        clock.now = now - dt.timedelta(days=40)
        view = app.start(_sop(app, KALIPARE), previous, PEOPLE[KALIPARE], RECORDER)
        view = _advance(app, view, clock, None, 20)
        ids.append(view.state.cycle_id)
    finally:
        app.clock = saved_clock
    return ids
