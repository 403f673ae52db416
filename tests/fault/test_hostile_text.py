"""Hostile text in every input: stored and read back unchanged, written to the report, shown in
the interface, without an error."""

from __future__ import annotations

import pytest

from langkah.display import visible
from langkah.engine.cycle import Person
from tests.fault.conftest import open_app

HOSTILE = [
    "kontrol \x00\x01\x07\x08\x0b\x0c\x1b[31mmerah\x1b[0m\t\r\n\x7f\x9b akhir",
    "x" * 100_000,
    "emoji 😀👩‍👩‍👧🇮🇩 selesai",
    "مرحبا بالعالم \u202eterbalik\u202c \u200f שלום",
    'key = "value"\n[table]\n[[steps]]\nnumber = 1',
    '{"id": "x", "seq": 1, "type": "started"} ]} {"cycle":{"1":',
    "<w:p><![CDATA[x]]></w:p> &amp; <script>alert(1)</script>",
    "[bold]x[/] [/] [link=https://contoh.go.id]y[/link] [@click=app.quit]keluar[/]",
    "bad byte \udcff and lone \ud800 surrogate",
    "\ufeff\ufffe\uffff",
    "\x1b[2J\x1b]0;pwned\x07 [bold red]x[/] \x9b1m",
]
# A NIP is checked (engine/nip.py); hostile text goes through as another, marked, number.
MARKED = "NI PPPK 1 "

DEFINITION = """\
format = 1
[identity]
government = "PEMERINTAH KABUPATEN UJI"
unit = "KECAMATAN UJI"
kecamatan = "Uji"
name = "SOP Uji Teks"
[calendar]
timezone = "Asia/Jakarta"
[[actors]]
id = "camat"
title = "Camat"
[[steps]]
number = 1
activity = "Menulis uraian"
actors = ["camat"]
time = "1 hari"
  [[steps.inputs]]
  id = "uraian"
  label = "Uraian"
  type = "text"
  [[steps.inputs]]
  id = "surat"
  label = "Surat"
  type = "document"
[[steps]]
number = 2
activity = "Memeriksa uraian"
actors = ["camat"]
symbol = "decision"
time = "1 jam"
  [steps.decision]
  question = "Uraian diterima?"
  no = 1
[[steps]]
number = 3
activity = "Selesai"
actors = ["camat"]
"""

# The same SOP with hostile text in the file itself (kecamatan, name, actor, step, label, question).
HOSTILE_DEFINITION = DEFINITION
for _plain, _hostile in (
    ('kecamatan = "Uji"', 'kecamatan = "Uji \\u001b[2J"'),
    ('name = "SOP Uji Teks"', 'name = "SOP Uji Teks \\u202e[bold red]x[/]"'),
    ('title = "Camat"', 'title = "Camat \\u001b]0;pwned\\u0007"'),
    ('activity = "Menulis uraian"', 'activity = "Menulis uraian \\u009b31m \\u001b[2J"'),
    ('label = "Uraian"', 'label = "Uraian \\u001b[5m"'),
    ('question = "Uraian diterima?"', 'question = "Uraian diterima? \\u202e"'),
):
    assert _plain in HOSTILE_DEFINITION
    HOSTILE_DEFINITION = HOSTILE_DEFINITION.replace(_plain, _hostile)


@pytest.fixture
def hostile_cycle(data_dir):
    defs = data_dir / "no-defs" / "uji"
    defs.mkdir(parents=True)
    (defs / "teks.toml").write_text(HOSTILE_DEFINITION, encoding="utf-8")
    app = open_app(data_dir)
    roles = {"camat": Person(name=HOSTILE[3], nip=MARKED + HOSTILE[8], rank=HOSTILE[7])}
    cycle = app.start("uji/teks", "2026-T4", roles).state.cycle_id
    for text in HOSTILE:
        app.note(cycle, text)
    app.record_inputs(cycle, {"uraian": "\n".join(HOSTILE), "surat": f"{HOSTILE[5]};2026-10-01"})
    app.complete(cycle)
    app.answer(cycle, False, HOSTILE[7] + HOSTILE[0])
    app.pause(cycle, HOSTILE[2])
    app.resume(cycle, HOSTILE[6])
    return cycle


def test_hostile_text_is_stored_and_read_back_unchanged(data_dir, hostile_cycle):
    view = open_app(data_dir).open_cycle(hostile_cycle)
    state = view.state
    notes = [n.text for v in state.visits for n in v.notes] + [n.text for n in state.cycle_notes]
    assert sorted(notes) == sorted(HOSTILE)
    first = state.visits[0]
    assert first.inputs["uraian"] == "\n".join(HOSTILE)
    assert first.inputs["surat"]["nomor"] == HOSTILE[5].strip()
    assert state.visits[1].reason == (HOSTILE[7] + HOSTILE[0]).strip()
    assert state.roles["camat"] == Person(name=HOSTILE[3], nip=MARKED + HOSTILE[8], rank=HOSTILE[7])
    rows = open_app(data_dir).overview().rows
    assert [r.cycle_id for r in rows] == [hostile_cycle]


def test_hostile_text_goes_into_the_word_report(data_dir, hostile_cycle, tmp_path):
    report = pytest.importorskip("langkah.report")
    view = open_app(data_dir).open_cycle(hostile_cycle)
    path = report.export_report(view, tmp_path / "laporan.docx")
    assert path.exists() and path.stat().st_size > 0


