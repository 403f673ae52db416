"""The text of `langkah stats`: readable at 80 columns, Indonesian labels (English: --lang en)."""

from __future__ import annotations

import datetime as dt
import textwrap

from langkah.analytics import GroupStats, Stats, StepStats
from langkah.analytics.labels import compact, number, pct
from langkah.display import visible
from langkah.engine.period import Period
from langkah.formatting import duration, local, long_date, zone_name

WIDTH = 80
COLUMNS_PER_TABLE = 3

STRINGS = {
    "id": {
        "title": "Statistik pelaksanaan SOP per {now}: {n} {cycles}",
        "units": "Waktu dalam jam kerja; terlambat = melewati waktu standar (docs/analytics.md).",
        "empty": "Tidak ada siklus yang cocok dengan filter ini.",
        "all_periods": "semua periode terpilih",
        "cycles": "Siklus",
        "cycles_text": "{s} dimulai, {f} selesai, {c} dibatalkan, {o} berjalan",
        "on_time": "Tepat waktu",
        "on_time_text": "{pct} ({ok} dari {n} langkah dinilai)",
        "pending": "; {p} berjalan dalam waktu",
        "none_judged": "- (belum ada langkah berwaktu standar yang dapat dinilai)",
        "most_late": "Paling terlambat",
        "most_late_text": "langkah {step} ({late} dari {n} kali)",
        "none_late": "- (tidak ada yang terlambat)",
        "returns": "Pengembalian",
        "returns_text": "{total} ({per} per siklus)",
        "decision_text": "langkah {step}: {r} dari {a} jawaban",
        "lead": "Lama siklus",
        "lead_text": "median {lead} ({n} selesai); jumlah standar {std}{ratio}",
        "lead_none": "- (belum ada siklus selesai); jumlah standar {std}",
        "unsummed": "tanpa langkah {steps}",
        "step": "Langkah",
        "judged": "Dinilai",
        "on_time_short": "Tepat",
        "late": "Telat",
        "median": "Median",
        "p90": "P90",
        "standard": "Standar",
        "table_title": "Per langkah, {periods}",
        "table_cells": "Sel: % tepat waktu (jumlah dinilai) median/P90 keterlambatan",
        "legend": "m = menit, j = jam, h = hari kerja; '.' = langkah tidak ada di varian itu",
    },
    "en": {
        "title": "SOP execution figures as of {now}: {n} {cycles}",
        "units": "Working time; late = past the standard time (docs/analytics.md).",
        "empty": "No cycle matches these filters.",
        "all_periods": "all selected periods",
        "cycles": "Cycles",
        "cycles_text": "{s} started, {f} finished, {c} cancelled, {o} open",
        "on_time": "On time",
        "on_time_text": "{pct} ({ok} of {n} steps judged)",
        "pending": "; {p} running within time",
        "none_judged": "- (no timed step can be judged yet)",
        "most_late": "Most often late",
        "most_late_text": "step {step} ({late} of {n} times)",
        "none_late": "- (none late)",
        "returns": "Returns",
        "returns_text": "{total} ({per} per cycle)",
        "decision_text": "step {step}: {r} of {a} answers",
        "lead": "Lead time",
        "lead_text": "median {lead} ({n} finished); sum of standards {std}{ratio}",
        "lead_none": "- (no finished cycle yet); sum of standards {std}",
        "unsummed": "without step {steps}",
        "step": "Step",
        "judged": "Judged",
        "on_time_short": "On time",
        "late": "Late",
        "median": "Median",
        "p90": "P90",
        "standard": "Standard",
        "table_title": "Per step, {periods}",
        "table_cells": "Cells: % on time (number judged) median/P90 delay",
        "legend": "m = minutes, h = hours, d = working days; '.' = no such step in that variant",
    },
}


def _t(lang: str) -> dict[str, str]:
    return STRINGS["en" if lang == "en" else "id"]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _period_label(period: str | None, lang: str) -> str:
    if period is None:
        return _t(lang)["all_periods"]
    try:
        return Period.parse(period).label(lang)
    except ValueError:  # pragma: no cover - a replayed state's period always parses
        return visible(period, one_line=True)


def _line(label: str, text: str) -> str:
    """A labelled line, wrapped under its text to 80 columns (never cut)."""
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=f"   {label:<17} ",
        subsequent_indent=" " * 21,
        break_on_hyphens=False,
    )


