"""Every string the interface shows, in Bahasa Indonesia and English: `t("key", **params)`.

The language is chosen once when the app starts (`set_language`); SOP text itself is never
translated, only the interface around it.
"""

from __future__ import annotations

from collections.abc import Iterable

from langkah.display import visible
from langkah.engine.vocabulary import CYCLE_STATUS, TIME_STATUS

_LANG = "id"

# key: (Bahasa Indonesia, English)
STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("Langkah", "Langkah"),
    "app.sub": ("Panduan SOP kecamatan", "Kecamatan SOP guide"),
    # keys (bindings)
    "key.quit": ("Keluar", "Quit"),
    "key.help": ("Bantuan", "Help"),
    "key.open": ("Buka", "Open"),
    "key.timeline": ("Riwayat", "Timeline"),
    "key.new": ("Siklus baru", "New cycle"),
    "key.variants": ("Varian SOP", "SOP variants"),
    "key.refresh": ("Muat ulang", "Reload"),
    "key.complete": ("Selesai", "Complete"),
    "key.yes": ("Ya", "Yes"),
    "key.no": ("Tidak", "No"),
    "key.pause": ("Jeda", "Pause"),
    "key.resume": ("Lanjutkan", "Resume"),
    "key.note": ("Catatan", "Note"),
    "key.roles": ("Petugas", "People"),
    "key.export": ("Laporan", "Report"),
    "key.back": ("Kembali", "Back"),
    "key.choose": ("Pilih", "Choose"),
    "key.mark": ("Tandai", "Mark"),
    "key.compare": ("Bandingkan", "Compare"),
    "key.save": ("Simpan", "Save"),
    "key.cancel": ("Batal", "Cancel"),
    "key.start": ("Mulai", "Start"),
    "key.filter": ("Saring", "Filter"),
    "key.language": ("Bahasa", "Language"),
    # overview
    "ov.title": ("Semua siklus", "All cycles"),
    "ov.loading": ("Memuat siklus…", "Loading cycles…"),
    "ov.count": ("{shown} dari {total} siklus", "{shown} of {total} cycles"),
    "ov.empty": (
        "Belum ada siklus. Tekan n untuk memulai siklus baru.",
        "No cycles yet. Press n to start a new cycle.",
    ),
    "ov.col.kecamatan": ("Kecamatan", "Kecamatan"),
    "ov.col.sop": ("SOP", "SOP"),
    "ov.col.period": ("Periode", "Period"),
    "ov.col.step": ("Langkah", "Step"),
    "ov.col.holder": ("Pelaksana", "Held by"),
    "ov.col.time": ("Waktu / standar", "Time / standard"),
    "ov.col.overdue": ("Terlambat", "Overdue by"),
    "ov.col.returns": ("Kembali", "Returns"),
    "ov.col.status": ("Status", "Status"),
    "ov.filter_line": ("Saring (f)", "Filter (f)"),
    "filters.hint": (
        "Perubahan langsung diterapkan; Esc untuk menutup.",
        "Changes apply at once; Esc closes.",
    ),
    "ov.all_kecamatan": ("Semua kecamatan", "All kecamatan"),
    "ov.all_periods": ("Semua periode", "All periods"),
    "ov.all_status": ("Semua status", "Any status"),
    "ov.problems": ("{n} berkas tidak terbaca: {first}", "{n} files unreadable: {first}"),
    "ov.changed": ("Data berubah di tempat lain; dimuat ulang.", "Changed elsewhere; reloaded."),
    "ov.unverified": ("⚠ gagal verifikasi", "⚠ fails verification"),
    "ov.uncovered": ("⚠ tanpa data libur {years}", "⚠ no holiday data for {years}"),
    "filter.open": ("Berjalan / dijeda", "Open"),
    "filter.overdue": ("Terlambat", "Overdue"),
    "filter.finished": ("Selesai", "Finished"),
    "filter.cancelled": ("Dibatalkan", "Cancelled"),
    # statuses and time statuses: the one shared table (langkah.engine.vocabulary)
    **{f"status.{key}": words for key, words in CYCLE_STATUS.items()},
    **{f"time.{key}": words for key, words in TIME_STATUS.items()},
    # run screen
    "run.step": ("Langkah {n} dari {total}", "Step {n} of {total}"),
    "run.round": ("putaran ke-{n}", "round {n}"),
    "run.decision": ("Keputusan", "Decision"),
    "run.actor": ("Pelaksana", "Performed by"),
    "run.inputs": ("Kelengkapan", "Required inputs"),
    "run.no_inputs": ("Tidak ada kelengkapan.", "No required inputs."),
    "run.missing": ("Belum ada: {items}", "Still missing: {items}"),
    "run.all_present": ("Kelengkapan sudah lengkap.", "All required inputs present."),
    "run.optional": ("(tidak wajib)", "(optional)"),
    "run.output": ("Output", "Output"),
    "run.remarks": ("Keterangan", "Remarks"),
    "run.notes": ("Catatan", "Notes"),
    "run.question": ("Pertanyaan", "Question"),
    "run.answer_keys": ("y = {yes} · n = {no}", "y = {yes} · n = {no}"),
    "run.returned": (
        "Dikembalikan dari langkah {step}: {reason}",
        "Returned from step {step}: {reason}",
    ),
    "run.steps": ("Langkah SOP", "SOP steps"),
    "run.finished": ("Siklus selesai pada {when}.", "Cycle finished on {when}."),
    "run.cancelled": ("Siklus dibatalkan: {reason}", "Cycle cancelled: {reason}"),
    "run.paused": ("Dijeda: {reason}", "Paused: {reason}"),
    "run.standard": ("Standar", "Standard"),
    "run.elapsed": ("Berjalan", "Elapsed"),
    "run.working": ("jam kerja", "working time"),
    "run.due": ("batas", "due"),
    "run.remaining": ("sisa {d}", "{d} left"),
    "run.overdue_by": ("terlambat {d}", "overdue by {d}"),
    "run.now": ("Sekarang", "Now"),
    "run.since_start": ("sejak mulai", "since start"),
    "run.off_hours": ("di luar jam kerja", "outside working hours"),
    "run.no_standard": ("tidak ada standar waktu", "no standard time"),
    "run.done": ("Langkah {n} selesai.", "Step {n} done."),
    "run.answered_yes": ("Langkah {n}: {label}.", "Step {n}: {label}."),
    "run.answered_no": (
        "Langkah {n}: {label}; dikembalikan ke langkah {to}.",
        "Step {n}: {label}; returned to step {to}.",
    ),
    "run.saved": ("Tersimpan.", "Saved."),
    "run.draft_restored": (
        "Isian yang belum tersimpan dipulihkan dari draf.",
        "Unsaved entries restored from the draft.",
    ),
    "run.conflict": (
        "Tidak disimpan: siklus ini diubah di tempat lain ({what}). Tampilan dimuat ulang; "
        "isian Anda tetap ada. Periksa lalu ulangi bila masih perlu.",
        "Not saved: this cycle was changed elsewhere ({what}). Reloaded; your entries are "
        "kept. Check, then try again if still needed.",
    ),
    "run.reloaded": ("Diubah di tempat lain: {what}.", "Changed elsewhere: {what}."),
    "run.prompt_stale": (
        "Tidak disimpan: siklus berubah selama dialog terbuka; lihat perubahannya lalu ulangi.",
        "Not saved: the cycle changed while the dialog was open; see what changed, then retry.",
    ),
    # what changed elsewhere, one phrase per event (joined with "; ")
    "chg.by": (" oleh {by}", " by {by}"),
    "chg.started": ("siklus dimulai", "cycle started"),
    "chg.inputs_recorded": ("kelengkapan langkah {n} diisi", "inputs of step {n} recorded"),
    "chg.step_completed": ("langkah {n} diselesaikan", "step {n} completed"),
    "chg.decision_answered": ("langkah {n} dijawab '{label}'", "step {n} answered '{label}'"),
    "chg.paused": ("siklus dijeda", "cycle paused"),
    "chg.resumed": ("siklus dilanjutkan", "cycle resumed"),
    "chg.cancelled": ("siklus dibatalkan", "cycle cancelled"),
    "chg.note_added": ("catatan ditambahkan", "note added"),
    "chg.notes_added": ("{count} catatan ditambahkan", "{count} notes added"),
    "chg.roles_updated": ("data petugas diubah", "people changed"),
    "chg.times": (" ({count}×)", " ({count}×)"),
    # no new event since the version shown: the log was rewritten (by hand, a repair, an upgrade)
    "chg.unknown": (
        "isi log berubah tanpa peristiwa baru",
        "the log's content changed, with no new event",
    ),
    "run.integrity": (
        "⚠ SIKLUS INI GAGAL VERIFIKASI — hanya bisa dibaca, tidak ada tindakan yang dicatat. "
        "Yang berbeda: {problem}. Periksa dengan `langkah verify`.",
        "⚠ THIS CYCLE FAILS VERIFICATION — read-only, no action can be recorded. "
        "What differs: {problem}. Check it with `langkah verify`.",
    ),
    "run.bad_value": ("{label}: {message}", "{label}: {message}"),
    "run.paused_ok": ("Siklus dijeda.", "Cycle paused."),
    "run.resumed_ok": ("Siklus dilanjutkan.", "Cycle resumed."),
    "run.note_ok": ("Catatan disimpan.", "Note saved."),
    "run.roles_ok": ("Data petugas disimpan.", "People saved."),
    "run.not_allowed": ("Tindakan ini tidak tersedia sekarang.", "Not available now."),
    "run.nomor": ("Nomor", "Number"),
    "run.tanggal": ("Tanggal (2026-10-05 atau 5/10/2026)", "Date (2026-10-05 or 5/10/2026)"),
    "run.date_hint": ("2026-10-05 atau 5/10/2026", "2026-10-05 or 5/10/2026"),
    "run.number_hint": ("angka, mis. 12,5", "a number, e.g. 12.5"),
    "run.choose": ("Pilih…", "Choose…"),
    "run.mark.done": ("selesai", "done"),
    "run.mark.current": ("sekarang", "current"),
    "run.mark.waiting": ("menunggu", "waiting"),
    "run.mark.redo": ("diulang", "again"),
    # export
    "export.running": ("Membuat laporan…", "Writing the report…"),
    "export.done": ("Laporan tersimpan: {path}", "Report saved: {path}"),
    "export.failed": ("Laporan gagal: {message}", "Report failed: {message}"),
    "export.missing": (
        "Modul laporan belum tersedia di instalasi ini (langkah.report).",
        "The report module is not available in this installation (langkah.report).",
    ),
    "mon.title": ("Monitoring pelaksanaan SOP", "SOP monitoring"),
    "mon.help": (
        "Periksa penilaian, catatan dan tindakan per prosedur; ctrl+s untuk membuat laporan.",
        "Review the assessment, notes and action per procedure; ctrl+s to write the report.",
    ),
    "mon.assessment": ("Penilaian", "Assessment"),
    "mon.good": ("Berjalan dengan baik", "Working well"),
    "mon.not_good": ("Tidak berjalan dengan baik", "Not working well"),
    "mon.notes": ("Catatan hasil penilaian", "Findings"),
    "mon.action": ("Tindakan yang harus diambil", "Action to take"),
    # modals
    "reason.no": ("Alasan '{label}' (wajib)", "Reason for '{label}' (required)"),
    "reason.pause": ("Alasan menjeda (wajib)", "Reason for pausing (required)"),
    "reason.resume": ("Alasan melanjutkan (wajib)", "Reason for resuming (required)"),
    "reason.placeholder": ("Tulis alasan, Enter untuk menyimpan", "Type a reason, Enter to save"),
    "reason.empty": ("Alasan wajib diisi.", "A reason is required."),
    "prompt.keys": ("Enter simpan · Esc batal", "Enter save · Esc cancel"),
    "note.title": ("Catatan untuk langkah {n}", "Note on step {n}"),
    "note.placeholder": ("Tulis catatan, Enter untuk menyimpan", "Type a note, Enter to save"),
    "roles.title": ("Petugas per peran", "People per role"),
    "roles.help": (
        "Nama, NIP dan pangkat tiap pelaksana (boleh dikosongkan, bisa diisi nanti).",
        "Name, NIP and rank for each role (optional, can be filled later).",
    ),
    "roles.name": ("Nama", "Name"),
    "roles.nip": ("NIP", "NIP"),
    "roles.rank": ("Pangkat", "Rank"),
    "roles.kepala": (
        'Kepala unit (menandatangani "Mengetahui")',
        'Head of the unit (signs "Mengetahui")',
    ),
    "roles.penanggung_jawab": (
        "Penanggung jawab (menandatangani laporan)",
        "Officer responsible (signs the report)",
    ),
    "export.signers": (
        "Laporan final perlu nama penanda tangan: {roles} (di bagian bawah daftar). Esc: lewati.",
        "The final report needs its signers: {roles} (at the end of the list). Esc: skip.",
    ),
    "profile.title": ("Profil pengguna", "Your profile"),
    "profile.help": (
        "Nama Anda mencatat setiap tindakan dan menjadi penyusun laporan. Diisi sekali; "
        "ubah kapan saja dengan `langkah config`.",
        "Your name records each action and is the report's author. Set once; change it any "
        "time with `langkah config`.",
    ),
    "profile.name": ("Nama lengkap", "Full name"),
    "profile.nip": ("NIP (tidak wajib)", "NIP (optional)"),
    "profile.keys": ("ctrl+s simpan · Esc nanti saja", "ctrl+s save · Esc later"),
    "profile.saved": ("Profil disimpan: {name}", "Profile saved: {name}"),
    "profile.empty": ("Nama wajib diisi (atau Esc).", "A name is required (or Esc)."),
    "profile.failed": ("Profil tidak tersimpan: {message}", "Profile not saved: {message}"),
    "modal.keys": ("ctrl+s simpan · Esc batal", "ctrl+s save · Esc cancel"),
    # start
    "start.title": ("Siklus baru", "New cycle"),
    "start.variant": ("SOP (varian kecamatan)", "SOP (kecamatan variant)"),
    "start.period": ("Periode (mis. 2026-T3)", "Period (e.g. 2026-T3)"),
    "start.people": ("Petugas (tidak wajib, bisa diisi nanti)", "People (optional, later too)"),
    "start.started": ("Siklus {id} dimulai.", "Cycle {id} started."),
    "start.no_variant": ("Pilih SOP dulu.", "Choose an SOP first."),
    "start.bad_period": ("Periode tidak sah: {message}", "Invalid period: {message}"),
    # variants
    "var.title": ("Varian SOP", "SOP variants"),
    "var.chosen": ("dipilih", "chosen"),
    "var.chosen_ok": ("Varian dipilih: {name}", "Variant chosen: {name}"),
    "var.number": ("Nomor SOP", "SOP number"),
    "var.approved": ("Disahkan oleh", "Approved by"),
    "var.effective": ("Tanggal efektif", "Effective date"),
    "var.legal": ("Dasar hukum", "Legal basis"),
    "var.steps": ("Jumlah langkah", "Steps"),
    "var.col.no": ("No", "No"),
    "var.col.activity": ("Kegiatan", "Activity"),
    "var.col.actor": ("Pelaksana", "Performed by"),
    "var.col.inputs": ("Kelengkapan", "Inputs"),
    "var.col.time": ("Waktu", "Time"),
    "var.col.output": ("Output", "Output"),
    "var.col.remarks": ("Keterangan", "Remarks"),
    "var.compare_title": ("Perbandingan: {a} ↔ {b}", "Comparison: {a} ↔ {b}"),
    "var.compare_need": (
        "Tandai dua varian dengan spasi, lalu tekan b.",
        "Mark two variants with space, then press b.",
    ),
    "var.none": ("(tidak ada langkah)", "(no step)"),
    "var.problems": ("Definisi bermasalah: {text}", "Definition problems: {text}"),
    # timeline
    "tl.title": ("Riwayat siklus {id}", "Timeline of cycle {id}"),
    "tl.col.time": ("Waktu", "Time"),
    "tl.col.step": ("Langkah", "Step"),
    "tl.col.event": ("Peristiwa", "Event"),
    "tl.col.actor": ("Pelaksana", "Actor"),
    "tl.col.by": ("Dicatat oleh", "Recorded by"),
    "tl.col.detail": ("Keterangan", "Detail"),
    "ev.started": ("dimulai", "started"),
    "ev.inputs_recorded": ("kelengkapan dicatat", "inputs recorded"),
    "ev.step_completed": ("langkah selesai", "step completed"),
    "ev.decision_answered": ("keputusan", "decision"),
    "ev.paused": ("dijeda", "paused"),
    "ev.resumed": ("dilanjutkan", "resumed"),
    "ev.cancelled": ("dibatalkan", "cancelled"),
    "ev.note_added": ("catatan", "note"),
    "ev.roles_updated": ("petugas diubah", "people updated"),
    # help
    "help.title": ("Tombol", "Keys"),
    "help.unavailable": ("(tidak tersedia sekarang)", "(not available now)"),
    "help.footer": (
        "Di kolom isian, Esc keluar dari kolom; tombol huruf berlaku di luar kolom isian. "
        "ctrl+p membuka palet perintah.",
        "In a text field, Esc leaves the field; letter keys work outside text fields. "
        "ctrl+p opens the command palette.",
    ),
    "lang.saved": (
        "Bahasa disimpan: {lang}; berlaku saat aplikasi dibuka lagi.",
        "Language saved: {lang}; takes effect next time the app opens.",
    ),
    "cmd.open_cycle": ("Buka siklus {id}", "Open cycle {id}"),
    "cmd.overview": ("Ke daftar siklus", "Go to the cycle list"),
    "error.store": ("Penyimpanan: {message}", "Storage: {message}"),
}


