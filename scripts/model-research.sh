#!/usr/bin/env bash
# Runs one of the n-gram variant's research scripts (bench/model-research, see its README) in a
# virtual environment under .build, on one core, from its cache folder (outputs land there).
#
#   scripts/model-research.sh SCRIPT.py [ARGUMENTS...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ $# -ge 1 ] || { sed -n '/^#   scripts/p' "$0" | sed 's/^# *//' >&2; exit 2; }
script=$1
shift
[ -f "bench/model-research/$script" ] || { echo "no bench/model-research/$script" >&2; exit 2; }
venv="$root/.build/venv-research"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy scipy pandas scikit-learn numba
fi
cache=${MODEL_RESEARCH_CACHE:-$root/.build/model-research-cache}
mkdir -p "$cache/scores"
export MODEL_RESEARCH_CACHE=$cache MOVIECLASSIFIER_DATA=${MOVIECLASSIFIER_DATA:-$root/../shared/data}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 NUMBA_NUM_THREADS=1 PYTHONPATH="$root/bench/model-research"
cd "$cache"
exec "$venv/bin/python" "$root/bench/model-research/$script" "$@"
