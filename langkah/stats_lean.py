"""`langkah stats --json` on PostgreSQL without the service, the engine's models or a definition
parsed: the lean path of a warm run (issue 16 part 4).

When nothing changed since the last run (no outdated facts row, no cycle gone) the figures are
the queries' rows (langkah/analytics/sql.py) put together with what each definition met
contributes: its shape (name, kecamatan, standards' texts, decision steps, day length) and what
its running visits are timed with (each step's limit, its calendar's key, its deadlines per
period). Those depend only on the definition's digest and the facts' stamp, so the full path
(langkah/stats_in_sql.py) keeps them in `<data dir>/stats-definitions.json`, a disposable cache
(missing, broken or of another stamp: the full path runs and writes it again). Whenever the lean
path cannot answer exactly as the full path would (a changed cycle, a digest, period or calendar
row not kept, a clock out of bounds, --sop, a filter naming nothing stored, a refused write...)
it returns None and the full path runs from the start; tests/analytics/test_stats_lean.py compares
both paths' bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from langkah import settings

if TYPE_CHECKING:
    import argparse
    import datetime as dt

    from langkah.analytics import PeriodRange
    from langkah.store.postgres_store import PostgresStore

CACHE_FILE = "stats-definitions.json"
_CACHE_FORMAT = 1
_MAX_BYTES = 16 << 20
_MAX_DIGESTS = 2000  # a bound, not a policy: definitions are few


class KeptKind(NamedTuple):
    value: str  # StandardKind's value


@dataclass(frozen=True)
class KeptStandard:
    """What the JSON output reads of a step's StandardTime (analytics/serialize.py)."""

    text: str
    kind: KeptKind


@dataclass(frozen=True)
class KeptShape:
    """analytics.facts._Shape as kept (the standards as texts and kinds)."""

    sop_name: str
    kecamatan: str
    unsummed_steps: tuple[int, ...]
    standards: dict[int, KeptStandard]
    decision_steps: tuple[int, ...]
    day_minutes: float


def entry(shape: Any, limits: list[list[Any]], calendar: str, dated: list[int]) -> dict[str, Any]:
    """One digest's kept entry: `shape` (analytics.facts._Shape), `limits` ([step, limit,
    timed] in the definition's order), its calendar's key, the steps dated per period."""
    return {
        "sop_name": shape.sop_name,
        "kecamatan": shape.kecamatan,
        "unsummed": list(shape.unsummed_steps),
        "standards": [[n, s.text, s.kind.value] for n, s in shape.standards.items()],
        "decision_steps": list(shape.decision_steps),
        "day_minutes": shape.day_minutes,
        "limits": limits,
        "calendar": calendar,
        "dated": dated,
        "dues": {},
    }


def keep(root: Path | None, stamp: str, entries: dict[str, dict[str, Any]]) -> None:
    """Add `entries` (digest -> entry, its `dues` those met: period -> [[step, instant]]) to
    the cache file of `stamp`, best effort (the lean path then runs; nothing else reads it)."""
    if root is None or not entries:
        return
    path = Path(root) / CACHE_FILE
    kept = _read(path, stamp) or {"format": _CACHE_FORMAT, "stamp": stamp, "digests": {}}
    digests: dict[str, Any] = kept["digests"]
    changed = False
    for digest, new in entries.items():
        old = digests.get(digest)
        if old is None or {k: v for k, v in old.items() if k != "dues"} != {
            k: v for k, v in new.items() if k != "dues"
        }:
            digests[digest] = old = {**new, "dues": {}}
            changed = True
        for period, dues in new["dues"].items():
            if old["dues"].get(period) != dues:
                old["dues"][period] = dues
                changed = True
    if not changed:
        return
    try:  # on PostgreSQL nothing else may have made the data folder yet
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    from langkah.holiday_coverage import package_last_year_cached

    package_last_year_cached(path.parent)  # kept there too now: the stamp needs it
    if len(digests) > _MAX_DIGESTS:
        kept["digests"] = {d: e for d, e in digests.items() if d in entries}
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(kept), "utf-8")
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


def _read(path: Path, stamp: str) -> dict[str, Any] | None:
    from langkah.cache_files import read_cache_file

    text = read_cache_file(path, _MAX_BYTES)  # a FIFO, device or link is never read
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    ok = (
        isinstance(data, dict)
        and data.get("format") == _CACHE_FORMAT
        and data.get("stamp") == stamp
        and isinstance(data.get("digests"), dict)
    )
    return data if ok else None


def _shape(kept: dict[str, Any]) -> KeptShape:
    return KeptShape(
        sop_name=kept["sop_name"],
        kecamatan=kept["kecamatan"],
        unsummed_steps=tuple(kept["unsummed"]),
        standards={n: KeptStandard(text, KeptKind(kind)) for n, text, kind in kept["standards"]},
        decision_steps=tuple(kept["decision_steps"]),
        day_minutes=kept["day_minutes"],
    )


