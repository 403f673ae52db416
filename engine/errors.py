"""Named errors of the engine, with their messages in Bahasa Indonesia and English."""

from __future__ import annotations

from langkah.engine.vocabulary import CYCLE_STATUS

MESSAGES: dict[str, tuple[str, str]] = {
    # code: (Bahasa Indonesia, English)
    "not_active": (
        "Siklus sudah {status}; tidak ada tindakan lagi.",
        "The cycle is {status}; no more actions.",
    ),
    "paused": (
        "Siklus sedang dijeda ({reason}); lanjutkan dulu.",
        "The cycle is paused ({reason}); resume it first.",
    ),
    "not_paused": ("Siklus tidak sedang dijeda.", "The cycle is not paused."),
    "missing_inputs": (
        "Langkah {step} belum bisa diselesaikan: kelengkapan belum ada: {items}.",
        "Step {step} cannot be completed yet: missing: {items}.",
    ),
    "missing_for_answer": (
        "Langkah {step} belum bisa dijawab: kelengkapan belum ada: {items}.",
        "Step {step} cannot be answered yet: missing: {items}.",
    ),
    "unknown_input": (
        "Langkah {step} tidak punya kelengkapan '{item}' (yang ada: {known}).",
        "Step {step} has no input '{item}' (it has: {known}).",
    ),
    "bad_value": (
        "Nilai '{value}' tidak sesuai untuk '{item}': {expected}.",
        "'{value}' is not a valid value for '{item}': {expected}.",
    ),
    "needs_answer": (
        "Langkah {step} adalah keputusan: jawab {yes} atau {no}.",
        "Step {step} is a decision: answer {yes} or {no}.",
    ),
    "not_decision": (
        "Langkah {step} bukan keputusan; cukup selesaikan.",
        "Step {step} is not a decision; just complete it.",
    ),
    "needs_reason": (
        "Jawaban '{answer}' memerlukan alasan.",
        "The answer '{answer}' needs a reason.",
    ),
    "reason_required": ("Alasan wajib diisi.", "A reason is required."),
    "empty_note": ("Catatan kosong.", "The note is empty."),
    "unknown_role": (
        "Peran '{role}' tidak ada di SOP ini (yang ada: {known}).",
        "Role '{role}' is not in this SOP (it has: {known}).",
    ),
    "bad_nip": (
        "NIP '{value}' untuk peran '{role}' ditolak: {problem_id}",
        "NIP '{value}' for role '{role}' refused: {problem_en}",
    ),
    "unknown_step": ("Langkah {step} tidak ada.", "There is no step {step}."),
    "malformed_log": (
        "Log siklus {cycle_id} rusak pada peristiwa ke-{seq}: {problem}.",
        "The log of cycle {cycle_id} is malformed at event {seq}: {problem}.",
    ),
    "clock_behind": (
        "Jam menunjukkan {now}, lebih awal dari kejadian terakhir siklus ini ({last}); "
        "periksa jam komputer atau LANGKAH_NOW. Tidak ada yang dicatat.",
        "The clock reads {now}, earlier than this cycle's last event ({last}); check the "
        "computer's clock or LANGKAH_NOW. Nothing was recorded.",
    ),
}

# What a value of each input kind must look like (the {expected} of "bad_value"), both languages.
EXPECTED: dict[str, tuple[str, str]] = {
    "check": ("isi ya atau tidak", "answer yes or no"),
    "text": ("isi teks", "type some text"),
    "number": (
        "isi angka, mis. 12 atau 1.234,5",
        "type a number, e.g. 12 or 1,234.5 written as 1.234,5",
    ),
    "date": (
        "bukan tanggal yang ada; tulis tanggal seperti 2026-10-05 atau 5/10/2026",
        "not a real date; write a date like 2026-10-05 or 5/10/2026",
    ),
    "document": (
        "isi nomor surat dan tanggalnya (tanggal seperti 2026-10-05 atau 5/10/2026)",
        "fill in the letter's number and its date (a date like 2026-10-05 or 5/10/2026)",
    ),
    "document_date": (
        "tanggal surat bukan tanggal yang ada; tulis seperti 2026-10-05 atau 5/10/2026",
        "the letter's date is not a real date; write it like 2026-10-05 or 5/10/2026",
    ),
    "choice": ("pilih salah satu: {choices}", "choose one of: {choices}"),
    "date_span": (
        "tahunnya di luar {choices}; periksa tahunnya (tulis seperti 2026-10-05 atau 5/10/2026)",
        "its year is outside {choices}; check the year (write it like 2026-10-05 or 5/10/2026)",
    ),
}