# When the catalog holds an SOP of a unit that is not a kecamatan (a dinas, a kelurahan...),
# the words that name the unit column and its filter say "unit kerja" instead (set_units).
_ONLY_KECAMATAN = True
UNIT_STRINGS: dict[str, tuple[str, str]] = {
    "app.sub": ("Panduan SOP", "SOP guide"),
    "ov.col.kecamatan": ("Unit kerja", "Unit"),
    "ov.all_kecamatan": ("Semua unit kerja", "All units"),
    "start.variant": ("SOP (varian per unit kerja)", "SOP (variant per unit)"),
    "an.all_kecamatan": ("semua unit kerja", "all units"),
    "an.col.kecamatan": ("Unit kerja", "Unit"),
}


def set_units(kinds: Iterable[str]) -> None:
    """Name the unit column after the units listed: "Kecamatan" while every SOP's unit is a
    kecamatan, else "Unit kerja". `kinds` is an iterable of UnitKind values ("kecamatan")."""
    global _ONLY_KECAMATAN
    _ONLY_KECAMATAN = all(kind == "kecamatan" for kind in kinds)


def set_language(lang: str) -> None:
    global _LANG
    _LANG = "en" if lang == "en" else "id"


def language() -> str:
    return _LANG


def said(error: BaseException) -> str:
    """What an error says, in the current language (its message key when it has one: store,
    service and report errors; engine refusals speak both; else its own text, or its type)."""
    from langkah.messages import told

    return told(error).message(_LANG) or type(error).__name__


