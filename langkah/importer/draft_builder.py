"""Turning what was read from the Word document into the commented TOML draft.

Every value the document does not state plainly carries a comment saying how it was read; what
cannot be decided gets a `# PERIKSA:` comment (and, where a required value is missing, is left
out, so that `langkah validate` refuses the draft until someone decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from langkah.importer.docx_reading import open_document
from langkah.importer.errors import ImportFailure
from langkah.importer.identity import IdentityBlock, kop_parts, read_identity, text_cells
from langkah.importer.table_model import FlowTable, StepRow, find_flow_table
from langkah.importer.toml_draft import DraftWriter
from langkah.importer.words import (
    NEGATIVE,
    clauses,
    identifier,
    parse_date,
    route,
    title_case,
    unique,
)

DEFAULT_TIMEZONE = "Asia/Jakarta"
_KIND_WORDS = (
    "kecamatan", "kelurahan", "desa", "dinas", "badan", "sekretariat", "bagian", "puskesmas",
)  # fmt: skip
_TIME_UNITS = {"menit": "menit", "mnt": "menit", "jam": "jam", "hari": "hari", "minggu": "minggu"}
_DOCUMENT_WORDS = re.compile(
    r"^(nota dinas|surat|laporan|undangan|keputusan|sk|berita acara|memo|disposisi)\b",
    re.IGNORECASE,
)
SECTION_NAMES = {
    "legal_basis": "Dasar Hukum",
    "qualifications": "Kualifikasi Pelaksana",
    "related": "Keterkaitan",
    "equipment": "Peralatan/Perlengkapan",
    "warnings": "Peringatan",
    "records": "Pencatatan dan Pendataan",
}


@dataclass
class Draft:
    """The draft's text, its PERIKSA items (line, text), and what it holds."""

    text: str
    checks: list[tuple[int, str]]
    steps: int
    actors: int


def import_docx(path: Path, timezone: str | None = None) -> Draft:
    """Read `path` (an SOP-AP .docx) into a draft; ImportFailure when it cannot be read."""
    document = open_document(path)
    try:
        flow = find_flow_table(document)
    except ImportFailure as error:
        raise ImportFailure(f"{path}: {error}") from None
    block = read_identity(text_cells(document), flow.table_index)
    out = DraftWriter()
    out.comment(f"Draf definisi SOP dari {path.name}, dibuat oleh `langkah import`.")
    out.comment("Komentar menyebut cara setiap nilai dibaca; periksa setiap baris PERIKSA, lalu")
    out.comment("jalankan `langkah validate` pada berkas ini.")
    out.value("format", 2)
    _time_unit(flow, out)
    out.blank()
    _identity(block, out)
    _sections(block, out)
    out.blank()
    out.header("calendar")
    if timezone:
        out.value("timezone", timezone, "zona waktu dari pilihan --timezone")
    else:
        out.check(
            "dokumen tidak menyebut zona waktu: Asia/Jakarta (WIB) diandaikan; WITA = "
            "Asia/Makassar, WIT = Asia/Jayapura, Kalimantan Barat = Asia/Pontianak"
        )
        out.value("timezone", DEFAULT_TIMEZONE)
    out.comment("jam kerja: bawaan Perpres 21/2023 (dokumen SOP tidak menyebutnya)")
    actor_ids = _actors(flow, out)
    _steps(flow, actor_ids, out)
    return Draft(out.text(), out.checks, len(flow.rows), len(flow.actors))


def _time_unit(flow: FlowTable, out: DraftWriter) -> None:
    m = re.search(r"\(\s*([a-z]+)\s*\)", flow.time_header.lower())
    if m and m.group(1) in _TIME_UNITS:
        unit = _TIME_UNITS[m.group(1)]
        out.value("time_unit", unit, f"judul kolom '{flow.time_header}': angka polos = {unit}")


# --- identity ---------------------------------------------------------------------------------


def _one(block: IdentityBlock, key: str) -> str:
    return " ".join(p for p in block.values.get(key, []) if p).strip()