# What is wrong with a malformed log (MalformedLog.problem), in both languages.
LOG_PROBLEMS: dict[str, tuple[str, str]] = {
    "empty": ("log kosong", "the log is empty"),
    "not_started": (
        "peristiwa pertama adalah '{type}', bukan 'started'",
        "the first event is '{type}', not 'started'",
    ),
    "started_again": ("'started' muncul lagi", "a second 'started' event"),
    "seq": (
        "nomor urutnya {seq_found}, seharusnya {seq_expected}",
        "its sequence number is {seq_found}, expected {seq_expected}",
    ),
    "unknown_type": ("jenis peristiwa '{type}' tidak dikenal", "unknown event type '{type}'"),
    "unknown_step": (
        "langkah {step} tidak ada dalam definisi SOP",
        "step {step} is not in the SOP definition",
    ),
    "wrong_step": (
        "peristiwa untuk langkah {step}, padahal langkah yang berjalan {current}",
        "an event for step {step} while the current step is {current}",
    ),
    "closed": (
        "'{type}' setelah siklus {status}",
        "'{type}' after the cycle was {status}",
    ),
    "paused": ("'{type}' selama siklus dijeda", "'{type}' while the cycle is paused"),
    "not_paused": ("'resumed' tanpa jeda", "'resumed' without a pause"),
    "not_decision": (
        "jawaban untuk langkah {step}, yang bukan keputusan",
        "an answer to step {step}, which is not a decision",
    ),
    "needs_answer": (
        "'step_completed' untuk langkah keputusan {step}",
        "'step_completed' for decision step {step}",
    ),
    "bad_answer": (
        "jawaban '{answer}' bukan 'yes' atau 'no'",
        "the answer '{answer}' is neither 'yes' nor 'no'",
    ),
    "bad_data": (
        "datanya tidak lengkap atau salah ({detail})",
        "its data is missing or wrong ({detail})",
    ),
}


class EngineError(Exception):
    """Base of the engine's errors: a code, its parameters, and a message in either language."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        template = MESSAGES[self.code][0 if lang == "id" else 1]
        params = dict(self.params)
        choices = params.get("choices")
        params["choices_hint"] = f": {choices}" if choices else ""
        if self.code == "bad_value":
            expected = EXPECTED.get(str(params.get("kind")), EXPECTED["text"])
            params["expected"] = expected[0 if lang == "id" else 1].format(choices=choices or "-")
        if "status" in params:
            params["status"] = CYCLE_STATUS[str(params["status"])][0 if lang == "id" else 1]
        return template.format(**params)


class ActionRefused(EngineError):
    """An action that the cycle's state or the SOP does not allow now."""


class MalformedLog(EngineError, ValueError):
    """A cycle's log that no sequence of engine commands could have produced.

    `cycle_id` and `seq` say where (seq 0: the log as a whole), `problem` what is wrong (a key of
    LOG_PROBLEMS, with its `details`); `what` says it in English. It is also a ValueError, as
    `replay`'s refusals of a log without its start always were.
    """

    def __init__(self, cycle_id: str, seq: int, problem: str, **details: object):
        self.cycle_id = cycle_id
        self.seq = seq
        self.problem = problem
        self.details = details
        super().__init__("malformed_log", cycle_id=cycle_id, seq=seq, problem=problem)

    @property
    def what(self) -> str:
        return self.describe("en")

    def describe(self, lang: str = "id") -> str:
        """What is wrong, without where."""
        template = LOG_PROBLEMS[self.problem][0 if lang == "id" else 1]
        details = dict(self.details)
        if "status" in details:
            details["status"] = CYCLE_STATUS[str(details["status"])][0 if lang == "id" else 1]
        return template.format(**details)

    def message(self, lang: str = "id") -> str:
        template = MESSAGES[self.code][0 if lang == "id" else 1]
        return template.format(cycle_id=self.cycle_id, seq=self.seq, problem=self.describe(lang))