def _shown(value: object) -> object:
    """A parameter as it may be shown: numbers as they are, a Text said in the current
    language, any text through the sanitiser."""
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        return visible(value, one_line=True)
    from langkah.messages import Text  # not at start-up: the first screen's texts are str

    if isinstance(value, Text):
        return visible(value.message(_LANG), one_line=True)
    return visible(value, one_line=True)


def t(key: str, **params: object) -> str:
    """The interface string `key` in the current language, with `params` filled in.

    Parameters are names, reasons, paths and error messages that came from people or files:
    each is passed through `langkah.display.visible`, so a formatted message never carries a
    raw control or bidi character to the terminal.
    """
    pair = STRINGS.get(key) if _ONLY_KECAMATAN else UNIT_STRINGS.get(key, STRINGS.get(key))
    if pair is None:
        return key
    text = pair[1 if _LANG == "en" else 0]
    if not params:
        return text
    return text.format(**{name: _shown(value) for name, value in params.items()})


def translate_bindings(node: object) -> None:
    """Replace binding descriptions written as catalogue keys ("key.complete") on one node.

    Bindings are declared at import time, before the language is known; each screen calls this
    in `__init__` on its own copy of its bindings.
    """
    import dataclasses

    bindings_map = getattr(node, "_bindings", None)
    if bindings_map is None:
        return
    for key, bindings in bindings_map.key_to_bindings.items():
        bindings_map.key_to_bindings[key] = [
            dataclasses.replace(b, description=t(b.description))
            if b.description.startswith("key.")
            else b
            for b in bindings
        ]


