"""The evaluation form: six criteria, answers only where the cycle's record shows them."""

from __future__ import annotations

import docx

from langkah.report import export_report
from langkah.report.evaluation import CRITERIA, TICK, TITLE, evaluation_rows
from tests.report import scenarios
from tests.report.docx_text import is_header_row, table_rows


def answers(view) -> dict[str, bool | None]:
    return {row.criterion: row.answer for row in evaluation_rows(view)}


def test_the_regulation_criteria_in_order(app, clock):
    rows = evaluation_rows(scenarios.kalipare(app, clock))
    assert [r.criterion for r in rows] == list(CRITERIA)
    assert [r.no for r in rows] == [1, 2, 3, 4, 5, 6]
    assert CRITERIA[3] == "Semua orang dapat menjalankan perannya masing-masing"


def test_finished_with_a_return_prefills_roles_and_problem_solving(app, clock):
    view = scenarios.dawarblandong(app, clock)
    rows = {row.criterion: row for row in evaluation_rows(view)}
    assert rows["Semua orang dapat menjalankan perannya masing-masing"].answer is True
    solved = rows["Mampu mengatasi permasalahan yang berkaitan dengan proses"]
    assert solved.answer is True
    assert "langkah 9 (1 kali)" in solved.note
    easy = rows["Mudah dilaksanakan"]
    assert easy.answer is None
    assert "12 dari 13 pelaksanaan langkah" in easy.note and "(92%)" in easy.note
    for criterion in (CRITERIA[0], CRITERIA[1], CRITERIA[5]):
        assert rows[criterion].answer is None and rows[criterion].note == ""


def test_finished_without_a_return_leaves_problem_solving_blank(app, clock):
    result = answers(scenarios.kalipare(app, clock))
    assert result[CRITERIA[3]] is True
    assert result[CRITERIA[4]] is None


def test_cancelled_and_unfinished_cycles_answer_nothing(app, clock):
    cancelled = scenarios.cancelled(app, clock)
    assert set(answers(cancelled).values()) == {None}
    notes = [r.note for r in evaluation_rows(cancelled) if r.note]
    assert notes and all(
        n.startswith("Siklus dibatalkan pada langkah 3: Data kinerja") for n in notes
    )
    running = scenarios.dawarblandong(app, clock, finish=False)
    assert set(answers(running).values()) == {None}
    assert any("Siklus belum selesai (langkah 5)" in r.note for r in evaluation_rows(running))


def test_form_in_the_document(app, clock, tmp_path):
    view = scenarios.dawarblandong(app, clock)
    document = docx.Document(str(export_report(view, tmp_path / "r.docx")))
    heading = next(p for p in document.paragraphs if p.text == f"H. {TITLE}")  # lettered A-I
    assert heading.style.name == "Heading 1"
    table = next(t for t in document.tables if t.rows[0].cells[1].text.startswith("Penilaian"))
    rows = table_rows(table)
    assert rows[0] == ["No", "Penilaian terhadap penerapan", "Ya", "Tidak", "Catatan"]
    assert is_header_row(table._tbl.tr_lst[0])
    assert [r[2] for r in rows[1:]] == ["", "", "", TICK, TICK, ""]
    assert all(r[3] == "" for r in rows[1:])
    for tr in table._tbl.tr_lst:
        assert tr.trPr.xpath("w:cantSplit")
    # the form keeps together: every row but the last holds on to the next
    for row in table.rows[:-1]:
        assert all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