def raw_characters(text: str) -> set[str]:
    """Characters that would reach the terminal raw: controls, bidi, lone surrogates, ..."""
    return {char for char in text if char != "\n" and visible(char, one_line=True) != char}


def widget_texts(screen) -> dict[str, str]:
    """What each widget of a screen shows, in full (not only the part on screen), and what the
    screen as a whole sends to the terminal (its rendered strips, toasts and dialogs included)."""
    from textual.widgets import DataTable, Input

    texts = {"title": f"{screen.title} {screen.sub_title}"}
    for widget in screen.query("*"):
        name = f"{type(widget).__name__}#{widget.id}"
        if isinstance(widget, DataTable):
            rows = [widget.get_row_at(i) for i in range(widget.row_count)]
            texts[name] = "\n".join(" | ".join(str(cell) for cell in row) for row in rows)
        elif isinstance(widget, Input):
            texts[name] = widget._value.plain  # what the field draws, not its exact value
        elif hasattr(widget, "visual") and widget.visual is not None:
            rendered = widget.visual
            texts[name] = getattr(rendered, "plain", str(rendered))
    strips = screen._compositor.render_strips()
    texts["terminal"] = "\n".join("".join(seg.text for seg in strip) for strip in strips)
    return texts


def assert_nothing_raw(screen) -> str:
    """No widget of `screen` shows a raw control or bidi character; returns all its text."""
    texts = widget_texts(screen)
    raw = {name: raw_characters(text) for name, text in texts.items()}
    assert {name: chars for name, chars in raw.items() if chars} == {}
    return "\n".join(texts.values())


def stored_log(data_dir, cycle_id):
    return [e.model_dump(mode="json") for e in open_app(data_dir).events(cycle_id)]


async def test_hostile_text_is_shown_in_the_interface(data_dir, hostile_cycle):
    """Run screen, timeline, overview and toasts show every hostile character visibly (\\x1b),
    markup literally, and showing the cycle changes nothing that is stored."""
    app_module = pytest.importorskip("langkah.tui.app")
    from tests.fault.conftest import NOW
    from tests.tui.conftest import settle

    service = open_app(data_dir)
    service.record_inputs(hostile_cycle, {"uraian": HOSTILE[10]})
    for text in (HOSTILE[1], HOSTILE[10], HOSTILE[7]):  # notes on the step now shown
        service.note(hostile_cycle, text)
    service.update_roles(
        hostile_cycle, {"camat": Person(name=HOSTILE[10], nip=MARKED + HOSTILE[3], rank=HOSTILE[0])}
    )
    before = stored_log(data_dir, hostile_cycle)
    app = app_module.LangkahApp(service, clock=lambda: NOW, blink=False)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        shown = assert_nothing_raw(app.screen)  # the overview
        assert "Uji \\x1b[2J" in shown

        app.open_run(hostile_cycle)
        await settle(pilot)
        screen = app.screen
        assert screen.__class__.__name__ == "RunScreen"
        assert screen.view is not None and screen.view.state.cycle_id == hostile_cycle
        shown = assert_nothing_raw(screen)
        assert "\\x1b]0;pwned\\x07 [bold red]x[/] \\x9b1m" in shown  # a note, literally
        assert "Menulis uraian \\x9b31m" in shown  # the step's activity, from the file
        assert "x" * 1000 in shown  # the 100k-character note is there
        assert "[bold]x[/] [/] [link=https://contoh.go.id]y[/link]" in shown  # markup, literally

        # a refusal quoting what was typed, in the status line and a toast; the screen's own
        # work (loading, rebuilding its form) is over first, so it cannot rebuild over this
        await screen._jobs_settled()
        await pilot.pause()
        await screen.query_one("#form").set_step(screen.view.definition.steps[0], {})
        for _ in range(100):  # a loaded machine composes the rows' fields a little later
            if screen.query("#in-surat-nomor") and screen.query("#in-surat-tanggal"):
                break
            await pilot.pause(0.02)
        tanggal = screen.query_one("#in-surat-tanggal")
        screen.query_one("#in-surat-nomor").value = "1"
        tanggal.value = HOSTILE[10]
        toasts: list[str] = []
        notify = app.notify

        def capture(message, **options):  # what the toast will show, as handed to Textual
            toasts.append(message)
            notify(message, **options)

        app.notify = capture
        screen.say(f"{HOSTILE[10]} {HOSTILE[3]}", error=True)
        await pilot.pause()
        app.notify = notify
        assert toasts, "a toast is shown"
        for message in toasts:
            assert raw_characters(message) == set()
        shown = assert_nothing_raw(screen)
        assert "\\x1b[2J" in shown

        app.open_timeline(hostile_cycle)
        await settle(pilot)
        for _ in range(500):  # on a loaded machine the pushed screen loads a little later
            if app.screen.__class__.__name__ == "TimelineScreen" and app.screen.events:
                break
            await pilot.pause(0.02)
            await settle(pilot)
        assert app.screen.__class__.__name__ == "TimelineScreen"
        assert len(app.screen.events) == len(service.events(hostile_cycle))
        shown = assert_nothing_raw(app.screen)
        assert "\\u202eterbalik" in shown
    assert app.return_code in (None, 0)
    assert stored_log(data_dir, hostile_cycle) == before  # showing it changed nothing stored
    view = open_app(data_dir).open_cycle(hostile_cycle)
    assert view.state.current.inputs["uraian"] == HOSTILE[10]