# -- overview at any width, timeline, start, variants (issue 12) -------------------------------
STRINGS.update(
    {
        "key.search": ("Cari", "Search"),
        "key.end_search": ("Tutup pencarian", "Close search"),
        "ov.search_line": ("Cari (/)", "Search (/)"),
        "ov.search_hint": (
            "Ketik untuk menyaring (Enter: ke tabel, Esc: hapus)",
            "Type to filter (Enter: to the table, Esc: clear)",
        ),
        "ov.late": ("terlambat {late}", "overdue {late}"),
        "ov.ended": ("berakhir {date}", "ended {date}"),
    }
)

# Short forms of key descriptions, used by the key bar when a narrow terminal cannot show them
# all ("key.new" -> "key.new.short"); F1 always shows the full ones.
STRINGS.update(
    {
        "key.new.short": ("Baru", "New"),
        "key.variants.short": ("Varian", "Variants"),
        "key.refresh.short": ("Muat", "Reload"),
        "key.end_search.short": ("Tutup", "Close"),
        "key.timeline.short": ("Riwayat", "Log"),
    }
)


def short_labels() -> dict[str, str]:
    """Key description -> its short form, in the current language (see the table above)."""
    return {
        t(key.removesuffix(".short")): t(key)
        for key in STRINGS
        if key.startswith("key.") and key.endswith(".short")
    }


