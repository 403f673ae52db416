"""Typed bases of Langkah's app, screens and dialogs, and the one way a screen calls the service.

`LangkahAppBase` is what screens may ask of the app (the service, the clock, preferences,
navigation); `langkah.tui.app.LangkahApp` fills in the navigation. Screens type `self.app`
against the base so that the app module (which imports the screens) is not imported back.

Every service call of a screen is a `Job`: its `run` part executes in a thread worker (disk
I/O, fsync'd writes), its `done` or `failed` part runs on the UI thread when the worker's
`JobDone` message arrives. A screen's jobs run one at a time, in the order they were submitted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import App
from textual.message import Message
from textual.screen import ModalScreen, Screen

from langkah.preferences import Preferences
from langkah.tui.strings import said, set_units, t

if TYPE_CHECKING:
    from textual import getters

    from langkah.service import Langkah

Clock = Callable[[], dt.datetime]
# The rules of every screen but the overview: read when the first of them opens, so that
# start-up parses only app.tcss (shared and overview rules). An absolute path: Textual resolves
# a relative CSS_PATH against the module of each subclass.
SCREENS_CSS = str(Path(__file__).with_name("screens.tcss"))
R = TypeVar("R")
T = TypeVar("T")
Callback = Callable[[R], Awaitable[None] | None]


class LangkahAppBase(App[None]):
    """The app as the screens see it: a service built off the UI thread, a clock, preferences."""

    def __init__(
        self,
        service: Langkah | Callable[[], Langkah],
        clock: Clock | None = None,
        lang: str = "id",
        data_dir: Path | None = None,
        blink: bool = True,
        preferences: Preferences | None = None,
    ):
        super().__init__()
        self._service: Langkah | None = None
        self._factory: Callable[[], Langkah] | None = None
        self._service_lock = threading.Lock()
        self._waiting: list[Callable[[], object]] = []
        self._clock_override = clock
        if callable(service) and not hasattr(service, "store"):
            self._factory = service  # built by `prepare_service` once the first screen is up
        else:
            self._adopt(service)  # type: ignore[arg-type]
        self.lang = lang
        if data_dir is None and self._service is not None:
            data_dir = Path(self._service.location)
        self.data_dir = Path(data_dir) if data_dir else None
        if preferences is None:  # the entry point passes the ones it already read
            preferences = Preferences.load(self.data_dir) if self.data_dir else Preferences()
        self.preferences = preferences
        self.blink = blink

    def _adopt(self, service: Langkah) -> None:
        if self._clock_override is not None:
            service.clock = self._clock_override
        # the unit column's words: "Kecamatan", or "Unit kerja" beside a dinas's SOP (listed
        # from the definition index: nothing parsed)
        set_units(summary.unit_kind for summary in service.catalog.summaries().values())
        self._service = service

    @property
    def service_ready(self) -> bool:
        return self._service is not None

    @property
    def service(self) -> Langkah:
        """The application service, built on first use if a factory was given."""
        if self._service is None:
            with self._service_lock:
                if self._service is None and self._factory is not None:
                    self._adopt(self._factory())
        assert self._service is not None
        return self._service

    def when_service_ready(self, callback: Callable[[], object]) -> None:
        """Call `callback` on the UI thread once the service exists (now, if it does)."""
        if self._service is not None:
            callback()
        else:
            self._waiting.append(callback)

    def _run_waiting(self) -> None:
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def clock(self) -> dt.datetime:
        """The service's clock: the one time source of the whole interface."""
        return self.service.clock()

    # -- preferences (written in a thread worker: the write is fsync'd) -----------------------

    def remember_variant(self, sop_id: str) -> None:
        self.preferences.variant = sop_id
        self._save_preferences(None)

    def remember_language(self, lang: str) -> None:
        self.preferences.lang = lang
        self._save_preferences(t("lang.saved", lang=lang))

    def _save_preferences(self, saved_message: str | None) -> None:
        if self.data_dir is None:
            return
        snapshot = replace(self.preferences)
        self.run_worker(
            partial(self._write_preferences, snapshot, self.data_dir, saved_message),
            thread=True,
            group="preferences",
            exit_on_error=False,
        )

    def _write_preferences(
        self, preferences: Preferences, data_dir: Path, saved_message: str | None
    ) -> None:
        try:
            preferences.save(data_dir)
        except OSError as error:
            message = t("error.store", message=said(error))
            self.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        if saved_message:
            self.call_from_thread(self.notify, saved_message)

    # -- navigation (LangkahApp opens the screens) --------------------------------------------

    def open_run(self, cycle_id: str) -> None:
        raise NotImplementedError

    def open_timeline(self, cycle_id: str) -> None:
        raise NotImplementedError

    def open_start(self) -> None:
        raise NotImplementedError

    def open_variants(self) -> None:
        raise NotImplementedError

    def go_overview(self) -> None:
        raise NotImplementedError

    def first_rows_shown(self) -> None:
        """Called once the overview showed its first rows (what may wait, waits for it)."""


