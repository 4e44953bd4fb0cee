#!/usr/bin/env bash
# The model benchmark: training time and rate, test accuracy, classification latency and
# throughput, model load time, file size, weight memory, peak memory; then the resident memory of
# a fresh process that loaded the bundled model, as a worker holds it. Release build.
#
#   scripts/benchmark-model.sh [--scratch-path DIR] [PATH/TO/movie_data.csv.gz]
#       (default data: ../shared/data/movie_data.csv.gz; default build folder: .build)
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build
if [ "${1:-}" = --scratch-path ]; then
    [ $# -ge 2 ] || { echo "--scratch-path needs a folder" >&2; exit 2; }
    scratch=$2
    shift 2
fi
data=${1:-../shared/data/movie_data.csv.gz}
[ -r "$data" ] || { echo "no data set at $data: pass the path to movie_data.csv.gz" >&2; exit 2; }
source scripts/require-packages.sh
require_packages zlib1g-dev time
swift build -c release --scratch-path "$scratch" --product sentiment-benchmark >&2
swift build -c release --scratch-path "$scratch" --product movieclassifier >&2
"$scratch/release/sentiment-benchmark" "$data"
echo
"$scratch/release/sentiment-benchmark" --resident model/classifier.mcm
echo
echo "the admin tool, end to end (read .gz, train, score, learn the test rows, save):"
model=$(mktemp --suffix=.mcm)
trap 'rm -f "$model"' EXIT
/usr/bin/time -f "  wall %e s, peak RSS %M KiB" "$scratch/release/movieclassifier" train --data "$data" --out "$model" 2>&1 | sed 's/^/  /'