def _identity(block: IdentityBlock, out: DraftWriter) -> None:
    out.header("identity")
    kop = kop_parts(block.kop)
    for key, label in (("government", "PEMERINTAH ..."), ("unit", "unit (KECAMATAN ...)")):
        if key in kop:
            out.value(key, kop[key], "dari kop")
        else:
            out.check(f'kop tidak memuat baris {label}: tulis `{key} = "..."` (wajib)')
    unit = kop.get("unit", "")
    words = re.sub(r"^KANTOR\s+", "", unit, flags=re.IGNORECASE).split()
    kind = words[0].lower() if words and words[0].lower() in _KIND_WORDS else "other"
    name = title_case(" ".join(words[1:]) if kind != "other" else unit)
    if kind == "kecamatan":
        out.comment("unit_kind: kecamatan (bawaan), dibaca dari baris unit")
        if name:
            out.value("kecamatan", name, f"dari '{unit}'")
        else:
            out.check('nama kecamatan tidak terbaca: tulis `kecamatan = "..."`')
    elif unit:
        out.value("unit_kind", kind, f"dari '{unit}'")
        out.value("unit_name", name, "nama unit setelah kata jenisnya")
        if kind == "other":
            out.check("jenis unit tidak dikenali; periksa unit_kind, unit_name dan head_title")
    for key in ("address", "sub_unit"):
        if key in kop:
            out.value(key, kop[key], "dari kop")
    number = _one(block, "number")
    if number and number not in ("-", "–"):
        out.value("number", number, "Nomor SOP, tertulis apa adanya")
    else:
        out.comment("Nomor SOP tidak diisi di dokumen")
    name_sop = _one(block, "name")
    if name_sop:
        out.value("name", name_sop, "Nama SOP")
    else:
        out.check('Nama SOP tidak ditemukan: tulis `name = "..."` (wajib)')
    for key, label in (("created", "Pembuatan"), ("revised", "Revisi"), ("effective", "Efektif")):
        _identity_date(key, label, _one(block, key), out)
    _approved_by(block.values.get("approved_by", []), out)


def _identity_date(key: str, label: str, text: str, out: DraftWriter) -> None:
    if not text or text in ("-", "–"):
        out.comment(f"Tanggal {label}: {'-' if text else 'tidak ada'} di dokumen, tidak ditulis")
        return
    date = parse_date(text)
    if date is not None and date.year >= 1945:
        note = "" if text == date.isoformat() else f"tertulis '{text}'"
        out.value(key, date, note)
    elif date is not None:
        out.check(f"Tanggal {label} '{text}' sebelum 1945: disimpan sebagai teks")
        out.value(key, text)
    elif key == "revised" and text.isdigit():
        out.value(key, int(text), f"tertulis '{text}': nomor revisi")
    else:
        out.check(f"Tanggal {label} '{text}' bukan tanggal lengkap: disimpan sebagai teks")
        out.value(key, text)


def _approved_by(lines: list[str], out: DraftWriter) -> None:
    lines = [line for line in lines if line.strip()]
    if not lines:
        out.comment("Disahkan oleh: kosong di dokumen, tidak ditulis")
        return
    nip = ""
    rest: list[str] = []
    for line in lines:
        m = re.match(r"^NIP\.?\s*:?\s*(.*)$", line, re.IGNORECASE)
        if m:
            nip = m.group(1).strip()
        else:
            rest.append(line)
    out.blank()
    out.header("identity.approved_by")
    out.comment("Disahkan oleh: baris pertama jabatan, lalu nama, pangkat, NIP")
    out.value("position", rest[0])
    if len(rest) > 1:
        out.value("name", rest[1])
    if len(rest) > 2:
        out.value("rank", " ".join(rest[2:]))
    if nip:
        out.value("nip", nip)


def _sections(block: IdentityBlock, out: DraftWriter) -> None:
    out.blank()
    out.header("sections")
    for key, name in SECTION_NAMES.items():
        if key not in block.sections:
            out.comment(f"{name}: tidak ditemukan di dokumen")
            continue
        items = block.sections[key]
        out.value(key, items, f"{name}" + ("" if items else ": kosong di dokumen"))


# --- actors and steps -------------------------------------------------------------------------


