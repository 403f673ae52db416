"""The command line's help in Bahasa Indonesia: every help text, description and epilog the
parser is built with (English, in the code beside the option it describes), and what argparse
itself writes around them ("usage:", "options:").

`Parser` (langkah/cli/main.py) formats its help through `translated` when the chosen language is
Bahasa Indonesia; a text missing here is shown in English (tests/test_cli_help_language.py fails
on any text the parser has that is not here).
"""

from __future__ import annotations

import argparse
from functools import cache
from typing import Any

# argparse's own words (its section titles and the -h option)
ARGPARSE = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
}

HELP = {
    # -- the global options and the list of commands ----------------------------------------
    "Langkah: step-by-step guidance through a kecamatan's SOP.": (
        "Langkah: panduan langkah demi langkah untuk SOP kecamatan."
    ),
    "where cycles are stored (env LANGKAH_DATA_DIR)": (
        "tempat siklus disimpan (env LANGKAH_DATA_DIR)"
    ),
    "where cycles are stored instead: a postgresql:// URL (env LANGKAH_STORE)": (
        "tempat siklus disimpan sebagai gantinya: URL postgresql:// (env LANGKAH_STORE)"
    ),
    "user SOP definitions (env LANGKAH_DEFS_DIR)": "definisi SOP pengguna (env LANGKAH_DEFS_DIR)",
    "language (env LANGKAH_LANG)": "bahasa (env LANGKAH_LANG)",
    "who records the actions (env LANGKAH_USER; default: nobody)": (
        "siapa yang mencatat tindakan (env LANGKAH_USER; bawaan: tidak ada)"
    ),
    "open the app on sample data": "buka aplikasi dengan data contoh",
    "check SOP definition files": "periksa berkas definisi SOP",
    "list the SOP definitions available": "daftar definisi SOP yang tersedia",
    "start a cycle: prints its id": "mulai siklus: mencetak id-nya",
    "a cycle: current step, inputs, time, history": (
        "satu siklus: langkah sekarang, kelengkapan, waktu, riwayat"
    ),
    "record inputs of the current step": "catat kelengkapan langkah sekarang",
    "complete the current step or answer its decision": (
        "selesaikan langkah sekarang atau jawab keputusannya"
    ),
    "pause the cycle (e.g. waiting for a document)": "jeda siklus (mis. menunggu dokumen)",
    "resume a paused cycle": "lanjutkan siklus yang dijeda",
    "cancel the cycle": "batalkan siklus",
    "add a note to the current step (or --step N)": (
        "tambahkan catatan pada langkah sekarang (atau --step N)"
    ),
    "set who fills actor roles and the signers (kepala, penanggung_jawab)": (
        "tetapkan pengisi peran pelaksana dan penanda tangan (kepala, penanggung_jawab)"
    ),
    "every cycle, most urgent first": "semua siklus, yang paling mendesak lebih dulu",
    "write a cycle's Word report (.docx)": "tulis laporan Word sebuah siklus (.docx)",
    "check every cycle's hash chain and pinned definition": (
        "periksa rantai hash dan definisi tersemat setiap siklus"
    ),
    "set damaged cycle files aside and recover what they hold": (
        "sisihkan berkas siklus yang rusak dan pulihkan isinya"
    ),
    "write a recap of cycles and their steps (.xlsx) for evaluators": (
        "tulis rekap siklus dan langkahnya (.xlsx) untuk evaluator"
    ),
    "show or set your name, NIP and the report's logo": (
        "tampilkan atau atur nama, NIP, dan logo laporan Anda"
    ),
    "write a TOML definition draft from an SOP-AP Word document (.docx)": (
        "tulis draf definisi TOML dari dokumen Word SOP-AP (.docx)"
    ),
    "on-time share, delays and returns per SOP, kecamatan and period (Tim SAKIP)": (
        "porsi tepat waktu, keterlambatan, dan pengembalian per SOP, kecamatan, dan periode "
        "(Tim SAKIP)"
    ),
    "print an SOP definition as its SOP table": "cetak definisi SOP sebagai tabel SOP-nya",
    "copy every cycle to another store (PostgreSQL or a data folder)": (
        "salin semua siklus ke penyimpanan lain (PostgreSQL atau folder data)"
    ),
    # -- validate, sops --------------------------------------------------------------------
    "Check SOP definition files. Without a path: every bundled and user definition. A folder "
    "means every .toml file in it.": (
        "Periksa berkas definisi SOP. Tanpa jalur: setiap definisi bawaan dan pengguna. Sebuah "
        "folder berarti setiap berkas .toml di dalamnya."
    ),
    "a .toml file or a folder": "berkas .toml atau folder",
    "print JSON (see docs/cli-json.md)": "cetak JSON (lihat docs/cli-json.md)",
    # -- the cycle commands ----------------------------------------------------------------
    "SOP id or kecamatan (langkah sops lists them)": (
        "id SOP atau kecamatan (langkah sops menampilkannya)"
    ),
    "2026-T3 (triwulan), 2026-S1 (semester), 2026": "2026-T3 (triwulan), 2026-S1 (semester), 2026",
    "who fills an actor role (repeatable)": "pengisi peran pelaksana (boleh diulang)",
    "start even if this SOP and period already have a cycle (not cancelled)": (
        "tetap mulai walau SOP dan periode ini sudah punya siklus (yang tidak dibatalkan)"
    ),
    "this action's id (default: a fresh one); resend with the same id to retry safely": (
        "id tindakan ini (bawaan: id baru); kirim ulang dengan id yang sama untuk mencoba lagi "
        "dengan aman"
    ),
    "machine-readable (docs/cli-json.md)": "untuk mesin (docs/cli-json.md)",
    "cycle id (or a unique prefix)": "id siklus (atau awalan yang unik)",
    "refuse unless the current step is N": "tolak kecuali langkah sekarang adalah N",
    "refuse unless the cycle's log has V events (see show --json: version)": (
        "tolak kecuali log siklus punya V peristiwa (lihat show --json: version)"
    ),
    "why (required for a negative answer)": "alasannya (wajib untuk jawaban tidak)",
    "another step of the SOP": "langkah lain dari SOP",
    "only this kecamatan": "hanya kecamatan ini",
    "only this period (2026-T3)": "hanya periode ini (2026-T3)",
    "only overdue cycles": "hanya siklus yang terlambat",
    "only cycles not finished or cancelled": "hanya siklus yang belum selesai atau dibatalkan",
    "only the first N rows (and the total)": "hanya N baris pertama (dan jumlahnya)",
    "skip the first M rows": "lewati M baris pertama",
    # -- report ----------------------------------------------------------------------------
    "Write the Word report of a cycle (default: <data dir>/laporan/<id>.docx).": (
        "Tulis laporan Word sebuah siklus (bawaan: <folder data>/laporan/<id>.docx)."
    ),
    "the .docx file to write (its folder must exist; an existing file needs --force)": (
        "berkas .docx yang ditulis (foldernya harus ada; berkas yang sudah ada perlu --force)"
    ),
    "replace the -o file if it already exists": "ganti berkas -o jika sudah ada",
    "mark the report as DRAFT": "tandai laporan sebagai DRAFT",
    "paper size": "ukuran kertas",
    'font name (e.g. "Bookman Old Style")': 'nama huruf (mis. "Bookman Old Style")',
    "body font size in points": "ukuran huruf isi dalam poin",
    "place on the date line (default: the kecamatan)": (
        "tempat pada baris tanggal (bawaan: kecamatan)"
    ),
    # -- verify, repair --------------------------------------------------------------------
    "Check that every stored event still matches the hash recorded after it, that each log "
    "ends at the head hash in its header, and that each pinned definition still has the "
    "SHA-256 its file name records. Exits 1 naming the cycle, the event and what differs. "
    "--code checks a printed report's verification code against the log.": (
        "Periksa bahwa setiap peristiwa tersimpan masih cocok dengan hash yang dicatat "
        "sesudahnya, bahwa setiap log berakhir pada hash akhir di header-nya, dan bahwa setiap "
        "definisi tersemat masih ber-SHA-256 seperti yang dicatat nama berkasnya. Keluar "
        "dengan 1 dan menyebut siklus, peristiwa, dan apa yang berbeda. --code memeriksa kode "
        "verifikasi laporan tercetak terhadap log-nya."
    ),
    "cycle ids (default: all)": "id siklus (bawaan: semua)",
    "the verification code printed on a report (one CYCLE)": (
        "kode verifikasi yang tercetak pada laporan (satu SIKLUS)"
    ),
    "add the hash chain to cycles written before it existed (lossless)": (
        "tambahkan rantai hash pada siklus yang ditulis sebelum rantai itu ada (tanpa "
        "kehilangan data)"
    ),
    "Check every cycle file (or one) and repair the damaged ones: the damaged file is renamed "
    "to <id>.json.damaged-<UTC time> (never deleted) and a new file is written with every "
    "complete event from its start that could be salvaged.": (
        "Periksa setiap berkas siklus (atau satu) dan perbaiki yang rusak: berkas rusak diganti "
        "namanya menjadi <id>.json.damaged-<waktu UTC> (tidak pernah dihapus) dan berkas baru "
        "ditulis berisi setiap peristiwa utuh dari awal yang dapat diselamatkan."
    ),
    "one cycle id (or unique prefix); default: all": (
        "satu id siklus (atau awalan yang unik); bawaan: semua"
    ),
    # -- export-xlsx -----------------------------------------------------------------------
    "Write an .xlsx recap: a sheet of cycles and a sheet of cycle-steps (standard, actual, "
    "late, returns). Filters combine; without them every cycle is listed.": (
        "Tulis rekap .xlsx: lembar siklus dan lembar langkah siklus (standar, aktual, "
        "terlambat, pengembalian). Saringan digabung; tanpa saringan semua siklus dicantumkan."
    ),
    "the file to write (its folder must exist)": "berkas yang ditulis (foldernya harus ada)",
    "replace FILE.xlsx if it exists": "ganti FILE.xlsx jika sudah ada",
    "only this kecamatan (e.g. Dawarblandong)": "hanya kecamatan ini (mis. Dawarblandong)",
    "only this SOP id (langkah sops lists them)": (
        "hanya id SOP ini (langkah sops menampilkannya)"
    ),
    "only this period (e.g. 2026-T3)": "hanya periode ini (mis. 2026-T3)",
    "add the Statistik sheets (replays every log: slower)": (
        "tambahkan lembar Statistik (memutar ulang setiap log: lebih lambat)"
    ),
    # -- config ----------------------------------------------------------------------------
    "Without options: show the profile. Your name records each action and is the report's "
    "author; the logo (PNG or JPEG) goes in the report's kop (default: logo.png in the data "
    "folder).": (
        "Tanpa opsi: tampilkan profil. Nama Anda mencatat setiap tindakan dan menjadi penyusun "
        "laporan; logo (PNG atau JPEG) dipasang di kop laporan (bawaan: logo.png di folder "
        "data)."
    ),
    "your name as it should be printed": "nama Anda seperti yang akan dicetak",
    "your NIP (18 digits) or another marked number": (
        "NIP Anda (18 angka) atau nomor lain yang diberi jenisnya"
    ),
    'the kop logo image ("" for none)': 'gambar logo kop ("" untuk tanpa logo)',
    # -- import ----------------------------------------------------------------------------
    "Read an SOP-AP Word document (.docx) and write a TOML definition draft (default: beside "
    "the document, SOP.docx -> SOP.toml; `-o -` prints it). Every interpretation is a comment "
    "in the draft; what needs a person's decision is a '# PERIKSA:' comment, listed with its "
    "line when the command ends.": (
        "Baca dokumen Word SOP-AP (.docx) dan tulis draf definisi TOML (bawaan: di samping "
        "dokumennya, SOP.docx -> SOP.toml; `-o -` mencetaknya). Setiap tafsiran menjadi "
        "komentar di draf; yang perlu diputuskan orang menjadi komentar '# PERIKSA:', "
        "didaftar dengan barisnya ketika perintah selesai."
    ),
    "the Word document": "dokumen Word-nya",
    "the draft to write ('-' for standard output)": "draf yang ditulis ('-' untuk keluaran layar)",
    "replace the -o file if it exists": "ganti berkas -o jika sudah ada",
    "the unit's IANA time zone (default Asia/Jakarta, marked PERIKSA in the draft)": (
        "zona waktu IANA unit itu (bawaan Asia/Jakarta, ditandai PERIKSA di draf)"
    ),
    # -- stats -----------------------------------------------------------------------------
    "Figures per SOP variant x kecamatan x period, computed from the cycles' logs: cycles "
    "started/finished/cancelled, share of steps on time, median and 90th percentile delay per "
    "step (working time), the step most often late, returns, median lead time against the sum "
    "of standards; then a step-by-step table of the variants. Definitions: docs/analytics.md.": (
        "Angka per varian SOP x kecamatan x periode, dihitung dari log siklus: siklus "
        "dimulai/selesai/dibatalkan, porsi langkah tepat waktu, median dan persentil ke-90 "
        "keterlambatan per langkah (waktu kerja), langkah yang paling sering terlambat, "
        "pengembalian, median waktu penyelesaian terhadap jumlah waktu standar; lalu tabel "
        "langkah demi langkah tiap varian. Definisi: docs/analytics.md."
    ),
    "only this SOP id, id prefix or kecamatan's SOP": (
        "hanya id SOP ini, awalan id, atau SOP kecamatan ini"
    ),
    "only periods within this one (e.g. 2026-T3, 2026)": (
        "hanya periode di dalam periode ini (mis. 2026-T3, 2026)"
    ),
    "only periods from this one on (e.g. 2026-T1)": (
        "hanya periode mulai periode ini (mis. 2026-T1)"
    ),
    "only periods up to this one, inclusive": "hanya periode sampai periode ini (termasuk)",
    "print JSON (docs/analytics.md)": "cetak JSON (docs/analytics.md)",
    "write a Word recap (Rekapitulasi) instead": "tulis rekap Word (Rekapitulasi) sebagai gantinya",
    "replace the --docx file if it exists": "ganti berkas --docx jika sudah ada",
    "paper size of the --docx recap": "ukuran kertas rekap --docx",
    "recompute every figure from the logs (no kept facts)": (
        "hitung ulang setiap angka dari log (tanpa fakta yang disimpan)"
    ),
    # -- show-sop --------------------------------------------------------------------------
    "Print an SOP definition as the SOP table (actor columns with the flowchart symbols, Mutu "
    "Baku, Keterangan), to compare it with the paper SOP.": (
        "Cetak definisi SOP sebagai tabel SOP (kolom pelaksana dengan simbol bagan alir, Mutu "
        "Baku, Keterangan), untuk dibandingkan dengan SOP kertasnya."
    ),
    "SOP id or unit name (langkah sops lists them), or a .toml file to read": (
        "id SOP atau nama unit (langkah sops menampilkannya), atau berkas .toml yang dibaca"
    ),
    "print the table as JSON": "cetak tabel sebagai JSON",
    "table width in columns (default: the terminal's)": (
        "lebar tabel dalam kolom (bawaan: lebar terminal)"
    ),
    "ASCII symbols and borders only": "hanya simbol dan garis ASCII",
    "set another SOP (id, name or .toml file) beside it, step by step, the differing cells "
    "marked '*'": (
        "sandingkan SOP lain (id, nama, atau berkas .toml) langkah demi langkah, sel yang "
        "berbeda ditandai '*'"
    ),
    # -- migrate ---------------------------------------------------------------------------
    "Copy every cycle, with its pinned definition and draft, from the store in use (--store, "
    "LANGKAH_STORE, else the data folder) to TARGET: a postgresql:// URL or a data folder. "
    "Each log is checked against its hash chain before and after it is copied; cycles the "
    "target already holds with the same log are skipped, with a different log refused (exit "
    "1). Run it again after an interruption: only what is missing is copied. The source is "
    "only read.": (
        "Salin setiap siklus, dengan definisi tersemat dan drafnya, dari penyimpanan yang "
        "dipakai (--store, LANGKAH_STORE, atau folder data) ke TARGET: URL postgresql:// atau "
        "folder data. Setiap log diperiksa terhadap rantai hash-nya sebelum dan sesudah "
        "disalin; siklus yang sudah ada di tujuan dengan log yang sama dilewati, dengan log "
        "berbeda ditolak (keluar dengan 1). Jalankan lagi setelah terputus: hanya yang belum "
        "ada yang disalin. Sumbernya hanya dibaca."
    ),
    "a postgresql:// URL or a data folder": "URL postgresql:// atau folder data",
}


