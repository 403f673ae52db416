"""The one table of status words Langkah shows, in Bahasa Indonesia and English.

Cycle statuses, time statuses and visit outcomes, for the engine's refusals, the CLI, the TUI
and the report alike; and the words a person may type to answer a decision. Each entry is
(Bahasa Indonesia, English).

Keys are the values of CycleStatus, TimeStatus and Outcome (StrEnums, so a member looks up as
its value). This module imports nothing, so the TUI can read it at start-up for free.
"""

from __future__ import annotations

CYCLE_STATUS: dict[str, tuple[str, str]] = {
    "active": ("berjalan", "active"),
    "paused": ("dijeda", "paused"),
    "finished": ("selesai", "finished"),
    "cancelled": ("dibatalkan", "cancelled"),
}

TIME_STATUS: dict[str, tuple[str, str]] = {
    "on_time": ("tepat waktu", "on time"),
    "near_limit": ("mendekati batas", "near the limit"),
    "overdue": ("terlambat", "overdue"),
    "no_standard": ("tanpa standar waktu", "no standard time"),
}

RUNNING = ("sedang berjalan", "running")
"""The outcome of a visit that has not ended yet."""

OUTCOME: dict[str, tuple[str, str]] = {
    "completed": ("selesai", "completed"),
    "yes": ("disetujui", "agreed"),
    "no": ("dikembalikan", "returned"),
    "cancelled": ("dibatalkan", "cancelled"),
}

ANSWERS: dict[str, bool] = {
    "ya": True,
    "yes": True,
    "setuju": True,
    "disetujui": True,
    "sesuai": True,
    "lengkap": True,
    "benar": True,
    "tidak": False,
    "no": False,
    "tidak setuju": False,
    "tidak disetujui": False,
    "tidak sesuai": False,
    "tidak lengkap": False,
    "belum lengkap": False,
    "tidak benar": False,
}
"""The words that answer a decision, and what each one means: the CLI's --answer, its help and
its refusals are all read from here. A decision's own labels (an SOP's `yes_label` and
`no_label`, e.g. "setuju" / "tidak setuju") are accepted as well (see `answer`)."""


def _pick(words: tuple[str, str], lang: str) -> str:
    return words[1] if lang == "en" else words[0]


def cycle_status(status: str, lang: str = "id") -> str:
    """A CycleStatus as "berjalan", "dijeda", ... (or the English word)."""
    return _pick(CYCLE_STATUS[status], lang)


def time_status(status: str, lang: str = "id") -> str:
    """A TimeStatus as "tepat waktu", "terlambat", ... (or the English words)."""
    return _pick(TIME_STATUS[status], lang)


def outcome(value: str | None, lang: str = "id") -> str:
    """How a visit ended (an Outcome: "disetujui", ...); None: it is still running."""
    return _pick(OUTCOME[value] if value is not None else RUNNING, lang)


def _words(text: str) -> str:
    """An answer as compared: case and runs of spaces do not matter ("Tidak  Setuju")."""
    return " ".join(text.split()).casefold()


def answer_words(yes_label: str | None = None, no_label: str | None = None) -> dict[str, bool]:
    """Every word accepted as an answer: a decision's own labels first, then the table."""
    words: dict[str, bool] = {}
    if yes_label and no_label and _words(yes_label) != _words(no_label):
        words[_words(yes_label)] = True
        words[_words(no_label)] = False
    for word, meaning in ANSWERS.items():
        words.setdefault(word, meaning)
    return words


def answer(word: str, yes_label: str | None = None, no_label: str | None = None) -> bool:
    """What an answer typed by a person means: any word of the table, or the decision's own
    label (`yes_label`/`no_label`); ValueError naming the accepted words otherwise."""
    words = answer_words(yes_label, no_label)
    key = _words(word)
    if key not in words:
        yes = ", ".join(w for w, v in words.items() if v)
        no = ", ".join(w for w, v in words.items() if not v)
        raise ValueError(f"'{word}' is not an answer: write {yes} (yes) or {no} (no)")
    return words[key]
