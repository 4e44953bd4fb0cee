#!/usr/bin/env bash
# 3-fold cross-validation of the n-gram variant inside the data set's first 45,000 rows (the
# book's training rows; the test rows are never read), with the project's own trainer: each fold
# trained on the other two and scored, then the mean. What a change to the model is judged by
# (docs/research/), without looking at the test rows. The folds are drawn once, from a fixed seed.
#
#   scripts/cross-validate.sh [--tool MOVIECLASSIFIER] [DATA]   (DATA: ../shared/data/movie_data.csv.gz)
set -euo pipefail
cd "$(dirname "$0")/.."
tool=.build/release/movieclassifier
if [ "${1:-}" = --tool ]; then
    tool=$2
    shift 2
else
    swift build -c release --product movieclassifier >&2
fi
data=${1:-../shared/data/movie_data.csv.gz}
work=$(mktemp -d /tmp/cross-validate.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 - "$data" "$work" <<'PY'
import csv, gzip, random, sys
data, work = sys.argv[1:3]
with gzip.open(data, "rt", encoding="utf-8", newline="") as file:
    reader = csv.reader(file)
    header = next(reader)
    rows = [row for _, row in zip(range(45_000), reader)]
order = list(range(len(rows)))
random.Random(0).shuffle(order)
folds = [order[k::3] for k in range(3)]
for k, held in enumerate(folds):
    held_set = set(held)
    with open(f"{work}/fold{k}.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows[i] for i in range(len(rows)) if i not in held_set)
        writer.writerows(rows[i] for i in held)
    open(f"{work}/fold{k}.size", "w").write(str(len(held)))
PY
scores=()
for k in 0 1 2; do
    line=$("$tool" train --data "$work/fold$k.csv" --test-size "$(cat "$work/fold$k.size")" --hold-out-test --out "$work/fold$k.mcm" |
        grep "test accuracy")
    score=$(awk '{ print $3 }' <<<"$line")
    echo "fold $k: $score" >&2
    scores+=("$score")
done
printf '%s\n' "${scores[@]}" | awk '{ sum += $1 } END { printf "cross-validated accuracy (3 folds of rows 1-45,000): %.5f\n", sum / NR }'
