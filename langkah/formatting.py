"""How times, durations and dates read in Bahasa Indonesia (or English), for CLI, TUI and report.

Month and day names come from pendulum's locales ("id", "en"); its `L`/`LL` shortcuts are wrong
for "id", so explicit tokens are used.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo

import pendulum

from langkah.engine.nip import printed

ZONE_ABBREVIATIONS = {7: "WIB", 8: "WITA", 9: "WIT"}


def count(number: int, lang: str = "id") -> str:
    """A whole number with its thousands grouped: "50.000" in Indonesian, "50,000" in English."""
    grouped = f"{number:,}"
    return grouped if lang == "en" else grouped.replace(",", ".")


def long_date(day: dt.date, lang: str = "id") -> str:
    """ "5 Oktober 2023" (id) or "5 October 2023" (en)."""
    return pendulum.date(day.year, day.month, day.day).format("D MMMM YYYY", locale=lang)


def zone_name(instant: dt.datetime) -> str:
    offset = instant.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return ZONE_ABBREVIATIONS.get(hours, f"UTC{hours:+d}")


def local(instant: dt.datetime, timezone: str) -> dt.datetime:
    return instant.astimezone(zoneinfo.ZoneInfo(timezone))


def clock_time(instant: dt.datetime, timezone: str) -> str:
    """ "09.30 WIB": the Indonesian way of writing a time of day."""
    moment = local(instant, timezone)
    return f"{moment:%H.%M} {zone_name(moment)}"


def date_time(instant: dt.datetime, timezone: str, lang: str = "id") -> str:
    """ "Jumat, 16 Agustus 2024 09.00 WIB"."""
    moment = pendulum.instance(instant).in_tz(timezone)
    return f"{moment.format('dddd, D MMMM YYYY', locale=lang)} {clock_time(instant, timezone)}"


def short_date_time(instant: dt.datetime, timezone: str) -> str:
    moment = local(instant, timezone)
    return f"{moment:%d-%m-%Y} {clock_time(instant, timezone)}"


def duration(minutes: float | None, lang: str = "id", per_day: float | None = None) -> str:
    """Working minutes as "2 jam 15 menit"; with `per_day`, whole days first ("1 hari 2 jam").

    Rounded to the nearest minute, halves up (89.6 -> 1 jam 30 menit, 0.5 -> 1 menit).
    """
    if minutes is None:
        return "-"
    total = math.floor(minutes + 0.5)
    words = {"id": ("hari", "jam", "menit"), "en": ("d", "h", "min")}[
        lang if lang == "en" else "id"
    ]
    parts = []
    if per_day and total >= per_day:
        days, total = divmod(total, int(per_day))
        parts.append(f"{days} {words[0]}")
    hours, mins = divmod(total, 60)
    if hours:
        parts.append(f"{hours} {words[1]}")
    if mins or not parts:
        parts.append(f"{mins} {words[2]}")
    return " ".join(parts)


def clock_duration(minutes: float) -> str:
    """A ticking display: "1:05:09" (hours:minutes:seconds)."""
    seconds = max(int(minutes * 60), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def nip(value: str) -> str:
    """An 18-digit NIP spaced 8-6-1-3 ("19700626 199003 1 006"); a marked other number (and
    anything else) as written. The one rule is langkah.engine.nip.printed."""
    return printed(value)


def holiday_warning(years: list[int], last_year: int | None, lang: str = "id") -> str:
    """The warning for a cycle that runs in years the holiday data does not cover ("" if none)."""
    if not years or last_year is None:
        return ""
    listed = ", ".join(str(y) for y in years)
    if lang == "en":
        return (
            f"Warning: the holiday data ends in {last_year}; days off in {listed} are estimated "
            "or missing, so working time there may be wrong. Upgrade the holidays package or "
            "add hari_libur.toml (docs/holidays.md)."
        )
    return (
        f"Peringatan: data hari libur hanya sampai {last_year}; hari libur {listed} diperkirakan "
        "atau belum ada, jadi jam kerja di tahun itu bisa keliru. Perbarui paket holidays atau "
        "tambahkan hari_libur.toml (docs/holidays.md)."
    )