def _actors(flow: FlowTable, out: DraftWriter) -> list[str]:
    taken: set[str] = set()
    ids = []
    for n, actor in enumerate(flow.actors, start=1):
        ids.append(unique(identifier(actor.title, f"pelaksana_{n}"), taken))
    for note in flow.notes:
        out.blank()
        out.comment(f"Tabel diagram alir: {note}")
    titles = [a.title.lower() for a in flow.actors]
    for actor, actor_id in zip(flow.actors, ids, strict=True):
        out.blank()
        out.header("actors", array=True)
        if titles.count(actor.title.lower()) > 1:
            out.check(f"dua kolom pelaksana berjudul '{actor.title}': satukan atau bedakan")
        out.value("id", actor_id, "dari judul kolom")
        out.value("title", actor.title, "judul kolom pelaksana")
    return ids


def _steps(flow: FlowTable, actor_ids: list[str], out: DraftWriter) -> None:
    previous: list[int] = []
    numbers = [_number(row, i) for i, row in enumerate(flow.rows)]
    for i, row in enumerate(flow.rows):
        out.blank()
        out.header("steps", array=True)
        number = numbers[i]
        if str(number) != row.number_text.strip(" ."):
            out.check(f"kolom No baris {row.row}: '{row.number_text}'; nomor {number} dipakai")
        elif numbers.count(number) > 1:
            out.check(f"nomor langkah {number} dipakai lebih dari sekali (baris {row.row})")
        out.value("number", number)
        out.value("activity", row.activity)
        actors = _step_actors(row, previous, flow, actor_ids, out)
        decision = _decision_parts(row)
        symbol = _symbol(row, i, len(flow.rows), decision, out)
        if symbol != "process":
            out.value("symbol", symbol)
        if row.time:
            merged = "time" in row.merged_from_above
            out.value("time", row.time, "sel Waktu digabung dengan baris di atas" if merged else "")
        if row.output:
            out.value("output", row.output)
        remarks = " ".join(decision.rest if symbol == "decision" else row.remarks).strip()
        if remarks:
            out.value("remarks", remarks, "Keterangan")
        _inputs(row, out)
        if symbol == "decision":
            following = numbers[i + 1] if i + 1 < len(numbers) else None
            _decision(row, decision, following, out)
        previous = actors


def _number(row: StepRow, position: int) -> int:
    text = row.number_text.strip(" .")
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else position + 1


def _step_actors(
    row: StepRow, previous: list[int], flow: FlowTable, ids: list[str], out: DraftWriter
) -> list[int]:
    found = sorted(row.actor_marks)
    if not found:
        out.check(f"tidak ada simbol di kolom pelaksana baris {row.row}: tulis actors = [...]")
        return []
    first = [a for a in previous if a in found]
    ordered = first + [a for a in found if a not in first]
    titles = ", ".join(flow.actors[a].title for a in found)
    note = f"simbol di kolom {titles}"
    if row.merged_actors:
        note += " (satu sel digabung)"
    if ordered != found:
        lead = flow.actors[ordered[0]].title
        note += f"; {lead} didahulukan: alur datang dari langkah sebelumnya"
    if len(found) > 1:
        note += "; dibaca bersama-sama (tulis handoff = true bila bergantian)"
    out.comment(f"pelaksana: {note}")
    out.value("actors", [ids[a] for a in ordered])
    return ordered


@dataclass
class _DecisionParts:
    question: str
    question_source: str
    yes: tuple[str, int] | None
    no: tuple[str, int] | None
    rest: list[str]  # keterangan text not read as the question or an exit
    yes_label: str = ""  # an arrow label without a step number ("Ya", "Setuju")
    no_label: str = ""  # ("Tidak", "Tidak lengkap")