def group_block(g: GroupStats, lang: str) -> list[str]:
    t = _t(lang)
    name = visible(g.sop_name, one_line=True)
    head = f"== {visible(g.kecamatan, one_line=True)} · {name} · {_period_label(g.period, lang)}"
    lines = [_cut(head, WIDTH)]
    counts = t["cycles_text"].format(
        s=g.cycles_started, f=g.cycles_finished, c=g.cycles_cancelled, o=g.cycles_open
    )
    lines.append(_line(t["cycles"], counts))
    if g.steps_judged:
        text = t["on_time_text"].format(
            pct=pct(g.on_time_pct, lang), ok=g.steps_on_time, n=g.steps_judged
        )
    else:
        text = t["none_judged"]
    if g.steps_pending:
        text += t["pending"].format(p=g.steps_pending)
    lines.append(_line(t["on_time"], text))
    most = g.most_late_step
    text = (
        t["none_late"]
        if most is None
        else t["most_late_text"].format(step=most.step, late=most.late, n=most.judged)
    )
    lines.append(_line(t["most_late"], text))
    text = t["returns_text"].format(total=g.returns, per=number(g.returns_per_cycle, lang, 2))
    for d in g.decisions:
        text += "; " + t["decision_text"].format(step=d.step, r=d.returns, a=d.answers)
    lines.append(_line(t["returns"], text))
    std = duration(g.standard_sum_minutes, lang, g.day_minutes)
    if g.unsummed_steps:
        std += f" ({t['unsummed'].format(steps=', '.join(map(str, g.unsummed_steps)))})"
    if g.lead_time_median_minutes is None:
        text = t["lead_none"].format(std=std)
    else:
        ratio = "" if g.lead_time_ratio is None else f" = {number(g.lead_time_ratio, lang, 2)}×"
        text = t["lead_text"].format(
            lead=duration(g.lead_time_median_minutes, lang, g.day_minutes),
            n=g.lead_time_cycles,
            std=std,
            ratio=ratio,
        )
    lines.append(_line(t["lead"], text))
    lines.extend(step_lines(g, lang))
    return lines


def step_lines(g: GroupStats, lang: str) -> list[str]:
    t = _t(lang)
    head = (
        f"   {t['step']:<8}{t['judged']:>8}{t['on_time_short']:>8}{t['late']:>6}"
        f"{t['median']:>8}{t['p90']:>7}  {t['standard']}"
    )
    lines = [head]
    for s in g.steps:
        if not s.visits:
            continue
        row = (
            f"   {s.step:<8}{s.judged:>8}{pct(s.on_time_pct, lang):>8}{s.late:>6}"
            f"{compact(s.delay_median_minutes, lang, g.day_minutes):>8}"
            f"{compact(s.delay_p90_minutes, lang, g.day_minutes):>7}  "
        )
        lines.append(row + _cut(_standard(s, lang), WIDTH - len(row)))
    return lines


def _standard(s: StepStats, lang: str) -> str:
    """The waktu as written; what it means when that is shorter (a long deadline phrase)."""
    if s.standard is None:
        return "-"
    written = visible(" ".join(s.standard.text.split()), one_line=True) or "-"
    meaning = s.standard.meaning(lang)
    return meaning if len(meaning) < len(written) else written


def _cell(s: StepStats | None, lang: str, per_day: float) -> str:
    if s is None:
        return "."
    if not s.judged:
        return "- (0)"
    delays = (
        f"{compact(s.delay_median_minutes, lang, per_day)}/"
        f"{compact(s.delay_p90_minutes, lang, per_day)}"
    )
    return f"{pct(s.on_time_pct, lang)} ({s.judged}) {delays}"


def step_table(stats: Stats, lang: str) -> list[str]:
    t = _t(lang)
    lines = []
    totals = stats.totals
    cell_width = (WIDTH - 8) // COLUMNS_PER_TABLE
    for first in range(0, len(totals), COLUMNS_PER_TABLE):
        chunk = range(first, min(first + COLUMNS_PER_TABLE, len(totals)))
        heads = "".join(
            f"{_cut(visible(totals[i].kecamatan, one_line=True), cell_width - 1):<{cell_width}}"
            for i in chunk
        )
        lines.append(f"{t['step']:<8}{heads}".rstrip())
        for row in stats.step_table:
            texts = [_cell(row.cells[i], lang, totals[i].day_minutes) for i in chunk]
            cells = "".join(f"{_cut(text, cell_width - 1):<{cell_width}}" for text in texts)
            lines.append(f"{row.step:<8}{cells}".rstrip())
        lines.append("")
    return lines


def plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def render(stats: Stats, now: dt.datetime, lang: str, timezone: str = "UTC") -> str:
    """The figures as text; `now` is written in `timezone` (the selected SOPs' own zone when
    they share one: "30 November 2026 10.00 WIB")."""
    t = _t(lang)
    if stats.empty:
        return t["empty"]
    moment = local(now, timezone)
    zone = "UTC" if timezone == "UTC" else zone_name(moment)
    when = f"{long_date(moment.date(), lang)} {moment:%H.%M} {zone}"
    lines = [
        t["title"].format(
            now=when,
            n=stats.cycles,
            cycles="siklus" if lang == "id" else plural(stats.cycles, "cycle"),
        ),
        t["units"],
        "",
    ]
    for group in stats.groups:
        lines.extend(group_block(group, lang))
        lines.append("")
    periods = {g.period for g in stats.groups}
    label = _period_label(next(iter(periods)), lang) if len(periods) == 1 else t["all_periods"]
    lines.append(_cut("== " + t["table_title"].format(periods=label), WIDTH))
    lines.append(t["table_cells"])
    lines.extend(step_table(stats, lang))
    lines.append(t["legend"])
    return "\n".join(lines)
