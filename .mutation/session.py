"""Sample and score cosmic-ray sessions (see docs/testing.md, "Mutation testing").

python .mutation/session.py sample SESSION --modules engine/cycle.py ... --size N --seed S
    Mark as SKIPPED every pending mutant outside the given modules (default: none), then
    keep a seeded random sample of N of the rest (proportional to each module's share).
python .mutation/session.py carry OLD NEW
    Mark as KILLED in NEW every mutant that OLD killed. Sound only when the test command
    of NEW runs a superset of OLD's tests against the same source: a re-run then only has
    to execute OLD's survivors.
python .mutation/session.py score SESSION [--equivalent .mutation/equivalent.txt]
    Print killed / survived per module and the score, with the mutants listed as
    equivalent (module:line:operator, one per line, or module:line:operator:occurrence
    when several mutants share a line and operator) left out of the denominator.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

SKIP = json.dumps("skipped")


def _rows(db: sqlite3.Connection) -> list[tuple]:
    return db.execute(
        "select m.job_id, m.module_path, m.operator_name, m.start_pos_row, m.occurrence,"
        " r.worker_outcome, r.test_outcome from mutation_specs m"
        " left join work_results r using(job_id)"
    ).fetchall()


def _key(module: str, operator: str, row: int, occurrence: int) -> str:
    return f"{module}:{row}:{operator}:{occurrence}"


def _skip(db: sqlite3.Connection, job_ids: list[str], why: str) -> None:
    db.executemany(
        "insert or replace into work_results (worker_outcome, output, test_outcome, diff, job_id)"
        " values ('SKIPPED', ?, NULL, NULL, ?)",
        [(why, j) for j in job_ids],
    )


def sample(args: argparse.Namespace) -> None:
    db = sqlite3.connect(args.session)
    pending = [r for r in _rows(db) if r[5] is None]
    modules = args.modules or sorted({r[1] for r in pending})
    outside = [r[0] for r in pending if r[1] not in modules]
    _skip(db, outside, "module not sampled")
    inside = sorted(
        (r for r in pending if r[1] in modules), key=lambda r: _key(r[1], r[2], r[3], r[4])
    )
    if args.keys:
        wanted = set(Path(args.keys).read_text().split())
        keep = {r[0] for r in inside if _key(r[1], r[2], r[3], r[4]) in wanted}
        _skip(db, [r[0] for r in inside if r[0] not in keep], "not in the list of mutants")
        db.commit()
        print(f"kept {len(keep)} of {len(inside)} mutants listed in {args.keys}")
        return
    rng = random.Random(args.seed)
    by_module: dict[str, list[tuple]] = defaultdict(list)
    for r in inside:
        by_module[r[1]].append(r)
    keep: set[str] = set()
    for rows in by_module.values():
        n = round(len(rows) * args.size / max(1, len(inside)))
        keep.update(r[0] for r in rng.sample(rows, min(n, len(rows))))
    _skip(db, [r[0] for r in inside if r[0] not in keep], "not in the random sample")
    db.commit()
    print(f"sampled {len(keep)} of {len(inside)} mutants in {len(by_module)} modules")


def carry(args: argparse.Namespace) -> None:
    old = sqlite3.connect(args.old)
    new = sqlite3.connect(args.new)
    killed = {
        _key(r[1], r[2], r[3], r[4]): r for r in _rows(old) if r[6] in ("KILLED", "INCOMPETENT")
    }
    skipped = {_key(r[1], r[2], r[3], r[4]) for r in _rows(old) if r[5] == "SKIPPED"}
    carried = 0
    for r in _rows(new):
        key = _key(r[1], r[2], r[3], r[4])
        if key in killed:
            o = killed[key]
            new.execute(
                "insert or replace into work_results"
                " (worker_outcome, output, test_outcome, diff, job_id)"
                " values ('NORMAL', 'carried from the earlier session', ?, NULL, ?)",
                (o[6], r[0]),
            )
            carried += 1
        elif key in skipped:
            _skip(new, [r[0]], "skipped in the earlier session")
    new.commit()
    print(f"carried {carried} killed mutants")


def keys(args: argparse.Namespace) -> None:
    db = sqlite3.connect(args.session)
    for r in sorted(_rows(db), key=lambda r: _key(r[1], r[2], r[3], r[4])):
        if r[5] != "SKIPPED":
            print(_key(r[1], r[2], r[3], r[4]))


def score(args: argparse.Namespace) -> None:
    equivalent: set[str] = set()
    if args.equivalent and Path(args.equivalent).exists():
        for line in Path(args.equivalent).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                equivalent.add(line)
    db = sqlite3.connect(args.session)
    per: dict[str, Counter[str]] = defaultdict(Counter)
    survivors = []
    for _job, module, op, row, occ, worker, test in _rows(db):
        if worker == "SKIPPED":
            continue
        if worker is None:
            per[module]["pending"] += 1
            continue
        short = f"{module}:{row}:{op.removeprefix('core/')}"
        if test in ("KILLED", "INCOMPETENT") or worker in ("TIMEOUT", "EXCEPTION"):
            per[module]["killed"] += 1
        elif short in equivalent or f"{short}:{occ}" in equivalent:
            per[module]["equivalent"] += 1
        else:
            per[module]["survived"] += 1
            survivors.append(short)
    total: Counter[str] = Counter()
    print(f"{'module':34} {'killed':>7} {'survived':>9} {'equiv':>6} {'score':>7}")
    for module in sorted(per):
        c = per[module]
        total.update(c)
        denom = c["killed"] + c["survived"]
        pct = 100 * c["killed"] / denom if denom else 100.0
        print(f"{module:34} {c['killed']:7} {c['survived']:9} {c['equivalent']:6} {pct:6.1f}%")
    denom = total["killed"] + total["survived"]
    pct = 100 * total["killed"] / denom if denom else 100.0
    t = total
    print(f"{'TOTAL':34} {t['killed']:7} {t['survived']:9} {t['equivalent']:6} {pct:6.1f}%")
    if total["pending"]:
        print(f"({total['pending']} mutants still pending)")
    if args.survivors:
        print("\n".join(sorted(survivors)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(required=True)
    p = sub.add_parser("sample")
    p.add_argument("session")
    p.add_argument("--modules", nargs="+", help="default: every module of the session")
    p.add_argument("--size", type=int, default=0)
    p.add_argument("--keys", help="a file of module:line:operator:occurrence keys to keep")
    p.add_argument("--seed", type=int, default=10)
    p.set_defaults(func=sample)
    p = sub.add_parser("carry")
    p.add_argument("old")
    p.add_argument("new")
    p.set_defaults(func=carry)
    p = sub.add_parser("keys")
    p.add_argument("session")
    p.set_defaults(func=keys)
    p = sub.add_parser("score")
    p.add_argument("session")
    p.add_argument("--equivalent")
    p.add_argument("--survivors", action="store_true")
    p.set_defaults(func=score)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
