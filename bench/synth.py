"""Synthetic benchmark data: cycles driven through the real engine, stored in the real format.

Every cycle is produced by the engine's own commands (start, record inputs, complete, answer,
note, pause, cancel) and written with `TinyDBStore.create` + `append`, so the files are exactly
what the app writes. Only fsync is switched off while generating (it makes no difference to the
bytes on disk, and 10,000 fsyncs would dominate the set-up time).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langkah.catalog import Catalog
from langkah.engine import actions
from langkah.engine.cycle import CycleStatus, apply
from langkah.engine.definition import InputKind, SopDefinition, Step
from langkah.engine.events import Event
from langkah.engine.loader import LoadedDefinition, parse_definition
from langkah.engine.period import Period
from langkah.service import Langkah
from langkah.store.tinydb_store import TinyDBStore

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)  # a Friday, 10.00 WIB


@contextlib.contextmanager
def no_fsync() -> Iterator[None]:
    """Skip fsync while generating data (the written bytes are the same)."""
    original = os.fsync
    os.fsync = lambda fd: None  # type: ignore[assignment]
    try:
        yield
    finally:
        os.fsync = original  # type: ignore[assignment]


def value_for(kind: InputKind, choices: tuple[str, ...], rng: random.Random) -> Any:
    match kind:
        case InputKind.CHECK:
            return True
        case InputKind.NUMBER:
            return rng.randint(1, 1000)
        case InputKind.DATE:
            return "2026-10-05"
        case InputKind.DOCUMENT:
            return f"{rng.randint(1, 999):03d}/{rng.randint(1, 99)}/416-317/2026;2026-10-01"
        case InputKind.CHOICE:
            return choices[0]
    return f"catatan {rng.randint(1, 10**6)}"


def fill(step: Step, rng: random.Random) -> dict[str, Any]:
    return {s.id: value_for(s.type, s.choices, rng) for s in step.inputs}


class Driver:
    """Builds one cycle's event log in memory, advancing a synthetic clock between actions."""

    def __init__(self, loaded: LoadedDefinition, cycle_id: str, period: str, start: dt.datetime):
        self.loaded = loaded
        self.definition: SopDefinition = loaded.definition
        self.now = start
        self.cycle_id = cycle_id
        event = actions.start(
            loaded, cycle_id, Period.parse(period), {}, start, "bench", event_id=f"{cycle_id}-1"
        )
        self.events: list[Event] = [event]
        self.state = apply(self.definition, None, event)

    @property
    def next_id(self) -> str:
        """The id of the next event (ids are deterministic, like the rest of the data)."""
        return f"{self.cycle_id}-{len(self.events) + 1}"

    def _add(self, event: Event) -> None:
        self.events.append(event)
        self.state = apply(self.definition, self.state, event)

    def tick(self, rng: random.Random, most: int = 240) -> dt.datetime:
        self.now += dt.timedelta(minutes=rng.randint(5, most))
        return self.now

    def step(self, rng: random.Random, answer_no: bool = False, complete: bool = True) -> None:
        """Fill the current step's inputs and (optionally) complete or answer it."""
        d, s = self.definition, self.state
        step = d.step(s.visits[-1].step)
        if step.inputs:
            self._add(
                actions.record_inputs(
                    s, d, fill(step, rng), self.tick(rng), "bench", event_id=self.next_id
                )
            )
        if not complete:
            return
        s = self.state
        if step.decision:
            reason = "dikembalikan untuk dilengkapi" if answer_no else None
            self._add(
                actions.answer(
                    s, d, not answer_no, reason, self.tick(rng), "bench", event_id=self.next_id
                )
            )
        else:
            self._add(actions.complete(s, d, self.tick(rng), "bench", event_id=self.next_id))

    def note(self, rng: random.Random, text: str = "catatan") -> None:
        self._add(
            actions.note(
                self.state,
                self.definition,
                text,
                self.tick(rng, 30),
                "bench",
                event_id=self.next_id,
            )
        )

    def run_to_end(self, rng: random.Random, returns: int = 0) -> None:
        returned = 0
        while self.state.status == CycleStatus.ACTIVE:
            step = self.definition.step(self.state.visits[-1].step)
            no = bool(step.decision) and returned < returns
            returned += no
            self.step(rng, answer_no=no)


def synthetic_cycle(
    loaded: LoadedDefinition, cycle_id: str, rng: random.Random, kind: str
) -> Driver:
    """One cycle of a given kind: finished, active (at a step with its inputs filled), paused,
    cancelled. Old cycles are finished; open ones started in the last weeks."""
    d = loaded.definition
    if kind == "finished":
        start = NOW - dt.timedelta(days=rng.randint(100, 2500))
    else:
        start = NOW - dt.timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 600))
    year_q = Period.containing(start.date(), "triwulan")
    driver = Driver(loaded, cycle_id, str(year_q), start)
    n = len(d.steps)
    if kind == "finished":
        driver.run_to_end(rng, returns=rng.choice((0, 0, 0, 1)))
        return driver
    for _ in range(rng.randint(0, n - 2)):
        if rng.random() < 0.3:
            driver.note(rng)
        driver.step(rng)
        if driver.state.status != CycleStatus.ACTIVE:
            return driver
    # stop at a step with its inputs filled, so `complete` (or `answer`) is allowed now
    driver.step(rng, complete=False)
    s = driver.state
    if kind == "paused":
        driver._add(
            actions.pause(s, d, "menunggu data", driver.tick(rng), "bench", event_id=driver.next_id)
        )
    elif kind == "cancelled":
        driver._add(
            actions.cancel(s, d, "dibatalkan", driver.tick(rng), "bench", event_id=driver.next_id)
        )
    return driver


