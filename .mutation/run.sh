#!/usr/bin/env bash
# Mutation run with cosmic-ray (docs/testing.md, "Mutation testing").
#   bash .mutation/run.sh engine [SAMPLE_SIZE [SEED]]   # core modules only when sampling
#   bash .mutation/run.sh store  [SAMPLE_SIZE [SEED]]
#   bash .mutation/run.sh appended                      # langkah/store/appended.py, all mutants
#   bash .mutation/run.sh engine .mutation/sample-engine-2026-11-30.txt   # a recorded sample
# cosmic-ray mutates the source files IN PLACE and runs the test command against the editable
# install: run it in a private worktree or copy, with a clean tree, never in a shared one.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
size=${2:-0}
seed=${3:-10}
config=.mutation/$target.toml
session=.mutation/$target.sqlite
if ! git diff --quiet -- engine langkah 2>/dev/null; then
    echo "engine/ or langkah/ has uncommitted changes; commit or stash first" >&2
    exit 2
fi
# the tests must import THIS tree: the active venv's editable install has to point here
engine_dir=$(python -c "import langkah.engine, os; print(os.path.dirname(langkah.engine.__file__))")
if [ "$engine_dir" != "$PWD/engine" ]; then
    echo "the active Python imports langkah.engine from $engine_dir, not $PWD/engine:" >&2
    echo "activate this tree's own venv (pip install -e '.[test]' cosmic-ray)" >&2
    exit 2
fi
rm -f "$session"
cosmic-ray init "$config" "$session"
cr-filter-operators "$session" "$config"
if [ -f "$size" ]; then
    python .mutation/session.py sample "$session" --keys "$size"
elif [ "$size" -gt 0 ]; then
    modules=()
    if [ "$target" = engine ]; then
        modules=(--modules engine/cycle.py engine/actions.py engine/inputs.py engine/timing.py
            engine/calendar.py engine/standard_time.py engine/period.py engine/definition.py)
    fi
    python .mutation/session.py sample "$session" "${modules[@]}" --size "$size" --seed "$seed"
fi
cosmic-ray baseline "$config"
nice -n 10 cosmic-ray exec "$config" "$session"
if ! git diff --quiet -- engine langkah 2>/dev/null; then
    echo "a source file was left mutated: git diff engine langkah" >&2
    exit 3
fi
python .mutation/session.py score "$session" --equivalent .mutation/equivalent.txt --survivors
