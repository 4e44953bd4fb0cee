#!/usr/bin/env bash
# Trains the book's model twice on the same rows, with scikit-learn 1.9.1 (in a private virtualenv
# under .build/) and with movieclassifier, and compares the weights bit for bit. Takes a minute;
# not part of the test suite because it needs the full data set and scikit-learn.
#
#   scripts/check-sklearn-parity.sh [PATH/TO/movie_data.csv.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(realpath "${1:-../shared/data/movie_data.csv.gz}")
source scripts/require-packages.sh
require_packages zlib1g-dev libdeflate-dev python3-venv
venv=.build/sklearn-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import sklearn' 2>/dev/null || "$venv/bin/pip" install -q scikit-learn==1.9.1
swift build -c release --product movieclassifier >&2
model=$(mktemp --suffix=.mcm)
trap 'rm -f "$model"' EXIT
.build/release/movieclassifier train --variant book --data "$data" --out "$model" --hold-out-test 2>/dev/null
"$venv/bin/python" scripts/sklearn_parity.py "$data" "$model"
