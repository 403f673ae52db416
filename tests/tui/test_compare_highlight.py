"""The variants comparison highlights the cells that differ, with a marker kept without colour."""

from __future__ import annotations

import os
import time

import pytest

from langkah.sop_table import step_differences
from langkah.tui.presenters.variants import DIFFERS, step_block
from langkah.tui.screens.variants import CompareScreen
from langkah.tui.strings import set_language
from tests.tui.conftest import settle


@pytest.fixture(autouse=True)
def indonesian():
    set_language("id")


def _marked(text) -> list[str]:
    """The highlighted runs of a rich Text: what each span styled 'reverse' covers."""
    return [
        text.plain[span.start : span.end] for span in text.spans if "reverse" in str(span.style)
    ]


def test_only_the_changed_cell_is_marked_and_highlighted(service):
    definition = service.catalog.get("kalipare").definition
    step = definition.steps[1]
    changed = step.model_copy(update={"time": "45 menit"})
    differs = step_differences(definition, step, definition, changed)
    assert differs == {"time"}
    left, right = step_block(definition, step, differs), step_block(definition, changed, differs)
    assert _marked(left) == [DIFFERS + step.time] and _marked(right) == ["*45 menit"]
    assert left.plain.count(DIFFERS) == 1 and "*45 menit" in right.plain
    same = step_block(definition, step, step_differences(definition, step, definition, step))
    assert DIFFERS not in same.plain and _marked(same) == []


def test_different_variants_mark_actor_activity_and_remarks(service):
    daw = service.catalog.get("dawarblandong").definition
    men = service.catalog.get("mentebah").definition
    differs = step_differences(daw, daw.step(9), men, men.step(8))
    block = step_block(daw, daw.step(9), differs)
    marked = _marked(block)
    assert f"{DIFFERS}Sekcam" in marked
    assert any(m.startswith(f"{DIFFERS}Sekcam menganalisa") for m in marked)
    assert any("tidak setuju → langkah 7" in m for m in marked)  # where "tidak" goes


def test_a_different_symbol_shows_each_sides_symbol(service):
    daw = service.catalog.get("dawarblandong").definition
    kal = service.catalog.get("kalipare").definition
    differs = step_differences(daw, daw.step(6), kal, kal.step(6))
    assert "symbol" in differs
    assert f"{DIFFERS}▭" in _marked(step_block(daw, daw.step(6), differs))
    assert f"{DIFFERS}⬭" in _marked(step_block(kal, kal.step(6), differs))


async def test_the_compare_screen_marks_differing_cells(service, make_app):
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(CompareScreen("kalipare/pengukuran-kinerja", "kalipare/pengukuran-kinerja"))
        await settle(pilot)
        cells = [str(c.render()) for c in app.screen.query(".compare-cell")]
        assert len(cells) == 2 + 2 * 6 and not any(DIFFERS in c for c in cells[2:])
        app.pop_screen()
        app.push_screen(CompareScreen("kalipare/pengukuran-kinerja", "mentebah/pengukuran-kinerja"))
        await settle(pilot)
        cells = [str(c.render()) for c in app.screen.query(".compare-cell")]
        assert len(cells) == 2 + 2 * 8
        assert cells[-2] == "(tidak ada langkah)"  # kalipare has 6 steps, mentebah 8
        assert cells[-1].count(DIFFERS) >= 4  # a step with no counterpart differs everywhere


async def test_a_definition_broken_after_it_was_listed_is_said_not_crashed(tmp_path, make_app):
    from langkah.catalog import bundled_dir
    from langkah.service import Langkah
    from langkah.tui.screens.variants import VariantsScreen
    from tests.tui.conftest import fixed_clock

    path = tmp_path / "defs" / "aaa" / "sop.toml"
    path.parent.mkdir(parents=True)
    text = (bundled_dir() / "kalipare" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    os.utime(path, (time.time() - 3600, time.time() - 3600))
    (tmp_path / "data").mkdir()
    Langkah.open(tmp_path / "data", tmp_path / "defs").catalog.summaries()  # the index
    service = Langkah.open(tmp_path / "data", tmp_path / "defs", clock=fixed_clock)
    assert "aaa/sop" in service.catalog.summaries()  # listed valid from the index, not parsed
    path.write_text(text.replace("[[steps]]", "[[steps]", 1), encoding="utf-8")
    os.utime(path, (time.time() - 3600, time.time() - 3600))  # edited since the listing
    app = make_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")  # the first variant, aaa/sop, is highlighted and shown
        await settle(pilot)
        assert isinstance(app.screen, VariantsScreen)
        status = str(app.screen.query_one("#status-line").render())
        assert "aaa/sop" in status and "has errors" in status
        await pilot.press("down")  # the others still show
        await settle(pilot)
        assert app.screen.query_one("#variant-steps").row_count == 11
