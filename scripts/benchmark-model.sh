#!/usr/bin/env bash
# The model benchmark: training time and rate, test accuracy, classification latency and
# throughput, model load time, file size, peak memory. Release build.
#
#   scripts/benchmark-model.sh [PATH/TO/movie_data.csv.gz]   (default: ../shared/data/movie_data.csv.gz)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/movie_data.csv.gz}
[ -r "$data" ] || { echo "no data set at $data: pass the path to movie_data.csv.gz" >&2; exit 2; }
source scripts/require-packages.sh
require_packages zlib1g-dev time
swift build -c release --product sentiment-benchmark >&2
swift build -c release --product movieclassifier >&2
.build/release/sentiment-benchmark "$data"
echo
echo "the admin tool, end to end (read .gz, train, score, learn the test rows, save):"
model=$(mktemp --suffix=.mcm)
trap 'rm -f "$model"' EXIT
/usr/bin/time -f "  wall %e s, peak RSS %M KiB" .build/release/movieclassifier train --data "$data" --out "$model" 2>&1 | sed 's/^/  /'