# The timeline in words (issue 12).
STRINGS.update(
    {
        "tl.present": ("ada", "present"),
        "tl.absent": ("tidak ada", "absent"),
        "tl.empty": ("(kosong)", "(empty)"),
        "tl.nomor": ("nomor {nomor}", "number {nomor}"),
        "tl.tanggal": ("tanggal {date}", "dated {date}"),
        "tl.period": ("periode {period}", "period {period}"),
        "tl.back_to": ("kembali ke langkah {step}", "back to step {step}"),
        "tl.on_to": ("lanjut ke langkah {step}", "on to step {step}"),
        "tl.to_end": ("selesai", "to the end"),
        "tl.head_holder": ("Dipegang: {who}", "Held by: {who}"),
        "tl.head_step": ("langkah {n} dari {total}", "step {n} of {total}"),
        "tl.head_finished": ("Siklus selesai {when}", "Cycle finished {when}"),
        "tl.head_cancelled": ("Siklus dibatalkan: {reason}", "Cycle cancelled: {reason}"),
        "tl.detail_hint": (
            "↑↓ memilih peristiwa; rinciannya tampil di sini.",
            "↑↓ choose an event; its detail shows here.",
        ),
    }
)

# Start: a second cycle of the same SOP and period (issue 12).
STRINGS.update(
    {
        "start.duplicate": (
            "⚠ SOP dan periode ini sudah punya {n} siklus: {cycles}.",
            "⚠ This SOP and period already have {n} cycle(s): {cycles}.",
        ),
        "start.confirm_duplicate": (
            "Siklus kedua untuk SOP dan periode yang sama? Tekan ctrl+s lagi untuk tetap "
            "memulai, atau Esc untuk batal.",
            "A second cycle for the same SOP and period? Press ctrl+s again to start it "
            "anyway, or Esc to cancel.",
        ),
    }
)
STRINGS.update(
    {
        "demo.folder": (
            "DEMO: data dan laporan contoh disimpan di {path}",
            "DEMO: sample data and reports are kept in {path}",
        )
    }
)