@dataclass(eq=False)
class Job(Generic[R]):
    """One service call: `run` in a thread worker, then `done` (or `failed`) on the UI thread.

    `kind` names what the job does; a queued job is replaced by a newer one of the same kind
    when `coalesce` is set (a draft saved twice before the first save started is saved once).
    """

    run: Callable[[Langkah], R]
    done: Callable[[R], Awaitable[None] | None]
    failed: Callable[[Exception], Awaitable[None] | None] | None = None
    kind: str = "read"
    coalesce: bool = False
    finished: asyncio.Event = field(default_factory=asyncio.Event)


class JobDone(Message):
    """Posted by a job's worker thread: its result, or the exception it raised."""

    def __init__(self, job: Job[Any], result: Any, error: Exception | None):
        super().__init__()
        self.job = job
        self.result = result
        self.error = error


class _Jobs:
    """The serial queue of a screen's jobs (one worker at a time, in submission order)."""

    def __init__(self) -> None:
        self.queue: deque[Job[Any]] = deque()
        self.running: Job[Any] | None = None

    def busy_with(self, kind: str) -> bool:
        jobs = list(self.queue) + ([self.running] if self.running else [])
        return any(job.kind == kind for job in jobs)


def _submit(node: LangkahScreen[Any], job: Job[Any]) -> asyncio.Event:
    jobs = node._jobs
    if job.coalesce:
        for queued in [j for j in jobs.queue if j.kind == job.kind]:
            jobs.queue.remove(queued)
            queued.finished.set()
    jobs.queue.append(job)
    _start_next(node)
    return job.finished


def _start_next(node: LangkahScreen[Any]) -> None:
    jobs = node._jobs
    if jobs.running is not None or not jobs.queue:
        return
    job = jobs.running = jobs.queue.popleft()
    service_of = node.app
    message_target = node

    def execute() -> None:  # in the worker thread
        try:
            result = job.run(service_of.service)
        except Exception as error:  # handed to the UI thread, which says what went wrong
            message_target.post_message(JobDone(job, None, error))
            return
        message_target.post_message(JobDone(job, result, None))

    node.run_worker(execute, thread=True, group="service", name=job.kind, exit_on_error=False)


async def _finish(node: LangkahScreen[Any], message: JobDone) -> None:
    job = message.job
    try:
        if message.error is None:
            outcome = job.done(message.result)
        elif job.failed is not None:
            outcome = job.failed(message.error)
        else:
            node.notify(
                t("error.store", message=str(message.error) or type(message.error).__name__),
                severity="error",
                markup=False,
            )
            outcome = None
        if inspect.isawaitable(outcome):
            await outcome
    finally:
        job.finished.set()
        node._jobs.running = None
        _start_next(node)


class LangkahScreen(Screen[T]):
    """A Langkah screen: `self.app` is typed, and `submit` runs a service call off the UI thread."""

    CSS_PATH: ClassVar[str | None] = SCREENS_CSS

    if TYPE_CHECKING:  # at run time Textual's own `app` property; the type checker sees ours
        app = getters.app(LangkahAppBase)

    def __init__(self) -> None:
        super().__init__()
        self._jobs = _Jobs()

    @property
    def busy(self) -> bool:
        """A job is queued or running."""
        return self._jobs.running is not None or bool(self._jobs.queue)

    def submit(self, job: Job[Any]) -> asyncio.Event:
        """Queue a job; the returned event is set once its `done`/`failed` part has run."""
        return _submit(self, job)

    async def call(self, run: Callable[[Langkah], R], kind: str = "read") -> R:
        """Run `run` as a job and return its result (or raise its error).

        For async flows that run in their own worker (a prompt, then a write): the screen's
        own message handlers must not await this, since the answer is one of its messages.
        """
        answer: dict[str, Any] = {}

        def done(result: R) -> None:
            answer["result"] = result

        def failed(error: Exception) -> None:
            answer["error"] = error

        await self.submit(Job(run, done, failed, kind=kind)).wait()
        if "error" in answer:
            raise answer["error"]
        result: R = answer["result"]
        return result

    @on(JobDone)
    async def _job_done(self, message: JobDone) -> None:
        message.stop()
        await _finish(self, message)


class LangkahModal(ModalScreen[T]):
    """A Langkah dialog: `self.app` is typed like the screens'."""

    CSS_PATH = SCREENS_CSS

    if TYPE_CHECKING:
        app = getters.app(LangkahAppBase)
