"""The overview's title line and key line: Textual's Header and Footer drawn by one widget each.

Textual's Header is four widgets (icon, title, clock space) and its Footer one widget per key
(nine on the overview), each styled and laid out at start-up; these two draw the same line
(same theme variables, same places) from one widget each, so that the first screen costs
about what a bare Textual app costs (docs/performance.md). They follow the screen as Textual's
do: the title bar watches the titles, the key bar redraws when the screen's bindings change.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # Textual's HeaderIcon: docked left, 8 cells, padding 0 1
CLOCK_WIDTH = 10  # Textual's HeaderClockSpace: docked right, 10 cells


class TitleBar(Widget):
    """One line on top: the icon (a click opens the command palette), then the screen's (or
    else the app's) title and sub-title, centred between the icon and a clock-wide margin."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._title_changed, init=False)
            self.watch(node, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        middle = max(0, self.size.width - ICON_WIDTH - CLOCK_WIDTH)
        return Content.assemble(
            f" {ICON}".ljust(ICON_WIDTH),
            app.format_title(title, sub_title).center(middle, ellipsis=True),
            " " * CLOCK_WIDTH,
        )

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH:
            self.app.action_command_palette()


class KeyBar(Widget):
    """One line at the bottom: the keys the screen offers now (dimmed when not allowed), the
    command palette's key on the right; a click on a key presses it."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--palette-border"}
    # The styles of Textual's Footer and FooterKey (non-compact), on one widget.
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--palette-border {
            color: $foreground 20%;
        }
    }
    KeyBar.-wrap {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, wrap: bool = False) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str, bool]] = []  # (start, end, key, enabled)
        self.wrap = wrap
        """Wrap onto more lines when the keys do not fit the width (else they are cut)."""
        self._line_spans: list[tuple[int, int, int, str, bool]] = []  # (y, start, end, ...)
        self.set_class(wrap, "-wrap")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def _key(self, key: str, description: str, enabled: bool) -> Content:
        """One key as FooterKey draws it: " key " and "description " (dim when not allowed)."""
        parts = [(f" {key} ", self.get_visual_style("key-bar--key"))]
        if description:
            parts.append((f"{description} ", self.get_visual_style("key-bar--description")))
        content = Content.assemble(*parts)
        return content if enabled else content.stylize("dim")

    def render(self) -> Content:
        if self.wrap:
            return Content("\n").join(self._wrapped(self.size.width))
        app = self.app
        active = self.screen.active_bindings
        shown: dict[str, tuple[str, str, str, bool]] = {}  # action: (key, display, text, on)
        # A screen may choose which of an action's keys is named now (`key_bar_shows`).
        choose = getattr(self.screen, "key_bar_shows", None)
        for _node, binding, enabled, _tooltip in active.values():
            if choose is not None and not choose(binding):
                continue
            if binding.show and binding.action not in shown:  # one key per action, as Footer
                display = app.get_key_display(binding)
                shown[binding.action] = (binding.key, display, binding.description, enabled)
        parts: list[Content] = []
        spans: list[tuple[int, int, str, bool]] = []
        offset = 0
        for key, display, description, enabled in shown.values():
            part = self._key(display, description, enabled)
            spans.append((offset, offset + part.cell_length, key, enabled))
            offset += part.cell_length
            parts.append(part)
        line = Content.assemble(*parts)
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if palette is not None:  # Footer's: docked right, a vkey border, compact, padding right
            _node, binding, enabled, _tooltip = palette
            _base, background = self.background_colors
            border = background + self.get_component_styles("key-bar--palette-border").color
            right = Content.assemble(
                ("▏", border.hex),
                (app.get_key_display(binding), self.get_visual_style("key-bar--key")),
                (f" {binding.description}", self.get_visual_style("key-bar--description")),
                " ",
            )
            if not enabled:
                right = right.stylize("dim")
            start = max(offset, self.size.width - right.cell_length)
            spans.append((start + 1, start + right.cell_length - 1, binding.key, enabled))
            line = line.pad_right(start - offset) + right
        self._spans = spans
        return line

    def _wrapped(self, width: int) -> list[Content]:
        """The keys laid out on as many lines of `width` cells as they need (never a key cut
        in two); the palette's key at the right of the last line. Records the click spans."""
        app = self.app
        active = self.screen.active_bindings
        choose = getattr(self.screen, "key_bar_shows", None)
        shown: dict[str, tuple[str, str, str, bool]] = {}
        for _node, binding, enabled, _tooltip in active.values():
            if choose is not None and not choose(binding):
                continue
            if binding.show and binding.action not in shown:
                shown[binding.action] = (
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    enabled,
                )
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        items = [
            (self._key(display, description, enabled), key, enabled)
            for key, display, description, enabled in shown.values()
        ]
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            part = self._key(app.get_key_display(binding), binding.description, enabled)
            items.append((part, binding.key, enabled))
        width = max(width, 1)
        lines: list[list[Content]] = [[]]
        used = 0
        spans: list[tuple[int, int, int, str, bool]] = []
        for part, key, enabled in items:
            if used and used + part.cell_length > width:
                lines.append([])
                used = 0
            spans.append((len(lines) - 1, used, used + part.cell_length, key, enabled))
            lines[-1].append(part)
            used += part.cell_length
        self._line_spans = spans
        return [Content.assemble(*line) for line in lines]

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self._wrapped(width)) if self.wrap else 1

    def on_click(self, event: events.Click) -> None:
        if self.wrap:
            for y, start, end, key, enabled in self._line_spans:
                if y == event.y and start <= event.x < end:
                    if enabled:
                        self.app.simulate_key(key)
                    else:
                        self.app.bell()
                    return
            return
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
