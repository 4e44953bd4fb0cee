#!/usr/bin/env bash
# What a plain CGI request costs (one process per request, as Apache's mod_cgi runs it), against
# the floor: the start of an empty Swift program that imports Foundation, built the same way.
#   1. Builds, in release mode, movieclassifier-fcgi and bench/empty-swift twice: with the
#      toolchain's shared Swift libraries, and with --static-swift-stdlib (libfcgi, SQLite and
#      zlib linked statically too, as scripts/release.sh does).
#   2. Times, with bench/cgi-timer.c (posix_spawn + wait, no shell in the loop), the two programs
#      of each build alternately: the empty program, and movieclassifier-fcgi answering
#      POST /results (a 1,209-character review) from the CGI environment and the body on
#      standard input: process start, model load, catching up with the feedback database,
#      classification and the page. Median, p90 and min over --iterations runs; the ratio of
#      the medians. Then the same POST when --pending feedback rows wait to be caught up with
#      (rows stored since the last `movieclassifier update`: every CGI process applies them).
#   3. The static build behind a private Apache httpd with mod_cgi (apache/movieclassifier.conf)
#      on 127.0.0.1, loaded by wrk: requests/s and latency.
# Everything runs in a temporary folder; Apache is stopped by its PID.
#
#   scripts/benchmark-cgi.sh [--iterations N] [--pending N] [--duration S] [--keep]
#
#   --iterations N   timed runs per program (400), after 20 untimed ones
#   --pending N      feedback rows to catch up with in the second measurement (100)
#   --duration S     seconds of the Apache wrk run (10)
#   --keep           keep the temporary folder
# Exit status: 0 when every step ran, 1 otherwise (the ratio is reported, not enforced).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() { sed -n '/^#   scripts/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//'; }
iterations=400
pending=100
duration=10
keep=false
while [ $# -gt 0 ]; do
    case $1 in
        --iterations) iterations=${2:?--iterations needs a value}; shift 2 ;;
        --pending) pending=${2:?--pending needs a value}; shift 2 ;;
        --duration) duration=${2:?--duration needs a value}; shift 2 ;;
        --keep) keep=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
for value in "$iterations" "$duration"; do
    [[ $value =~ ^[1-9][0-9]*$ ]] || { echo "expected a positive whole number, not '$value'" >&2; exit 2; }
done
[[ $pending =~ ^[0-9]+$ ]] || { echo "--pending: a whole number, not '$pending'" >&2; exit 2; }

source scripts/require-packages.sh
source scripts/static-build.sh
require_packages zlib1g-dev libdeflate-dev libfcgi-dev libsqlite3-dev sqlite3 gcc libc6-dev python3 wrk apache2
source scripts/bundled-model.sh
unpack_bundled_model

echo "building (release; shared and static Swift libraries) ..." >&2
swift build -c release --product movieclassifier-fcgi >/dev/null
swift build -c release --package-path bench/empty-swift >/dev/null
static_build --product movieclassifier-fcgi >/dev/null
swift build -c release --package-path bench/empty-swift --scratch-path bench/empty-swift/.build-static --static-swift-stdlib >/dev/null
shared_bin=$(swift build -c release --show-bin-path)
empty_shared_bin=$(swift build -c release --package-path bench/empty-swift --show-bin-path)
static_bin=$(static_build_bin_path)
empty_static_bin=$(swift build -c release --package-path bench/empty-swift --scratch-path bench/empty-swift/.build-static --static-swift-stdlib --show-bin-path)

run=$(mktemp -d /tmp/movieclassifier-cgi-bench.XXXXXX)
apache_pid=
cleanup() {
    if [ -n "$apache_pid" ]; then
        kill -TERM "$apache_pid" 2>/dev/null || true
        for _ in $(seq 100); do [ -f "$run/apache/run/httpd.pid" ] || break; sleep 0.1; done
    fi
    if $keep; then echo "kept: $run" >&2; else rm -rf "$run"; fi
}
trap cleanup EXIT
cc -O2 -o "$run/cgi-timer" bench/cgi-timer.c

python3 - "$root/bench/post-results.lua" >"$run/results.body" <<'PY'
import re, sys, urllib.parse
script = open(sys.argv[1]).read()
review = " ".join(re.search(r"local review = \[\[(.*?)\]\]", script, re.S).group(1).split())
sys.stdout.write(urllib.parse.urlencode({"review": review}))
PY

