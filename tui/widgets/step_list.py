"""The SOP's steps down one side: actor, done/current/waiting marks and returns at decisions."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from langkah.display import visible
from langkah.engine.cycle import CycleState
from langkah.engine.definition import SopDefinition
from langkah.tui.strings import t

DONE, CURRENT, WAITING, REDO = "✓", "▶", "·", "↻"


def step_marks(state: CycleState, definition: SopDefinition) -> dict[int, str]:
    """Each step's mark: done, current, waiting, or done earlier but to be taken again."""
    order = [s.number for s in definition.steps]
    current = state.current_step
    current_index = order.index(current) if current is not None else None
    marks: dict[int, str] = {}
    for number in order:
        visits = [v for v in state.visits if v.step == number]
        if number == current:
            marks[number] = CURRENT
        elif not visits or visits[-1].ended_at is None:
            marks[number] = WAITING
        elif current_index is not None and order.index(number) > current_index:
            marks[number] = REDO
        else:
            marks[number] = DONE
    return marks


def render_steps(state: CycleState, definition: SopDefinition) -> Text:
    marks = step_marks(state, definition)
    text = Text(no_wrap=True, overflow="ellipsis")
    for step in definition.steps:
        mark = marks[step.number]
        style = {CURRENT: "bold reverse", DONE: "", WAITING: "dim", REDO: "italic"}[mark]
        line = Text(f"{mark} {step.number:>2} ", style=style)
        line.append(
            visible(definition.actor_titles(step), one_line=True),
            style=style + " bold" if style else "bold",
        )
        if step.decision:
            line.append(" ◆", style=style)
            returns = state.returns.get(step.number, 0)
            if returns:
                line.append(f" ↩{returns}", style=style)
        text.append_text(line)
        text.append("\n")
        text.append(
            f"     {visible(step.activity, one_line=True)}\n",
            style="dim" if mark != CURRENT else "",
        )
    legend = (
        f"{DONE} {t('run.mark.done')}  {CURRENT} {t('run.mark.current')}  "
        f"{WAITING} {t('run.mark.waiting')}  {REDO} {t('run.mark.redo')}"
    )
    text.append(legend, style="dim")
    return text


class StepList(VerticalScroll):
    """A scrollable, focusable list of every step in SOP order (display only)."""

    def compose(self) -> ComposeResult:
        yield Static(id="step-lines", markup=False)

    def show(self, state: CycleState, definition: SopDefinition) -> None:
        self.query_one("#step-lines", Static).update(render_steps(state, definition))
        numbers = [s.number for s in definition.steps]
        if state.current_step in numbers:  # keep the current step in sight (two lines a step)
            line = numbers.index(state.current_step) * 2
            self.call_after_refresh(self.scroll_to, y=max(line - 4, 0), animate=False)
