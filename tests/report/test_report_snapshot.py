"""The document's text structure compared with a stored snapshot.

After an intended change, update the stored files with:
    LANGKAH_UPDATE_SNAPSHOTS=1 pytest tests/report/test_report_snapshot.py
and review the diff (git diff tests/report/snapshots/).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from langkah.report import build_document
from tests.report import scenarios
from tests.report.docx_text import header_texts, structure

SNAPSHOTS = Path(__file__).parent / "snapshots"


def normalized(view) -> str:
    document = build_document(view)
    lines = header_texts(document) + structure(document)
    text = "\n".join(re.sub(r" {2,}", " ", line) for line in lines) + "\n"
    text = text.replace(view.state.cycle_id, "<CYCLE>")
    return re.sub(r"definisi [0-9a-f]{12}", "definisi <DIGEST>", text)


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("dawarblandong", scenarios.dawarblandong),
        ("cancelled", scenarios.cancelled),
    ],
)
def test_text_structure_matches_the_snapshot(app, clock, name, build):
    actual = normalized(build(app, clock))
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("LANGKAH_UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path} differs; see the module docstring to update it"