# environment DATABASE: the CGI environment Apache gives the program (no command line).
environment() {
    cat <<ENV
PATH=/usr/bin:/bin
GATEWAY_INTERFACE=CGI/1.1
SERVER_PROTOCOL=HTTP/1.1
SERVER_NAME=127.0.0.1
SERVER_PORT=80
REMOTE_ADDR=127.0.0.1
REQUEST_METHOD=POST
REQUEST_URI=/results
SCRIPT_NAME=
PATH_INFO=/results
QUERY_STRING=
CONTENT_TYPE=application/x-www-form-urlencoded
CONTENT_LENGTH=$(stat -c %s "$run/results.body")
HTTP_HOST=127.0.0.1
MOVIECLASSIFIER_MODEL=$root/model/classifier.mcm
MOVIECLASSIFIER_DB=$1
MOVIECLASSIFIER_WWW=$root/www
ENV
}
mkdir -p "$run/caught-up" "$run/pending"
environment "$run/caught-up/feedback.sqlite" >"$run/caught-up.env"
environment "$run/pending/feedback.sqlite" >"$run/pending.env"
# The first request creates each database and its key; the pending one then gets its rows.
for case in caught-up pending; do
    (set -a; source "$run/$case.env"; "$static_bin/movieclassifier-fcgi" <"$run/results.body" >/dev/null)
done
python3 - "$run/pending/feedback.sqlite" "$pending" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executemany("INSERT INTO review_db (review, sentiment, date) VALUES (?, ?, DATETIME('now'))",
    [(f"Feedback number {i}: the acting was {'superb' if i % 2 else 'dreadful'} and the plot {'gripping' if i % 3 else 'thin'}.", i % 2)
     for i in range(int(sys.argv[2]))])
db.commit()
PY

time_pairs() { # ENV_FILE NAME=PROGRAM...
    "$run/cgi-timer" "$iterations" 20 "$run/results.body" "$@"
}
echo "timing $iterations runs of each program ..." >&2
{
    time_pairs "$run/caught-up.env" "empty-swift(shared)=$empty_shared_bin/empty-swift" "post-results(shared)=$shared_bin/movieclassifier-fcgi"
    time_pairs "$run/caught-up.env" "empty-swift(static)=$empty_static_bin/empty-swift" "post-results(static)=$static_bin/movieclassifier-fcgi"
    time_pairs "$run/pending.env" "post-results(static,+$pending-pending)=$static_bin/movieclassifier-fcgi"
} >"$run/times.txt"

echo
echo "Plain CGI: one process per request (ms; $iterations runs each, alternating)"
printf "%-36s %9s %9s %9s\n" program median p90 min
while read -r name median p90 min; do printf "%-36s %9s %9s %9s\n" "$name" "$median" "$p90" "$min"; done <"$run/times.txt"
awk '
    { median[$1] = $2 }
    END {
        printf "ratio POST /results / empty program: shared %.2fx, static %.2fx (target: at most 3x)\n",
            median["post-results(shared)"] / median["empty-swift(shared)"], median["post-results(static)"] / median["empty-swift(static)"]
    }' "$run/times.txt"

# --- Apache httpd + mod_cgi, the shipped site configuration ---------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
apache=$run/apache
mkdir -p "$apache/run" "$apache/logs" "$apache/home/bin" "$apache/home/model" "$apache/data"
chmod 0777 "$run" "$apache" "$apache/data"
cp "$static_bin/movieclassifier-fcgi" "$apache/home/bin/"
ln -s "$root/model/classifier.mcm" "$apache/home/model/classifier.mcm"
ln -s "$root/www" "$apache/home/www"
user=
[ "$(id -u)" -eq 0 ] && user=$'User www-data\nGroup www-data'
{
    for module in mpm_prefork authz_core mime alias env headers cgi; do
        echo "LoadModule ${module}_module /usr/lib/apache2/modules/mod_$module.so"
    done
    cat <<CONF
ServerRoot $apache
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $apache/run/httpd.pid
DefaultRuntimeDir $apache/run
ErrorLog $apache/logs/error.log
LogLevel warn
TypesConfig /etc/mime.types
StartServers 4
MinSpareServers 4
MaxRequestWorkers 32
$user
Define MOVIECLASSIFIER_HOME $apache/home
Define MOVIECLASSIFIER_DATA $apache/data
Define MOVIECLASSIFIER_PORT $port
Include $root/apache/movieclassifier.conf
CONF
} >"$apache/httpd.conf"
apache2 -d "$apache" -f "$apache/httpd.conf" -k start
for _ in $(seq 100); do [ -s "$apache/run/httpd.pid" ] && break; sleep 0.1; done
apache_pid=$(cat "$apache/run/httpd.pid")
curl -fsS -o /dev/null --max-time 10 --data-binary @"$run/results.body" "http://127.0.0.1:$port/results" \
    || { echo "Apache CGI does not answer POST /results; see $apache/logs/error.log" >&2; exit 1; }
wrk -t2 -c4 -d"${duration}s" --latency -s bench/post-results.lua "http://127.0.0.1:$port/results" >"$run/wrk.txt" 2>&1
echo
echo "Apache httpd + mod_cgi (prefork), static build, POST /results, wrk 2 threads 4 connections ${duration} s:"
awk '/Requests\/sec/ { printf "  %s req/s\n", $2 } /^ +50%/ { printf "  p50 %s", $2 } /^ +99%/ { printf "  p99 %s\n", $2 } /non-2xx|Socket errors/ { print "  " $0 }' "$run/wrk.txt"