KINDS = ("finished",) * 55 + ("active",) * 35 + ("paused",) * 5 + ("cancelled",) * 5


@functools.cache
def _summarizer() -> Langkah:
    """A service for its summaries only (they need its working calendars, not its store)."""
    return Langkah(TinyDBStore(Path("/nonexistent-langkah-data")), Catalog({}), lambda: NOW)


def write_cycle(store: TinyDBStore, driver: Driver, app: Langkah | None = None) -> None:
    """Store a generated cycle exactly as the service would have (header, log, summary)."""
    app = app or _summarizer()
    loaded, events = driver.loaded, driver.events
    first = events[0]
    header = {
        "cycle_id": first.data["cycle_id"],
        "sop_id": loaded.sop_id,
        "definition_digest": loaded.digest,
        "period": first.data["period"],
        "created_at": first.at.isoformat(),
    }
    state = driver.state
    summary = app.summarize(state, loaded.definition)
    store.put_definition(loaded.digest, loaded.text)
    first_state = apply(loaded.definition, None, first)
    store.create(
        first.data["cycle_id"], header, first, app.summarize(first_state, loaded.definition)
    )
    if len(events) > 1:
        store.append(first.data["cycle_id"], 1, events[1:], summary)


def build_store(root: Path, count: int, seed: int = 7) -> dict[str, Any]:
    """A data directory with `count` cycles of the bundled SOPs; returns counts by kind."""
    rng = random.Random(seed)
    catalog = Catalog.load(None)
    defs = list(catalog.definitions.values())
    store = TinyDBStore(root)
    app = Langkah(store, catalog, lambda: NOW)  # its calendars: the summaries' due times
    stats = {"cycles": 0, "events": 0, "active_ids": []}
    with no_fsync():
        for i in range(count):
            loaded = defs[i % len(defs)]
            kind = KINDS[rng.randrange(len(KINDS))]
            kec = loaded.definition.identity.kecamatan.lower()
            cycle_id = f"{kec}-{i:05d}-{rng.getrandbits(24):06x}"
            driver = synthetic_cycle(loaded, cycle_id, rng, kind)
            write_cycle(store, driver, app)
            stats["cycles"] += 1
            stats["events"] += len(driver.events)
            st = driver.state
            if st.status == CycleStatus.ACTIVE:
                step = loaded.definition.step(st.visits[-1].step)
                if not step.decision:
                    stats["active_ids"].append(cycle_id)
    return stats


def copy_subset(source: Path, target: Path, ids: list[str]) -> None:
    """A smaller data directory holding some of `source`'s cycles (files copied as they are)."""
    for name in ("cycles", "definitions", "drafts"):
        (target / name).mkdir(parents=True, exist_ok=True)
    for entry in (source / "definitions").iterdir():
        shutil.copy2(entry, target / "definitions" / entry.name)
    for cycle_id in ids:
        shutil.copy2(source / "cycles" / f"{cycle_id}.json", target / "cycles" / f"{cycle_id}.json")


def synthetic_sop_text(steps: int = 200, decisions: tuple[int, ...] = (50, 100, 150)) -> str:
    """A valid SOP definition with `steps` steps; each decision step sends work back 3 steps."""
    lines = [
        "format = 1",
        "[identity]",
        'government = "PEMERINTAH KABUPATEN SINTETIS"',
        'unit = "KECAMATAN SINTETIS"',
        'kecamatan = "Sintetis"',
        'name = "SOP Sintetis Panjang"',
        "[identity.approved_by]",
        'position = "CAMAT SINTETIS"',
        'name = "NAMA CAMAT, S.Sos."',
        'rank = "Pembina"',
        'nip = "19700626 199003 1 006"',
        "[calendar]",
        'timezone = "Asia/Jakarta"',
        "[[actors]]",
        'id = "camat"',
        'title = "Camat"',
        "[[actors]]",
        'id = "staf"',
        'title = "Staf"',
    ]
    for n in range(1, steps + 1):
        lines += [
            "[[steps]]",
            f"number = {n}",
            f'activity = "Langkah sintetis nomor {n} yang dikerjakan sesuai arahan pimpinan"',
            f'actors = ["{"camat" if n % 7 == 0 else "staf"}"]',
            f'time = "{(n % 5 + 1) * 15} menit"',
            f'output = "Dokumen {n}"',
        ]
        if n in decisions:
            lines.append('symbol = "decision"')
        lines += [
            "[[steps.inputs]]",
            f'id = "dokumen_{n}"',
            f'label = "Dokumen {n}"',
            'type = "document"' if n % 3 == 0 else 'type = "check"',
        ]
        if n in decisions:
            lines += [
                "[steps.decision]",
                f'question = "Apakah dokumen {n} disetujui?"',
                f"no = {n - 3}",
            ]
    return "\n".join(lines) + "\n"


def synthetic_sop() -> LoadedDefinition:
    return parse_definition(synthetic_sop_text(), "<synthetic 200-step SOP>", "sintetis/panjang")
