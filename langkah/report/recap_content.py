"""What the "Rekapitulasi" Word report says, as plain texts and rows (docs/report.md).

The figures are those of `langkah stats` (langkah.analytics); numbers print as the JSON holds
them (2 decimals, Indonesian decimal comma) so a reader can check one against the other, and
an undefined figure (a share of nothing, a median of no values) prints "-", never 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from langkah.analytics import GroupStats, Stats, StepStats
from langkah.analytics.labels import number
from langkah.engine.period import Period
from langkah.formatting import long_date

DASH = "-"
ALL_PERIODS = "Semua periode terpilih"

DEFINITIONS = (
    "Semua waktu dalam menit kerja menurut kalender kerja kecamatan (jam kerja, hari libur "
    "nasional dan cuti bersama tidak dihitung; waktu jeda tidak dihitung). Tepat waktu (%) = "
    "langkah yang selesai dalam waktu standarnya dibagi langkah yang dapat dinilai (langkah "
    "tanpa waktu standar dan langkah yang masih berjalan dalam waktunya tidak dinilai). "
    "Keterlambatan = waktu melewati standar; median dan P90 (persentil ke-90, interpolasi "
    "linear inklusif seperti PERCENTILE.INC di Excel) dihitung dari langkah yang dinilai. "
    "Pengembalian per siklus = jawaban \u201ctidak\u201d dibagi siklus yang dimulai. Lama "
    "siklus = median waktu kerja siklus yang selesai, dibandingkan dengan jumlah waktu standar "
    "langkahnya (rasio). Tanda \u201c-\u201d berarti angka itu tidak terdefinisi (tidak ada "
    "yang dapat dihitung), bukan nol. Rincian: docs/analytics.md."
)


@dataclass(frozen=True)
class RecapMeta:
    """What the report says about the selection, beside its figures."""

    now: dt.datetime  # local time of the SOPs (for the date line)
    filters: dict[str, str | None]
    governments: tuple[str, ...] = ()  # the selected SOPs' pemda names
    units: tuple[str, ...] = ()  # the selected SOPs' unit names (kecamatan offices)
    addresses: tuple[str, ...] = ()


def num(value: float | None) -> str:
    """A figure as the JSON holds it (2 decimals), with a decimal comma; None is "-"."""
    return DASH if value is None else number(round(value, 2), "id", decimals=2)


def pct(value: float | None) -> str:
    return DASH if value is None else f"{num(value)}%"


def period_label(period: str | None) -> str:
    if period is None:
        return ALL_PERIODS
    try:
        return Period.parse(period).label("id")
    except ValueError:  # pragma: no cover - a replayed state's period always parses
        return period


def kop_lines(meta: RecapMeta) -> list[str]:
    """The letterhead when the selection has one pemda (and one unit); else none."""
    lines: list[str] = []
    if len(meta.governments) == 1:
        lines.append(meta.governments[0].upper())
        if len(meta.units) == 1:
            lines.append(meta.units[0].upper())
            if len(meta.addresses) == 1 and meta.addresses[0]:
                lines.append(meta.addresses[0])
    return lines


def selection_text(meta: RecapMeta) -> str:
    """The filters in words ("semua" when one was not given)."""
    f = meta.filters
    first, last = f.get("from"), f.get("to")
    if first and first == last:
        periods = period_label(first)
    elif first or last:
        start = period_label(first) if first else "awal"
        periods = f"{start} s.d. {period_label(last) if last else 'akhir'}"
    else:
        periods = "semua periode"
    sop = f.get("sop") or "semua SOP"
    kecamatan = f.get("kecamatan") or "semua kecamatan"
    return f"{sop}; {kecamatan}; {periods}"


def title_lines(meta: RecapMeta) -> list[str]:
    return [
        "REKAPITULASI PELAKSANAAN STANDAR OPERASIONAL PROSEDUR",
        f"Keadaan per {long_date(meta.now.date(), 'id')}",
    ]


def header_text(meta: RecapMeta) -> str:
    return f"Rekapitulasi Pelaksanaan SOP — {selection_text(meta)}"


def summary_rows(stats: Stats, meta: RecapMeta) -> list[tuple[str, str]]:
    variants = len(stats.totals)
    kecamatan = sorted({t.kecamatan for t in stats.totals}, key=str.lower)
    return [
        ("Pilihan data", selection_text(meta)),
        ("Keadaan per", f"{long_date(meta.now.date(), 'id')} pukul {meta.now:%H.%M}"),
        ("Siklus", str(stats.cycles)),
        ("Varian SOP", str(variants)),
        ("Kecamatan", ", ".join(kecamatan)),
        ("Kelompok (SOP × kecamatan × periode)", str(len(stats.groups))),
    ]


GROUP_HEADERS = (
    "No",
    "Kecamatan / SOP",
    "Periode",
    "Siklus",
    "",
    "",
    "",
    "Langkah dinilai",
    "Tepat waktu (%)",
    "Paling terlambat (terlambat dari dinilai)",
    "Pengembalian per siklus",
    "Lama siklus median (menit)",
    "Jumlah waktu standar (menit)",
    "Rasio lama/ standar",
)
GROUP_SUBHEADERS = ("", "", "", "Mulai", "Selesai", "Batal", "Berjalan", "", "", "", "", "", "", "")


def most_late(g: GroupStats) -> str:
    m = g.most_late_step
    return DASH if m is None else f"Langkah {m.step} ({m.late} dari {m.judged})"


def group_row(number_: str, g: GroupStats) -> list[str]:
    return [
        number_,
        f"{g.kecamatan}\n{g.sop_id}",
        period_label(g.period),
        str(g.cycles_started),
        str(g.cycles_finished),
        str(g.cycles_cancelled),
        str(g.cycles_open),
        str(g.steps_judged),
        pct(g.on_time_pct),
        most_late(g),
        num(g.returns_per_cycle),
        num(g.lead_time_median_minutes),
        num(g.standard_sum_minutes),
        num(g.lead_time_ratio),
    ]


def group_rows(stats: Stats) -> list[list[str]]:
    """Every group, then each variant's total over the selected periods."""
    rows = [group_row(str(i), g) for i, g in enumerate(stats.groups, 1)]
    rows += [group_row("Σ", t) for t in stats.totals]
    return rows


