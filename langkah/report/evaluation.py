"""The evaluation form of PermenPAN-RB 35/2012 ("Evaluasi Penerapan SOP AP"): Ya/Tidak per
criterion, with a note.

`evaluation_rows(view)` pre-fills an answer only where the cycle's record shows it, and says
on what basis; every other answer is left blank for the evaluator to tick:

- "Semua orang dapat menjalankan perannya masing-masing": Ya when the cycle finished (every
  step it reached was completed by its pelaksana and the procedure ran to its end);
- "Mampu mengatasi permasalahan yang berkaitan dengan proses": Ya when a decision sent work
  back at least once and the cycle still finished (the SOP's own check caught a problem and it
  was put right);
- "Mudah dilaksanakan": not ticked (being late is not proof of difficulty), but the note gives
  the share of steps done within their standard time.

An unfinished or cancelled cycle gets no answer at all, only notes saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from langkah.engine.cycle import CycleStatus
from langkah.engine.timing import TimeStatus
from langkah.report import plain_cells as plain
from langkah.report import styles
from langkah.report.sanitize import clean
from langkah.views import CycleView

if TYPE_CHECKING:
    from docx.document import Document

TITLE = "Evaluasi Penerapan SOP"
CRITERIA = (
    "Mampu mendorong peningkatan kinerja",
    "Mudah dipahami",
    "Mudah dilaksanakan",
    "Semua orang dapat menjalankan perannya masing-masing",
    "Mampu mengatasi permasalahan yang berkaitan dengan proses",
    "Mampu menjawab kebutuhan peningkatan kinerja organisasi",
)
EASY, ROLES, PROBLEMS = 2, 3, 4  # indexes of the criteria the record speaks to
INTRO = (
    "Penilaian terhadap penerapan SOP menurut PermenPAN-RB Nomor 35 Tahun 2012. Jawaban yang "
    "sudah terisi disimpulkan dari catatan pelaksanaan siklus ini (dasarnya tertulis pada "
    "kolom Catatan); jawaban lain diisi oleh penilai."
)
TICK = "√"


@dataclass(frozen=True)
class EvaluationRow:
    """One criterion: its answer (None: for the evaluator) and the note that backs it."""

    no: int
    criterion: str
    answer: bool | None = None
    note: str = ""


def _on_time_note(view: CycleView) -> str:
    done = [t for t in view.timing.visits if not t.running]
    timed = [t for t in done if t.status != TimeStatus.NO_STANDARD]
    if not timed:
        return "Tidak ada langkah berwaktu standar yang selesai dilaksanakan."
    on_time = sum(1 for t in timed if t.status != TimeStatus.OVERDUE)
    share = round(100 * on_time / len(timed))
    return (
        f"{on_time} dari {len(timed)} pelaksanaan langkah berwaktu standar selesai dalam "
        f"waktu standar ({share}%)."
    )


def evaluation_rows(view: CycleView) -> list[EvaluationRow]:
    """The six criteria, with the answers and notes the cycle's record supports."""
    state = view.state
    answers: dict[int, tuple[bool | None, str]] = {}
    if state.status == CycleStatus.FINISHED:
        answers[ROLES] = (
            True,
            f"Siklus selesai: {len(state.visits)} pelaksanaan langkah diselesaikan oleh "
            "pelaksananya sampai akhir prosedur.",
        )
        if state.total_returns:
            where = ", ".join(
                f"langkah {step} ({count} kali)" for step, count in sorted(state.returns.items())
            )
            answers[PROBLEMS] = (
                True,
                f"Hasil yang belum sesuai dikembalikan pada {where} lalu diperbaiki, dan "
                "siklus selesai.",
            )
        else:
            answers[PROBLEMS] = (
                None,
                "Tidak ada pengembalian dalam siklus ini: belum teruji oleh pelaksanaan.",
            )
        answers[EASY] = (None, _on_time_note(view))
    else:
        if state.status == CycleStatus.CANCELLED:
            why = f"Siklus dibatalkan pada langkah {state.visits[-1].step}"
            why += f": {state.end_reason}." if state.end_reason else "."
        else:
            why = f"Siklus belum selesai (langkah {state.current_step})."
        for index in (EASY, ROLES, PROBLEMS):
            answers[index] = (None, why + " Diisi oleh penilai.")
    rows = []
    for index, criterion in enumerate(CRITERIA):
        answer, note = answers.get(index, (None, ""))
        rows.append(EvaluationRow(index + 1, criterion, answer, note))
    return rows


# -- docx ---------------------------------------------------------------------------------------

BASE_WIDTHS = (1.0, 8.0, 1.6, 1.6, 9.0)
HEADER_FILL = "D9D9D9"


def add_evaluation_form(
    document: Document, view: CycleView, width_cm: float, title: str = TITLE
) -> None:
    """Append the evaluation form: heading, a line on how it was filled, and the table, in the
    styles of the monitoring table above it (set by id). The form keeps together on one page:
    every row holds on to the next (keep-with-next)."""
    plain.styled_paragraph(
        document, clean(title), "Heading 1"
    ).paragraph_format.keep_with_next = True
    intro = plain.styled_paragraph(document, INTRO, styles.ISIAN)
    intro.paragraph_format.keep_with_next = True
    factor = width_cm / sum(BASE_WIDTHS)
    widths = [w * factor for w in BASE_WIDTHS]
    table = plain.grid_table(document, widths)
    titles = ("No", "Penilaian terhadap penerapan", "Ya", "Tidak", "Catatan")
    header = [
        plain.cell(w, [plain.paragraph(t, styles.TABEL_KEPALA, keep_next=True)], HEADER_FILL)
        for w, t in zip(widths, titles, strict=True)
    ]
    plain.add_row(table, header, header=True)
    for item in evaluation_rows(view):
        keep = item.no < len(CRITERIA)
        texts = (
            str(item.no),
            item.criterion,
            TICK if item.answer is True else "",
            TICK if item.answer is False else "",
            item.note,
        )
        centered = (True, False, True, True, False)
        cells = [
            plain.cell(w, [plain.paragraph(clean(t), styles.TABEL, center=c, keep_next=keep)])
            for w, t, c in zip(widths, texts, centered, strict=True)
        ]
        plain.add_row(table, cells)
