#!/usr/bin/env bash
# The web load benchmark: nginx + movieclassifier-fcgi workers on 127.0.0.1, loaded by wrk for a
# bounded time; then the same nginx in front of a trivial C libfcgi responder (bench/ceiling.c),
# the ceiling. Prints requests/s, latency, failures, rows vs acknowledged feedback, worker RSS.
#
#   scripts/benchmark-web.sh [SECONDS_PER_RUN (10)] [WORKERS (nproc)]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
duration=${1:-10}
workers=${2:-$(nproc)}
source scripts/require-packages.sh
source scripts/nginx-config.sh
require_packages zlib1g-dev libfcgi-dev libsqlite3-dev nginx wrk gcc sqlite3 curl
swift build -c release --product movieclassifier-fcgi >&2
run=$(mktemp -d /tmp/movieclassifier-bench.XXXXXX)
gcc -O2 -o "$run/ceiling" bench/ceiling.c -lfcgi
port=$((20000 + RANDOM % 20000))
render_nginx_config "$run" "$port"
sed -i 's|access_log .*;|access_log off;|' "$run/nginx.conf"

responder=
declare -A ours ceiling
stop_all() {
    [ -f "$run/nginx.pid" ] && kill -QUIT "$(cat "$run/nginx.pid")" 2>/dev/null || true
    [ -n "$responder" ] && kill -TERM "$responder" 2>/dev/null && wait "$responder" 2>/dev/null || true
    responder=
}
trap 'stop_all; rm -rf "$run"' EXIT
start() {
    "$@" 2>>"$run/logs/responder.log" &
    responder=$!
    for _ in $(seq 100); do [ -S "$run/fcgi.sock" ] && break; sleep 0.1; done
    nginx -p "$run/" -c "$run/nginx.conf" -e "$run/logs/error.log"
    sleep 0.5
}
url="http://127.0.0.1:$port"
printf 'review=%s' "$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote_plus(open("bench/review.txt").read().strip()))')" > "$run/results.body"

# load NAME CONNECTIONS PATH [BODY]: one bounded wrk run, one table row.
load() {
    local name=$1 connections=$2 path=$3 body=${4:-}
    local output
    if [ -n "$body" ]; then
        output=$(BODY=$body wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/post.lua "$url$path")
    else
        output=$(BODY=/dev/null wrk -t2 -c"$connections" -d"${duration}s" --latency "$url$path")
    fi
    local rps p50 p99 errors non200 total
    rps=$(awk '/Requests\/sec/ {print int($2)}' <<<"$output")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$output")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
    errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$output")
    non200=$(awk '/non-200:/ {print $2} /Non-2xx/ {print $4}' <<<"$output" | head -1)
    total=$(awk '/requests in/ {print $1}' <<<"$output")
    printf '%-32s %5s %10s %10s %10s %8s\n' "$name" "$connections" "${rps:-0}" "${p50:--}" "${p99:--}" "$(( ${errors:-0} + ${non200:-0} ))"
    last_total=${total:-0}
    last_failed=$(( ${errors:-0} + ${non200:-0} ))
    last_rps=${rps:-0}
}

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2); $workers workers; ${duration} s per run"
printf '%-32s %5s %10s %10s %10s %8s\n' "run" "conns" "req/s" "p50" "p99" "failed"

start .build/release/movieclassifier-fcgi --listen "$run/fcgi.sock" --workers "$workers" \
    --model model/classifier.mcm --db "$run/feedback.sqlite" --www www
curl -s -X POST --data-binary @"$run/results.body" -H 'Content-Type: application/x-www-form-urlencoded' "$url/results" > "$run/results.html"
python3 - "$run/results.html" > "$run/thanks.body" <<'PY'
import html, re, sys, urllib.parse
page = open(sys.argv[1], encoding="utf-8").read()
fields = [(n, html.unescape(v)) for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)]
sys.stdout.write(urllib.parse.urlencode(fields + [("feedback_button", "Correct")]))
PY
for connections in 32 64; do
    load "movieclassifier GET /" "$connections" /
    load "movieclassifier POST /results" "$connections" /results "$run/results.body"
    ours[$connections]=$last_rps
done
acknowledged=0
for connections in 32 64; do
    load "movieclassifier POST /thanks" "$connections" /thanks "$run/thanks.body"
    acknowledged=$((acknowledged + last_total - last_failed))
done
rows=$(sqlite3 "$run/feedback.sqlite" 'SELECT COUNT(*) FROM review_db')
rss=$(for pid in $(pgrep -P "$responder"); do ps -o rss= -p "$pid"; done | awk '{sum += $1; n++} END {printf "%.1f MB average over %d workers", sum / n / 1024, n}')
stop_all
sleep 0.5

start "$run/ceiling" "$run/fcgi.sock" "$workers"
for connections in 32 64; do
    load "C ceiling GET /" "$connections" /
    load "C ceiling POST /results" "$connections" /results "$run/results.body"
    ceiling[$connections]=$last_rps
done
stop_all
echo
echo "feedback acknowledged (200): $acknowledged, rows in the database: $rows"
echo "worker RSS after the runs: $rss"
for connections in 32 64; do
    echo "POST /results at $connections connections: $(( 100 * ${ours[$connections]} / ${ceiling[$connections]} ))% of the C ceiling"
done
