"""Named errors of the engine, with their messages in Bahasa Indonesia and English."""

from __future__ import annotations

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
    "unknown_input": (
        "Langkah {step} tidak punya kelengkapan '{item}' (yang ada: {known}).",
        "Step {step} has no input '{item}' (it has: {known}).",
    ),
    "bad_value": (
        "Nilai '{value}' tidak sesuai untuk '{item}' (jenis {kind}{choices_hint}).",
        "'{value}' is not a valid value for '{item}' (type {kind}{choices_hint}).",
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
    "unknown_step": ("Langkah {step} tidak ada.", "There is no step {step}."),
    "clock_behind": (
        "Jam menunjukkan {now}, lebih awal dari kejadian terakhir siklus ini ({last}); "
        "periksa jam komputer atau LANGKAH_NOW. Tidak ada yang dicatat.",
        "The clock reads {now}, earlier than this cycle's last event ({last}); check the "
        "computer's clock or LANGKAH_NOW. Nothing was recorded.",
    ),
}

STATUS_WORDS = {
    "active": ("berjalan", "active"),
    "paused": ("dijeda", "paused"),
    "finished": ("selesai", "finished"),
    "cancelled": ("dibatalkan", "cancelled"),
}


class EngineError(Exception):
    """Base of the engine's errors: a code, its parameters, and a message in either language."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        template = MESSAGES[self.code][0 if lang == "id" else 1]
        params = dict(self.params)
        choices = params.get("choices")
        params["choices_hint"] = f": {choices}" if choices else ""
        if "status" in params:
            params["status"] = STATUS_WORDS[str(params["status"])][0 if lang == "id" else 1]
        return template.format(**params)


class ActionRefused(EngineError):
    """An action that the cycle's state or the SOP does not allow now."""
