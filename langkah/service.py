"""The use cases of Langkah, shared by the CLI and the TUI: start, act on and list cycles.

Each action loads the cycle's log, asks the engine for the one event the action produces,
appends it (durably, with a version check) and returns the new view. Kept across actions: parsed
definitions and calendars (they never change for a given digest), and the state replayed from
the log of recently used cycles, reused only while the log read is the same log (see
`open_cycle`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import operator
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langkah import settings
from langkah.catalog import Catalog
from langkah.definition_index import INDEX_FILE
from langkah.engine import actions
from langkah.engine import nip as nip_rules
from langkah.engine.calendar import WorkingCalendar
from langkah.engine.clock_bounds import (
    FIRST_DAY,
    check_period,
    check_time,
    holiday_last_year,
    uncovered_years,
)
from langkah.engine.cycle import CycleState, CycleStatus, Person, apply, replay
from langkah.engine.definition import CalendarSpec, SopDefinition, Step, WorkingHours
from langkah.engine.errors import ActionRefused
from langkah.engine.events import CODE_LENGTH, Event, EventType, normalize_code
from langkah.engine.holidays_id import calendar_for
from langkah.engine.loader import DefinitionError, LoadedDefinition, parse_definition
from langkah.engine.period import Period
from langkah.engine.standard_time import StandardKind, StandardTime
from langkah.engine.timing import due_instants, minutes_per_day, time_step
from langkah.engine.vocabulary import cycle_status
from langkah.holiday_coverage import package_last_year_cached
from langkah.holiday_days import days_off
from langkah.holiday_overrides import FILE_NAME as HOLIDAY_OVERRIDES
from langkah.holiday_overrides import load_overrides
from langkah.messages import AS_GIVEN, Refused, Text, TextError, joined, say, text_of
from langkah.preferences import Profile
from langkah.store import (
    Changes,
    ConflictError,
    CycleNotFound,
    CycleRecord,
    CycleStore,
    DamagedStoreError,
    IntegrityError,
    Recovery,
    StoreError,
    SummaryQuery,
)
from langkah.store.factory import open_store
from langkah.views import ChangedRows, CycleView, Overview, OverviewPage, OverviewRow

if TYPE_CHECKING:
    from langkah.analytics.facts import FactsRead

Clock = Callable[[], dt.datetime]

MIN_PREFIX = 4  # a shorter cycle reference must be a whole id
AMBIGUOUS_CAP = 20  # an ambiguous prefix names at most this many matches (and the count)


ACTION_ID_MAX = 100  # characters
TEXT_DRAFTS = "texts"  # the key of the dialogs' drafts (note, reasons, people) in a cycle's draft


class InvalidActionId(TextError, ValueError):
    """An action id that cannot be used: empty, too long, or with blanks or control characters."""


def new_action_id() -> str:
    """A fresh action id (what an action gets when its caller names none): 128 random bits
    in hex, as `uuid.uuid4().hex` gives (less the version bits), at a fifth of its cost."""
    return os.urandom(16).hex()


def check_action_id(value: str) -> str:
    """`value` if it can be an action id: 1..ACTION_ID_MAX printable characters, no blanks."""
    if not value:
        raise InvalidActionId(say("action_id.empty"))
    if len(value) > ACTION_ID_MAX:
        raise InvalidActionId(say("action_id.too_long", maximum=ACTION_ID_MAX, length=len(value)))
    if not value.isprintable() or any(c.isspace() for c in value):
        raise InvalidActionId(say("action_id.blanks", value=repr(value)))
    return value


def _id(event_id: str | None) -> str:
    """The id of a new event: the caller's (an action id, for retries) or a fresh random one."""
    return check_action_id(event_id) if event_id is not None else new_action_id()


class NotAsExpected(ConflictError):
    """An action refused because the cycle is not at the step or version its caller expected
    (`expected_step=`, `expected_version=`); the message says what the cycle looks like now."""

    def __init__(self, cycle_id: str, wanted: Text, now: Text, version: int, expected: int):
        StoreError.__init__(
            self, say("cycle.not_as_expected", cycle_id=cycle_id, wanted=wanted, now=now)
        )
        self.cycle_id, self.expected, self.found = cycle_id, expected, version


class ActionIdReused(StoreError):
    """An action id already in the log for a different kind of action."""


class _LostRace(Exception):
    """An action's append without the cycle's lock lost the race: made again under it."""


@dataclass(frozen=True)
class _StatusWord:
    """A cycle status as its word in the language of the message ("berjalan", "active")."""

    value: str

    def message(self, lang: str) -> str:
        return cycle_status(self.value, lang)


def describe_now(state: CycleState, last: Event | None) -> Text:
    """What a cycle looks like now, for refusals: step, status, version and its last event."""
    where = say(
        "now.at_step" if state.current_step is not None else "now.no_step",
        step=state.current_step,
        status=_StatusWord(state.status.value),
        version=state.version,
    )
    if last is None:
        return where
    return say(
        "now.last_event",
        now=where,
        seq=last.seq,
        type=last.type.value,
        step=say("now.event_step", step=last.step) if last.step is not None else "",
        when=last.at_utc.strftime("%Y-%m-%d %H:%M UTC"),
        by=say("now.event_by", by=last.by) if last.by else "",
    )


def default_recorder() -> str:
    """Who records actions when no one is named: LANGKAH_USER, else nobody ("").

    A person is named only from what a person entered, never from the operating-system login.
    """
    return os.environ.get("LANGKAH_USER", "").strip()


LOGO_FILE = "logo.png"
FACTS_CACHE = "facts-cache.json"  # langkah stats' kept facts (analytics_facts)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "sop"