# Variants: what marking does (issue 12).
STRINGS.update(
    {
        "var.marked_none": ("Tidak ada varian ditandai.", "No variant marked."),
        "var.marked_one": (
            "Ditandai: {a}. Tandai satu lagi (spasi), lalu b untuk membandingkan.",
            "Marked: {a}. Mark one more (space), then b to compare.",
        ),
        "var.marked_two": (
            "Ditandai: {a} dan {b}; b membandingkan keduanya (menandai yang ketiga melepas "
            "yang pertama).",
            "Marked: {a} and {b}; b compares them (marking a third unmarks the first).",
        ),
    }
)

# -- the run screen in a meeting: keys from anywhere, dialogs, drafts, the end of a cycle -------
STRINGS.update(
    {
        "key.cancel_cycle": ("Batalkan siklus", "Cancel cycle"),
        "key.field_up": ("Isian sebelumnya", "Previous field"),
        "key.field_down": ("Isian berikutnya", "Next field"),
        "key.discard": ("Buang", "Discard"),
        "key.keep": ("Kembali mengetik", "Keep typing"),
        "run.answer_keys_any": (
            "y/F3 = {yes} · n/F4 = {no}",
            "y/F3 = {yes} · n/F4 = {no}",
        ),
        "run.form_invalid": (
            "Belum bisa disimpan: {problems}",
            "Cannot be saved yet: {problems}",
        ),
        "run.form_unsaved": (
            "Kelengkapan tercatat lengkap; isian yang diubah belum tersimpan: {items}.",
            "All required inputs are recorded; changed entries not saved yet: {items}.",
        ),
        "run.summary": (
            "Waktu kerja {elapsed} (standar SOP {standard}) · terlambat: {late} · "
            "dikembalikan: {returns} kali",
            "Working time {elapsed} (SOP standard {standard}) · late: {late} · "
            "returned: {returns} times",
        ),
        "run.summary_none": ("tidak ada", "none"),
        "run.summary_steps": ("langkah {steps}", "steps {steps}"),
        "run.export_prompt": (
            "Tekan e (atau F9) untuk menyusun laporan Word siklus ini.",
            "Press e (or F9) to write this cycle's Word report.",
        ),
        "run.export_done_prompt": (
            "Laporan sudah ditulis: {path}",
            "The report was written: {path}",
        ),
        "run.cancelled_ok": ("Siklus dibatalkan.", "Cycle cancelled."),
        "run.text_draft_restored": (
            "Teks yang belum terkirim dipulihkan dari draf.",
            "Unsent text restored from the draft.",
        ),
        "run.leave_invalid": (
            "Ada isian yang belum sah ({problem}). Keluar? Isian disimpan sebagai draf.",
            "An entry is not valid yet ({problem}). Leave? It is kept as a draft.",
        ),
        "reason.cancel": ("Alasan membatalkan siklus (wajib)", "Reason for cancelling (required)"),
        "cancel.confirm": (
            "Batalkan siklus ini? Siklus yang dibatalkan tidak bisa dilanjutkan.",
            "Cancel this cycle? A cancelled cycle cannot be continued.",
        ),
        "confirm.keys": ("y ya · n / Esc tidak", "y yes · n / Esc no"),
        "discard.confirm": (
            "Buang teks yang sudah diketik?",
            "Discard the text you typed?",
        ),
        "draft.saved": ("✓ draf tersimpan", "✓ draft saved"),
        "draft.failed": ("draf gagal disimpan: {message}", "draft not saved: {message}"),
        "roles.no_change": (
            "Belum ada perubahan untuk disimpan: ketik nama, NIP atau pangkat dulu.",
            "Nothing changed to save: type a name, NIP or rank first.",
        ),
        "roles.keys": (
            "ctrl+s simpan · Tab/↑↓ pindah isian · Esc batal",
            "ctrl+s save · Tab/↑↓ move between fields · Esc cancel",
        ),
        "mon.keys": (
            "ctrl+s tulis laporan · Tab pindah isian · Esc batal",
            "ctrl+s write the report · Tab next field · Esc cancel",
        ),
    }
)