@cache
def _made() -> dict[str, str]:
    """The texts made from tables of words (the answers, the statuses, the input formats)."""
    from langkah.cli.cycle_commands import ACTION_HELP, INPUT_FORMATS, answer_help
    from langkah.cli.xlsx_command import status_help

    return {
        answer_help("en"): answer_help("id"),
        status_help("en"): status_help("id"),
        INPUT_FORMATS["en"] + "\n" + ACTION_HELP["en"]: (
            INPUT_FORMATS["id"] + "\n" + ACTION_HELP["id"]
        ),
    }


def indonesian(text: str) -> str | None:
    """The Indonesian of a help text, description or epilog (None: none is known)."""
    return HELP.get(text) or _made().get(text) or ARGPARSE.get(text)


@cache  # one class per formatter class (help is formatted more than once a run)
def translated(formatter_class: Any) -> Any:
    """`formatter_class`, saying its help in Bahasa Indonesia."""

    class Indonesian(formatter_class):  # type: ignore[misc]
        def _expand_help(self, action: argparse.Action) -> str:
            original = action.help
            action.help = indonesian(original or "") or original
            try:
                return str(super()._expand_help(action))
            finally:
                action.help = original

        def _format_text(self, text: str) -> str:
            return str(super()._format_text(indonesian(text) or text))

        def start_section(self, heading: str | None) -> None:
            super().start_section(ARGPARSE.get(heading or "", heading))

        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
            super().add_usage(
                usage, actions, groups, ARGPARSE["usage: "] if prefix is None else prefix
            )

    return Indonesian
