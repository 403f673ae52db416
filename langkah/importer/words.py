"""Reading the words of a document: Indonesian dates, identifiers from titles, names in
title case, and the decision clauses of a keterangan ("tidak setuju: kembali ke langkah 7")."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12,
}  # fmt: skip
_WORD_DATE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SMALL_WORDS = {"dan", "di", "ke", "dari", "untuk", "serta", "yang", "atau", "pada"}


def parse_date(text: str) -> dt.date | None:
    """'5 Oktober 2023', '05-10-2023', '5/10/2023', '2023-10-05' -> a date; else None."""
    text = " ".join(text.split()).strip(" ,.")
    day = month = year = 0
    if m := _WORD_DATE.match(text):
        month = MONTHS.get(m.group(2).lower(), 0)
        day, year = int(m.group(1)), int(m.group(3))
    elif m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day) if month else None
    except ValueError:
        return None


def identifier(text: str, fallback: str, max_length: int = 40) -> str:
    """A definition identifier from a title: 'Tim SAKIP' -> 'tim_sakip'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    out = ""
    for word in words:
        candidate = f"{out}_{word}" if out else word
        if len(candidate) > max_length:
            break
        out = candidate
    return out or fallback


def unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


def title_case(text: str) -> str:
    """'PEMBERDAYAAN MASYARAKAT DAN DESA' -> 'Pemberdayaan Masyarakat dan Desa'; text already in
    mixed case is kept as written."""
    if text != text.upper():
        return text
    words = text.lower().split()
    return " ".join(
        w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


_ROUTE = re.compile(
    r"^(?P<label>[^:=→>]+?)\s*(?:[:=→>]+|-+>?|–|,)\s*"
    r"(?:(?:kembali|lanjut(?:kan)?|diteruskan|dikembalikan|menuju)\s+)?(?:ke\s+)?"
    r"(?:langkah|kegiatan|no\.?|nomor|step|proses)\s*(?:ke-?\s*)?(?P<step>\d{1,4})\s*\.?$",
    re.IGNORECASE,
)
NEGATIVE = re.compile(r"\b(tidak|belum|ditolak|tolak|no)\b", re.IGNORECASE)
_CLAUSES = re.compile(r"(?<=[?;.])\s+|\s*;\s*")


def clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSES.split(text) if c and c.strip(" ;")]


def route(clause: str) -> tuple[str, int, bool] | None:
    """'tidak setuju: kembali ke langkah 7' -> ('tidak setuju', 7, negative=True)."""
    m = _ROUTE.match(clause.strip().rstrip(";"))
    if not m:
        return None
    label = m.group("label").strip(" .,")
    return label, int(m.group("step")), bool(NEGATIVE.search(label))