def lean_json(args: argparse.Namespace, periods: PeriodRange) -> str | None:
    """The JSON `langkah stats --json` prints, from the lean path, or None: run the full one."""
    if args.sop is not None or args.no_cache or args.docx is not None or not args.json:
        return None
    location = settings.store_location(getattr(args, "store", None))
    from langkah.store.pg_url import is_postgres

    if location is None or not is_postgres(location.strip()):
        return None
    root = settings.data_dir(args.data_dir)
    stamp_parts = _stamp_parts(root)
    if stamp_parts is None:
        return None
    holiday_last_year, stamp = stamp_parts
    cache = _read(root / CACHE_FILE, stamp)
    now = _now(holiday_last_year)
    if cache is None or now is None:
        return None
    from langkah.store import StoreError

    try:
        from langkah.store.postgres_store import PostgresStore
    except ImportError:  # no driver: the full path says so
        return None
    store = PostgresStore(location.strip())  # a StoreError here is the full path's too
    try:
        return _figures(args, periods, store, stamp, cache, now, holiday_last_year)
    except StoreError:
        return None  # the full path meets it again and says what it says
    finally:
        store.close()


def _stamp_parts(root: Path) -> tuple[int, str] | None:
    """(the holiday data's last year, the facts' stamp) as the service makes them."""
    from langkah.analytics.facts_format import FACTS_FORMAT
    from langkah.derived_cache import calendar_stamp
    from langkah.holiday_coverage import cached_last_year
    from langkah.holiday_overrides import FILE_NAME, OverrideError, load_overrides

    package_last_year = cached_last_year(root)
    if package_last_year is None:
        return None
    try:
        add, remove = load_overrides(root / FILE_NAME)
    except (OverrideError, OSError, ValueError):
        return None
    last_year = max([package_last_year, *(day.year for day in add)])
    return last_year, f"{calendar_stamp(last_year, add, remove)}/facts{FACTS_FORMAT}"


def _now(holiday_last_year: int) -> dt.datetime | None:
    """The clock's reading as `Langkah.clock` gives it; None where it would refuse it."""
    from langkah.engine.clock_bounds import TimeOutOfBounds, check_time

    try:
        now = settings.FixedOrSystemClock.from_environment().now()
        return check_time(now, holiday_last_year)
    except (ValueError, TimeOutOfBounds):
        return None


def _figures(
    args: argparse.Namespace,
    periods: PeriodRange,
    store: PostgresStore,
    stamp: str,
    cache: dict[str, Any],
    now: dt.datetime,
    holiday_last_year: int,
) -> str | None:
    import gc

    from langkah.analytics.selection import Selection
    from langkah.analytics.serialize import selection_filters, stats_json
    from langkah.analytics.sql import SqlRows, assemble
    from langkah.display import json_text
    from langkah.store.pg_facts import RunningNotKept

    facts = store.stats_facts()
    listing = facts.listing(stamp)
    if listing.outdated or listing.gone:
        return None
    facts.save([], stamp, [], listing.token, listing.current, look=listing.look)
    known = listing.known
    kecamatan = args.kecamatan.strip() if args.kecamatan is not None else None
    if kecamatan is not None and kecamatan.lower() not in {k[1].lower() for k in known}:
        return None  # the full path checks it against the catalog's too, and words it
    selection = Selection(sop_ids=None, kecamatan=kecamatan, periods=periods)
    wanted = sorted(t for t in known if selection.wants(*t))
    digests = facts.digests(wanted, stamp)
    kept: dict[str, Any] = cache["digests"]
    shapes: dict[str, KeptShape] = {}
    standards: dict[str, list[Any]] = {}
    dues: dict[str, str] = {}
    calendars: set[str] = set()
    last_year = max(now.year + 1, holiday_last_year + 2)
    try:
        for row in digests:
            period, total, digest = row[2], row[3], row[4]
            found = kept.get(digest)
            if found is None:
                return None
            if digest not in shapes:
                shapes[digest] = _shape(found)
            calendars.add(found["calendar"])
            dated = set(found["dated"])
            period_dues = dict(found["dues"].get(period, [])) if not total else {}
            for number, limit, timed in found["limits"]:
                if number in dated and not total:
                    due = period_dues.get(number)
                    if due is None:
                        return None
                    last_year = max(last_year, int(due[:4]) + 1)
                    dues[f"{digest}/{number}/{period}"] = due
                standards[f"{digest}/{number}"] = [limit, timed, found["calendar"]]
    except (KeyError, TypeError, ValueError):  # a damaged cache: the full path writes it again
        return None
    if not facts.calendars_cover(sorted(calendars), last_year):
        return None
    running = {
        "now": now,
        "std": json.dumps(standards, allow_nan=False),
        "dues": json.dumps(dues, allow_nan=False),
    }
    was = gc.isenabled()
    gc.disable()  # (as the full path: a command about to end)
    try:
        try:
            rows = facts.aggregate(wanted, running)
        except RunningNotKept:
            return None
        stats = assemble(SqlRows(rows.cycles, digests, rows.decisions, rows.steps), shapes)  # type: ignore[arg-type]
    finally:
        gc.freeze()
        if was:
            gc.enable()
    filters = selection_filters(args.sop, args.kecamatan, periods)
    return json_text(stats_json(stats, now.isoformat(), filters))
