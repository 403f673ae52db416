"""Each bundled SOP, drawn as a Word document in every layout, imports back to the same
definition: the models are compared field by field (comments aside).

What a Word SOP does not hold is named here, not hidden: identifiers (actor and input ids are
made from the titles and labels, so they are compared by position), the `format` number (a draft
is format 2) and the time zone (given with --timezone where it is not WIB Asia/Jakarta).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from langkah.engine.loader import parse_definition
from langkah.importer.draft_builder import import_docx
from tests.importer.sop_docx import LAYOUTS, build_docx

ROOT = Path(__file__).resolve().parents[2] / "sop_definitions"
BUNDLED = {
    "dawarblandong/pengukuran-data-kinerja": None,
    "kalipare/pengukuran-kinerja": None,
    "mentebah/pengukuran-kinerja": "Asia/Pontianak",
}


def canonical(definition: Any) -> dict[str, Any]:
    """The model as data, with ids replaced by their positions and `format` dropped."""
    data = definition.model_dump()
    data.pop("format")
    actor_ids = {a["id"]: f"actor{n}" for n, a in enumerate(data["actors"])}
    for actor in data["actors"]:
        actor["id"] = actor_ids[actor["id"]]
    for step in data["steps"]:
        step["actors"] = tuple(actor_ids[a] for a in step["actors"])
        for n, item in enumerate(step["inputs"]):
            item["id"] = f"input{n}"
    return data


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        out = []
        for key in sorted(set(want) | set(got)):
            out += differences(got.get(key), want.get(key), f"{path}.{key}")
        return out
    if isinstance(want, list | tuple) and isinstance(got, list | tuple) and len(got) == len(want):
        out = []
        for n, (g, w) in enumerate(zip(got, want, strict=True)):
            out += differences(g, w, f"{path}[{n}]")
        return out
    return [] if got == want else [f"{path}: imported {got!r}, bundled {want!r}"]


def load(sop_id: str) -> Any:
    path = ROOT / f"{sop_id}.toml"
    return parse_definition(path.read_text(encoding="utf-8"), str(path)).definition


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
@pytest.mark.parametrize("sop_id", sorted(BUNDLED))
def test_bundled_sop_round_trips_through_word(sop_id: str, layout: Any, tmp_path: Path) -> None:
    bundled = load(sop_id)
    docx_path = build_docx(bundled, layout, tmp_path / "sop.docx")
    draft = import_docx(docx_path, BUNDLED[sop_id])
    imported = parse_definition(draft.text, "draft.toml").definition  # validates as written
    assert differences(canonical(imported), canonical(bundled)) == []
    assert imported.format == 2
    # ids are made from the titles and labels, and stay valid and unique
    assert len({a.id for a in imported.actors}) == len(bundled.actors)


def test_the_comparison_sees_a_wrong_field(tmp_path: Path) -> None:
    """The comparison is not blind: one changed value is reported with its path."""
    bundled = load("kalipare/pengukuran-kinerja")
    data = canonical(bundled)
    changed = canonical(bundled)
    changed["steps"][2]["time"] = "2 Jam"
    assert differences(changed, data) == [".steps[2].time: imported '2 Jam', bundled '1 Jam'"]