class Langkah:
    """The application: a catalog of definitions, a store, a clock and working calendars."""

    def __init__(
        self,
        store: CycleStore,
        catalog: Catalog,
        clock: Clock,
        holidays_add: dict[dt.date, str] | None = None,
        holidays_remove: set[dt.date] | None = None,
        recorder: str | None = None,
        package_last_year: int | None = None,
    ):
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.holidays_add = holidays_add or {}
        self.holidays_remove = holidays_remove or set()
        self.recorder = recorder if recorder is not None else default_recorder()
        # the holidays package's last year: given (cached per package version by `open`), or
        # computed (clock_bounds.package_last_year: about 0.1 s)
        self.holiday_last_year = (
            holiday_last_year(self.holidays_add)
            if package_last_year is None
            else max([package_last_year, *(day.year for day in self.holidays_add)])
        )
        self._read_clock = clock
        self.clock = self._checked_now
        self._by_digest: dict[str, LoadedDefinition] = {}
        self._calendars: dict[CalendarSpec, WorkingCalendar] = {}
        self._calendar_of: dict[int, tuple[SopDefinition, WorkingCalendar]] = {}
        self._summaries: dict[str, tuple[tuple[object, ...], dict[str, Any]]] = {}
        self._facts: dict[tuple[str, int | None], _StepFacts] = {}
        # per cycle: its log's last event, the state it replays to, the definition, and the
        # seq of each event id in it (`_open`, `_recorded`)
        self._replayed: dict[str, tuple[Event, CycleState, LoadedDefinition, dict[str, int]]] = {}

    @classmethod
    def open(
        cls,
        data_dir: Path | str | None = None,
        defs_dir: Path | str | None = None,
        clock: Clock | None = None,
        recorder: str | None = None,
        store: str | None = None,
    ) -> Langkah:
        """The application over a data directory and the bundled + user definitions.

        `store` names where cycles live (--store: a postgresql:// URL or a folder; default
        LANGKAH_STORE, else the data directory); the data directory keeps the profile, the
        holiday overrides and the reports either way. `recorder` names who records the actions
        (default: LANGKAH_USER, else the saved profile's name, else nobody; never the
        operating-system login).
        """
        root = settings.data_dir(str(data_dir) if data_dir else None)
        cycles = open_store(settings.store_location(store), Path(root))
        catalog = Catalog.load(
            settings.user_definitions_dir(str(defs_dir) if defs_dir else None),
            Path(root) / INDEX_FILE,
        )
        add, remove = load_overrides(root / HOLIDAY_OVERRIDES)
        source = ""
        if clock is None:
            fixed = settings.FixedOrSystemClock.from_environment()
            clock, source = fixed.now, ("LANGKAH_NOW" if fixed.fixed else "")
        app = cls(cycles, catalog, clock, add, remove, recorder, package_last_year_cached(root))
        app.data_root = Path(root)
        if recorder is None and not app.recorder:  # --by, then LANGKAH_USER, then the profile
            saved = Profile.load(root)
            app.recorder = saved.name if saved is not None else ""
            app._recorder_from_profile = True
        if source:  # a fixed clock out of bounds is refused at once, before any work
            app._clock_source = source
            app.clock()
        return app

    _clock_source = ""
    data_root: Path | None = None
    _recorder_from_profile = False

    # -- the user profile (who records; the report's author) ----------------------------------

    def profile(self) -> Profile | None:
        """The profile saved in the data folder, or None when none was ever saved."""
        return Profile.load(self.data_root) if self.data_root is not None else None

    def save_profile(self, name: str, nip: str = "", logo: str | None = None) -> Profile:
        """Save the user's name and NIP (checked: raises NipError) and, if given, the kop's logo
        path ("" removes it). Actions recorded from now on are recorded by this name, unless
        --by or LANGKAH_USER named someone."""
        if self.data_root is None:
            raise Refused(say("profile.no_folder"))
        old = self.profile() or Profile()
        profile = Profile(
            name=" ".join(name.split()),
            nip=nip_rules.normalize(nip),
            logo=old.logo if logo is None else logo.strip(),
        )
        profile.save(self.data_root)
        if self._recorder_from_profile:
            self.recorder = profile.name
        return profile

    def report_defaults(self) -> dict[str, Any]:
        """What the report takes from this installation: the author (the profile's name) and
        the kop's logo (the profile's, else <data folder>/logo.png), as ReportOptions fields."""
        profile = self.profile() or Profile()
        logo = Path(profile.logo).expanduser() if profile.logo else None
        if logo is None and self.data_root is not None:
            logo = self.data_root / LOGO_FILE
        return {
            "author": profile.name,
            "logo": logo if logo is not None and logo.is_file() else None,
        }

    def _checked_now(self) -> dt.datetime:
        """The clock's reading, refused (TimeOutOfBounds) outside the span Langkah can count."""
        return check_time(self._read_clock(), self.holiday_last_year, self._clock_source)

    # -- definitions and calendars ------------------------------------------------------------

    def calendar(self, definition: SopDefinition) -> WorkingCalendar:
        # by the definition object first: a frozen model's hash walks its fields, and every
        # action asks (the summary's due instants)
        kept = self._calendar_of.get(id(definition))
        if kept is not None and kept[0] is definition:
            return kept[1]
        spec = definition.calendar
        if spec not in self._calendars:
            # Holidays for every year an action may be recorded in (clock_bounds' window):
            # from 2000 to the year after the last one the holiday data covers.
            years = range(FIRST_DAY.year, self.holiday_last_year + 2)
            base = days_off(self.data_root, years)  # kept per package version: no import
            self._calendars[spec] = calendar_for(
                spec, years, add=self.holidays_add, remove=self.holidays_remove, base=base
            )
        calendar = self._calendars[spec]
        if len(self._calendar_of) < 256:  # the definition is kept: its id is not reused
            self._calendar_of[id(definition)] = (definition, calendar)
        return calendar

    def definition_by_digest(self, digest: str, sop_id: str) -> LoadedDefinition:
        """The exact definition a cycle started with (frozen in the store by its hash).

        A pinned copy whose text no longer has that hash is not the definition the cycle
        started with: the catalog's definition with that very hash is taken instead when there
        is one; otherwise the changed text, if it still parses, so the cycle can be shown (the
        caller flags it: `CycleView.integrity_problem`)."""
        kept = self._by_digest.get(digest)
        if kept is not None:
            return kept
        problem = self.store.definition_problem(digest)
        if problem is not None:
            with contextlib.suppress(KeyError, DefinitionError, ValueError, OSError):
                original = self.catalog.get(sop_id)
                if original.digest == digest:
                    self._by_digest[digest] = original
                    return original
        text = self.store.get_definition(digest)
        source = self.store.definition_source(digest)
        try:
            loaded = parse_definition(text, source, sop_id)
        except DefinitionError as error:
            if problem is not None:
                unloadable = say("definition.unloadable", problem=problem, error=text_of(error))
                raise IntegrityError(sop_id or digest[:12], unloadable) from None
            raise StoreError(
                say("definition.no_longer_loads", source=source, problem=error)
            ) from None
        if problem is None:
            self._by_digest[digest] = loaded
        return loaded

    # -- cycles -------------------------------------------------------------------------------

    def resolve(self, reference: str) -> str:
        """A cycle id from an exact id or a unique prefix of at least MIN_PREFIX characters.

        An empty or blank reference is refused (it would match every cycle as a prefix); an
        ambiguous prefix is refused naming its matches (up to AMBIGUOUS_CAP, with the count).
        """
        if not reference.strip():
            raise CycleNotFound(say("cycle.empty_reference"))
        if self.store.has_cycle(reference):  # the usual case costs one stat, not a listing
            return reference
        if len(reference) < MIN_PREFIX:
            raise CycleNotFound(say("cycle.short_prefix", reference=reference, minimum=MIN_PREFIX))
        ids = self.store.cycle_ids()
        matches = [i for i in ids if i.startswith(reference)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise CycleNotFound(say("cycle.not_found", reference=reference))
        shown = ", ".join(matches[:AMBIGUOUS_CAP])
        more = len(matches) - AMBIGUOUS_CAP
        raise CycleNotFound(
            say(
                "cycle.ambiguous_more" if more > 0 else "cycle.ambiguous",
                reference=reference,
                count=len(matches),
                shown=shown,
                more=more,
            )
        )

    def start(
        self,
        sop_id: str,
        period: str | Period,
        roles: dict[str, Person] | None = None,
        by: str | None = None,
        event_id: str | None = None,
    ) -> CycleView:
        """Start a cycle. With an action id (`event_id`) the cycle's id is derived from it, so
        a retried start finds the cycle it made and is acknowledged, never started twice."""
        loaded = self.catalog.get(sop_id)
        period_value = period if isinstance(period, Period) else Period.parse(period)
        check_period(period_value, self.holiday_last_year)  # 2062 typed for 2026, say
        kecamatan = _slug(loaded.definition.identity.office.name)
        new_id = _id(event_id)
        suffix = (
            secrets.token_hex(3)
            if event_id is None
            else hashlib.sha256(new_id.encode("utf-8", "surrogatepass")).hexdigest()[:6]
        )
        cycle_id = f"{kecamatan}-{str(period_value).lower()}-{suffix}"
        if event_id is not None and self.store.has_cycle(cycle_id):
            return self._started_already(cycle_id, new_id)
        now = self.clock()
        event = actions.start(
            loaded, cycle_id, period_value, roles or {}, now, self._by(by), event_id=new_id
        )
        state = replay(loaded.definition, [event])
        self.store.put_definition(loaded.digest, loaded.text)
        self._by_digest.setdefault(loaded.digest, loaded)
        header = {
            "cycle_id": cycle_id,
            "sop_id": loaded.sop_id,
            "definition_digest": loaded.digest,
            "period": str(period_value),
            "created_at": event.at.isoformat(),
        }
        try:
            self.store.create(cycle_id, header, event, self.summarize(state, loaded.definition))
        except StoreError:
            if event_id is not None and self.store.has_cycle(cycle_id):
                return self._started_already(cycle_id, new_id)  # a concurrent retry won
            raise
        return CycleView(
            state, loaded, self.calendar(loaded.definition), now, self.holiday_last_year
        )

    def _started_already(self, cycle_id: str, action_id: str) -> CycleView:
        view, log = self._open(cycle_id)
        done = self._recorded(view, log[:1], action_id, frozenset({EventType.STARTED}))
        if done is None:
            raise ActionIdReused(
                say("action_id.start_reused", cycle_id=cycle_id, action_id=action_id)
            )
        return done

    def open_cycle(self, reference: str) -> CycleView:
        return self._open(reference)[0]

    def _open(self, reference: str, resolved: bool = False) -> tuple[CycleView, list[Event]]:
        """The cycle as of now, and its log (`resolved`: `reference` is a cycle id already)."""
        view, log, _ = self._opened(reference, resolved)
        return view, log

    def _opened(
        self, reference: str, resolved: bool = False
    ) -> tuple[CycleView, list[Event], dict[str, int] | None]:
        """`_open`, and the seq of each event id of the log (None: the log is not kept: it
        does not verify, or has no event), kept with its replayed state (`_recorded`)."""
        # an id read before needs no resolving (a cycle gone since fails to load, just the same)
        resolved = resolved or reference in self._replayed
        cycle_id = reference if resolved else self.resolve(reference)
        record = self.store.load(cycle_id)
        # The state replayed from this log before, if the log is the one replayed then: same
        # length, same last event (logs only grow, under the store's lock and version check, so
        # that is the same log; an event's id is unique). Saves the replay of the whole log on
        # each action of a person working through a cycle.
        last = record.events[-1] if record.events else None
        remembered = self._replayed.get(cycle_id)
        digest = record.header["definition_digest"]
        problem = self._problem(record)
        if (
            remembered is not None
            and remembered[1].version == record.version
            and (remembered[0] is last or remembered[0] == last)
            and problem is None
        ):
            _, state, loaded, ids = remembered
        else:
            loaded = self.definition_by_digest(digest, record.header.get("sop_id", ""))
            state = replay(loaded.definition, record.events)
            ids = None
            if last is not None and problem is None:
                ids = {event.id: event.seq for event in record.events}
                self._remember(last, state, loaded, ids)
        view = CycleView(
            state,
            loaded,
            self.calendar(loaded.definition),
            self.clock(),
            self.holiday_last_year,
            integrity_problem=problem,
            log_head=record.head,
        )
        return view, record.events, ids

    _REMEMBERED = 64  # cycles whose replayed state is kept

    def _remember(
        self, last: Event, state: CycleState, loaded: LoadedDefinition, ids: dict[str, int]
    ) -> None:
        replayed = self._replayed
        replayed.pop(state.cycle_id, None)
        replayed[state.cycle_id] = (last, state, loaded, ids)
        if len(replayed) > self._REMEMBERED:
            with contextlib.suppress(RuntimeError, StopIteration):  # another thread's change
                replayed.pop(next(iter(replayed)), None)

    def events(self, reference: str) -> list[Event]:
        return self.store.load(self.resolve(reference)).events

    # -- what the interface keeps beside a cycle: drafts, and whether anything changed --------

    @property
    def location(self) -> str:
        """Where this service keeps its data (the store's own description)."""
        return self.store.location

    def change_token(self) -> tuple[int, int]:
        """A value that changes whenever any process writes to the store (cheap to poll)."""
        return self.store.change_token()

    def changes_since(self, token: Any) -> Changes:
        """Which cycles any process wrote since `token` (None: the first call; ids None: cannot
        tell, reload everything)."""
        return self.store.changes_since(token)

    @property
    def pushes_changes(self) -> bool:
        """True if `watch` reports other processes' writes as they commit (PostgreSQL)."""
        return self.store.pushes_changes

    def watch(self, stop: threading.Event) -> Iterator[frozenset[str] | None]:
        """The ids of the cycles written by any process, batch by batch, until `stop` is set
        (None: some were missed; returns at once on a store that cannot push)."""
        return self.store.watch(stop)

    def stored_version(self, cycle_id: str) -> int:
        """How many events the stored log of a cycle has now."""
        return self.store.load(cycle_id).version

    def stored_mark(self, cycle_id: str) -> tuple[int, Text | None]:
        """How many events the stored log of a cycle has now, and what keeps it from being
        trusted (the `integrity_problem` a view of it has; None: nothing): what a screen
        showing the cycle compares with its view to see that the log changed, added to or
        edited in place. Cheap while the log is unchanged (the file store: one stat)."""
        record = self.store.load(cycle_id)
        return record.version, self._problem(record)

    def _problem(self, record: CycleRecord) -> Text | None:
        """What keeps a log from being trusted: its chain, its definition (None: nothing)."""
        digest = record.header["definition_digest"]
        return joined([record.integrity, self.store.definition_problem(digest)])

    def save_draft(self, cycle_id: str, draft: dict[str, Any]) -> None:
        """Keep what a person typed but has not submitted yet (durable before it returns).
        The texts of dialogs kept beside it (`save_text_draft`) stay as they are."""
        with self.store.exclusive(cycle_id):
            texts = (self.store.load_draft(cycle_id) or {}).get(TEXT_DRAFTS)
            self.store.save_draft(cycle_id, {**draft, TEXT_DRAFTS: texts} if texts else draft)

    def load_draft(self, cycle_id: str) -> dict[str, Any] | None:
        return self.store.load_draft(cycle_id)

    def clear_draft(self, cycle_id: str) -> None:
        """Forget the form's draft; the texts of dialogs kept beside it stay."""
        with self.store.exclusive(cycle_id):
            texts = (self.store.load_draft(cycle_id) or {}).get(TEXT_DRAFTS)
            if texts:
                self.store.save_draft(cycle_id, {TEXT_DRAFTS: texts})
            else:
                self.store.clear_draft(cycle_id)

    def save_text_draft(self, cycle_id: str, slot: str, draft: dict[str, Any]) -> None:
        """Keep what is being typed in a dialog (slot: "note", "pause", "people", ...) beside
        the form's draft, durable before it returns; one draft per slot."""
        with self.store.exclusive(cycle_id):
            kept = self.store.load_draft(cycle_id) or {}
            texts = {**(kept.get(TEXT_DRAFTS) or {}), slot: draft}
            self.store.save_draft(cycle_id, {**kept, TEXT_DRAFTS: texts})

    def text_drafts(self, cycle_id: str) -> dict[str, dict[str, Any]]:
        """The dialogs' drafts of a cycle, by slot."""
        texts = (self.store.load_draft(cycle_id) or {}).get(TEXT_DRAFTS)
        return dict(texts) if isinstance(texts, dict) else {}

    def clear_text_draft(self, cycle_id: str, slot: str) -> None:
        """Forget one dialog's draft (sent, or discarded by the person who typed it)."""
        with self.store.exclusive(cycle_id):
            kept = self.store.load_draft(cycle_id)
            if not kept or slot not in (kept.get(TEXT_DRAFTS) or {}):
                return
            texts = {k: v for k, v in kept[TEXT_DRAFTS].items() if k != slot}
            rest = {k: v for k, v in kept.items() if k != TEXT_DRAFTS}
            if texts:
                rest[TEXT_DRAFTS] = texts
            if rest:
                self.store.save_draft(cycle_id, rest)
            else:
                self.store.clear_draft(cycle_id)

    # -- store maintenance (`langkah repair`) ------------------------------------------------

    def cycle_ids(self) -> list[str]:
        """Every stored cycle's id, sorted."""
        return self.store.cycle_ids()

    def clean_up(self) -> int:
        """Remove what killed writers left behind; returns how many items were removed."""
        return self.store.cleanup()

    def verify(self, cycle_id: str, upgrade: bool = False) -> Verification:
        """Check a cycle's stored log against its hash chain and header, and its pinned
        definition against its SHA-256 (DamagedStoreError if the file cannot be read).
        `upgrade`: store the chain in a schema-1 log first (lossless)."""
        upgraded = upgrade and self.store.upgrade(cycle_id)
        check = self.store.verify(cycle_id)
        problems = list(check.problems)
        if check.definition_digest:
            problem = self.store.definition_problem(check.definition_digest)
            if problem:
                problems.append(problem)
        return Verification(cycle_id, problems, check.hashes, check.chained, upgraded)

    def repair(self, cycle_id: str) -> Recovery:
        """Set a damaged cycle aside and keep what its events replay to (see CycleStore)."""
        return self.store.recover(cycle_id, self.rebuild)

    def rebuild(self, header: dict[str, Any], events: list[Event]) -> tuple[dict[str, Any], int]:
        """Replay salvaged events on their definition: (summary, how many could be applied)."""
        loaded = self.definition_by_digest(header["definition_digest"], header["sop_id"])
        state: CycleState | None = None
        applied = 0
        for event in events:
            try:
                state = apply(loaded.definition, state, event)
            except Exception:  # an event the definition cannot take ends the usable prefix
                if state is None:
                    raise ValueError("the first event cannot be replayed") from None
                break
            applied += 1
        if state is None:
            raise ValueError("no event to replay")
        return self.summarize(state, loaded.definition), applied

    def _by(self, by: str | None) -> str:
        return by if by is not None else self.recorder

    def _act(
        self,
        reference: str,
        expected_version: int | None,
        make: Callable[[CycleState, SopDefinition, dt.datetime], Event | list[Event]],
        *,
        action_id: str,
        kinds: frozenset[EventType],
        expected_step: int | None = None,
    ) -> CycleView:
        """Make the action's event(s) on the current state and append them in one durable write
        (all or none). The last event's id is `action_id`: an action whose id is in the log
        already is acknowledged as done (the view has `already_recorded`), never applied twice.
        Refused with NotAsExpected if the cycle is not at `expected_step` / `expected_version`.

        Losing the version race to another writer (ConflictError): the log is read again and
        the id checked first (the other writer may have been this action's own retry). With no
        `expected_version` the action is then made once more on the new state; with one, the
        refusal stands.

        Where the store's append is itself an atomic version check (`optimistic_appends`:
        PostgreSQL) the first read and append take no lock (`store.optimistic`): a lost race
        is that ConflictError, and the action is made again under the cycle's lock
        (`store.exclusive`), the log read again and the id checked first, so that it is
        applied once and cannot lose a second race. Elsewhere the whole of it runs under the
        lock, so no other writer gets in between the read and the append at all."""
        cycle_id = reference if reference in self._replayed else self.resolve(reference)
        if self.store.optimistic_appends:
            try:
                with self.store.optimistic(cycle_id):
                    return self._act_locked(
                        cycle_id, expected_version, make, action_id, kinds, expected_step, True
                    )
            except _LostRace:
                pass
        with self.store.exclusive(cycle_id):
            return self._act_locked(
                cycle_id, expected_version, make, action_id, kinds, expected_step
            )

    def _act_locked(
        self,
        reference: str,
        expected_version: int | None,
        make: Callable[[CycleState, SopDefinition, dt.datetime], Event | list[Event]],
        action_id: str,
        kinds: frozenset[EventType],
        expected_step: int | None,
        unlocked: bool = False,
    ) -> CycleView:
        for attempt in (1, 2):
            view, log, ids = self._opened(reference, resolved=True)
            cycle_id = view.state.cycle_id
            if view.integrity_problem is not None:  # read-only: it does not verify
                raise IntegrityError(cycle_id, view.integrity_problem)
            recorded = self._recorded(view, log, action_id, kinds, ids)
            if recorded is not None:
                return recorded
            self._check_expected(view, log, expected_version, expected_step)
            now = view.now
            made = make(view.state, view.definition, now)
            events = made if isinstance(made, list) else [made]
            state = view.state
            for event in events:
                state = apply(view.definition, state, event)
            # made before the durable write: Python run right after it waits for the disk runs
            # slower (the CPU's caches are cold), so little comes after it
            done = CycleView(state, view.loaded, view.calendar, now, view.holiday_last_year)
            summary = self.summarize(state, view.definition)
            try:
                self.store.append(cycle_id, view.version, events, summary)
            except ConflictError:
                reference = cycle_id
                if attempt == 1 and expected_version is None:
                    if unlocked:  # made again under the cycle's lock (`_act`)
                        raise _LostRace from None
                    continue  # read again (the id first) and make the action on the new state
                view, log = self._open(cycle_id, resolved=True)
                recorded = self._recorded(view, log, action_id, kinds)
                if recorded is not None:
                    return recorded
                self._check_expected(view, log, expected_version, expected_step)
                raise
            if ids is not None:  # the log's ids and the new events' (only ever added to)
                ids.update((event.id, event.seq) for event in events)
                self._remember(events[-1], state, view.loaded, ids)
            return done
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _recorded(
        view: CycleView,
        log: list[Event],
        action_id: str,
        kinds: frozenset[EventType],
        ids: dict[str, int] | None = None,
    ) -> CycleView | None:
        """The view, marked already recorded, if an event of the log has `action_id`. `ids`:
        the seq of every event id of the log (`_opened`; it may hold later events' too, never
        fewer): looked up there, not read from the whole log."""
        if ids is not None:
            seq = ids.get(action_id)
            if seq is None:
                return None
            found = log[seq - 1 : seq] if seq <= len(log) else []
            if found and found[0].id == action_id:
                log = found
        for event in reversed(log):
            if event.id == action_id:
                if event.type not in kinds:
                    raise ActionIdReused(
                        say(
                            "action_id.reused",
                            cycle_id=view.state.cycle_id,
                            action_id=action_id,
                            seq=event.seq,
                            type=event.type.value,
                        )
                    )
                view.already_recorded = True
                view.recorded_seq = event.seq
                return view
        return None

    @staticmethod
    def _check_expected(
        view: CycleView,
        log: list[Event],
        expected_version: int | None,
        expected_step: int | None,
    ) -> None:
        state = view.state
        step = expected_step is not None and state.current_step != expected_step
        version = expected_version is not None and state.version != expected_version
        if step or version:
            key = (
                "expected.both"
                if step and version
                else "expected.step"
                if step
                else "expected.version"
            )
            raise NotAsExpected(
                state.cycle_id,
                say(key, step=expected_step, version=expected_version),
                describe_now(state, log[-1] if log else None),
                state.version,
                expected_version if expected_version is not None else state.version,
            )

    def _command(
        self,
        command: Callable[..., Event],
        kind: EventType,
        reference: str,
        *args: Any,
        expected_version: int | None = None,
        expected_step: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
    ) -> CycleView:
        """Run an engine command `command(state, definition, *args, now, by, event_id=)`."""
        recorder = self._by(by)
        new_id = _id(event_id)
        return self._act(
            reference,
            expected_version,
            lambda s, d, now: command(s, d, *args, now, recorder, event_id=new_id),
            action_id=new_id,
            kinds=frozenset({kind}),
            expected_step=expected_step,
        )

    def record_inputs(
        self,
        reference: str,
        values: dict[str, Any],
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        return self._command(
            actions.record_inputs,
            EventType.INPUTS_RECORDED,
            reference,
            values,
            expected_version=expected_version,
            expected_step=expected_step,
            by=by,
            event_id=event_id,
        )

    def complete(
        self,
        reference: str,
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        return self._command(
            actions.complete,
            EventType.STEP_COMPLETED,
            reference,
            expected_version=expected_version,
            expected_step=expected_step,
            by=by,
            event_id=event_id,
        )

    def answer(
        self,
        reference: str,
        yes: bool,
        reason: str | None = None,
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        return self._command(
            actions.answer,
            EventType.DECISION_ANSWERED,
            reference,
            yes,
            reason,
            expected_version=expected_version,
            expected_step=expected_step,
            by=by,
            event_id=event_id,
        )

    def submit(
        self,
        reference: str,
        values: dict[str, Any],
        yes: bool | None = None,
        reason: str | None = None,
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        """Record the values entered at the current step and complete it (answer its question,
        `yes`, when it has one) as one action: both events are written together, durably, or
        neither is (one durable write, where `record_inputs` then `complete` take two).

        `event_id` is the id of the completing event; the values' event is `<id>-inputs`."""
        recorder = self._by(by)
        last_id = _id(event_id)

        def make(state: CycleState, definition: SopDefinition, now: dt.datetime) -> list[Event]:
            events = []
            if values:
                events.append(
                    actions.record_inputs(
                        state, definition, values, now, recorder, event_id=f"{last_id}-inputs"
                    )
                )
                state = apply(definition, state, events[-1])
            if yes is None:
                events.append(actions.complete(state, definition, now, recorder, event_id=last_id))
            else:
                events.append(
                    actions.answer(state, definition, yes, reason, now, recorder, event_id=last_id)
                )
            return events

        kind = EventType.STEP_COMPLETED if yes is None else EventType.DECISION_ANSWERED
        return self._act(
            reference,
            expected_version,
            make,
            action_id=last_id,
            kinds=frozenset({kind}),
            expected_step=expected_step,
        )

    def pause(
        self,
        reference: str,
        reason: str,
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        return self._command(
            actions.pause,
            EventType.PAUSED,
            reference,
            reason,
            expected_version=expected_version,
            expected_step=expected_step,
            by=by,
            event_id=event_id,
        )

    def resume(
        self,
        reference: str,
        reason: str,
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        return self._command(
            actions.resume,
            EventType.RESUMED,
            reference,
            reason,
            expected_version=expected_version,
            expected_step=expected_step,
            by=by,
            event_id=event_id,
        )

    def cancel(
        self,
        reference: str,
        reason: str,
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        return self._command(
            actions.cancel,
            EventType.CANCELLED,
            reference,
            reason,
            expected_version=expected_version,
            expected_step=expected_step,
            by=by,
            event_id=event_id,
        )

    def update_roles(
        self,
        reference: str,
        roles: dict[str, Person],
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        return self._command(
            actions.update_roles,
            EventType.ROLES_UPDATED,
            reference,
            roles,
            expected_version=expected_version,
            expected_step=expected_step,
            by=by,
            event_id=event_id,
        )

    def note(
        self,
        reference: str,
        text: str,
        step: int | None = None,
        expected_version: int | None = None,
        by: str | None = None,
        event_id: str | None = None,
        expected_step: int | None = None,
    ) -> CycleView:
        recorder = self._by(by)
        new_id = _id(event_id)
        return self._act(
            reference,
            expected_version,
            lambda s, d, now: actions.note(s, d, text, now, recorder, step, event_id=new_id),
            action_id=new_id,
            kinds=frozenset({EventType.NOTE_ADDED}),
            expected_step=expected_step,
        )

    # -- summaries and the overview -----------------------------------------------------------

    def summarize(self, state: CycleState, definition: SopDefinition) -> dict[str, Any]:
        """The projection of a state that the overview reads (stored beside the log).

        Remembered per cycle by the very objects it is made of: a note or an input leaves all
        of them as they were (the engine carries unchanged values over by reference), so the
        next action's summary is the last one with its new version. Any other object, even an
        equal one, makes it again."""
        calendar = self.calendar(definition)
        visit = state.visits[-1]
        parts = (
            definition,
            calendar,
            state.status,
            visit.step,
            visit.started_at,
            visit.ended_at,
            visit.pauses,
            state.roles,
            state.returns,
            state.started_at,
            state.ended_at,
            state.period,
            state.definition_digest,
        )
        kept = self._summaries.get(state.cycle_id)
        if kept is not None and all(map(operator.is_, kept[0], parts)):  # same length
            summary = dict(kept[1])
            summary["version"] = state.version
            return summary
        summary = summary_of(state, definition, calendar)
        summaries = self._summaries
        summaries.pop(state.cycle_id, None)
        summaries[state.cycle_id] = (parts, summary)
        if len(summaries) > self._REMEMBERED:
            with contextlib.suppress(RuntimeError, StopIteration):  # another thread's change
                summaries.pop(next(iter(summaries)), None)
        return dict(summary)

    # -- the overview -------------------------------------------------------------------------

    def overview(self, now: dt.datetime | None = None) -> Overview:
        """Every stored cycle with its current step against its standard, most urgent first."""
        now = now or self.clock()
        listed = self.store.summaries()
        stale = set(listed.stale)
        rows, problems = self._rows(listed.summaries, now, listed.integrity, stale)
        problems = [*listed.problems, *problems]
        rows.sort(key=lambda r: r.urgency)
        return Overview(rows, problems)

    def _rows(
        self,
        summaries: list[dict[str, Any]],
        now: dt.datetime,
        integrity: dict[str, Text],
        stale: set[str],
    ) -> tuple[list[OverviewRow], list[Text]]:
        """The overview rows of stored summaries (recomputed when stale or without `due_at`),
        and what could not be shown."""
        rows: list[OverviewRow] = []
        problems: list[Text] = []
        definitions: dict[str, Text | None] = {}
        for summary in summaries:
            try:
                if summary.get("cycle_id") in stale or "due_at" not in summary:
                    summary = self._recomputed_summary(summary["cycle_id"])
                row = self._row(summary, now)
                digest = summary["definition_digest"]
                if digest not in definitions:
                    definitions[digest] = self.store.definition_problem(digest)
                row.integrity_problem = joined([integrity.get(row.cycle_id), definitions[digest]])
                rows.append(row)
            except StoreError as error:
                problems.append(
                    say(
                        "listing.cycle_problem",
                        cycle_id=str(summary.get("cycle_id", "?")),
                        problem=text_of(error),
                    )
                )
            except (KeyError, ValueError, TypeError, AttributeError) as error:
                detail = say(AS_GIVEN, detail=f"{type(error).__name__}: {error}")
                problems.append(
                    say(
                        "listing.unreadable_summary",
                        cycle_id=str(summary.get("cycle_id", "?")),
                        problem=detail,
                    )
                )
        return rows, problems

    def overview_page_and_token(self, query: SummaryQuery) -> tuple[OverviewPage, Any]:
        """A page, and the `changes_since` token that finds every write after it was read (the
        token is taken before the page: a write between the two is found once more). When the
        read itself made the token useless (it folded the file store's journal), both are taken
        again."""
        for _ in range(2):
            token = self.changes_since(None).token
            page = self.overview_page(query)
            if self.changes_since(token).cycle_ids is not None:
                break
        return page, token

    def overview_page(self, query: SummaryQuery) -> OverviewPage:
        """One page of the overview, filtered, ordered (most urgent first) and cut in the store:
        its cost follows the page, not the number of cycles. Stored summaries that must be
        recomputed (written before they carried `due_at`, or not their log's) are, once,
        before the page is taken, so the order is exact."""
        page = self.store.query_summaries(query)
        if page.stale:
            for cycle_id in page.stale:
                with contextlib.suppress(StoreError, KeyError, ValueError, TypeError):
                    self._recomputed_summary(cycle_id)
            page = self.store.query_summaries(query)
        rows, problems = self._rows(page.summaries, query.now, page.integrity, set())
        return OverviewPage(
            rows, page.total, [*page.problems, *problems], page.kecamatan, page.periods
        )

    def changed_rows(self, cycle_ids: Iterable[str], now: dt.datetime | None = None) -> ChangedRows:
        """The overview rows of just these cycles, as `overview` would show them now (each log
        read once); a cycle that is gone or unreadable is `removed` (unreadable: in `problems`)."""
        now = now or self.clock()
        changed = ChangedRows([])
        for cycle_id in sorted(set(cycle_ids)):
            try:
                record = self.store.load(cycle_id)
            except CycleNotFound:
                changed.removed.append(cycle_id)
                continue
            except StoreError as error:
                changed.removed.append(cycle_id)
                changed.problems.append(
                    say("listing.cycle_problem", cycle_id=cycle_id, problem=text_of(error))
                )
                continue
            summary = record.summary
            agrees = summary.get("version") == record.version and summary.get("head") == record.head
            integrity = {cycle_id: record.integrity} if record.integrity else {}
            rows, problems = self._rows([summary], now, integrity, set() if agrees else {cycle_id})
            changed.rows += rows
            changed.problems += problems
            if not rows:
                changed.removed.append(cycle_id)
        return changed

    def _recomputed_summary(self, cycle_id: str) -> dict[str, Any]:
        """The summary of a cycle's log, replayed, for a stored summary that does not record
        its log's version and head (stale, or edited); stored again when the log verifies."""
        view = self.open_cycle(cycle_id)
        summary = self.summarize(view.state, view.definition)
        if view.integrity_problem is None:
            with contextlib.suppress(StoreError):  # a read-only folder: shown, not stored
                self.store.put_summary(cycle_id, view.version, view.log_head, summary)
        return summary

    def _step_facts(self, digest: str, sop_id: str, number: int | None) -> _StepFacts:
        """What the overview needs of one step of one stored definition (memoized)."""
        key = (digest, number)
        facts = self._facts.get(key)
        if facts is None:
            definition = self.definition_by_digest(digest, sop_id).definition
            step = definition.step(number) if number is not None else None
            facts = _StepFacts(
                step=step,
                actors=definition.actor_titles(step) if step else "",
                standard=step.standard if step else None,
                calendar=self.calendar(definition),
                hours=definition.calendar.working_hours,
                day_minutes=minutes_per_day(definition.calendar.working_hours),
            )
            self._facts[key] = facts
        return facts

    def _row(self, s: dict[str, Any], now: dt.datetime) -> OverviewRow:
        step_number = s.get("current_step")
        facts = self._step_facts(s["definition_digest"], s["sop_id"], step_number)
        status = _STATUSES[s["status"]]
        timing = None
        activity = holders_text = ""
        parse = dt.datetime.fromisoformat
        step = facts.step
        if step is not None and facts.standard is not None:
            holders = s.get("holders") or {}
            activity = step.activity
            holders_text = ", ".join(holders[a] for a in step.actors if a in holders)
            pauses = [(parse(a), parse(b) if b else None) for a, b in s.get("pauses", [])]
            timing = time_step(
                facts.standard,
                step.number,
                parse(s["step_started_at"]),
                None,
                pauses,
                facts.calendar,
                facts.hours,
                _period(s["period"]),
                now,
            )
        ended = s.get("ended_at")
        started = parse(s["started_at"])
        last = parse(ended) if ended else max(now, timing.due or now) if timing else now
        return OverviewRow(
            cycle_id=s["cycle_id"],
            sop_id=s["sop_id"],
            kecamatan=s["kecamatan"],
            sop_name=s["sop_name"],
            period=s["period"],
            status=status,
            current_step=step_number,
            step_activity=activity,
            actors=facts.actors,
            holders=holders_text,
            started_at=parse(s["started_at"]),
            ended_at=parse(ended) if ended else None,
            returns=int(s.get("returns", 0)),
            timing=timing,
            definition_version=s["definition_digest"][:12],
            day_minutes=facts.day_minutes,
            uncovered_years=uncovered_years(started.date(), last.date(), self.holiday_last_year),
            near_at=parse(s["near_at"]) if s.get("near_at") else None,
            due_at=parse(s["due_at"]) if s.get("due_at") else None,
            timed=bool(s.get("timed")),
            as_of=now,
        )

    # -- analytics (langkah stats; docs/analytics.md) -----------------------------------------

    def analytics_facts(
        self,
        wants: Callable[[str, str, str], bool],
        now: dt.datetime | None = None,
        cached: bool = True,
        kept: bool = False,
    ) -> FactsRead:
        """`_analytics_facts` with the cyclic garbage collector paused: it builds millions of
        small objects that live until the figures are made, and the collector's passes over
        them cost more than the work itself (3.3 s instead of 1.2 s at 50,000 cycles).
        Reference counting still frees what is dropped; the collector runs again after."""
        with paused_gc():
            return self._analytics_facts(wants, now, cached, kept)

    def _analytics_facts(
        self,
        wants: Callable[[str, str, str], bool],
        now: dt.datetime | None = None,
        cached: bool = True,
        kept: bool = False,
    ) -> FactsRead:
        """The analytics facts, as of `now`, of every stored cycle that `wants(sop_id,
        kecamatan, period)`, as `cycle_facts` computes them from the cycle's log (read, its
        chain verified, replayed). The store's listing (version and head of each log) picks the
        cycles: an unselected cycle's log is not read. A selected cycle whose log is exactly
        the one its kept facts were made from (`facts-cache.json`, langkah/derived_cache.py;
        `cached` False: none used) is not read again: its finished visits come from the cache
        and only its running visit is timed at `now`. A cycle that cannot be read or does not
        verify is left out and named in `problems` (and never kept). `kept`: each selected
        cycle is given in `read.kept` as its kept form (facts_codec's payload, for
        langkah.analytics.columns) instead of as `CycleFacts` in `read.facts`."""
        from langkah.analytics import facts_codec
        from langkah.analytics.facts import FactsRead, cycle_facts
        from langkah.derived_cache import DerivedCache, calendar_key
        from langkah.engine.errors import EngineError

        now = now or self.clock()
        read = FactsRead()
        stamp = f"{calendar_key(self)}/facts{facts_codec.FACTS_FORMAT}"
        cache = DerivedCache(self.data_root if cached else None, FACTS_CACHE, stamp)
        cache.read()
        # the embedded store lists them from its overview index (no summary read)
        listing = getattr(self.store, "analytics_listing", None)
        listed = listing() if callable(listing) else self.store.summaries()
        read.problems.extend(("", text) for text in listed.problems)
        doubtful = set(listed.integrity) | set(listed.stale)
        logs: dict[str, tuple[Any, Any]] = {}
        definitions: dict[tuple[str, str], tuple[SopDefinition, WorkingCalendar]] = {}
        for summary in listed.summaries:
            cycle_id = str(summary.get("cycle_id", ""))
            sop_id, office = str(summary.get("sop_id", "")), str(summary.get("kecamatan", ""))
            period = str(summary.get("period", ""))
            log = (summary.get("version"), summary.get("head"))
            logs[cycle_id] = log
            if cycle_id not in doubtful:
                read.sop_ids.add(sop_id)
                read.kecamatan.add(office)
                if not wants(sop_id, office, period):
                    continue
                payload = cache.payload(cycle_id, *log)
                if payload is not None:
                    with contextlib.suppress(StoreError, EngineError, LookupError, ValueError,
                                             TypeError):  # fmt: skip
                        key = facts_codec.digest_of(payload)
                        if key not in definitions:
                            definition = self.definition_by_digest(*key).definition
                            definitions[key] = (definition, self.calendar(definition))
                        definition, calendar = definitions[key]
                        if kept:
                            facts_codec.check(payload)
                            read.kept.append((cycle_id, payload, definition, calendar))
                            continue
                        found = facts_codec.decode(payload, cycle_id, definition, calendar, now)
                        read.facts.append(found)
                        continue
            try:
                view = self.open_cycle(cycle_id)
            except (StoreError, EngineError) as error:
                read.problems.append((cycle_id, text_of(error)))
                cache.forget(cycle_id)
                continue
            if view.integrity_problem is not None:  # edited since: not official data
                read.problems.append(
                    (cycle_id, say("listing.not_verified", problem=view.integrity_problem))
                )
                cache.forget(cycle_id)
                continue
            state, office = view.state, view.definition.identity.office.name
            read.sop_ids.add(state.sop_id)
            read.kecamatan.add(office)
            if wants(state.sop_id, office, state.period):
                found = cycle_facts(state, view.definition, view.calendar, now)
                payload = facts_codec.encode(found, state)
                if kept:
                    read.kept.append((cycle_id, payload, view.definition, view.calendar))
                else:
                    read.facts.append(found)
                if log == (view.version, view.log_head):
                    cache.keep(cycle_id, view.version, view.log_head, payload)
        cache.keep_only(logs)
        cache.write()
        return read


@contextlib.contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """The cyclic garbage collector off for a bulk read (as it was before, after). `freeze`:
    the objects alive at the end are left out of later collections (gc.freeze), so the first
    pass after does not walk them all (0.4 s at 50,000 cycles): for a command about to end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()


@functools.lru_cache(maxsize=4096)
def _due_instants(
    standard: StandardTime,
    started_at: dt.datetime,
    pauses: tuple[tuple[dt.datetime, dt.datetime | None], ...],
    calendar: WorkingCalendar,
    hours: WorkingHours,
    period: str,
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """`due_instants`, remembered: a visit's instants change only with its start and pauses
    (a note, an input, a draft leave them as they were), and the calendar is immutable."""
    return due_instants(standard, started_at, pauses, calendar, hours, _period(period))


def summary_of(
    state: CycleState, definition: SopDefinition, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The projection of a state that the overview reads (stored beside the log), with the
    instants its filters and order use: `due_at` (when the running step's standard runs out,
    None when none runs), `near_at` (when it comes near its limit) and `timed`."""
    visit = state.visits[-1]
    step = definition.step(state.current_step) if state.current_step is not None else None
    near_at = due_at = None
    if step is not None and state.status in (CycleStatus.ACTIVE, CycleStatus.PAUSED):
        near_at, due_at = _due_instants(
            step.standard,
            visit.started_at,
            tuple((p.start, p.end) for p in visit.pauses),
            calendar,
            definition.calendar.working_hours,
            state.period,
        )
    timed = step is not None and step.standard.kind != StandardKind.NONE
    if timed and step is not None and step.standard.kind == StandardKind.DEADLINE:
        timed = step.standard.deadline_unit is not None  # as time_step reads it
    return {
        "cycle_id": state.cycle_id,
        "sop_id": state.sop_id,
        "definition_digest": state.definition_digest,
        "kecamatan": definition.identity.office.name,
        "sop_name": definition.identity.name,
        "period": state.period,
        "status": state.status.value,
        "current_step": state.current_step,
        "step_started_at": visit.started_at.isoformat(),
        "step_ended_at": visit.ended_at.isoformat() if visit.ended_at else None,
        "pauses": [
            [p.start.isoformat(), p.end.isoformat() if p.end else None] for p in visit.pauses
        ],
        "started_at": state.started_at.isoformat(),
        "ended_at": state.ended_at.isoformat() if state.ended_at else None,
        "returns": state.total_returns,
        "holders": {k: v.name for k, v in state.roles.items() if v.name},
        "version": state.version,
        "activity": " ".join(step.activity.split()) if step is not None else "",
        "actors": definition.actor_titles(step) if step is not None else "",
        "timed": timed,
        "near_at": near_at.isoformat() if near_at else None,
        "due_at": due_at.isoformat() if due_at else None,
    }


@dataclass(frozen=True)
class Verification:
    """What `langkah verify` found for one cycle: every problem (none: it verifies), the hash
    of each stored event (`hashes[k-1]`: the head when the log had k events), whether the log
    carries a chain (schema 2) and whether this run upgraded it."""

    cycle_id: str
    problems: list[Text]  # said in the reader's language where shown
    hashes: list[str]
    chained: bool
    upgraded: bool = False

    def code_matches(self, code: str) -> int | None:
        """The version of the log (number of events) whose head the typed verification code
        is, or None if it is none of them (the log was rewritten, or it is another cycle's)."""
        wanted = normalize_code(code)
        if len(wanted) < CODE_LENGTH:
            return None
        for version in range(len(self.hashes), 0, -1):
            if self.hashes[version - 1].startswith(wanted):
                return version
        return None


@dataclass(frozen=True)
class _StepFacts:
    step: Step | None
    actors: str
    standard: StandardTime | None
    calendar: WorkingCalendar
    hours: WorkingHours
    day_minutes: float  # the working day, once per definition (it sums the week's hours)


_STATUSES = {status.value: status for status in CycleStatus}


@functools.lru_cache(maxsize=256)
def _period(text: str) -> Period:
    return Period.parse(text)


__all__ = [
    "ActionIdReused",
    "ActionRefused",
    "IntegrityError",
    "InvalidActionId",
    "NotAsExpected",
    "ConflictError",
    "CycleNotFound",
    "CycleView",
    "DamagedStoreError",
    "Langkah",
    "Overview",
    "OverviewPage",
    "OverviewRow",
    "SummaryQuery",
    "StoreError",
    "Verification",
]
