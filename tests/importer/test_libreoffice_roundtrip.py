"""The fixture documents re-saved by a real word processor (LibreOffice Writer, .docx out)
still import to the bundled definitions. LibreOffice rewrites every shape its own way (its own
mc:AlternateContent and VML fallback, drops the text-box flag of label boxes, moves anchors), so
this checks the importer against Word files it did not write itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from langkah.engine.loader import parse_definition
from langkah.importer.draft_builder import import_docx
from tests.importer.sop_docx import LAYOUTS, build_docx
from tests.importer.test_roundtrip import BUNDLED, canonical, differences, load

pytestmark = pytest.mark.needs_libreoffice

KEPT = LAYOUTS


@pytest.fixture(scope="module")
def resaved(tmp_path_factory) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    root = tmp_path_factory.mktemp("lo-import")
    source, out = root / "in", root / "out"
    source.mkdir()
    out.mkdir()
    for sop_id in BUNDLED:
        for layout in KEPT:
            name = f"{sop_id.replace('/', '__')}__{layout.name}.docx"
            build_docx(load(sop_id), layout, source / name)
    profile = root / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(out), *sorted(map(str, source.glob("*.docx")))],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("layout", KEPT, ids=[layout.name for layout in KEPT])
@pytest.mark.parametrize("sop_id", sorted(BUNDLED))
def test_resaved_by_libreoffice_still_imports(resaved: Path, sop_id: str, layout) -> None:
    document = resaved / f"{sop_id.replace('/', '__')}__{layout.name}.docx"
    assert document.exists(), f"LibreOffice wrote no {document.name}"
    draft = import_docx(document, BUNDLED[sop_id])
    imported = parse_definition(draft.text, "draft.toml").definition
    assert differences(canonical(imported), canonical(load(sop_id))) == []