# -- analytics (issue 16 part 2; docs/analytics.md) --------------------------------------------
STRINGS.update(
    {
        "key.analytics": ("Statistik", "Analytics"),
        "an.title": ("Statistik SOP", "SOP analytics"),
        "an.loading": (
            "Membaca dan menghitung ulang semua log siklus…",
            "Reading and replaying every cycle log…",
        ),
        "an.filters": ("Saringan dari ringkasan: {chosen}", "Filters from the overview: {chosen}"),
        "an.all_kecamatan": ("semua kecamatan", "all kecamatan"),
        "an.all_periods": ("semua periode", "all periods"),
        "an.total": ("semua", "all"),
        "an.col.kecamatan": ("Kecamatan", "Kecamatan"),
        "an.col.period": ("Periode", "Period"),
        "an.col.cycles": ("Siklus", "Cycles"),
        "an.col.on_time": ("Tepat waktu", "On time"),
        "an.col.most_late": ("Plg telat", "Most late"),
        "an.col.returns": ("Kembali", "Returns"),
        "an.col.lead": ("Lama/standar", "Lead/standard"),
        "an.col.step": ("Langkah", "Step"),
        "an.chart": (
            "% langkah tepat waktu per periode (angkanya di tabel atas)",
            "% of steps on time per period (the figures are in the table above)",
        ),
        "an.bars": (
            "Median keterlambatan per langkah, menit kerja (angkanya di tabel langkah)",
            "Median delay per step, working minutes (the figures are in the step table)",
        ),
        "an.steps": (
            "Per langkah (semua periode terpilih): % tepat waktu (dinilai) median/P90 telat",
            "Per step (all selected periods): % on time (judged) median/P90 delay",
        ),
        "an.summary": (
            "{cycles} siklus. Siklus = mulai/selesai/batal; plg telat = langkah (telat/dinilai); "
            "kembali = pengembalian per siklus; "
            "lama = median siklus selesai / jumlah standar; "
            "m menit, j jam, h hari kerja ({day}). Definisi: docs/analytics.md",
            "{cycles} cycles. Cycles = started/finished/cancelled; most late = step (late/judged); "
            "returns per cycle; "
            "lead = median of finished cycles / sum of standards; "
            "m minutes, h hours, d working days ({day}). See docs/analytics.md",
        ),
        "an.empty": (
            "Tidak ada siklus yang cocok dengan saringan ini.",
            "No cycle matches these filters.",
        ),
        "an.failed": (
            "Statistik gagal dihitung: {message}",
            "Analytics could not be computed: {message}",
        ),
        "an.left_out": (
            "{count} siklus tidak dapat dibaca atau diverifikasi dan tidak dihitung",
            "{count} cycles could not be read or verified and are left out",
        ),
    }
)
