"""Hostile text in every input: stored and read back unchanged, written to the report, shown in
the interface, without an error."""

from __future__ import annotations

import pytest

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
]

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


@pytest.fixture
def hostile_cycle(data_dir):
    defs = data_dir / "no-defs" / "uji"
    defs.mkdir(parents=True)
    (defs / "teks.toml").write_text(DEFINITION, encoding="utf-8")
    app = open_app(data_dir)
    roles = {"camat": Person(name=HOSTILE[3], nip=HOSTILE[8], rank=HOSTILE[7])}
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
    assert state.roles["camat"] == Person(name=HOSTILE[3], nip=HOSTILE[8], rank=HOSTILE[7])
    rows = open_app(data_dir).overview().rows
    assert [r.cycle_id for r in rows] == [hostile_cycle]


def test_hostile_text_goes_into_the_word_report(data_dir, hostile_cycle, tmp_path):
    report = pytest.importorskip("langkah.report")
    view = open_app(data_dir).open_cycle(hostile_cycle)
    path = report.export_report(view, tmp_path / "laporan.docx")
    assert path.exists() and path.stat().st_size > 0


async def test_hostile_text_is_shown_in_the_interface(data_dir, hostile_cycle):
    app_module = pytest.importorskip("langkah.tui.app")
    from tests.fault.conftest import NOW
    from tests.tui.conftest import settle

    service = open_app(data_dir)
    app = app_module.LangkahApp(service, clock=lambda: NOW, blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_run(hostile_cycle)
        await settle(pilot)
        assert app.screen.__class__.__name__ == "RunScreen"
        assert app.screen.view is not None  # loaded by its worker and shown
        assert app.screen.view.state.cycle_id == hostile_cycle
        app.open_timeline(hostile_cycle)
        await settle(pilot)
        assert app.screen.__class__.__name__ == "TimelineScreen"
        assert len(app.screen.events) == len(service.events(hostile_cycle))
    assert app.return_code in (None, 0)
