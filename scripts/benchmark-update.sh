#!/usr/bin/env bash
# Benchmark of `movieclassifier update`: folds 1,000,000 generated feedback rows into a fresh
# model and prints rows/s, wall time and peak RSS; then the same for 100,000 rows, to show
# that memory does not grow with the table.
#
# usage: scripts/benchmark-update.sh [movie_data.csv.gz]
#
# The rows are the book's 50,000 reviews over and over, each with its row number appended in
# punctuation (hex digits mapped to 16 non-word characters, which the tokenizer drops): no row
# repeats another, so every row is learned and looked up in the repeat index, yet the rows
# bring no feature the reviews lack, so the model's size (and the memory to save it) is the
# same whether 100,000 or 1,000,000 rows are folded. They are written
# by the sqlite3 shell in one transaction (a recursive CTE over the imported CSV).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/movie_data.csv.gz}
scratch=${SCRATCH:-.build-update}
source scripts/require-packages.sh
require_packages zlib1g-dev libdeflate-dev libsqlite3-dev sqlite3 time
[ -r "$data" ] || { echo "$data: no such file; give the path of movie_data.csv.gz" >&2; exit 1; }

swift build -c release --scratch-path "$scratch" --product movieclassifier >&2
tool="$scratch/release/movieclassifier"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "training the fresh model on $data" >&2
"$tool" train --data "$data" --out "$work/fresh.mcm" --test-size 0 >/dev/null

# The database as the workers create it, then the rows.
generate() {
    local rows=$1 database=$2
    sqlite3 "$database" "CREATE TABLE review_db (review TEXT, sentiment INTEGER, date TEXT)"
    "$tool" feedback list --db "$database" --limit 1 >/dev/null
    case "$data" in
        *.gz) gzip -dc "$data" > "$work/corpus.csv" ;;
        *) cp "$data" "$work/corpus.csv" ;;
    esac
    sqlite3 "$database" <<SQL
.import --csv $work/corpus.csv corpus
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $rows)
INSERT INTO review_db (review, sentiment, date)
    SELECT c.review || ' ' || replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(printf('%x', n.i), '0', '.'), '1', ','), '2', ';'), '3', ':'), '4', '!'), '5', '?'), '6', '-'), '7', '+'), '8', '*'), '9', '/'), 'a', '='), 'b', '~'), 'c', '^'), 'd', '&'), 'e', '%'), 'f', '$'),
        CAST(c.sentiment AS INTEGER), DATETIME('now')
    FROM n JOIN corpus c ON c.rowid = n.i % (SELECT COUNT(*) FROM corpus) + 1;
COMMIT;
DROP TABLE corpus;
SQL
}

# Runs the update on a copy of the fresh model; prints the tool's report and the figures.
measure() {
    local rows=$1 database="$work/feedback-$1.sqlite" model="$work/classifier-$1.mcm"
    echo "generating $rows rows" >&2
    local started=$(date +%s.%N)
    generate "$rows" "$database"
    echo "  generated in $(echo "$(date +%s.%N) - $started" | bc) s, $(du -m "$database" | cut -f1) MB" >&2
    cp "$work/fresh.mcm" "$model"
    sync
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -v -o "$work/time-$rows" "$tool" update --model "$model" --db "$database" > "$work/report-$rows"
    cat "$work/report-$rows"
    local wall cpu rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time-$rows")
    cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$work/time-$rows")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time-$rows")
    printf '%s rows: wall %.2f s (whole command), %d rows/s, CPU %.2f s (2 threads), peak RSS %d MB; load average before: %s\n' \
        "$rows" "$wall" "$(echo "$rows / $wall" | bc)" "$cpu" $((rss / 1024)) "$load"
    echo "$rss" > "$work/rss-$rows"
    rm -f "$database" "$database-wal" "$database-shm" "$work/corpus.csv"
}

measure 1000000
measure 100000
big=$(cat "$work/rss-1000000")
small=$(cat "$work/rss-100000")
echo "peak RSS, 1,000,000 rows vs 100,000: $(echo "scale=1; ($big - $small) * 100 / $small" | bc)%"
