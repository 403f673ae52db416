"""The messages a person meets when something is refused, in Bahasa Indonesia and English.

An error carries a `Text` (a key of MESSAGES and its parameters) and is rendered in the chosen
language where it is shown (the CLI renders at its boundary, langkah/cli/main.py); `str()` of
such an error stays the English text. Each entry is (Bahasa Indonesia, English), like the
engine's own table (engine/errors.py). This module imports nothing of Langkah.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

MESSAGES: dict[str, tuple[str, str]] = {
    # -- cycle references and actions (langkah/service.py) -----------------------------------
    "cycle.empty_reference": (
        "referensi siklus kosong ditolak: beri id siklus (langkah status menampilkannya)",
        "an empty cycle reference is refused: give a cycle id (langkah status lists them)",
    ),
    "cycle.short_prefix": (
        "'{reference}' bukan id siklus, dan awalan id minimal {minimum} karakter "
        "(langkah status menampilkan siklus yang ada)",
        "'{reference}' is not a cycle id, and a prefix needs at least {minimum} characters "
        "(langkah status lists the cycles)",
    ),
    "cycle.not_found": (
        "tidak ada siklus '{reference}' (langkah status menampilkannya)",
        "no cycle '{reference}' (langkah status lists them)",
    ),
    "cycle.ambiguous": (
        "'{reference}' cocok dengan {count} siklus: {shown}; tulis id yang lebih panjang",
        "'{reference}' matches {count} cycles: {shown}; give more of the id",
    ),
    "cycle.ambiguous_more": (
        "'{reference}' cocok dengan {count} siklus: {shown} dan {more} lainnya; "
        "tulis id yang lebih panjang",
        "'{reference}' matches {count} cycles: {shown} and {more} more; give more of the id",
    ),
    "cycle.not_as_expected": (
        "siklus {cycle_id}: {wanted}, tetapi siklus {now}; tidak ada yang dicatat "
        "(muat ulang lalu putuskan lagi)",
        "cycle {cycle_id}: {wanted}, but it is {now}; nothing was recorded "
        "(reload it and decide again)",
    ),
    "expected.step": ("diharapkan di langkah {step}", "expected step {step}"),
    "expected.version": ("diharapkan versi {version}", "expected version {version}"),
    "expected.both": (
        "diharapkan di langkah {step} dan versi {version}",
        "expected step {step} and expected version {version}",
    ),
    "now.at_step": (
        "di langkah {step}, status {status}, versi {version}",
        "at step {step}, status {status}, version {version}",
    ),
    "now.no_step": (
        "{status} (tanpa langkah berjalan), status {status}, versi {version}",
        "{status} (no current step), status {status}, version {version}",
    ),
    "now.last_event": (
        "{now}; peristiwa terakhir #{seq}: {type}{step}, {when}{by}",
        "{now}; last event #{seq}: {type}{step}, {when}{by}",
    ),
    "now.event_step": (" di langkah {step}", " at step {step}"),
    "now.event_by": (" oleh {by}", " by {by}"),
    "action_id.empty": ("id aksi tidak boleh kosong", "an action id cannot be empty"),
    "action_id.too_long": (
        "id aksi paling banyak {maximum} karakter (yang ini {length})",
        "an action id has at most {maximum} characters (this one has {length})",
    ),
    "action_id.blanks": (
        "id aksi {value} berisi spasi atau karakter kendali; pakai huruf, angka, - atau _",
        "action id {value} has blanks or control characters; use letters, digits, - or _",
    ),
    "action_id.start_reused": (
        "siklus {cycle_id} sudah ada dan tidak dimulai oleh id aksi {action_id}; tidak ada "
        "yang dicatat (beri aksi mulai ini id sendiri)",
        "cycle {cycle_id} exists already and was not started by action id {action_id}; "
        "nothing was recorded (give this start its own id)",
    ),
    "action_id.reused": (
        "siklus {cycle_id}: id aksi {action_id} adalah peristiwa #{seq} ({type}), aksi yang "
        "lain; tidak ada yang dicatat (beri aksi ini id sendiri)",
        "cycle {cycle_id}: action id {action_id} is event #{seq} ({type}), a different "
        "action; nothing was recorded (give this action its own id)",
    ),
    "definition.no_longer_loads": (
        "{source}: definisi yang tersimpan tidak bisa dimuat lagi: {problem}",
        "{source}: the stored definition no longer loads: {problem}",
    ),
    "profile.no_folder": (
        "layanan ini tidak punya folder data untuk menyimpan profil",
        "this service has no data folder to keep a profile in",
    ),
    # -- the store's common refusals (langkah/store/base.py) ---------------------------------
    "store.conflict": (
        "siklus {cycle_id} diubah di tempat lain (versi {found}, diharapkan {expected}); "
        "muat ulang lalu coba lagi",
        "cycle {cycle_id} was changed elsewhere (version {found}, expected {expected}); "
        "reload it and try again",
    ),
    "store.integrity": (
        "siklus {cycle_id} tidak lolos verifikasi ({problem}); hanya bisa dibaca: tidak ada "
        "yang disimpan (langkah verify menyebut bedanya)",
        "cycle {cycle_id} does not verify ({problem}); it is read-only: nothing was saved "
        "(langkah verify names what differs)",
    ),
    "store.damaged": (
        "{path}: berkas penyimpanan rusak ({detail})",
        "{path}: damaged store file ({detail})",
    ),
    "store.damaged_repairable": (
        "{path}: berkas penyimpanan rusak ({detail}) (`langkah repair` menyisihkannya dan "
        "memulihkan isinya sebisanya)",
        "{path}: damaged store file ({detail}) (`langkah repair` sets it aside and recovers "
        "what it can)",
    ),
    # -- SOP names (langkah/catalog.py) ------------------------------------------------------
    "sop.unknown": (
        "tidak ada SOP '{sop}'; SOP yang ada: {known}",
        "no SOP '{sop}'; known SOPs: {known}",
    ),
    "sop.ambiguous": (
        "'{sop}' cocok dengan beberapa SOP: {matches}",
        "'{sop}' matches several SOPs: {matches}",
    ),
    "sop.has_errors": (
        "SOP '{sop}' berisi kesalahan (lihat `langkah validate`)",
        "SOP '{sop}' has errors (see `langkah validate`)",
    ),
    "sop.none": ("(tidak ada)", "(none)"),
    # -- the command line (langkah/cli/*.py) -------------------------------------------------
    "cli.option": ("{option}: {problem}", "{option}: {problem}"),
    "cli.command_needed": (
        "di sini perlu PERINTAH; `langkah` saja membuka aplikasi",
        "a COMMAND is needed here; `langkah` alone opens the app",
    ),
    "cli.not_utf8": (
        "argumen {position} ('{shown}') bukan teks UTF-8 yang sah; tulis dalam UTF-8 "
        "(periksa pengodean terminal atau skrip)",
        "argument {position} ('{shown}') is not valid UTF-8 text; write it in UTF-8 "
        "(check the terminal's or the script's encoding)",
    ),
    "cli.role_syntax": (
        "--role '{text}': tulis PERAN=\"NAMA;NIP;PANGKAT\"",
        "--role '{text}': write ROLE=\"NAMA;NIP;PANGKAT\"",
    ),
    "cli.role_quotes": (
        "peran '{role}': {problem} di '{rest}'",
        "role '{role}': {problem} in '{rest}'",
    ),
    "cli.role_fields": (
        "peran '{role}': '{rest}' punya {count} bagian dipisah ';' (paling banyak "
        'NAMA;NIP;PANGKAT); apit nama atau pangkat yang memuat ";" dengan tanda petik: '
        "{role}='\"NAMA; GELAR\";NIP;PANGKAT'",
        "role '{role}': '{rest}' has {count} fields separated by ';' (at most "
        'NAMA;NIP;PANGKAT); put a name or rank that holds ";" in double quotes: '
        "{role}='\"NAMA; GELAR\";NIP;PANGKAT'",
    ),
    "cli.roles_none": (
        'beri paling sedikit satu PERAN="NAMA;NIP;PANGKAT" (mis. kepala="...")',
        'give at least one ROLE="NAMA;NIP;PANGKAT" (e.g. kepala="...")',
    ),
    "cli.key_value": ("'{pair}' bukan KUNCI=NILAI", "'{pair}' is not KEY=VALUE"),
    "cli.answer_unknown": (
        "--answer '{word}' tidak dikenal: tulis {yes} (setuju) atau {no} (tidak)",
        "--answer '{word}' is not an answer: write {yes} (yes) or {no} (no)",
    ),
    "cli.duplicate": (
        "{sop} periode {period} sudah punya siklus: {listed}. Tidak dimulai; tambahkan "
        "--allow-duplicate untuk tetap memulai siklus kedua.",
        "{sop} period {period} already has a cycle: {listed}. Not started; add "
        "--allow-duplicate to start a second one anyway.",
    ),
    "cli.no_such_file": ("{option} {value}: berkas tidak ada", "{option} {value}: no such file"),
    "cli.profile_not_saved": (
        "profil tidak dapat disimpan: {problem}",
        "cannot save the profile: {problem}",
    ),
    "cli.is_folder": (
        "{option} {value}: itu folder; beri nama berkas, mis. {example}",
        "{option} {value}: that is a folder; give a file name, e.g. {example}",
    ),
    "cli.not_xlsx": (
        "{option} {value}: rekap berupa buku kerja Excel; beri nama berakhiran .xlsx",
        "{option} {value}: the recap is an Excel workbook; give a name ending in .xlsx",
    ),
    "file.exists": (
        "{path} sudah ada; tambahkan --force untuk menimpanya, atau pilih nama lain",
        "{path} already exists; add --force to replace it, or choose another name",
    ),
    "cli.unknown_status": (
        "--status {value}: status tidak dikenal; pakai salah satu dari {known}",
        "--status {value}: unknown status; use one of {known}",
    ),
    "cli.unknown_kecamatan": (
        "--kecamatan {value}: kecamatan tidak ada; yang ada: {known}",
        "--kecamatan {value}: no such kecamatan; known: {known}",
    ),
    "cli.nothing_matches": (
        "tidak ada siklus yang cocok dengan saringan ini; tidak ada yang ditulis",
        "no cycle matches these filters; nothing was written",
    ),
    "cli.one_or_other": (
        "{first} dan {second}: pilih salah satu",
        "{first} and {second}: give one or the other",
    ),
    "cli.not_docx": (
        "{option} {value}: rekap berupa dokumen Word; beri nama berakhiran .docx",
        "{option} {value}: the recap is a Word document; give a name ending in .docx",
    ),
    "cli.folder_first": (
        "{option} {value}: folder {folder} tidak ada (buat dulu)",
        "{option} {value}: the folder {folder} does not exist (create it first)",
    ),
    "cli.width": (
        "--width {width}: paling sedikit {minimum} kolom",
        "--width {width}: at least {minimum} columns",
    ),
    "cli.more_problems": (
        "{problem} (dan {more} lagi; `langkah validate {name}` menampilkan semuanya)",
        "{problem} (and {more} more; `langkah validate {name}` lists them)",
    ),
    "cli.code_one_cycle": (
        "--code memeriksa satu siklus: beri tepat satu SIKLUS",
        "--code checks one cycle: give exactly one CYCLE",
    ),
    "cli.bad_code": (
        "--code '{code}' bukan kode verifikasi ({length} karakter heksadesimal, seperti "
        "tercetak di laporan: mis. 3f9a 0c1d 77e2)",
        "--code '{code}' is not a verification code ({length} hex characters, as the report "
        "prints it: e.g. 3f9a 0c1d 77e2)",
    ),
    "cli.migrate_to": (
        "--to memerlukan URL postgresql:// atau folder data",
        "--to needs a postgresql:// URL or a data folder",
    ),
    "cli.migrate_source": ("sumber: {problem}", "the source: {problem}"),
    "cli.migrate_target": (
        "tujuan: {problem}; tidak ada yang disalin",
        "the target: {problem}; nothing was copied",
    ),
    "cli.migrate_same": (
        "sumber dan tujuan adalah penyimpanan yang sama ({location})",
        "the source and the target are the same store ({location})",
    ),
    "cli.migrate_failed": (
        "{problem}; siklus yang sudah tersalin tetap utuh",
        "{problem}; the cycles copied so far are kept whole",
    ),
    "cli.import_folder": (
        "{target}: adalah folder; beri nama berkas draf, mis. -o {target}/sop.toml",
        "{target}: is a folder; name the draft file, e.g. -o {target}/sop.toml",
    ),
    "cli.import_no_folder": (
        "{target}: folder {folder} tidak ada",
        "{target}: the folder {folder} does not exist",
    ),
    "cli.import_exists": (
        "{target}: sudah ada; tidak ditimpa (pakai --force untuk menimpanya)",
        "{target}: exists already; not replaced (add --force to replace it)",
    ),
    "cli.import_timezone": (
        "--timezone {value}: bukan zona waktu IANA (mis. Asia/Jakarta)",
        "--timezone {value}: not an IANA time zone (e.g. Asia/Jakarta)",
    ),
    "cli.import_failed": (
        "{problem}; tidak ada draf yang ditulis",
        "{problem}; no draft was written",
    ),
    "cli.import_unreadable": (
        "{document}: tidak dapat dibaca ({problem}); tidak ada draf yang ditulis",
        "{document}: cannot be read ({problem}); no draft was written",
    ),
    "cli.not_written": (
        "{target}: tidak dapat ditulis ({problem})",
        "{target}: cannot be written ({problem})",
    ),
    # -- writing the report and the recaps (langkah/report/) ------------------------------
    "report.cannot_write": (
        "laporan tidak dapat ditulis ke {path}: {reason}",
        "cannot write the report to {path}: {reason}",
    ),
    "recap.cannot_write": (
        "rekap tidak dapat ditulis ke {path}: {reason}",
        "cannot write the recap to {path}: {reason}",
    ),
    "file.no_folder": (
        "folder {folder} tidak ada (buat dulu)",
        "the folder {folder} does not exist (create it first)",
    ),
    "file.folder_missing": ("{folder} tidak ada", "{folder} does not exist"),
    "file.not_a_folder": ("{folder} bukan folder", "{folder} is not a folder"),
    "file.not_regular": ("bukan berkas biasa", "it is not a regular file"),
    "file.disk_full": ("{reason} (disk penuh)", "{reason} (the disk is full)"),
    "as_given": ("{detail}", "{detail}"),
}
"""Every message, by key: (Bahasa Indonesia, English), with the same {placeholders}."""

AS_GIVEN = "as_given"
"""The one key whose two texts are the same: a detail shown as it was given (an OS error, a
path), for the rare technical errors that carry no Text of their own."""


class Localized(Protocol):
    """Anything that can say itself in a language: a Text, an EngineError, a NipError."""

    def message(self, lang: str) -> str: ...


@dataclass(frozen=True)
class Text:
    """A message as data: a key of MESSAGES and its parameters. A parameter that is itself
    Localized (a Text, an engine error) is rendered in the same language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in MESSAGES:
            raise KeyError(f"no message '{self.key}'")

    def message(self, lang: str) -> str:
        template = MESSAGES[self.key][1 if lang == "en" else 0]
        values = {
            name: value.message(lang) if _speaks(value) else value
            for name, value in self.params.items()
        }
        return template.format(**values)

    def __str__(self) -> str:
        return self.message("en")


