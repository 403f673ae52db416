"""The overview's title line and key line: Textual's Header and Footer drawn by one widget each.

Textual's Header is four widgets (icon, title, clock space) and its Footer one widget per key
(nine on the overview), each styled and laid out at start-up; these two draw the same line
(same theme variables, same places) from one widget each, so that the first screen costs
about what a bare Textual app costs (docs/performance.md). They follow the screen as Textual's
do: the title bar watches the titles, the key bar redraws when the screen's bindings change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.content import Content
from textual.widget import Widget

from langkah.tui.strings import short_labels

if TYPE_CHECKING:
    from textual.binding import Binding

ICON = "⭘"
ICON_WIDTH = 8  # Textual's HeaderIcon: docked left, 8 cells, padding 0 1
CLOCK_WIDTH = 10  # Textual's HeaderClockSpace: docked right, 10 cells
DEMO = "DEMO"  # on the right of the title bar while the app runs on demo data (--demo)
HELP_ACTIONS = ("help", "app.help")  # its description is the last one shortened
ELLIPSIS = "…"


def _width(texts: list[str], keys: list[int]) -> int:
    """Cells taken by keys drawn as " key " plus "description " (none when empty)."""
    return sum(k + 2 + (len(text) + 1 if text else 0) for k, text in zip(keys, texts, strict=True))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + ELLIPSIS


def _fits(texts: list[str], keys: list[int], room: int) -> bool:
    return _width(texts, keys) <= room


def shorten(
    texts: list[str], helps: list[bool], keys: list[int], room: int, short: dict[str, str]
) -> list[str]:
    """The key descriptions, shortened until every key fits in `room` cells.

    First the short labels (`short`: description -> its short form, from the strings table);
    then each description but help's cut to the longest length that fits, with an ellipsis;
    then, if the keys alone are still too wide, those descriptions dropped; help's last. So
    the bar always shows the help key, and is never cut before it.
    """
    if _fits(texts, keys, room):
        return texts
    texts = [short.get(text, text) for text in texts]
    if _fits(texts, keys, room):
        return texts
    pairs = list(zip(texts, helps, strict=True))
    longest = max((len(text) for text, helped in pairs if not helped), default=0)
    for limit in range(longest - 1, 3, -1):
        cut = [text if helped else _cut(text, limit) for text, helped in pairs]
        if _fits(cut, keys, room):
            return cut
    bare = [text if helped else "" for text, helped in pairs]
    if _fits(bare, keys, room):
        return bare
    return ["" for _ in texts]


def _centered(content: Content, width: int) -> Content:
    """`content` centred in exactly `width` cells (Textual 8.2's Content.center pads the right
    by the whole remaining width, so the line overflowed and hid what follows it)."""
    content = content.rstrip().truncate(width, ellipsis=True)
    left = (width - content.cell_length) // 2
    return content.pad(left, max(width - left - content.cell_length, 0))


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
        demo = getattr(app, "demo_folder", None) is not None
        marker = Content.styled(DEMO.center(CLOCK_WIDTH), "bold reverse") if demo else None
        return Content.assemble(
            f" {ICON}".ljust(ICON_WIDTH),
            _centered(app.format_title(title, sub_title), middle),
            marker if marker is not None else " " * CLOCK_WIDTH,
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
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        right = self._palette(palette[1], palette[2]) if palette is not None else None
        items = list(shown.items())
        keys = [(key, display, enabled) for _action, (key, display, _text, enabled) in items]
        texts = [text for _action, (_key, _display, text, _enabled) in items]
        helps = [action in HELP_ACTIONS for action, _ in items]
        width = self.size.width
        sizes = [len(display) for _k, display, _e in keys]
        short = short_labels()
        if right is not None and not _fits(
            [short.get(x, x) for x in texts], sizes, width - right.cell_length
        ):
            right = None  # a narrow bar: the screen's keys before the palette's (also in F1)
        room = width - (right.cell_length if right is not None else 0)
        texts = shorten(texts, helps, sizes, room, short)
        parts: list[Content] = []
        spans: list[tuple[int, int, str, bool]] = []
        offset = 0
        for (key, display, enabled), description in zip(keys, texts, strict=True):
            part = self._key(display, description, enabled)
            spans.append((offset, offset + part.cell_length, key, enabled))
            offset += part.cell_length
            parts.append(part)
        line = Content.assemble(*parts)
        if right is not None and palette is not None:  # Footer's: docked right, a vkey border
            start = max(offset, self.size.width - right.cell_length)
            spans.append((start + 1, start + right.cell_length - 1, palette[1].key, palette[2]))
            line = line.pad_right(start - offset) + right
        self._spans = spans
        return line

    def _palette(self, binding: Binding, enabled: bool) -> Content:
        """The command palette's key as Footer draws it: a vkey border, compact, padded."""
        _base, background = self.background_colors
        border = background + self.get_component_styles("key-bar--palette-border").color
        right = Content.assemble(
            ("▏", border.hex),
            (self.app.get_key_display(binding), self.get_visual_style("key-bar--key")),
            (f" {binding.description}", self.get_visual_style("key-bar--description")),
            " ",
        )
        return right if enabled else right.stylize("dim")

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