def _decision_parts(row: StepRow) -> _DecisionParts:
    parts = _DecisionParts("", "", None, None, [])
    shape_texts = [m.text for marks in row.actor_marks.values() for m in marks if m.text]
    for source, texts in (("simbol", shape_texts), ("label", row.labels), ("ket", row.remarks)):
        for paragraph in texts:
            kept = []
            for clause in clauses(paragraph):
                exit_ = route(clause)
                if exit_ is not None:
                    label, step, negative = exit_
                    if negative and parts.no is None:
                        parts.no = (label, step)
                    elif not negative and parts.yes is None:
                        parts.yes = (label, step)
                    continue
                if clause.endswith("?") and not parts.question:
                    parts.question, parts.question_source = clause, source
                    continue
                if source == "simbol" and not parts.question:
                    parts.question, parts.question_source = clause, source
                    continue
                if source == "label" and len(clause.split()) <= 3:
                    word = clause.strip(" .:")
                    if NEGATIVE.search(word):
                        parts.no_label = parts.no_label or word
                    else:
                        parts.yes_label = parts.yes_label or word
                    continue
                kept.append(clause)
            if source == "ket" and kept:
                parts.rest.append(" ".join(kept))
    return parts


def _symbol(row: StepRow, i: int, count: int, decision: _DecisionParts, out: DraftWriter) -> str:
    marks = [m for marks in row.actor_marks.values() for m in marks]
    known = [m for m in marks if m.symbol]
    sources = sorted({m.source for m in marks})
    if known:
        kinds = sorted({m.symbol for m in known if m.symbol})
        if len(kinds) > 1:
            out.check(f"simbol berbeda di baris {row.row} ({', '.join(kinds)}): dipakai {kinds[0]}")
        out.comment(f"simbol: {', '.join(sources)}")
        return known[0].symbol or "process"
    if decision.no is not None or (decision.question and decision.question_source != "simbol"):
        symbol, why = "decision", "ada pertanyaan/jalan keluar 'tidak' di baris ini"
    elif i in (0, count - 1):
        symbol, why = "terminator", "langkah pertama/terakhir"
    else:
        symbol, why = "process", "langkah di tengah tanpa keputusan"
    if marks:
        out.comment(f"simbol: {', '.join(sources)} tidak menyebut jenisnya; {symbol}: {why}")
    return symbol


def _inputs(row: StepRow, out: DraftWriter) -> None:
    items: list[str] = []
    split = False
    for paragraph in row.inputs:
        text = re.sub(r"^\s*(\d{1,3}[.)]|[-•▪●·*–])\s+", "", paragraph).strip()
        parts = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
        split = split or len(parts) > 1
        items += parts
    items = [i for i in items if i not in ("-", "–")]
    if not items:
        return
    if split:
        out.comment(f"Kelengkapan '{'; '.join(row.inputs)}': satu isian per butir")
    out.indent = "  "
    taken: set[str] = set()
    for n, label in enumerate(items, start=1):
        out.blank()
        out.header("steps.inputs", array=True)
        out.value("id", unique(identifier(label, f"isian_{n}"), taken))
        out.value("label", label)
        if _DOCUMENT_WORDS.match(label):
            out.value("type", "document", "tafsiran: naskah dinas (nomor;tanggal)")
        else:
            out.value("type", "check", "tafsiran: ada/tidak")
    out.indent = ""


def _decision(row: StepRow, parts: _DecisionParts, following: int | None, out: DraftWriter) -> None:
    out.blank()
    out.indent = "  "
    out.header("steps.decision")
    if parts.question:
        where = {"simbol": "teks di dalam simbol", "label": "teks panah", "ket": "Keterangan"}
        out.value("question", parts.question, f"dari {where[parts.question_source]}")
    else:
        out.check("pertanyaan keputusan tidak tertulis: Kegiatan dipakai; ubah ke 'Apakah ...?'")
        out.value("question", row.activity)
    if parts.yes is None and parts.yes_label:
        out.value("yes_label", parts.yes_label, "label panah")
    if parts.yes is not None:
        out.value("yes_label", parts.yes[0])
        if parts.yes[1] != following:
            out.value("yes", parts.yes[1], "tertulis di dokumen")
        else:
            out.comment(f"'{parts.yes[0]}' lanjut ke langkah {parts.yes[1]} (langkah berikutnya)")
    if parts.no is not None:
        out.value("no_label", parts.no[0])
        out.value("no", parts.no[1], "tertulis di dokumen")
    else:
        if parts.no_label:
            out.value("no_label", parts.no_label, "label panah")
        out.check(
            f"dokumen tidak menyebut ke mana jawaban 'tidak' kembali (baris {row.row}): "
            "tulis `no = N` (nomor langkah)"
        )
    out.indent = ""