def say(key: str, **params: Any) -> Text:
    """The Text of `key` with its parameters: say("cycle.not_found", reference="x")."""
    return Text(key, params)


def _speaks(value: object) -> bool:
    return callable(getattr(value, "message", None)) and not isinstance(value, type)


class TextError(Exception):
    """Mixin of an error whose message is a Text: `str()` is the English, `.text` both."""

    text: Text

    def __init__(self, text: Text, *args: object) -> None:
        super().__init__(text.message("en"), *args)
        self.text = text


class Refused(TextError, ValueError):
    """A value refused (an argument, a setting), with its message as a Text."""


class NoSuchName(TextError, KeyError):
    """A name (an SOP id, ...) that is not known; `args[0]` is the English message."""

    def __str__(self) -> str:  # a KeyError would quote its message
        return self.text.message("en")


def told(error: BaseException) -> Localized:
    """What `error` says, in either language: its Text, its own `message(lang)` (engine and
    NIP errors), or else its English text as given (rare, technical errors)."""
    text = getattr(error, "text", None)
    if isinstance(text, Text):
        return text
    if _speaks(error):
        return error  # type: ignore[return-value]  # it has message(lang), checked above
    if isinstance(error, KeyError) and error.args:
        return say(AS_GIVEN, detail=str(error.args[0]))
    return say(AS_GIVEN, detail=str(error))
