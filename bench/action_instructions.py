"""Instructions per durable action (a note on an open cycle), counted by valgrind's callgrind.

The action's time against the bare durable write (bench/run.py) is the budget, but on a shared
virtual machine a 3 % change in the action's CPU work is lost in the noise of the disk. The
number of instructions the interpreter executes for the action is not: it is the same from run
to run (the hash seed fixed), so a change to the action's code can be judged by it alone.

    python bench/action_instructions.py            # needs valgrind (apt install valgrind)

It builds a 300-cycle store on tmpfs (/dev/shm, else a temporary folder), then counts two runs:
both open the store and act once on 50 open cycles (their logs read and replayed), then one
adds 1 note and the other 5 notes to each; the difference over the 200 extra notes is one
note's instructions, without the start-up and the first reads. valgrind executes SHA-256 and
memcpy on paths other than the CPU's own (no SHA extensions), so those parts count more
instructions than they cost; compare counts with counts, not with times.

The versions an action replaces are not handed to the store's closing thread here (they stay
open until the child exits): under valgrind the clock runs ~50 times slower, so the GIL's 5 ms
hand-over interval would fire far more often per action than at full speed, and the count
would depend on timing. In use one action in 16 wakes that thread (langkah/store/pins.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CYCLES = 50  # open cycles acted on
PASSES = (1, 5)  # notes per cycle in the two counted runs

CHILD = """
import datetime as dt, shutil, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from bench import synth
from langkah.service import Langkah
import langkah.store.pins as pins
pins.BATCH = 10**9  # replaced versions are never handed to the closing thread (see above)
template, work, passes = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
active = (template / "active.txt").read_text().split()[:{cycles}]
shutil.copytree(template, work)
now = synth.NOW + dt.timedelta(days=1)
app = Langkah.open(work, work / "no-user-defs", clock=lambda: now)
app.overview()
for cycle_id in active:
    app.note(cycle_id, "warm")
for _ in range(passes):
    for cycle_id in active:
        app.note(cycle_id, "catatan tambahan pada langkah ini")
"""


def counted(template: Path, scratch: Path, passes: int) -> int:
    """Instructions callgrind counts for a child that makes `passes` notes on each cycle."""
    out = scratch / f"callgrind.{passes}.out"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    child = CHILD.format(root=str(ROOT), cycles=CYCLES)
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    command += [sys.executable, "-c", child, str(template), str(scratch / f"work-{passes}")]
    command.append(str(passes))
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"valgrind failed ({run.returncode}):\n{run.stderr[-2000:]}")
    found = re.search(r"^summary:\s*(\d+)", out.read_text(errors="replace"), re.MULTILINE)
    if found is None:
        raise SystemExit(f"no instruction count in {out}")
    return int(found.group(1))


def main() -> int:
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt install valgrind): nothing counted")
        return 1
    sys.path.insert(0, str(ROOT))
    from bench import synth

    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    scratch = Path(tempfile.mkdtemp(prefix="langkah-instr-", dir=base))
    try:
        template = scratch / "template"
        stats = synth.build_store(template, 300)
        (template / "active.txt").write_text("\n".join(stats["active_ids"]))
        few, many = (counted(template, scratch, passes) for passes in PASSES)
        notes = CYCLES * (PASSES[1] - PASSES[0])
        print(f"one durable action (note, cycle open): {(many - few) // notes:,} instructions")
        print(f"  ({many:,} - {few:,} over {notes} notes; callgrind, PYTHONHASHSEED=0)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
