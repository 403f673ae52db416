"""How the analytics' numbers read in a table, for the CLI's text and the TUI alike."""

from __future__ import annotations


def number(value: float, lang: str, decimals: int = 1) -> str:
    """1.5 -> "1,5" (id) / "1.5" (en); 2.0 -> "2"."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(".", ",")


def pct(value: float | None, lang: str) -> str:
    """A share as "62,5%"; "-" when it is undefined (a share of nothing)."""
    return "-" if value is None else f"{number(value, lang)}%"


def compact(minutes: float | None, lang: str, per_day: float) -> str:
    """A short working-time figure: "45m", "3,5j", "2,1h" ("3.5h", "2.1d" in English)."""
    if minutes is None:
        return "-"
    hour, day = ("h", "d") if lang == "en" else ("j", "h")
    if minutes < 59.5:
        return f"{round(minutes)}m"
    if minutes < per_day:
        return f"{number(minutes / 60, lang)}{hour}"
    return f"{number(minutes / per_day, lang)}{day}"
