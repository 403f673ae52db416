"""Running one cycle in a meeting: the steps, the current step's form, its time, the actions.

Every action goes through the service (the engine decides what is allowed) in a thread worker;
this screen collects what was typed, shows what the presenter (`presenters.run`) words from the
engine's answer, and keeps unrecorded typing as a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Checkbox, Input, Label, Select, Static

from langkah.display import visible
from langkah.engine.errors import EngineError
from langkah.engine.events import Event
from langkah.service import TEXT_DRAFTS, ConflictError, CycleView, IntegrityError, Langkah
from langkah.tui.base import Job, LangkahScreen
from langkah.tui.changes import CyclesChanged
from langkah.tui.presenters import run as presenter
from langkah.tui.screens.modals import ConfirmModal, MonitoringModal, RolesModal, TextPrompt
from langkah.tui.strings import language, said, t, translate_bindings
from langkah.tui.widgets.bars import KeyBar, TitleBar
from langkah.tui.widgets.input_form import InputForm, InputRow
from langkah.tui.widgets.step_list import StepList
from langkah.tui.widgets.timing import TimingPanel

DRAFT_DELAY = 0.5
POLL_SECONDS = 2.0
# A command of the service on this cycle at the version the person saw; recording typed values.
Command = Callable[[Langkah, int], CycleView]
Recorder = Callable[[Langkah, int], CycleView]


@dataclass(frozen=True)
class Acted:
    """What an action's worker brings back: the newest view, and the engine's refusal if any."""

    view: CycleView
    refusal: EngineError | None = None


class RunScreen(LangkahScreen[None]):
    """One cycle: step list on the left, the current step on the right, actions in the footer."""

    AUTO_FOCUS = None
    # Each action: a letter (acts when no text field has focus) and a function or ctrl key that
    # acts wherever the focus is (id suffix ".any"); the key bar names the one that works now.
    BINDINGS = [
        Binding("c", "complete", "key.complete", id="run.complete"),
        Binding("f2", "complete", "key.complete", id="run.complete.any"),
        Binding("y", "answer_yes", "key.yes", id="run.yes"),
        Binding("f3", "answer_yes", "key.yes", id="run.yes.any"),
        Binding("n", "answer_no", "key.no", id="run.no"),
        Binding("f4", "answer_no", "key.no", id="run.no.any"),
        Binding("p", "pause", "key.pause", id="run.pause"),
        Binding("f5", "pause", "key.pause", id="run.pause.any"),
        Binding("l", "resume", "key.resume", id="run.resume"),
        Binding("f6", "resume", "key.resume", id="run.resume.any"),
        Binding("m", "note", "key.note", id="run.note"),
        Binding("f7", "note", "key.note", id="run.note.any"),
        Binding("r", "roles", "key.roles", id="run.roles"),
        Binding("f8", "roles", "key.roles", id="run.roles.any"),
        Binding("e", "export", "key.export", id="run.export"),
        Binding("f9", "export", "key.export", id="run.export.any"),
        Binding("t", "timeline", "key.timeline", id="run.timeline"),
        Binding("ctrl+t", "timeline", "key.timeline", id="run.timeline.any"),
        Binding("x", "cancel_cycle", "key.cancel_cycle", id="run.cancel"),
        Binding("f12", "cancel_cycle", "key.cancel_cycle", id="run.cancel.any"),
        Binding("escape", "back", "key.back", id="run.back"),
    ]

    class ExportFinished(Message):
        """Posted by the export worker: the report's path, or why it failed."""

        def __init__(self, path: Path | None, error: str | None):
            super().__init__()
            self.path = path
            self.error = error

    def __init__(self, cycle_id: str):
        super().__init__()
        translate_bindings(self)
        self.cycle_id = cycle_id
        self.view: CycleView | None = None
        self.visit_key: tuple[int, int | None, str] | None = None
        self.message = ""
        self.export_path: Path | None = None
        self.exporting = False
        self._draft_timer: Timer | None = None
        self._has_draft = False
        self._token: tuple[int, int] | None = None
        self._rebuilding = False
        self._binding_ids = {b.id for b in self.BINDINGS if isinstance(b, Binding) and b.id}
        self._texts: dict[str, dict[str, Any]] = {}
        """The dialogs' drafts (note, reasons, people) as last kept, by slot."""
        self.shown_version: int | None = None
        """The version on screen: set once a view has been painted, not when it arrives."""

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        banner = Static(id="record-warning", markup=False)
        banner.display = False  # shown when the record itself warns (see render_view)
        yield banner
        with Horizontal(id="run-body"):
            yield StepList(id="steps")
            detail = VerticalScroll(id="detail")
            detail.can_focus = False  # Tab goes from the step list straight to the form
            with detail:
                yield Static(id="step-title", markup=False)
                yield Static(id="activity", markup=False)
                yield Static(id="actor", markup=False)
                yield Static(id="returned", markup=False)
                yield TimingPanel(id="timing")
                yield Static(id="decision", markup=False)
                yield Label(t("run.inputs"), id="inputs-title")
                yield Static(id="missing", markup=False)
                form = InputForm(id="form")
                form.blink = self.app.blink
                yield form
                yield Static(id="output", markup=False)
                yield Static(id="remarks", markup=False)
                yield Static(id="notes", markup=False)
        yield Static("", id="status-line", markup=False)
        yield KeyBar(wrap=True)

    def on_mount(self) -> None:
        reference = self.cycle_id

        def load(service: Langkah) -> tuple[CycleView, dict[str, Any] | None, tuple[int, int]]:
            token = service.change_token()
            view = service.open_cycle(reference)
            return view, service.load_draft(view.state.cycle_id), token

        async def loaded(result: tuple[CycleView, dict[str, Any] | None, tuple[int, int]]) -> None:
            view, draft, token = result
            self.cycle_id = view.state.cycle_id
            self._token = token
            await self.set_view(view)
            self.restore_draft(draft)
            self._texts = dict((draft or {}).get(TEXT_DRAFTS) or {})
            self.set_interval(1.0, self.tick)
            self.set_interval(POLL_SECONDS, self.poll_changes)
            self.reopen_text_draft()

        def failed(error: Exception) -> None:
            self.app.notify(t("error.store", message=said(error)), severity="error", markup=False)
            self.app.pop_screen()

        self.submit(Job(load, loaded, failed, kind="open"))

    # -- showing the cycle --------------------------------------------------------------------

    async def set_view(self, view: CycleView, rebuild: bool = False) -> None:
        self.view = view
        state = view.state
        key = presenter.visit_key(state)
        form = self.query_one("#form", InputForm)
        recorded = state.current.inputs if state.current else {}
        if rebuild or key != self.visit_key:
            # The same visit drawn again (paused, resumed, reloaded): what was typed stays.
            same_visit = self.visit_key is not None and key[:2] == self.visit_key[:2]
            typed = form.draft() if same_visit and view.state.is_open else {}
            self.visit_key = key
            self._rebuilding = True
            try:
                await form.set_step(view.current_step, recorded)
                if typed:
                    form.restore(typed)
            finally:
                self._rebuilding = False
            first = None if view.read_only else form.first_field()
            (first or self.query_one("#steps", StepList)).focus()
        else:
            form.set_recorded(recorded)
        form.disabled = view.read_only  # a cycle that fails verification records nothing
        self.render_view()
        # The action keys wait until this view has been painted: a key already queued (pressed
        # while it was being put on screen) was meant for the state shown before.
        self.call_after_refresh(self._painted, view.version)

    def _painted(self, version: int) -> None:
        if self.view is not None and self.view.version == version:
            self.shown_version = version
        self.refresh_bindings()

    @property
    def on_screen(self) -> bool:
        """The newest view the screen holds is the one the person sees."""
        return self.view is not None and self.shown_version == self.view.version

    def render_view(self) -> None:
        view = self.view
        if view is None:
            return
        lang = language()
        state, definition = view.state, view.definition
        identity = definition.identity
        self.title = visible(f"{identity.office.name} · {identity.name}", one_line=True)
        self.sub_title = visible(f"{view.period.label(lang)} · {state.cycle_id}", one_line=True)
        warning = presenter.record_warning(view, lang)
        banner = self.query_one("#record-warning", Static)
        banner.update(warning.text if warning else "")
        banner.display = warning is not None
        banner.set_class(warning is not None and warning.integrity, "-integrity")
        self.query_one("#steps", StepList).show(state, definition)
        words = presenter.step_text(view, lang, self._form_problems())
        step = view.current_step
        self.query_one("#inputs-title").display = step is not None
        self.query_one("#step-title", Static).update(
            Text(words.heading, style="bold") if step is not None else words.heading
        )
        lines = {
            "activity": words.activity,
            "actor": words.actor,
            "returned": words.returned,
            "output": words.output,
            "remarks": words.remarks,
            "notes": words.notes,
        }
        for name, text in lines.items():
            self.query_one(f"#{name}", Static).update(text)
        for name in ("returned", "remarks", "notes"):
            self.query_one(f"#{name}", Static).display = bool(lines[name])
        decision = self.query_one("#decision", Static)
        decision.update(words.question or "")
        decision.display = words.question is not None
        # An ended cycle shows its heading, its summary and the report prompt, nothing empty.
        self.query_one("#timing", TimingPanel).display = step is not None
        self.query_one("#missing", Static).display = step is not None
        missing = self.query_one("#missing", Static)
        missing.update(Text(words.missing, style="bold") if words.missing_marked else words.missing)
        missing.set_class(words.missing_marked, "-missing")
        if step is None:
            self.query_one("#timing", TimingPanel).show(view, None)
            return
        self.tick()

    def tick(self) -> None:
        view = self.view
        if view is None:
            return
        now_view = replace(view, now=self.app.clock())
        panel = self.query_one("#timing", TimingPanel)
        panel.show(now_view, now_view.current_timing if view.state.is_open else None)

    def say(self, text: str, error: bool = False) -> None:
        """Show a message in the status line (and as a notification when it is a refusal; the
        run screen's toasts sit above the status line and the keys, see screens.tcss).

        The message may quote what was typed or stored: it is shown through the sanitiser."""
        text = visible(text)
        self.message = text
        line = self.query_one("#status-line", Static)
        line.update(text)
        line.set_class(error, "-error")
        if error:
            self.notify(text, severity="error", markup=False)

    def _form_problems(self) -> list[str]:
        """The refusals of what the form holds but could not record (named by field)."""
        if self.view is None or not self.view.state.is_open:
            return []
        return self._pending()[1]

    def show_form_status(self) -> None:
        """Redraw the kelengkapan line from what is recorded and what the form holds now."""
        view = self.view
        if view is None or view.current_step is None:
            return
        words = presenter.step_text(view, language(), self._form_problems())
        missing = self.query_one("#missing", Static)
        missing.update(Text(words.missing, style="bold") if words.missing_marked else words.missing)
        missing.set_class(words.missing_marked, "-missing")

    # -- keys from anywhere -------------------------------------------------------------------

    def _text_focused(self) -> bool:
        return isinstance(self.focused, Input)

    def key_bar_shows(self, binding: Binding) -> bool:
        """The key bar names an action's letter, or its function key while a text field has
        focus (there a letter would be typed)."""
        return presenter.footer_shows(binding.id, self._text_focused(), self._binding_ids)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    # -- recording inputs and drafts ----------------------------------------------------------

    def _live_row(self, widget: Any) -> InputRow | None:
        """The form row of a widget, if it belongs to the form of the current visit."""
        if self._rebuilding or self.view is None or not self.is_current:
            return None
        form = self.query_one("#form", InputForm)
        row = form.row_of(widget)
        step = self.view.current_step
        if row is None or step is None or row.spec not in step.inputs or form.step != step:
            return None
        return row

    def _pending(self, only: str | None = None) -> tuple[dict[str, Any], list[str]]:
        form = self.query_one("#form", InputForm)
        step = self.view.current_step if self.view else None
        return presenter.split_pending(step, form.pending(only), language())

    def record_pending(self, only: str | None = None) -> tuple[bool, Recorder | None]:
        """What typed values to record first: (nothing refused, a recorder for the worker)."""
        if self.view is None or not self.view.state.is_open or self.view.read_only:
            return True, None
        valid, problems = self._pending(only)
        if problems:
            self.say(problems[0], error=True)
        self.save_draft_now()
        if not valid:
            return not problems, None
        cycle_id = self.cycle_id

        def record(service: Langkah, version: int) -> CycleView:
            return service.record_inputs(cycle_id, valid, version)

        return not problems, record

    def record_field(self, only: str) -> None:
        """Record one field that was left; "saved" is said once the write returned."""
        ok, record = self.record_pending(only)
        if record is None:
            return
        self.act(
            None,
            record,
            on_done=None if not ok else (lambda _view: self.say(t("run.saved"))),
            clear_draft=False,
        )

    def schedule_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft_now)

    def keep_pending(self) -> None:
        """Keep the form's typing now if its draft is still waiting for the typing to stop."""
        if self._draft_timer is not None:
            self.save_draft_now()

    def save_draft_now(self) -> None:
        """Keep what was typed (in a worker); an empty form clears the kept draft."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.view is None or not self.view.state.is_open or self.view.read_only:
            return
        values = self.query_one("#form", InputForm).draft()
        cycle_id = self.cycle_id
        self.show_form_status()
        if values:
            draft = presenter.make_draft(self.view.state, values)
            self._has_draft = True
            self.submit(
                Job(
                    lambda service: service.save_draft(cycle_id, draft),
                    lambda _: None,
                    self._store_failed,
                    kind="draft",
                    coalesce=True,
                )
            )
        elif self._has_draft:
            self._has_draft = False
            self.submit(
                Job(
                    lambda service: service.clear_draft(cycle_id),
                    lambda _: None,
                    self._store_failed,
                    kind="draft",
                    coalesce=True,
                )
            )

    def restore_draft(self, draft: dict[str, Any] | None) -> bool:
        if self.view is None or not presenter.draft_matches(draft, self.view.state):
            return False
        assert draft is not None
        self._has_draft = True
        self.query_one("#form", InputForm).restore(draft.get("values") or {})
        self.show_form_status()
        self.say(t("run.draft_restored"))
        return True

    # -- the dialogs' drafts (note, reasons, people) --------------------------------------------

    def text_initial(self, slot: str) -> dict[str, Any]:
        """A dialog's kept draft, if it was typed in the visit shown now."""
        draft = self._texts.get(slot)
        if self.view is not None and presenter.draft_matches(draft, self.view.state):
            return draft or {}
        return {}

    def keep_text(self, slot: str, payload: dict[str, Any], dialog: Any) -> None:
        """Keep a dialog's typing as a draft (in a worker); the dialog shows when it is kept."""
        if self.view is None or not self.view.state.is_open or self.view.read_only:
            return  # a draft belongs to a visit of an open cycle
        draft = presenter.make_text_draft(self.view.state, payload)
        self._texts[slot] = draft
        cycle_id = self.cycle_id

        def failed(error: Exception) -> None:
            dialog.draft_saved(said(error))

        self.submit(
            Job(
                lambda service: service.save_text_draft(cycle_id, slot, draft),
                lambda _: dialog.draft_saved(),
                failed,
                kind=f"text:{slot}",
                coalesce=True,
            )
        )

    def drop_text(self, slot: str) -> None:
        """Forget a dialog's draft: the person discarded it (after a confirm) or left it empty."""
        if self._texts.pop(slot, None) is None:
            return
        cycle_id = self.cycle_id
        self.submit(
            Job(
                lambda service: service.clear_text_draft(cycle_id, slot),
                lambda _: None,
                self._store_failed,
                kind=f"text:{slot}",
                coalesce=True,
            )
        )

    def reopen_text_draft(self) -> None:
        """After a crash: reopen the dialog whose typing was kept, with the text in it."""
        if self.view is None or self.view.read_only:
            return
        found = presenter.restorable_text(self._texts, self.view.state)
        if found is None:
            return
        slot, _draft = found
        opener = {
            "note": self.action_note,
            "pause": self.action_pause,
            "resume": self.action_resume,
            "no": self.action_answer_no,
            "cancel": self._ask_cancel_reason,
            "people": self.action_roles,
        }[slot]
        self.say(t("run.text_draft_restored"))
        opener()

    @on(Input.Changed, "#form Input")
    def input_changed(self) -> None:
        self.schedule_draft()

    @on(Input.Blurred, "#form Input")
    def input_left(self, event: Input.Blurred) -> None:
        row = self._live_row(event.input)
        if row is None:
            return
        shown = row.shown()
        if isinstance(shown, tuple) and bool(shown[0].strip()) != bool(shown[1].strip()):
            self.save_draft_now()  # half a document reference: wait for the other half
            return
        self.record_field(row.spec.id)

    @on(Input.Submitted, "#form Input")
    def input_submitted(self) -> None:
        self.focus_next()

    @on(Checkbox.Changed, "#form Checkbox")
    @on(Select.Changed, "#form Select")
    def choice_changed(self, event: Checkbox.Changed | Select.Changed) -> None:
        row = self._live_row(event.control)
        if row is not None:
            self.record_field(row.spec.id)

    # -- talking to the service ---------------------------------------------------------------

    def act(
        self,
        command: Command | None,
        record: Recorder | None = None,
        on_done: Callable[[CycleView], object] | None = None,
        clear_draft: bool = True,
        text_slot: str | None = None,
    ) -> None:
        """Run `command` in a worker at the version shown now (after recording typed values);
        once it is recorded, the draft of the dialog it came from (`text_slot`) is dropped.

        The version is taken when the key is handled, so the write acts on what the person saw;
        a cycle changed in between is a conflict, answered by a reload that keeps the typing.
        """
        if self.view is None:
            return
        expected = self.view.version
        cycle_id = self.cycle_id
        drop_draft = clear_draft and self._has_draft

        def run(service: Langkah) -> Acted:
            recorded = record(service, expected) if record is not None else None
            if command is None:
                assert recorded is not None
                return Acted(recorded)
            try:
                view = command(service, recorded.version if recorded else expected)
            except EngineError as refusal:
                if recorded is None:
                    raise
                return Acted(recorded, refusal)  # the typed values were recorded all the same
            if drop_draft:
                service.clear_draft(cycle_id)
            if text_slot is not None:
                service.clear_text_draft(cycle_id, text_slot)
            return Acted(view)

        async def done(acted: Acted) -> None:
            if acted.refusal is None and drop_draft:
                self._has_draft = False
            if acted.refusal is None and text_slot is not None:
                self._texts.pop(text_slot, None)
            await self.set_view(acted.view)
            if record is not None and not drop_draft:
                self.save_draft_now()  # what is recorded now is no longer a draft
            if acted.refusal is not None:
                self.say(acted.refusal.message(language()), error=True)
            elif on_done is not None:
                on_done(acted.view)

        # Keys stay refused while it runs (check_action is asked again when a key arrives);
        # the footer is redrawn once, when the new view is shown.
        self.submit(Job(run, done, self._failed, kind="action"))

    async def _failed(self, error: Exception) -> None:
        if isinstance(error, EngineError):
            self.say(error.message(language()), error=True)
        elif isinstance(error, ConflictError):
            self.reload(conflict=True)
        elif isinstance(error, IntegrityError):  # edited by hand since shown: show it read-only
            self._store_failed(error)
            self.reload()
        else:
            self._store_failed(error)

    def _store_failed(self, error: Exception) -> None:
        self.say(t("error.store", message=said(error)), error=True)
        self.app.bell()

    def reload(self, conflict: bool = False) -> None:
        """Load the cycle again (changed elsewhere), keep what was typed (restored into the same
        visit, kept as a draft otherwise), and say in words what changed since the version the
        person saw."""
        typed = self.query_one("#form", InputForm).draft()
        self.save_draft_now()
        cycle_id = self.cycle_id
        before = self.view
        seen = self.shown_version if self.shown_version is not None else 0

        def load(service: Langkah) -> tuple[CycleView, list[Event], tuple[int, int]]:
            token = service.change_token()
            view = service.open_cycle(cycle_id)
            return view, [e for e in service.events(cycle_id) if e.seq > seen], token

        async def loaded(result: tuple[CycleView, list[Event], tuple[int, int]]) -> None:
            view, changes, token = result
            self._token = token
            same_visit = before is not None and len(view.state.visits) == len(before.state.visits)
            # The same visit is updated in place: the fields, their typing and the focus stay,
            # so keys pressed while the cycle was being read are not lost. Another visit is
            # drawn anew, with what was typed put back when it is the same step and round.
            rebuilt = presenter.visit_key(view.state) != self.visit_key
            now_typed = self.query_one("#form", InputForm).draft() or typed
            await self.set_view(view)
            if rebuilt and same_visit and now_typed:
                self.query_one("#form", InputForm).restore(now_typed)
            what = presenter.describe_changes(changes, view.definition)
            self.say(t("run.conflict" if conflict else "run.reloaded", what=what), error=conflict)

        self.submit(Job(load, loaded, self._store_failed, kind="reload", coalesce=True))

    def poll_changes(self) -> None:
        """Every 2 s: has another process written this cycle, or has its log been edited in
        place? (Read in a worker.) A store that says what changed (`pushes_changes`) is asked
        about the cycle only when its token moved; a folder of files is asked every time: a
        file edited in place leaves the folder's token as it was (one stat while unchanged)."""
        if self.view is None or self._jobs.busy_with("poll") or self._jobs.busy_with("reload"):
            return
        known, cycle_id = self._token, self.cycle_id
        Checked = tuple[tuple[int, int], tuple[int, object] | None]

        def check(service: Langkah) -> Checked:
            token = service.change_token()
            if token == known and service.pushes_changes:
                return token, None
            return token, service.stored_mark(cycle_id)

        def checked(result: Checked) -> None:
            token, stored = result
            self._token = token
            if stored is None or self.view is None or self._jobs.busy_with("action"):
                return  # unchanged, or our own write is about to show the new version
            if presenter.out_of_date(self.view, stored):
                self.reload()

        self.submit(Job(check, checked, lambda _error: None, kind="poll"))

    def on_cycles_changed(self, message: CyclesChanged) -> None:
        """Heard from the overview's listener (PostgreSQL): look now, not at the next poll."""
        if message.cycle_ids is None or self.cycle_id in message.cycle_ids:
            self.poll_changes()

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in presenter.ACTION_NEEDS:
            state = presenter.key_state(self.view, action)
            if state and (self._jobs.busy_with("action") or not self.on_screen):
                return None  # one action at a time, and only on the state the person sees
            return state
        if action == "export":
            return None if self.exporting or self.view is None else True
        return True

    def _current_number(self) -> int:
        step = self.view.current_step if self.view else None
        return step.number if step else 0

    def action_complete(self) -> None:
        ok, record = self.record_pending()
        if not ok:
            return
        number = self._current_number()
        self.act(
            lambda service, version: service.complete(self.cycle_id, version),
            record,
            lambda _view: self.say(t("run.done", n=number)),
        )

    def action_answer_yes(self) -> None:
        step = self.view.current_step if self.view else None
        if step is None or step.decision is None:
            return
        ok, record = self._refuse_missing_answer()
        if not ok:
            return
        label = step.decision.yes_label
        self.act(
            lambda service, version: service.answer(self.cycle_id, True, None, version),
            record,
            lambda _view: self.say(t("run.answered_yes", n=step.number, label=label)),
        )

    def _prompt_then_act(
        self,
        slot: str,
        title: str,
        placeholder: str,
        command: Callable[[Langkah, int, str], CycleView],
        said: Callable[[CycleView, str], str],
        record: Recorder | None = None,
        clear_draft: bool = False,
    ) -> None:
        """Ask for a reason or a note (its typing drafted in `slot`), then act at the version
        shown when the key was pressed."""
        if self.view is None:
            return
        expected = self.view.version
        prompt = TextPrompt(
            title,
            placeholder,
            initial=str(self.text_initial(slot).get("text") or ""),
            keep=lambda text: self.keep_text(slot, {"text": text}, prompt),
        )

        async def flow() -> None:
            text = await self.app.push_screen_wait(prompt)
            if not text:
                self.drop_text(slot)  # nothing typed, or discarded after a confirm
                return
            if self.view is None:
                return
            if self.view.version != expected:  # the cycle changed while the prompt was open
                self.say(t("run.prompt_stale"), error=True)  # the text stays as a draft
                return
            self.act(
                lambda service, version: command(service, version, text),
                record,
                lambda view: self.say(said(view, text)),
                clear_draft=clear_draft,
                text_slot=slot,
            )

        self.run_worker(flow(), exclusive=True, group="prompt")

    def _refuse_missing_answer(self) -> tuple[bool, Recorder | None]:
        """Record what is typed; (False, …) with the refusal said when the decision's
        kelengkapan is still missing (nothing is asked then: no reason typed in vain)."""
        assert self.view is not None
        valid, _problems = self._pending()
        ok, record = self.record_pending()
        if not ok:
            return False, record
        refusal = presenter.missing_for_answer(self.view, valid, language())
        if refusal is None:
            return True, record
        if record is not None:
            self.act(None, record, clear_draft=False)
        self.say(refusal, error=True)
        return False, None

    def action_answer_no(self) -> None:
        step = self.view.current_step if self.view else None
        if step is None or step.decision is None:
            return
        ok, record = self._refuse_missing_answer()
        if not ok:
            return
        label = step.decision.no_label
        self._prompt_then_act(
            "no",
            t("reason.no", label=label),
            t("reason.placeholder"),
            lambda service, version, reason: service.answer(self.cycle_id, False, reason, version),
            lambda view, _reason: t(
                "run.answered_no", n=step.number, label=label, to=view.state.current_step or "-"
            ),
            record,
            clear_draft=True,
        )

    def action_pause(self) -> None:
        self.save_draft_now()
        self._prompt_then_act(
            "pause",
            t("reason.pause"),
            t("reason.placeholder"),
            lambda service, version, reason: service.pause(self.cycle_id, reason, version),
            lambda _view, _reason: t("run.paused_ok"),
        )

    def action_resume(self) -> None:
        self._prompt_then_act(
            "resume",
            t("reason.resume"),
            t("reason.placeholder"),
            lambda service, version, reason: service.resume(self.cycle_id, reason, version),
            lambda _view, _reason: t("run.resumed_ok"),
        )

    def action_note(self) -> None:
        number = self.view.state.current_step if self.view else None
        self._prompt_then_act(
            "note",
            t("note.title", n=number),
            t("note.placeholder"),
            lambda service, version, text: service.note(self.cycle_id, text, None, version),
            lambda _view, _text: t("run.note_ok"),
        )

    def action_cancel_cycle(self) -> None:
        """Cancel the cycle: confirmed first, then a reason (drafted like every reason)."""

        async def flow() -> None:
            if await self.app.push_screen_wait(ConfirmModal(t("cancel.confirm"))):
                self._ask_cancel_reason()

        self.run_worker(flow(), exclusive=True, group="confirm")

    def _ask_cancel_reason(self) -> None:
        self.save_draft_now()
        self._prompt_then_act(
            "cancel",
            t("reason.cancel"),
            t("reason.placeholder"),
            lambda service, version, reason: service.cancel(self.cycle_id, reason, version),
            lambda _view, _reason: t("run.cancelled_ok"),
        )

    def action_roles(self) -> None:
        if self.view is None:
            return
        view = self.view
        initial = self.text_initial("people").get("roles")
        modal = RolesModal(
            view.definition,
            view.state.roles,
            initial=initial if isinstance(initial, dict) else None,
            keep=lambda typed: self.keep_text("people", {"roles": typed}, modal),
            role_list=presenter.role_list(view),
        )

        async def flow() -> None:
            roles = await self.app.push_screen_wait(modal)
            if not roles:
                self.drop_text("people")
                return
            if self.view is None:
                return
            if self.view.version != view.version:
                self.say(t("run.prompt_stale"), error=True)
                return
            self.act(
                lambda service, version: service.update_roles(self.cycle_id, roles, version),
                on_done=lambda _view: self.say(t("run.roles_ok")),
                clear_draft=False,
                text_slot="people",
            )

        self.run_worker(flow(), exclusive=True, group="prompt")

    def action_back(self) -> None:
        """Esc in a form field leaves the field; Esc elsewhere goes back to the overview."""
        focused = self.focused
        form = self.query_one("#form", InputForm)
        if focused is not None and form.row_of(focused) is not None:
            self.query_one("#steps", StepList).focus()
            return
        problems = self._form_problems()
        if problems:
            self.run_worker(self._leave_with_problem(problems[0]), exclusive=True, group="confirm")
            return
        self._leave()

    async def _leave_with_problem(self, problem: str) -> None:
        """An entry that cannot be recorded: ask; leaving keeps it as a draft."""
        if await self.app.push_screen_wait(ConfirmModal(t("run.leave_invalid", problem=problem))):
            self._leave()

    def _leave(self) -> None:
        _ok, record = self.record_pending()
        if record is None:
            self.app.pop_screen()
            return
        self.act(None, record, lambda _view: self.app.pop_screen(), clear_draft=False)

    def action_timeline(self) -> None:
        self.app.open_timeline(self.cycle_id)

    # -- the report ---------------------------------------------------------------------------

    def action_export(self) -> None:
        self.run_worker(self._export_flow(), exclusive=True, group="prompt")

    async def _export_flow(self) -> None:
        _ok, record = self.record_pending()
        if record is not None:
            self.act(None, record, clear_draft=False)
        while self._jobs.busy_with("action"):  # the report shows what was just recorded
            await self._jobs_settled()
        if self.view is None:
            return
        cycle_id = self.view.state.cycle_id

        def prepare(service: Langkah) -> tuple[CycleView, list[Any]]:
            from langkah import report  # python-docx loads in the worker, not on the UI thread

            # The report shows the cycle as stored, with its log's verification code (a view
            # returned by an action does not carry the head the store computed).
            stored = service.open_cycle(cycle_id)
            return stored, list(report.monitoring_rows(stored))

        try:
            view, rows = await self.call(prepare)
        except ImportError:
            self.say(t("export.missing"), error=True)
            return
        except Exception as error:  # the report module's own problems must not crash the app
            self.say(t("export.failed", message=said(error)), error=True)
            return
        from langkah import report  # already imported by the worker
        from langkah.tui.screens.signers import ask_signers

        signed = await ask_signers(self, view)  # a final report names both signers (issue 13)
        if signed.version != view.version:  # saved by this screen: show it, not "changed elsewhere"
            await self.set_view(signed)
        view = signed
        if rows:
            edited = await self.app.push_screen_wait(MonitoringModal(rows))
            if edited is None:
                return
            rows = edited
        defaults = await self.call(lambda service: service.report_defaults())  # author, logo
        options = report.ReportOptions(monitoring=rows or None, **defaults)
        path = None
        if self.app.data_dir is not None:
            path = report.default_report_path(self.app.data_dir, self.cycle_id)
        self.exporting = True
        self.refresh_bindings()
        self.say(t("export.running"))
        self.export_worker(view, path, options)

    async def _jobs_settled(self) -> None:
        running = self._jobs.running
        if running is not None:
            await running.finished.wait()
        elif self._jobs.queue:
            await self._jobs.queue[-1].finished.wait()

    @work(thread=True, exclusive=True, group="export")
    def export_worker(self, view: CycleView, path: Path | None, options: Any) -> None:
        try:
            from langkah import report

            written = report.export_report(view, path, options)
        except Exception as error:  # ReportError carries the message; anything else too
            self.post_message(self.ExportFinished(None, said(error)))
            return
        self.post_message(self.ExportFinished(Path(written), None))

    def on_run_screen_export_finished(self, message: ExportFinished) -> None:
        self.exporting = False
        self.refresh_bindings()
        if message.path is not None:
            self.export_path = message.path
            self.say(t("export.done", path=str(message.path)))
        else:
            self.say(t("export.failed", message=message.error or ""), error=True)