STEP_SUBHEADERS = ("Tepat waktu % (dinilai)", "Median (menit)", "P90 (menit)")


def step_cells(s: StepStats | None) -> list[str]:
    """One variant's three cells of a step row; "." when the variant has no such step."""
    if s is None:
        return [".", ".", "."]
    return [
        f"{pct(s.on_time_pct)} ({s.judged})",
        num(s.delay_median_minutes),
        num(s.delay_p90_minutes),
    ]


def step_table_chunks(stats: Stats, per_table: int) -> list[tuple[list[int], list[list[str]]]]:
    """The step table in pieces of `per_table` variants: (column indexes, rows)."""
    chunks = []
    indexes = list(range(len(stats.columns)))
    for start in range(0, len(indexes), per_table):
        part = indexes[start : start + per_table]
        rows = []
        for row in stats.step_table:
            cells = [str(row.step)]
            for i in part:
                cells += step_cells(row.cells[i])
            rows.append(cells)
        chunks.append((part, rows))
    return chunks


def column_label(stats: Stats, index: int) -> str:
    c = stats.columns[index]
    return f"{c.kecamatan} ({c.sop_id})"


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]  # on-time % per period, None: nothing judged / no group


def chart_series(stats: Stats) -> tuple[list[str], list[Series]]:
    """On-time % per period (in time order), one series per variant: the chart's data, and
    the table that stands beside it."""
    periods: list[str] = []
    for g in stats.groups:  # groups come in period order within each variant
        if g.period is not None and g.period not in periods:
            periods.append(g.period)
    periods.sort(key=lambda p: (Period.parse(p).start, Period.parse(p).end))
    series = []
    for t in stats.totals:
        found = {
            g.period: g.on_time_pct
            for g in stats.groups
            if (g.sop_id, g.kecamatan) == (t.sop_id, t.kecamatan)
        }
        label = t.kecamatan if _unique_kecamatan(stats, t) else f"{t.kecamatan} ({t.sop_id})"
        series.append(Series(label, tuple(found.get(p) for p in periods)))
    return periods, series


def _unique_kecamatan(stats: Stats, t: GroupStats) -> bool:
    return sum(1 for other in stats.totals if other.kecamatan == t.kecamatan) == 1


def chart_table_rows(periods: list[str], series: list[Series]) -> list[list[str]]:
    return [[period_label(p), *(pct(s.values[i]) for s in series)] for i, p in enumerate(periods)]
