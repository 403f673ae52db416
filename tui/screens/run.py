"""Running one cycle in a meeting: the steps, the current step's form, its time, the actions.

Every action goes through the service (the engine decides what is allowed); this screen only
collects what was typed, shows what the engine answers, and keeps unrecorded typing as a draft.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Checkbox, Footer, Header, Input, Label, Select, Static

from langkah.engine.actions import Action
from langkah.engine.cycle import CycleStatus, Outcome
from langkah.engine.errors import ActionRefused, EngineError
from langkah.engine.inputs import parse_value
from langkah.formatting import date_time, nip
from langkah.service import CycleView
from langkah.store import ConflictError, StoreError
from langkah.tui.screens.modals import MonitoringModal, RolesModal, TextPrompt
from langkah.tui.strings import language, t, translate_bindings
from langkah.tui.widgets.input_form import InputForm
from langkah.tui.widgets.step_list import StepList
from langkah.tui.widgets.timing import TimingPanel

DRAFT_DELAY = 0.5
POLL_SECONDS = 2.0

ACTION_NEEDS = {
    "complete": Action.COMPLETE,
    "answer_yes": Action.ANSWER,
    "answer_no": Action.ANSWER,
    "pause": Action.PAUSE,
    "resume": Action.RESUME,
    "note": Action.NOTE,
    "roles": Action.ROLES,
}


class RunScreen(Screen):
    """One cycle: step list on the left, the current step on the right, actions in the footer."""

    AUTO_FOCUS = None
    BINDINGS = [
        Binding("c", "complete", "key.complete", id="run.complete"),
        Binding("y", "answer_yes", "key.yes", id="run.yes"),
        Binding("n", "answer_no", "key.no", id="run.no"),
        Binding("p", "pause", "key.pause", id="run.pause"),
        Binding("l", "resume", "key.resume", id="run.resume"),
        Binding("m", "note", "key.note", id="run.note"),
        Binding("r", "roles", "key.roles", id="run.roles"),
        Binding("e", "export", "key.export", id="run.export"),
        Binding("t", "timeline", "key.timeline", id="run.timeline"),
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
        self.visit_key: tuple | None = None
        self.message = ""
        self.export_path: Path | None = None
        self.exporting = False
        self._draft_timer: Timer | None = None
        self._has_draft = False
        self._token: tuple[int, int] | None = None
        self._rebuilding = False

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
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
                form.blink = getattr(self.app, "blink", True)
                yield form
                yield Static(id="output", markup=False)
                yield Static(id="remarks", markup=False)
                yield Static(id="notes", markup=False)
        yield Static("", id="status-line", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        try:
            view = self.app.service.open_cycle(self.cycle_id)
        except (StoreError, KeyError, ValueError) as error:
            self.app.notify(t("error.store", message=str(error)), severity="error", markup=False)
            self.app.pop_screen()
            return
        self.cycle_id = view.state.cycle_id
        self._token = self.app.service.store.change_token()
        await self.set_view(view)
        self.restore_draft()
        self.set_interval(1.0, self.tick)
        self.set_interval(POLL_SECONDS, self.poll_changes)

    # -- showing the cycle --------------------------------------------------------------------

    async def set_view(self, view: CycleView, rebuild: bool = False) -> None:
        self.view = view
        state = view.state
        key = (len(state.visits), state.current_step, state.status.value)
        form = self.query_one("#form", InputForm)
        recorded = state.current.inputs if state.current else {}
        if rebuild or key != self.visit_key:
            self.visit_key = key
            self._rebuilding = True
            try:
                await form.set_step(view.current_step, recorded)
            finally:
                self._rebuilding = False
            first = form.first_field()
            (first or self.query_one("#steps", StepList)).focus()
        else:
            form.set_recorded(recorded)
        self.render_view()
        self.refresh_bindings()

    def render_view(self) -> None:
        view = self.view
        if view is None:
            return
        lang = language()
        state, definition = view.state, view.definition
        identity = definition.identity
        self.title = f"{identity.kecamatan} · {identity.name}"
        self.sub_title = f"{view.period.label(lang)} · {state.cycle_id}"
        self.query_one("#steps", StepList).show(state, definition)
        step = view.current_step
        title = self.query_one("#step-title", Static)
        pieces = {
            name: self.query_one(f"#{name}", Static)
            for name in (
                "activity",
                "actor",
                "returned",
                "decision",
                "missing",
                "output",
                "remarks",
                "notes",
            )
        }
        self.query_one("#inputs-title").display = step is not None
        if step is None:
            zone = definition.calendar.timezone
            if state.status == CycleStatus.FINISHED and state.ended_at:
                title.update(t("run.finished", when=date_time(state.ended_at, zone, lang)))
            else:
                title.update(t("run.cancelled", reason=state.end_reason))
            for piece in pieces.values():
                piece.update("")
            self.query_one("#timing", TimingPanel).show(view, None)
            return
        visit = state.visits[-1]
        head = t("run.step", n=step.number, total=len(definition.steps))
        if step.decision:
            head += f" · {t('run.decision')}"
        if visit.round > 1:
            head += f" · {t('run.round', n=visit.round)}"
        if state.status == CycleStatus.PAUSED and visit.pauses:
            head += f" · {t('run.paused', reason=visit.pauses[-1].reason)}"
        title.update(Text(head, style="bold"))
        pieces["activity"].update(step.activity)
        people = []
        for actor_id in step.actors:
            person = state.roles.get(actor_id)
            label = definition.actor(actor_id).title
            if person and person.name:
                label += f" ({person.name}" + (f", NIP {nip(person.nip)}" if person.nip else "")
                label += ")"
            people.append(label)
        pieces["actor"].update(f"{t('run.actor')}: {', '.join(people) or '-'}")
        returned = ""
        if visit.round > 1:
            for earlier in reversed(state.visits[:-1]):
                if earlier.outcome == Outcome.NO:
                    returned = t("run.returned", step=earlier.step, reason=earlier.reason)
                    break
        pieces["returned"].update(returned)
        pieces["returned"].display = bool(returned)
        if step.decision:
            d = step.decision
            question = Text(f"{t('run.question')}: ", style="bold")
            question.append(d.question + "\n")
            question.append(t("run.answer_keys", yes=d.yes_label, no=d.no_label))
            pieces["decision"].update(question)
        else:
            pieces["decision"].update("")
        pieces["decision"].display = step.decision is not None
        missing = view.missing
        if not step.inputs:
            pieces["missing"].update(t("run.no_inputs"))
        elif missing:
            pieces["missing"].update(
                Text(t("run.missing", items=", ".join(s.label for s in missing)), style="bold")
            )
        else:
            pieces["missing"].update(t("run.all_present"))
        pieces["missing"].set_class(bool(missing), "-missing")
        pieces["output"].update(f"{t('run.output')}: {step.output or '-'}")
        pieces["remarks"].update(f"{t('run.remarks')}: {step.remarks}" if step.remarks else "")
        pieces["remarks"].display = bool(step.remarks)
        notes = "\n".join(f"• {n.text}" for n in visit.notes)
        pieces["notes"].update(f"{t('run.notes')}:\n{notes}" if notes else "")
        pieces["notes"].display = bool(notes)
        self.tick()

    def tick(self) -> None:
        view = self.view
        if view is None:
            return
        now_view = CycleView(view.state, view.loaded, view.calendar, self.app.clock())
        panel = self.query_one("#timing", TimingPanel)
        panel.show(now_view, now_view.current_timing if view.state.is_open else None)

    def say(self, text: str, error: bool = False) -> None:
        """Show a message in the status line (and as a notification when it is a refusal)."""
        self.message = text
        line = self.query_one("#status-line", Static)
        line.update(text)
        line.set_class(error, "-error")
        if error:
            self.notify(text, severity="error", markup=False)

    # -- recording inputs and drafts ----------------------------------------------------------

    def _live_row(self, widget: Any) -> Any:
        """The form row of a widget, if it belongs to the form of the current visit."""
        if self._rebuilding or self.view is None or not self.is_current:
            return None
        form = self.query_one("#form", InputForm)
        row = form.row_of(widget)
        step = self.view.current_step
        if row is None or step is None or row.spec not in step.inputs or form.step != step:
            return None
        return row

    def _valid_pending(self, only: str | None = None) -> tuple[dict[str, Any], list[str]]:
        form = self.query_one("#form", InputForm)
        step = self.view.current_step if self.view else None
        if step is None:
            return {}, []
        specs = {s.id: s for s in step.inputs}
        valid, problems = {}, []
        for key, raw in form.pending(only).items():
            try:
                parse_value(specs[key], raw)
            except ActionRefused as error:
                problems.append(error.message(language()))
                continue
            valid[key] = raw
        return valid, problems

    async def record_pending(self, only: str | None = None, quiet: bool = False) -> bool:
        """Record typed values that differ from the recorded ones; False if any was refused."""
        if self.view is None or not self.view.state.is_open:
            return True
        valid, problems = self._valid_pending(only)
        ok = not problems
        if problems:
            self.say(problems[0], error=True)
        if valid:
            view = await self.run_service(
                lambda s: s.record_inputs(self.cycle_id, valid, self.view.version)
            )
            if view is None:
                return False
            if not problems and not quiet:
                self.say(t("run.saved"))
        self.save_draft_now()
        return ok

    def schedule_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft_now)

    def save_draft_now(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.view is None or not self.view.state.is_open:
            return
        values = self.query_one("#form", InputForm).draft()
        store = self.app.service.store
        try:
            if values:
                draft = {
                    "visit": len(self.view.state.visits),
                    "step": self.view.state.current_step,
                    "values": {
                        k: list(v) if isinstance(v, tuple) else v for k, v in values.items()
                    },
                }
                store.save_draft(self.cycle_id, draft)
                self._has_draft = True
            elif self._has_draft:
                store.clear_draft(self.cycle_id)
                self._has_draft = False
        except StoreError as error:
            self.say(t("error.store", message=str(error)), error=True)

    def restore_draft(self) -> bool:
        if self.view is None or not self.view.state.is_open:
            return False
        draft = self.app.service.store.load_draft(self.cycle_id)
        if not draft:
            return False
        if (
            draft.get("visit") != len(self.view.state.visits)
            or draft.get("step") != self.view.state.current_step
        ):
            return False
        self._has_draft = True
        self.query_one("#form", InputForm).restore(draft.get("values") or {})
        self.say(t("run.draft_restored"))
        return True

    @on(Input.Changed, "#form Input")
    def input_changed(self) -> None:
        self.schedule_draft()

    @on(Input.Blurred, "#form Input")
    async def input_left(self, event: Input.Blurred) -> None:
        row = self._live_row(event.input)
        if row is None:
            return
        shown = row.shown()
        if isinstance(shown, tuple) and bool(shown[0].strip()) != bool(shown[1].strip()):
            self.save_draft_now()  # half a document reference: wait for the other half
            return
        await self.record_pending(row.spec.id)

    @on(Input.Submitted, "#form Input")
    def input_submitted(self) -> None:
        self.focus_next()

    @on(Checkbox.Changed, "#form Checkbox")
    @on(Select.Changed, "#form Select")
    async def choice_changed(self, event: Checkbox.Changed | Select.Changed) -> None:
        row = self._live_row(event.control)
        if row is not None:
            await self.record_pending(row.spec.id)

    # -- talking to the service ---------------------------------------------------------------

    async def run_service(self, call) -> CycleView | None:
        """Run one service call; show a refusal or a store problem instead of raising."""
        try:
            view = call(self.app.service)
        except EngineError as error:
            self.say(error.message(language()), error=True)
            return None
        except ConflictError:
            await self.reload(conflict=True)
            return None
        except (StoreError, KeyError, ValueError) as error:
            self.say(t("error.store", message=str(error)), error=True)
            return None
        self._token = self.app.service.store.change_token()
        await self.set_view(view)
        return view

    async def reload(self, conflict: bool = False) -> None:
        """Load the cycle again (changed elsewhere), keeping what was typed as a draft."""
        form = self.query_one("#form", InputForm)
        typed = form.draft()
        self.save_draft_now()
        try:
            view = self.app.service.open_cycle(self.cycle_id)
        except StoreError as error:
            self.say(t("error.store", message=str(error)), error=True)
            return
        self._token = self.app.service.store.change_token()
        same_visit = self.view is not None and len(view.state.visits) == len(self.view.state.visits)
        await self.set_view(view, rebuild=True)
        if same_visit and typed:
            form.restore(typed)
        self.say(t("run.conflict" if conflict else "run.reloaded"), error=conflict)

    async def poll_changes(self) -> None:
        token = self.app.service.store.change_token()
        if token == self._token or self.view is None:
            return
        self._token = token
        try:
            stored = self.app.service.store.load(self.cycle_id).version
        except StoreError:
            return
        if stored != self.view.version:
            await self.reload()

    async def _before_action(self) -> bool:
        """Record what was typed before acting on the step; False if something was refused."""
        return await self.record_pending(quiet=True)

    # -- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        view = self.view
        if action in ACTION_NEEDS:
            if view is None:
                return None
            allowed = view.allowed
            step = view.current_step
            if action in ("answer_yes", "answer_no") and (step is None or not step.decision):
                return False
            if action == "complete" and step is not None and step.decision:
                return False
            if action == "pause" and view.state.status == CycleStatus.PAUSED:
                return False
            if action == "resume" and view.state.status != CycleStatus.PAUSED:
                return False
            return True if ACTION_NEEDS[action] in allowed else None
        if action == "export":
            return None if self.exporting or view is None else True
        return True

    async def action_complete(self) -> None:
        if not await self._before_action():
            return
        number = self.view.current_step.number if self.view.current_step else 0
        if await self.run_service(lambda s: s.complete(self.cycle_id, self.view.version)):
            self.clear_draft()
            self.say(t("run.done", n=number))

    async def action_answer_yes(self) -> None:
        if not await self._before_action():
            return
        step = self.view.current_step
        if await self.run_service(lambda s: s.answer(self.cycle_id, True, None, self.view.version)):
            self.clear_draft()
            self.say(t("run.answered_yes", n=step.number, label=step.decision.yes_label))

    def action_answer_no(self) -> None:
        self.run_worker(self._answer_no_flow(), exclusive=True, group="prompt")

    async def _answer_no_flow(self) -> None:
        step = self.view.current_step if self.view else None
        if step is None or step.decision is None:
            return
        if not await self._before_action():
            return
        label = step.decision.no_label
        reason = await self.app.push_screen_wait(
            TextPrompt(t("reason.no", label=label), t("reason.placeholder"))
        )
        if not reason:
            return
        view = await self.run_service(
            lambda s: s.answer(self.cycle_id, False, reason, self.view.version)
        )
        if view:
            self.clear_draft()
            self.say(
                t("run.answered_no", n=step.number, label=label, to=view.state.current_step or "-")
            )

    def action_pause(self) -> None:
        self.save_draft_now()
        self.run_worker(self._pause_flow(), exclusive=True, group="prompt")

    async def _pause_flow(self) -> None:
        reason = await self.app.push_screen_wait(
            TextPrompt(t("reason.pause"), t("reason.placeholder"))
        )
        if reason and await self.run_service(
            lambda s: s.pause(self.cycle_id, reason, self.view.version)
        ):
            self.say(t("run.paused_ok"))

    def action_resume(self) -> None:
        self.run_worker(self._resume_flow(), exclusive=True, group="prompt")

    async def _resume_flow(self) -> None:
        reason = await self.app.push_screen_wait(
            TextPrompt(t("reason.resume"), t("reason.placeholder"))
        )
        if reason and await self.run_service(
            lambda s: s.resume(self.cycle_id, reason, self.view.version)
        ):
            self.say(t("run.resumed_ok"))

    def action_note(self) -> None:
        self.run_worker(self._note_flow(), exclusive=True, group="prompt")

    async def _note_flow(self) -> None:
        number = self.view.state.current_step
        text = await self.app.push_screen_wait(
            TextPrompt(t("note.title", n=number), t("note.placeholder"))
        )
        if text and await self.run_service(
            lambda s: s.note(self.cycle_id, text, None, self.view.version)
        ):
            self.say(t("run.note_ok"))

    def action_roles(self) -> None:
        self.run_worker(self._roles_flow(), exclusive=True, group="prompt")

    async def _roles_flow(self) -> None:
        view = self.view
        roles = await self.app.push_screen_wait(RolesModal(view.definition, view.state.roles))
        if roles and await self.run_service(
            lambda s: s.update_roles(self.cycle_id, roles, self.view.version)
        ):
            self.say(t("run.roles_ok"))

    def clear_draft(self) -> None:
        if self._has_draft:
            with contextlib.suppress(StoreError):
                self.app.service.store.clear_draft(self.cycle_id)
            self._has_draft = False

    async def action_back(self) -> None:
        """Esc in a form field leaves the field; Esc elsewhere goes back to the overview."""
        focused = self.focused
        form = self.query_one("#form", InputForm)
        if focused is not None and form.row_of(focused) is not None:
            self.query_one("#steps", StepList).focus()
            return
        await self.record_pending(quiet=True)
        self.app.pop_screen()

    def action_timeline(self) -> None:
        self.app.open_timeline(self.cycle_id)

    # -- the report ---------------------------------------------------------------------------

    def action_export(self) -> None:
        self.run_worker(self._export_flow(), exclusive=True, group="prompt")

    async def _export_flow(self) -> None:
        try:
            from langkah import report
        except ImportError:
            self.say(t("export.missing"), error=True)
            return
        await self.record_pending(quiet=True)
        view = self.view
        try:
            rows = report.monitoring_rows(view)
        except Exception as error:  # the report module's own problems must not crash the app
            self.say(t("export.failed", message=str(error)), error=True)
            return
        if rows:
            rows = await self.app.push_screen_wait(MonitoringModal(rows))
            if rows is None:
                return
        options = report.ReportOptions(monitoring=rows or None)
        path = None
        if self.app.data_dir is not None:
            path = report.default_report_path(self.app.data_dir, self.cycle_id)
        self.exporting = True
        self.refresh_bindings()
        self.say(t("export.running"))
        self.export_worker(view, path, options)

    @work(thread=True, exclusive=True, group="export")
    def export_worker(self, view: CycleView, path: Path | None, options: Any) -> None:
        try:
            from langkah import report

            path = report.export_report(view, path, options)
        except Exception as error:  # ReportError carries the message; anything else too
            self.post_message(self.ExportFinished(None, str(error) or type(error).__name__))
            return
        self.post_message(self.ExportFinished(Path(path), None))

    def on_run_screen_export_finished(self, message: ExportFinished) -> None:
        self.exporting = False
        self.refresh_bindings()
        if message.path is not None:
            self.export_path = message.path
            self.say(t("export.done", path=str(message.path)))
            self.notify(t("export.done", path=str(message.path)), markup=False, timeout=10)
        else:
            self.say(t("export.failed", message=message.error or ""), error=True)
