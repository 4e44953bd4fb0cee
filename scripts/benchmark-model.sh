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
require_packages zlib1g-dev libdeflate-dev time
source scripts/bundled-model.sh
unpack_bundled_model
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
echo
echo "the model variants side by side (accuracy on two splits, training, classification, size):"
"$scratch/release/sentiment-benchmark" --variants "$data"
echo
echo "the bulk CLI against the same work in process (the test reviews, one per line):"
lines=$(mktemp)
trap 'rm -f "$model" "$lines"' EXIT
zcat -f "$data" | python3 -c '
import csv, sys
csv.field_size_limit(1 << 24)
rows = list(csv.reader(sys.stdin))[1:]
for review, _ in rows[-5000:]:
    print(" ".join(review.split()))' >"$lines"
"$scratch/release/sentiment-benchmark" --in-process model/classifier.mcm "$lines"
for jobs in 1 2; do
    start=$(date +%s%N)
    "$scratch/release/movieclassifier" classify --model model/classifier.mcm --jobs $jobs <"$lines" >/dev/null
    end=$(date +%s%N)
    echo "movieclassifier classify --jobs $jobs: $(( (end - start) / 5000 / 10 ))e-2 µs per review, load included" | sed 's/\([0-9]*\)\([0-9][0-9]\)e-2/\1.\2/'
done
