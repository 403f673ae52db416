"""The overview's problems line (a cycle file that is not read) in the chosen language."""

from __future__ import annotations

import os

import pytest

from tests.tui.conftest import settle


@pytest.mark.parametrize(
    ("lang", "said", "other"),
    [
        ("id", "1 berkas tidak terbaca: ", "skipped"),
        ("en", "1 files unreadable: ", "dilewati"),
    ],
)
@pytest.mark.parametrize("kind", ["fifo", "symlink", "damaged-json"])
async def test_the_overview_names_a_file_not_read_in_the_chosen_language(
    demo_service, make_app, tmp_path, lang, said, other, kind
):
    odd = tmp_path / "data" / "cycles" / "aneh-0001.json"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "symlink":
        os.symlink("/etc/passwd", odd)
    else:
        odd.write_text('{"cycle": \n', encoding="utf-8")
    why = {
        ("id", "fifo"): "dilewati: FIFO, bukan berkas biasa",
        ("en", "fifo"): "skipped: a FIFO, not a regular file",
        ("id", "symlink"): "dilewati: tautan simbolik",
        ("en", "symlink"): "skipped: a symbolic link",
        ("id", "damaged-json"): "berkas penyimpanan rusak (bukan JSON yang sah",
        ("en", "damaged-json"): "damaged store file (not valid JSON",
    }[lang, kind]
    app = make_app(demo_service, lang=lang)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        shown = [n.message for n in app._notifications]
        line = next((m for m in shown if said in m), None)
        assert line is not None, shown
        assert f"{said}{odd}: {why}" in line and other not in line
