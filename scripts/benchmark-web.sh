#!/usr/bin/env bash
# The web load benchmark. In a temporary folder, on 127.0.0.1 and a unix socket:
#   1. nginx (the project's configuration, access log off) + movieclassifier-fcgi (release build,
#      N workers, the bundled model, a fresh feedback database), loaded by wrk (2 threads, each run
#      bounded by --duration) with GET /, POST /results (a 1,209-character review), POST /results
#      over 200 real reviews of the test split of typical length ("/results real", from
#      $MOVIECLASSIFIER_DATA, default ../shared/data) and POST /thanks (the signed fields of a
#      real results page), at 32 and 64 connections; the JSON API's :predict with the first real
#      review (right after POST /results with it), with the 32 reviews of the batch one a request
#      and with the batch of 32, these two alternated in 3 rounds (the batch's texts/s is compared
#      with the texts one a request by the medians); then acknowledged
#      feedback (2xx) vs rows in the database, and each worker's RSS.
#      Then the fault run: POST /thanks at 32 connections while a worker is SIGKILLed every
#      0.5 s: requests/s, the non-2xx answers (nginx's 502 for a request whose worker died)
#      per kill, and acknowledged feedback vs rows (none may be lost).
#      Then the application alone, in process (web-benchmark, on the real reviews): what each
#      request costs without nginx, FastCGI and the network; and its instructions per
#      POST /results and per POST /thanks, counted by callgrind (repeatable on a busy machine).
#   With --soak M instead: M minutes of mixed load (POST /results and POST /thanks at once) on
#   movieclassifier alone while a random worker is SIGKILLed every --kill-every seconds; the RSS
#   and open file descriptors of the master and its workers after a warm-up and at the end (a
#   worker may grow by at most 1 MB, the master not at all, and no descriptor may be added), the
#   restarts the master counted, and acknowledged feedback vs rows (none may be lost).
#   With --postgresql instead: the feedback log in PostgreSQL and two hosts (scripts/cluster.sh:
#   a PostgreSQL server of its own, unprivileged, on a unix socket; two pools, each with its own
#   copy of the model and its own nginx, behind one nginx balancing both), beside the single-host
#   SQLite stack of 1. The machine is split between the two hosts: each has half the workers and
#   nginx processes. POST /results on each stack, alternately, at 32 and 64 connections, in
#   --rounds rounds (medians reported): the two hosts loaded on their own ports at once (half the
#   connections each, as DNS or an L4 balancer spreads visitors) and behind the balancer, each
#   as a share of SQLite's one host (the goal: within 10%; loaded alike, by two wrk of half the
#   threads and connections each); and two hosts split alike with an SQLite log each, which the
#   first is compared with to show what PostgreSQL itself costs. Then
#   POST /thanks (durable on both) on each, alternately: requests/s, p99, and acknowledged
#   feedback (2xx) vs rows added to each database (they must be equal).
#   2. The ceiling: bench/ceiling.c, a trivial C libfcgi responder with as many workers, behind
#      a second nginx of the same configuration on its own port and socket, started beside the
#      first; its POST /thanks is one durable INSERT (WAL, synchronous=FULL). Each GET /,
#      POST /results and POST /thanks run of movieclassifier is followed at once by the same run
#      against the ceiling, so that both see the same machine (on a shared 2-core machine the
#      figures drift by tens of percent over a minute), and movieclassifier's requests/s and p99
#      are reported against the ceiling's.
# The CGI figures (one process per request under Apache mod_cgi) are scripts/benchmark-cgi.sh's.
# Prints a table (requests/s, p50/p99 latency, non-2xx answers, socket errors). Everything it
# starts is stopped by PID at the end and the folder is removed.
#
#   scripts/benchmark-web.sh [--duration S] [--workers N] [--ceiling-only] [--scratch-path DIR] [--keep]
#   scripts/benchmark-web.sh --soak M [--kill-every S] [--workers N] [--scratch-path DIR] [--keep]
#   scripts/benchmark-web.sh --postgresql [--rounds R] [--duration S] [--workers N] [--scratch-path DIR] [--keep]
#   scripts/benchmark-web.sh [S [N]]
#
#   --duration S        seconds per wrk run (10)
#   --workers N         responder workers, for both responders (nproc)
#   --ceiling-only      only the ceiling's runs (no Swift build)
#   --soak M            the soak run instead, M minutes (not in CI: it takes that long)
#   --kill-every S      in the soak run, seconds between worker kills (3)
#   --postgresql        only the PostgreSQL phase (two hosts against one SQLite host; 4.5 min at -d 5)
#   --rounds R          in the PostgreSQL phase, POST /results runs of each stack, medians reported (3)
#   --scratch-path DIR  passed to swift build (default: the project's .build)
#   --keep              keep the temporary folder (logs, wrk output, database)
# Exit status: 0 when every phase ran and every check passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() { sed -n '/^#   scripts/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//'; }
duration=10
workers=$(nproc)
ceiling_only=false
postgresql=false
rounds=3
soak_minutes=
kill_every=3
scratch=
keep=false
positional=()
while [ $# -gt 0 ]; do
    case $1 in
        --duration) duration=${2:?--duration needs a value}; shift 2 ;;
        --duration=*) duration=${1#*=}; shift ;;
        --workers) workers=${2:?--workers needs a value}; shift 2 ;;
        --workers=*) workers=${1#*=}; shift ;;
        --ceiling-only) ceiling_only=true; shift ;;
        --postgresql) postgresql=true; shift ;;
        --rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
        --rounds=*) rounds=${1#*=}; shift ;;
        --soak) soak_minutes=${2:?--soak needs a number of minutes}; shift 2 ;;
        --soak=*) soak_minutes=${1#*=}; shift ;;
        --kill-every) kill_every=${2:?--kill-every needs a value}; shift 2 ;;
        --kill-every=*) kill_every=${1#*=}; shift ;;
        --scratch-path) scratch=${2:?--scratch-path needs a value}; shift 2 ;;
        --scratch-path=*) scratch=${1#*=}; shift ;;
        --keep) keep=true; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; exit 2 ;;
        *) positional+=("$1"); shift ;;
    esac
done
# The older form, scripts/benchmark-web.sh [SECONDS_PER_RUN] [WORKERS], still works.
[ ${#positional[@]} -le 2 ] || { usage >&2; exit 2; }
[ ${#positional[@]} -ge 1 ] && duration=${positional[0]}
[ ${#positional[@]} -ge 2 ] && workers=${positional[1]}
[[ $duration =~ ^[1-9][0-9]*$ ]] || { echo "--duration: a whole number of seconds, not '$duration'" >&2; exit 2; }
[[ $workers =~ ^[1-9][0-9]*$ ]] || { echo "--workers: a positive number, not '$workers'" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "--rounds: a positive number, not '$rounds'" >&2; exit 2; }
[ -z "$soak_minutes" ] || [[ $soak_minutes =~ ^[1-9][0-9]*$ ]] || { echo "--soak: a whole number of minutes, not '$soak_minutes'" >&2; exit 2; }
! $postgresql || { [ -z "$soak_minutes" ] && ! $ceiling_only; } || { echo "--postgresql: not with --soak or --ceiling-only" >&2; exit 2; }
[[ $kill_every =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "--kill-every: a number of seconds, not '$kill_every'" >&2; exit 2; }
connection_counts=(32 64)
wrk_threads=2

source scripts/require-packages.sh
source scripts/nginx-config.sh
source scripts/processes.sh
source scripts/cluster.sh
packages=(wrk nginx libfcgi-dev libsqlite3-dev gcc libc6-dev curl sqlite3 python3 procps)
$ceiling_only || packages+=(zlib1g-dev libdeflate-dev valgrind binutils)
$postgresql && packages+=(postgresql libpq5)
require_packages "${packages[@]}"
source scripts/bundled-model.sh
unpack_bundled_model

run=$(mktemp -d /tmp/movieclassifier-bench.XXXXXX)
socket="$run/fcgi.sock"
database="$run/feedback.sqlite"
failures=()

# --- processes: each one started here is remembered by PID and stopped by PID ----------------
responder=          # movieclassifier-fcgi's or the ceiling's parent process (a child of this shell)
responder_workers=  # its workers, stopped too if they outlive it
nginx_pid=          # nginx's master (it daemonizes: its PID comes from the PID file)
ceiling=            # the ceiling's parent process, its workers, and its nginx's master
ceiling_workers=
ceiling_nginx_pid=
killer=             # the fault or soak run's loop that kills workers (a child of this shell)
soak_load=          # the soak run's second wrk (a child of this shell)

stop_nginx() {
    [ -n "$nginx_pid" ] || return 0
    stop_pid "$nginx_pid" QUIT
    nginx_pid=
}
stop_parent_and_workers() {  # PARENT "WORKER...": the parent, then workers that outlive it
    [ -n "$1" ] || return 0
    stop_pid "$1" TERM
    wait "$1" 2>/dev/null || true
    local pid
    for pid in $2; do stop_pid "$pid" TERM; done
}
stop_responder() {
    stop_parent_and_workers "$responder" "$responder_workers"
    responder= responder_workers=
}
stop_ceiling() {
    [ -z "$ceiling_nginx_pid" ] || stop_pid "$ceiling_nginx_pid" QUIT
    ceiling_nginx_pid=
    stop_parent_and_workers "$ceiling" "$ceiling_workers"
    ceiling= ceiling_workers=
}
cleanup() {
    stop_killer
    [ -z "$soak_load" ] || { kill "$soak_load" 2>/dev/null || true; wait "$soak_load" 2>/dev/null || true; }
    stop_nginx
    stop_responder
    stop_ceiling
    cluster_stop_all
    if $keep; then echo "kept $run" >&2; else rm -rf "$run"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_log() {  # FILE: its last lines, on standard error
    [ -s "$1" ] || return 0
    echo "--- last lines of $1:" >&2
    tail -n 15 "$1" | sed 's/^/    /' >&2
}

# start_responder COMMAND...: starts it in the background; waits for the socket.
start_responder() {
    rm -f "$socket"
    "$@" 2>>"$run/logs/responder.log" &
    responder=$!
    for _ in $(seq 200); do
        [ -S "$socket" ] && break
        is_running "$responder" || break
        sleep 0.1
    done
    if [ ! -S "$socket" ] || ! is_running "$responder"; then
        echo "the responder did not start (${1##*/})" >&2
        show_log "$run/logs/responder.log"
        return 1
    fi
    sleep 0.3 # the workers are forked after the socket is bound
    responder_workers=$(ps -o pid= --ppid "$responder" | tr -s ' \n' ' ')
}

start_nginx() {
    nginx -p "$run/" -c "$run/nginx.conf" -e "$run/logs/error.log" || { show_log "$run/logs/error.log"; return 1; }
    for _ in $(seq 50); do [ -s "$run/nginx.pid" ] && break; sleep 0.1; done
    nginx_pid=$(cat "$run/nginx.pid")
}

# start_ceiling: the ceiling and its own nginx, in $ceiling_run, answering at $ceiling_url.
start_ceiling() {
    "$run/ceiling" "$ceiling_run/fcgi.sock" "$workers" "$ceiling_run/thanks.sqlite" 2>>"$ceiling_run/logs/responder.log" &
    ceiling=$!
    for _ in $(seq 100); do [ -S "$ceiling_run/fcgi.sock" ] && break; sleep 0.1; done
    if [ ! -S "$ceiling_run/fcgi.sock" ] || ! is_running "$ceiling"; then
        echo "the ceiling did not start" >&2
        show_log "$ceiling_run/logs/responder.log"
        return 1
    fi
    sleep 0.3
    ceiling_workers=$(ps -o pid= --ppid "$ceiling" | tr -s ' \n' ' ')
    nginx -p "$ceiling_run/" -c "$ceiling_run/nginx.conf" -e "$ceiling_run/logs/error.log" || { show_log "$ceiling_run/logs/error.log"; return 1; }
    for _ in $(seq 50); do [ -s "$ceiling_run/nginx.pid" ] && break; sleep 0.1; done
    ceiling_nginx_pid=$(cat "$ceiling_run/nginx.pid")
    expect_200 "$ceiling_url" / "$ceiling_run/logs/error.log" "$ceiling_run/logs/responder.log"
}

# expect_200 BASE_URL PATH LOG...: GET PATH answers 200 (retried for up to 10 s); if not, the
# logs' last lines.
expect_200() {
    local base=$1 path=$2 status log
    shift 2
    for _ in $(seq 50); do
        status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base$path" || true)
        [ "$status" = 200 ] && return 0
        sleep 0.2
    done
    echo "GET $base$path answered ${status:-nothing}, not 200" >&2
    for log in "$@"; do show_log "$log"; done
    return 1
}

# kill_workers_every SECONDS: SIGKILLs a random worker of the responder every SECONDS, one line
# per kill in $run/kills.txt, until stopped. Any worker, however young: the master replaces a
# killed worker at once and never takes a kill for a worker that cannot start.
kill_workers_every() {
    local interval=$1 victims
    while sleep "$interval"; do
        mapfile -t victims < <(ps -o pid= --ppid "$responder" | tr -d ' ')
        [ ${#victims[@]} -gt 0 ] || continue
        kill -KILL "${victims[RANDOM % ${#victims[@]}]}" 2>/dev/null && echo kill >>"$run/kills.txt"
    done
}
stop_killer() {
    [ -n "$killer" ] || return 0
    kill "$killer" 2>/dev/null || true
    wait "$killer" 2>/dev/null || true
    killer=
}

# --- the wrk runs -------------------------------------------------------------------------------
declare -A rps        # "target|request|connections" -> requests/s
declare -A ok_count   # "target|request|connections" -> 2xx answers
declare -A non2xx_count  # "target|request|connections" -> answers outside 200-299
declare -A p99_us     # "target|request|connections" -> wrk's 99th percentile latency, µs
declare -A rps_runs p99_runs  # the same keys -> every run's figure, for the medians of rounds
row_format='%-16s %-14s %5s %9s %9s %9s %8s %8s %14s\n'
header_printed=false
print_header() {
    $header_printed && return 0
    header_printed=true
    printf "$row_format" target request conns "req/s" "p50" "p99" "non-2xx" "sock-err" "worker cpu/req"
    printf "$row_format" ---------------- -------------- ----- --------- --------- --------- -------- -------- --------------
}
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }

# worker_ticks PARENT...: "user system" CPU clock ticks used so far by responders' workers (their
# children), to tell what a request costs the workers themselves, apart from nginx and wrk.
worker_ticks() {
    local pid user=0 system=0
    for pid in $(ps -o pid= --ppid "$(echo "$@" | tr ' ' ',')"); do
        read -r -a stat 2>/dev/null <"/proc/$pid/stat" || continue
        user=$((user + stat[13])) system=$((system + stat[14]))
    done
    echo "$user $system"
}
# load [--faults] TARGET REQUEST CONNECTIONS SCRIPT PATH [NAME=VALUE...]: one bounded wrk run,
# one row. With --faults, non-2xx answers are the expected effect of the run's faults: counted,
# not failures. A target with several URLs (the hosts of a cluster loaded directly, as DNS or an
# L4 balancer spreads visitors) gets one wrk per URL at once, the connections and threads shared
# out; the row adds their requests and rates and shows the worst p50 and p99 of them.
load() {
    local faults=false
    [ "$1" = --faults ] && { faults=true; shift; }
    local target=$1 request=$2 connections=$3 script=$4 path=$5
    shift 5
    local name="$target-$request-$connections"
    local log="$run/logs/wrk-${name//[^A-Za-z0-9-]/_}.txt"
    local target_urls=("$url") parents=$responder
    [ "$target" = "C ceiling" ] && target_urls=("$ceiling_url") parents=$ceiling
    [ "$target" = "$cluster_target" ] && target_urls=("$cluster_url") parents=${cluster_pools[*]}
    [ "$target" = "$cluster_direct_target" ] && target_urls=("${cluster_host_urls[@]}") parents=${cluster_pools[*]}
    [ "$target" = "$split_sqlite_target" ] && target_urls=("${split_sqlite_urls[@]}") parents=${split_sqlite_pools[*]}
    # The one host that the two hosts' POST /results is compared with gets the same client: two
    # wrk, each with half the threads and connections.
    [ "$target" = "$sqlite_target" ] && [ "$path" = /results ] && target_urls=("$url" "$url")
    local ticks_before ticks_after
    ticks_before=$(worker_ticks $parents)
    # A durable commit waits for the disk, which on a shared machine stalls now and then for
    # longer than wrk's 2 s: 10 s for the feedback runs, so that a stall shows in the p99 rather
    # than as a lost request.
    local timeout=2s
    [ "$path" = /thanks ] && timeout=10s
    local shares=${#target_urls[@]} i wrk_pids=()
    local share_threads=$((wrk_threads / shares > 0 ? wrk_threads / shares : 1))
    for i in "${!target_urls[@]}"; do
        env "$@" wrk -t"$share_threads" -c"$((connections / shares))" -d"${duration}s" --timeout "$timeout" --latency \
            -s "$root/bench/$script" "${target_urls[i]}$path" >"$log.$i" 2>&1 &
        wrk_pids+=($!)
    done
    wait "${wrk_pids[@]}" || true
    ticks_after=$(worker_ticks $parents)
    local summary summaries=()
    for i in "${!target_urls[@]}"; do
        summary=$(grep '^BENCH ' "$log.$i" | tail -n 1) || true
        [ -n "$summary" ] && summaries+=("$summary")
    done
    cat "$log".* >"$log" && rm -f "$log".*
    if [ "${#summaries[@]}" -ne "$shares" ]; then
        printf "$row_format" "$target" "$request" "$connections" "wrk failed" "" "" "" "" ""
        show_log "$log"
        failures+=("wrk failed: $target $request at $connections connections")
        return 0
    fi
    local -A f=()
    local -A one
    local pair key value rate=0
    for summary in "${summaries[@]}"; do
        one=()
        for pair in ${summary#BENCH }; do one[${pair%%=*}]=${pair#*=}; done
        rate=$(awk -v r="$rate" -v n="${one[requests]}" -v us="${one[active_us]}" 'BEGIN { printf "%.0f", r + (us > 0 ? n / (us / 1e6) : 0) }')
        for key in "${!one[@]}"; do
            value=${f[$key]:-0}
            case $key in
                p50_us | p99_us | max_us) f[$key]=$((one[$key] > value ? one[$key] : value)) ;;
                *) f[$key]=$((value + one[$key])) ;;
            esac
        done
    done
    local socket_errors
    socket_errors=$((f[connect] + f[read] + f[write] + f[timeout]))
    local cpu=-  # a fault run's killed workers take their CPU time with them
    $faults || cpu=$(awk -v b="$ticks_before" -v a="$ticks_after" -v n="${f[requests]}" -v hz="$(getconf CLK_TCK)" 'BEGIN {
        split(b, x, " "); split(a, y, " ")
        if (n > 0) printf "%.0f+%.0f us", (y[1] - x[1]) * 1e6 / hz / n, (y[2] - x[2]) * 1e6 / hz / n }')
    printf "$row_format" "$target" "$request" "$connections" "$rate" "$(ms "${f[p50_us]}")" "$(ms "${f[p99_us]}")" "${f[non2xx]}" "$socket_errors" "$cpu"
    rps["$target|$request|$connections"]=$rate
    rps_runs["$target|$request|$connections"]+="$rate "
    p99_runs["$target|$request|$connections"]+="${f[p99_us]} "
    ok_count["$target|$request|$connections"]=${f[ok]}
    non2xx_count["$target|$request|$connections"]=${f[non2xx]}
    p99_us["$target|$request|$connections"]=${f[p99_us]}
    $faults || [ "${f[non2xx]}" -eq 0 ] || failures+=("$target $request at $connections connections: ${f[non2xx]} non-2xx answers")
    [ "$socket_errors" -eq 0 ] || failures+=("$target $request at $connections connections: socket errors connect ${f[connect]}, read ${f[read]}, write ${f[write]}, timeout ${f[timeout]}")
    sleep 0.5
}
median() {  # NUMBER...: the middle one (of an even count, the lower middle)
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
warm_up() {  # URL: one uncounted second of POST /results
    wrk -t"$wrk_threads" -c"${connection_counts[0]}" -d1s -s "$root/bench/post-results.lua" "$1/results" >/dev/null 2>&1 || true
}
# load_pair REQUEST CONNECTIONS SCRIPT PATH: movieclassifier's run (unless --ceiling-only), then
# at once the ceiling's (when it runs).
load_pair() {
    $ceiling_only || load movieclassifier "$@"
    $ceiling_up && load "C ceiling" "$@"
}

# --- the machine and the set-up -------------------------------------------------------------------
gcc -O2 -Wall -o "$run/ceiling" bench/ceiling.c -lfcgi -lsqlite3
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
url="http://127.0.0.1:$port"
ceiling_run="$run/ceiling-run"
ceiling_port=$(free_port)
ceiling_url="http://127.0.0.1:$ceiling_port"
# wrk's few connections stand for many visitors: a POST limit that never binds.
render_nginx_config "$run" "$port" 1000000r/s 1000000
render_nginx_config "$ceiling_run" "$ceiling_port" 1000000r/s 1000000
for conf in "$run/nginx.conf" "$ceiling_run/nginx.conf"; do
    sed -i -e 's|^\([[:space:]]*\)access_log .*;|\1access_log off;|' "$conf"
    grep -q 'access_log off;' "$conf" || { echo "could not turn the access log off in $conf" >&2; exit 1; }
done

wrk_version=$(wrk -v 2>&1 | sed -n 1p || true)
echo "machine:   $(nproc) cores (nproc), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
echo "wrk:       $wrk_version"
echo "nginx:     $(nginx -v 2>&1 | sed 's/^nginx version: //'), $(awk '/^worker_processes/ { print $2 + 0 }' "$run/nginx.conf") worker processes, access log off, fastcgi over a unix socket"
echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the runs; other work on the machine skews the figures"
if [ -n "$soak_minutes" ]; then
    echo "runs:      the soak run, $workers responder workers"
elif $postgresql; then
    echo "runs:      ${duration} s each, wrk $wrk_threads threads, ${connection_counts[*]} connections; $workers responder workers per host"
    echo "postgresql: $("$(cluster_pg_bin)/postgres" --version), its own server in the run folder (fsync, synchronous_commit on), a unix socket"
else
    echo "runs:      ${duration} s each, wrk $wrk_threads threads, ${connection_counts[*]} connections; $workers responder workers"
fi
echo

ceiling_up=false
if [ -n "$soak_minutes" ] || $postgresql; then
    :
elif start_ceiling; then
    ceiling_up=true
else
    failures+=("the ceiling did not start")
fi

# --- phase 1: movieclassifier --------------------------------------------------------------------
swift_ran=false
acknowledged_total=0
rows_total=0
# start_movieclassifier [OPTION...]: the pool, with the trust rules' limits out of reach (wrk's
# few connections stand for many visitors; --trust-all-feedback turns the rules off).
responder_bin=
responder_model=
start_movieclassifier() {
    start_responder "$responder_bin" --listen "$socket" --workers "$workers" --model "$responder_model" --db "$database" \
        --www "$root/www" --feedback-budget 1000000000 --feedback-limit 1000000000 "$@"
}

# prepare_swift [MODEL]: builds movieclassifier-fcgi (release), starts it on MODEL (the bundled
# model) and its nginx, and writes the body of POST /thanks: the signed hidden fields of a real
# results page.
prepare_swift() {
    local build=(swift build -c release --product movieclassifier-fcgi)
    [ -n "$scratch" ] && build+=(--scratch-path "$scratch")
    echo "building movieclassifier-fcgi (release) ..." >&2
    local started=$SECONDS
    if ! "${build[@]}" >"$run/logs/build.log" 2>&1; then
        echo "movieclassifier-fcgi: the release build failed" >&2
        show_log "$run/logs/build.log"
        return 1
    fi
    responder_bin=$("${build[@]}" --show-bin-path 2>/dev/null)/movieclassifier-fcgi
    responder_model=${1:-$root/model/classifier.mcm}
    echo "built in $((SECONDS - started)) s: $responder_bin" >&2
    start_movieclassifier || return 1
    start_nginx || return 1
    expect_200 "$url" / "$run/logs/error.log" "$run/logs/responder.log" || return 1
    thanks_body
}

phase_swift() {
    prepare_swift || return 1
    local in_process=(swift build -c release --product web-benchmark)
    [ -n "$scratch" ] && in_process+=(--scratch-path "$scratch")
    if "${in_process[@]}" >>"$run/logs/build.log" 2>&1; then
        local in_process_bin
        in_process_bin="$("${in_process[@]}" --show-bin-path 2>/dev/null)/web-benchmark"
        "$in_process_bin" "$root/model/classifier.mcm" "$root/www/templates" "$run/reviews.txt" >"$run/in-process.txt" 2>&1 \
            || failures+=("web-benchmark failed: $(tail -n 1 "$run/in-process.txt")")
        instruction_counts "$in_process_bin" >"$run/instructions.txt" 2>&1 || failures+=("the instruction counts failed: $(tail -n 1 "$run/instructions.txt")")
    else
        failures+=("web-benchmark: the release build failed")
    fi
    load_runs
}

# real_reviews: $run/reviews.txt (one review per line) and $run/reviews.bodies (their form
# bodies): 200 reviews of the test split (the data set's last 5,000) between its lower and upper
# quartile of length, in the data set's order, from $MOVIECLASSIFIER_DATA (default ../shared/data);
# without the data set, the one review of bench/post-results.lua.
real_reviews() {
    local data=${MOVIECLASSIFIER_DATA:-$root/../shared/data}/movie_data.csv.gz
    python3 - "$data" "$root/bench/post-results.lua" "$run/reviews.txt" "$run/reviews.bodies" <<'PY'
import csv, gzip, io, os, re, sys, urllib.parse
data, fallback, texts, bodies = sys.argv[1:]
if os.path.exists(data):
    csv.field_size_limit(1 << 24)
    with gzip.open(data, "rt", encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))[1:]
    test = [" ".join(review.split()) for review, _ in rows[-5000:]]
    lengths = sorted(len(review) for review in test)
    low, high = lengths[len(lengths) // 4], lengths[len(lengths) * 3 // 4]
    chosen = [review for review in test if low <= len(review) <= high][:200]
    source = f"{len(chosen)} test reviews of {low}-{high} characters (the test split's interquartile range of length)"
else:
    script = open(fallback, encoding="utf-8").read()
    chosen = [" ".join(re.search(r"local review = \[\[(.*?)\]\]", script, re.S).group(1).split())]
    source = f"no data set at {data}: the one review of bench/post-results.lua"
open(texts, "w", encoding="utf-8").write("\n".join(chosen) + "\n")
# The API's bodies: the first review alone; the first 32 (repeated if fewer) in one batch, and
# the same 32 one a request (one body a line).
import json
folder = os.path.dirname(texts)
batch = (chosen * 32)[:32]
open(os.path.join(folder, "predict-1.json"), "w", encoding="utf-8").write(json.dumps({"instances": chosen[:1]}))
open(os.path.join(folder, "predict-32.json"), "w", encoding="utf-8").write(json.dumps({"instances": batch}))
open(os.path.join(folder, "predict-each.bodies"), "w", encoding="utf-8").write("".join(json.dumps({"instances": [text]}) + "\n" for text in batch))
open(os.path.join(folder, "predict-1.form"), "w", encoding="utf-8").write(urllib.parse.urlencode({"review": chosen[0]}))
open(bodies, "w", encoding="utf-8").write("\n".join(urllib.parse.urlencode({"review": review}) for review in chosen) + "\n")
print(source)
PY
}

# thanks_body [BASE_URL [FILE]]: a real results page from BASE_URL ($url), for its signed hidden
# fields: the body of POST /thanks, in FILE ($run/thanks.body).
thanks_body() {
    local base=${1:-$url} body=${2:-$run/thanks.body}
    python3 - "$root/bench/post-results.lua" >"$run/results.body" <<'PY'
import re, sys, urllib.parse
script = open(sys.argv[1], encoding="utf-8").read()
review = " ".join(re.search(r"local review = \[\[(.*?)\]\]", script, re.S).group(1).split())
sys.stdout.write(urllib.parse.urlencode({"review": review}))
PY
    local status
    status=$(curl -s -o "$run/results.html" -w '%{http_code}' --max-time 10 \
        -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$run/results.body" "$base/results" || true)
    if [ "$status" != 200 ]; then
        echo "POST /results answered ${status:-nothing}, not 200" >&2
        show_log "$run/logs/responder.log"
        return 1
    fi
    python3 - "$run/results.html" >"$body" <<'PY' || { echo "no hidden fields in the results page" >&2; return 1; }
import sys, urllib.parse
from html.parser import HTMLParser

class HiddenFields(HTMLParser):
    """The name/value pairs of <input type="hidden">, attribute values HTML-unescaped."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []
    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and (attributes.get("type") or "").lower() == "hidden" and attributes.get("name"):
            self.fields.append((attributes["name"], attributes.get("value") or ""))

parser = HiddenFields()
parser.feed(open(sys.argv[1], encoding="utf-8").read())
if not parser.fields:
    sys.exit(1)
sys.stdout.write(urllib.parse.urlencode(parser.fields + [("feedback_button", "Correct")]))
PY
}

# instruction_counts WEB_BENCHMARK: the application's instructions per POST /results and per
# POST /thanks, on the real reviews, counted by callgrind on a stripped copy of the in-process
# benchmark (callgrind cannot read the toolchain's debug info), which counts the same whatever
# else the machine does: two runs of each row, of N and 5N requests, and the difference per
# request, so that the start (the model's load) drops out. Swift seeds its hashing afresh in
# every process, which moves a count by up to 5% from run to run (dictionaries collide and grow
# differently); SWIFT_DETERMINISTIC_HASHING fixes the seed, and repeated counts then agree to
# within 0.1%.
instruction_counts() {
    local copy="$run/web-benchmark.stripped" row small large count_small count_large
    cp "$1" "$copy"
    strip "$copy"
    echo "instructions per request (valgrind --tool=callgrind on a stripped web-benchmark, in process, the real reviews):"
    for row in results thanks; do
        if [ "$row" = results ]; then small=100 large=600; else small=20 large=220; fi
        count_small=$(callgrind_total "$copy" "$small" "$row") || return 1
        count_large=$(callgrind_total "$copy" "$large" "$row") || return 1
        printf '  POST /%-8s %9s instructions\n' "$row" "$(( (count_large - count_small) / (large - small) ))"
    done
}
callgrind_total() {  # BINARY REQUESTS ROW: the instructions callgrind counted in the whole run
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$root/model/classifier.mcm" "$root/www/templates" "$run/reviews.txt" "$2" "$3" \
        2>&1 >/dev/null | awk '/Collected :/ { print $NF; found = 1 } END { exit !found }'
}

load_runs() {
    print_header
    warm_up "$url"
    $ceiling_up && warm_up "$ceiling_url"
    local c
    for c in "${connection_counts[@]}"; do load_pair "GET /" "$c" get-form.lua /; done
    for c in "${connection_counts[@]}"; do load_pair "POST /results" "$c" post-results.lua /results; done
    for c in "${connection_counts[@]}"; do load_pair "/results real" "$c" post-reviews.lua /results BENCH_BODIES_FILE="$run/reviews.bodies"; done
    # The JSON API: one real review per :predict, right after /results on the same review; the
    # 32 reviews of the batch one a request, and the batch of 32.
    for c in "${connection_counts[@]}"; do
        load movieclassifier "/results 1st" "$c" post-body.lua /results BENCH_BODY_FILE="$run/predict-1.form" \
            BENCH_CONTENT_TYPE=application/x-www-form-urlencoded
        load movieclassifier ":predict 1" "$c" post-body.lua /v1/models/sentiment:predict BENCH_BODY_FILE="$run/predict-1.json"
        # The batch and its texts one a request, alternated in three rounds: their ratio is
        # that of the medians, as one run each drifts by tens of percent with the machine.
        local round
        for round in 1 2 3; do
            load movieclassifier ":predict each" "$c" post-reviews.lua /v1/models/sentiment:predict \
                BENCH_BODIES_FILE="$run/predict-each.bodies" BENCH_CONTENT_TYPE=application/json
            load movieclassifier ":predict 32" "$c" post-body.lua /v1/models/sentiment:predict BENCH_BODY_FILE="$run/predict-32.json"
        done
    done
    swift_ran=true
    local before after
    local -A added
    for c in "${connection_counts[@]}"; do
        before=$(sqlite3 "$database" 'SELECT COUNT(*) FROM review_db')
        # Every connection stops after its answer 0.5 s before the end: nothing is in flight when
        # wrk stops, so the 2xx count and the rows added are comparable exactly.
        load movieclassifier "POST /thanks" "$c" post-thanks.lua /thanks \
            BENCH_BODY_FILE="$run/thanks.body" BENCH_DRAIN_AFTER="$(awk -v d="$duration" 'BEGIN { print d - 0.5 }')"
        sleep 0.5
        after=$(sqlite3 "$database" 'SELECT COUNT(*) FROM review_db')
        added[$c]=$((after - before))
        # The durable-insert ceiling right after: one INSERT per request, WAL, synchronous=FULL.
        $ceiling_up && load "C ceiling" "POST /thanks" "$c" post-thanks.lua /thanks \
            BENCH_BODY_FILE="$run/thanks.body" BENCH_DRAIN_AFTER="$(awk -v d="$duration" 'BEGIN { print d - 0.5 }')"
    done

    # The details are printed after the table.
    exec 3>&1 1>>"$run/details.txt"
    echo
    echo "POST /thanks: acknowledged (2xx) vs rows added to the database (WAL, the log synced before each answer)"
    local acknowledged verdict
    for c in "${connection_counts[@]}"; do
        acknowledged=${ok_count["movieclassifier|POST /thanks|$c"]:-0}
        verdict=equal
        if [ "$acknowledged" -ne "${added[$c]}" ]; then
            verdict="DIFFERENT ($((added[$c] - acknowledged)))"
            failures+=("POST /thanks at $c connections: $acknowledged acknowledged but ${added[$c]} rows added")
        fi
        printf '  %3s connections: %8s acknowledged, %8s rows added: %s\n' "$c" "$acknowledged" "${added[$c]}" "$verdict"
        acknowledged_total=$((acknowledged_total + acknowledged))
        rows_total=$((rows_total + added[$c]))
    done
    printf '  total:           %8s acknowledged, %8s rows added\n' "$acknowledged_total" "$rows_total"

    echo
    echo "movieclassifier-fcgi memory after the runs (RSS):"
    local pid rss now_workers
    now_workers=$(ps -o pid= --ppid "$responder" | tr -s ' \n' ' ')
    for pid in $now_workers; do
        rss=$(ps -o rss= -p "$pid" 2>/dev/null || echo 0)
        printf '  worker PID %-8s %7.1f MB\n' "$pid" "$(awk -v kb="$rss" 'BEGIN { print kb / 1024 }')"
    done
    rss=$(ps -o rss= -p "$responder" 2>/dev/null || echo 0)
    printf '  parent PID %-8s %7.1f MB\n' "$responder" "$(awk -v kb="$rss" 'BEGIN { print kb / 1024 }')"
    if [ "$(echo $now_workers)" != "$(echo $responder_workers)" ]; then
        echo "  note: the workers changed during the runs (at the start: $responder_workers)"
        failures+=("movieclassifier-fcgi workers were replaced during the runs")
        responder_workers="$responder_workers $now_workers"
    fi
    local problems
    problems=$(grep -c -E '\[(error|crit|alert|emerg)\]' "$run/logs/error.log" 2>/dev/null || true)
    if [ "${problems:-0}" -gt 0 ]; then
        echo "  nginx error log: $problems error lines, e.g.:"
        grep -E '\[(error|crit|alert|emerg)\]' "$run/logs/error.log" | head -n 3 | cut -c1-200 | sed 's/^/    /'
    fi
    if [ -s "$run/logs/responder.log" ]; then
        echo "  responder's standard error: $(wc -l <"$run/logs/responder.log") lines, e.g.:"
        head -n 3 "$run/logs/responder.log" | cut -c1-200 | sed 's/^/    /'
    fi
    exec 1>&3 3>&-

    trust_comparison
    variant_comparison
    fault_run
}

# The model variants: POST /results at 32 connections on the bundled (n-gram) model and on the
# book's, trained here from $MOVIECLASSIFIER_DATA (default ../shared/data), alternately, twice,
# each on a pool started afresh; then each pool's worker RSS. Skipped without the data set.
variant_comparison() {
    local data=${MOVIECLASSIFIER_DATA:-$root/../shared/data}/movie_data.csv.gz
    if [ ! -r "$data" ]; then
        echo >>"$run/details.txt"
        echo "model variants: skipped (no data set at $data to train the book's model)" >>"$run/details.txt"
        return 0
    fi
    local build=(swift build -c release --product movieclassifier)
    [ -n "$scratch" ] && build+=(--scratch-path "$scratch")
    "${build[@]}" >>"$run/logs/build.log" 2>&1 || { failures+=("movieclassifier: the release build failed"); return 0; }
    "$("${build[@]}" --show-bin-path 2>/dev/null)/movieclassifier" train --variant book --data "$data" --out "$run/book.mcm" >/dev/null 2>&1
    local c=${connection_counts[0]} round variant model pid kb
    local -A total rss
    for round in 1 2; do
        for variant in book ngram; do
            model=$root/model/classifier.mcm
            [ "$variant" = book ] && model=$run/book.mcm
            stop_responder
            responder_model=$model start_movieclassifier || return 1
            expect_200 "$url" / "$run/logs/error.log" "$run/logs/responder.log" || return 1
            warm_up "$url"
            load movieclassifier "/results $variant" "$c" post-results.lua /results
            total[$variant]=$((${total[$variant]:-0} + ${rps["movieclassifier|/results $variant|$c"]:-0}))
            rss[$variant]=0
            for pid in $(ps -o pid= --ppid "$responder"); do
                kb=$(ps -o rss= -p "$pid" 2>/dev/null || echo 0)
                [ "$kb" -gt "${rss[$variant]}" ] && rss[$variant]=$kb
            done
        done
    done
    stop_responder
    start_movieclassifier || return 1
    {
        echo
        printf 'model variants: POST /results at %s connections, two runs each, alternately: n-gram %s req/s, book %s: %s%%; largest worker RSS n-gram %s MB, book %s MB\n' \
            "$c" "$((total[ngram] / 2))" "$((total[book] / 2))" \
            "$(awk -v a="${total[ngram]}" -v b="${total[book]}" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')" \
            "$(awk -v kb="${rss[ngram]}" 'BEGIN { printf "%.1f", kb / 1024 }')" "$(awk -v kb="${rss[book]}" 'BEGIN { printf "%.1f", kb / 1024 }')"
    } >>"$run/details.txt"
}

# The trust rules' cost: POST /thanks at 32 connections with the rules off and on, alternately,
# twice, each on a pool started afresh (the rules are a pool's setting).
trust_comparison() {
    local c=${connection_counts[0]} round mode
    local -A total
    for round in 1 2; do
        for mode in off on; do
            stop_responder
            if [ "$mode" = off ]; then start_movieclassifier --trust-all-feedback || return 1; else start_movieclassifier || return 1; fi
            expect_200 "$url" / "$run/logs/error.log" "$run/logs/responder.log" || return 1
            local name="/thanks -rules"
            [ "$mode" = on ] && name="/thanks +rules"
            load movieclassifier "$name" "$c" post-thanks.lua /thanks \
                BENCH_BODY_FILE="$run/thanks.body" BENCH_DRAIN_AFTER="$(awk -v d="$duration" 'BEGIN { print d - 0.5 }')"
            total[$mode]=$((${total[$mode]:-0} + ${rps["movieclassifier|$name|$c"]:-0}))
        done
    done
    {
        echo
        printf 'trust rules: POST /thanks at %s connections, two runs each, alternately: %s req/s on, %s off: %s%%\n' "$c" \
            "$((total[on] / 2))" "$((total[off] / 2))" "$(awk -v a="${total[on]}" -v b="${total[off]}" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')"
    } >>"$run/details.txt"
}

# The fault run, last (it replaces workers): POST /thanks while kill_workers_every runs.
fault_run() {
    local c=${connection_counts[0]} before after kills acknowledged non2xx verdict
    before=$(sqlite3 "$database" 'SELECT COUNT(*) FROM review_db')
    : >"$run/kills.txt"
    kill_workers_every 0.5 &
    killer=$!
    load --faults "fault: SIGKILL" "POST /thanks" "$c" post-thanks.lua /thanks \
        BENCH_BODY_FILE="$run/thanks.body" BENCH_DRAIN_AFTER="$(awk -v d="$duration" 'BEGIN { print d - 0.5 }')"
    stop_killer
    sleep 0.5
    after=$(sqlite3 "$database" 'SELECT COUNT(*) FROM review_db')
    kills=$(wc -l <"$run/kills.txt")
    acknowledged=${ok_count["fault: SIGKILL|POST /thanks|$c"]:-0}
    non2xx=${non2xx_count["fault: SIGKILL|POST /thanks|$c"]:-0}
    # A killed worker may have stored the feedback it was answering: more rows than
    # acknowledgements is allowed, fewer is lost feedback.
    verdict="none lost ($((after - before - acknowledged)) stored but unanswered)"
    if [ $((after - before)) -lt "$acknowledged" ]; then
        verdict="LOST $((acknowledged - after + before))"
        failures+=("fault run: $acknowledged acknowledged but $((after - before)) rows added")
    fi
    [ "$kills" -gt 0 ] || failures+=("fault run: no worker was killed")
    # A pool whose restarted workers never become ready answers nothing, which loses nothing.
    [ "$acknowledged" -gt 0 ] || failures+=("fault run: no feedback acknowledged while workers were killed")
    {
        echo
        echo "fault run: POST /thanks at $c connections, a worker (of $workers) SIGKILLed every 0.5 s"
        printf '  %s kills, %s non-2xx answers (%s per kill)\n' "$kills" "$non2xx" \
            "$(awk -v n="$non2xx" -v k="$kills" 'BEGIN { printf "%.2f", (k > 0 ? n / k : 0) }')"
        printf '  %s acknowledged, %s rows added: %s\n' "$acknowledged" "$((after - before))" "$verdict"
    } >>"$run/details.txt"
}

# --- the PostgreSQL phase (--postgresql) ---------------------------------------------------------
cluster_target="PG 2 hosts"  # load's target name for the balancer (and the pools' CPU time)
cluster_direct_target="PG 2 direct"  # both hosts on their own ports at once, half the connections each
split_sqlite_target="SQLite 2 direct"  # the same split with an SQLite log each: what the split itself costs
sqlite_target="SQLite 1 host"  # what load calls movieclassifier's stack of phase 1 here
cluster_url=
cluster_host_urls=()
cluster_pools=()
split_sqlite_urls=()
split_sqlite_pools=()

# start_cluster: PostgreSQL, two hosts (the pools with the trust rules' limits out of reach, as
# in phase 1; nginx with a POST limit that never binds, access log off) and the balancer, all in
# $run/cluster; the key is the cluster's own, so the body of POST /thanks comes from its pages.
# The machine is split in two: each host has half the SQLite host's workers and nginx worker
# processes (one at least), so that the hosts together have what the SQLite host has alone; two
# more hosts split alike, each with an SQLite log of its own (not a cluster: they share nothing),
# measure what the split itself costs.
start_cluster() {
    local folder="$run/cluster" host_ports=() port i
    local half=$((workers / 2 > 0 ? workers / 2 : 1)) nginx_processes
    nginx_processes=$(awk '/^worker_processes/ { print $2 + 0 }' "$run/nginx.conf")
    chmod 755 "$run"  # the server runs as nobody when this runs as root
    cluster_access_log=false
    cluster_start_postgresql "$folder/postgresql" || return 1
    cluster_nginx_processes=$((nginx_processes / 2 > 0 ? nginx_processes / 2 : 1))
    for i in 1 2; do
        port=$(free_port)
        cluster_start_host "$folder/host-$i" "$port" "$responder_bin" "$cluster_db_url" "$folder/feedback.key" "$half" \
            1000000r/s 1000000 --feedback-budget 1000000000 --feedback-limit 1000000000 || return 1
        cluster_pools+=("$cluster_pool_pid")
        host_ports+=("$port")
        expect_200 "http://127.0.0.1:$port" / "$folder/host-$i/logs/error.log" "$folder/host-$i/logs/fcgi.log" || return 1
    done
    for i in 1 2; do
        port=$(free_port)
        cluster_start_host "$folder/sqlite-host-$i" "$port" "$responder_bin" "$folder/sqlite-host-$i/feedback.sqlite" \
            "$folder/feedback.key" "$half" 1000000r/s 1000000 --feedback-budget 1000000000 --feedback-limit 1000000000 || return 1
        split_sqlite_pools+=("$cluster_pool_pid")
        split_sqlite_urls+=("http://127.0.0.1:$port")
        expect_200 "http://127.0.0.1:$port" / "$folder/sqlite-host-$i/logs/error.log" "$folder/sqlite-host-$i/logs/fcgi.log" || return 1
    done
    cluster_nginx_processes=$nginx_processes
    cluster_host_urls=("http://127.0.0.1:${host_ports[0]}" "http://127.0.0.1:${host_ports[1]}")
    port=$(free_port)
    cluster_start_balancer "$folder/balancer" "$port" 1000000r/s 1000000 "${host_ports[@]}" || return 1
    cluster_url="http://127.0.0.1:$port"
    expect_200 "$cluster_url" / "$folder/balancer/logs/error.log" || return 1
    thanks_body "$cluster_url" "$run/cluster-thanks.body"
}

# thanks_rows TARGET: the rows of the target's feedback log.
thanks_rows() {
    if [ "$1" = "$cluster_target" ]; then cluster_psql 'SELECT count(*) FROM review_db'; else sqlite3 "$database" 'SELECT COUNT(*) FROM review_db'; fi
}

phase_postgresql() {
    prepare_swift || return 1
    start_cluster || return 1
    print_header
    warm_up "$url"
    warm_up "$cluster_url"
    local c target before after body acknowledged verdict
    local drain
    drain=$(awk -v d="$duration" 'BEGIN { print d - 0.5 }')
    local -A added
    local round key
    for ((round = 1; round <= rounds; round++)); do
        for c in "${connection_counts[@]}"; do
            for target in "$sqlite_target" "$split_sqlite_target" "$cluster_direct_target" "$cluster_target"; do
                load "$target" "POST /results" "$c" post-results.lua /results
            done
        done
    done
    for target in "$sqlite_target" "$split_sqlite_target" "$cluster_direct_target" "$cluster_target"; do
        for c in "${connection_counts[@]}"; do
            key="$target|POST /results|$c"
            rps[$key]=$(median ${rps_runs[$key]:-0})
            p99_us[$key]=$(median ${p99_runs[$key]:-0})
        done
    done
    for c in "${connection_counts[@]}"; do
        for target in "$sqlite_target" "$cluster_target"; do
            body=$run/thanks.body
            [ "$target" = "$cluster_target" ] && body=$run/cluster-thanks.body
            before=$(thanks_rows "$target")
            load "$target" "POST /thanks" "$c" post-thanks.lua /thanks BENCH_BODY_FILE="$body" BENCH_DRAIN_AFTER="$drain"
            sleep 0.5
            after=$(thanks_rows "$target")
            added["$target|$c"]=$((after - before))
        done
    done
    swift_ran=true

    exec 3>&1 1>>"$run/details.txt"
    echo
    echo "POST /results with PostgreSQL as a share of SQLite on one host (the goal: within 10%), medians of $rounds rounds:"
    local pg sqlite ratio label
    for target in "$cluster_direct_target" "$cluster_target"; do
        label="two hosts behind the nginx balancer (one more proxy hop, on the same cores)"
        [ "$target" = "$cluster_direct_target" ] && label="two hosts, each loaded on its own port (as DNS or an L4 balancer spreads visitors)"
        echo "  $label:"
        for c in "${connection_counts[@]}"; do
            pg=${rps["$target|POST /results|$c"]:-0} sqlite=${rps["$sqlite_target|POST /results|$c"]:-0}
            ratio=$(awk -v a="$pg" -v b="$sqlite" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
            printf '    %3s connections: %7s / %7s req/s = %5s%% (%s); p99 %s / %s\n' "$c" "$pg" "$sqlite" "$ratio" \
                "$(awk -v r="$ratio" 'BEGIN { print (r >= 90 ? "within 10%" : "NOT within 10%") }')" \
                "$(ms "${p99_us["$target|POST /results|$c"]:-0}")" "$(ms "${p99_us["$sqlite_target|POST /results|$c"]:-0}")"
        done
    done
    echo "  (one machine split in two: each host has half the SQLite host's workers and nginx processes; PostgreSQL, the balancer and wrk share the same cores)"
    echo "  what PostgreSQL costs at the same split: two hosts on PostgreSQL against two hosts with an SQLite log each, both loaded on their own ports:"
    for c in "${connection_counts[@]}"; do
        pg=${rps["$cluster_direct_target|POST /results|$c"]:-0} sqlite=${rps["$split_sqlite_target|POST /results|$c"]:-0}
        printf '    %3s connections: %7s / %7s req/s = %5.1f%%; p99 %s / %s\n' "$c" "$pg" "$sqlite" \
            "$(awk -v a="$pg" -v b="$sqlite" 'BEGIN { print (b > 0 ? 100 * a / b : 0) }')" \
            "$(ms "${p99_us["$cluster_direct_target|POST /results|$c"]:-0}")" "$(ms "${p99_us["$split_sqlite_target|POST /results|$c"]:-0}")"
    done
    echo
    echo "POST /thanks (durable: PostgreSQL synchronous_commit on; SQLite WAL, the log synced before each answer): acknowledged (2xx) vs rows added"
    for c in "${connection_counts[@]}"; do
        for target in "$cluster_target" "$sqlite_target"; do
            acknowledged=${ok_count["$target|POST /thanks|$c"]:-0}
            verdict=equal
            if [ "$acknowledged" -ne "${added["$target|$c"]}" ]; then
                verdict="DIFFERENT ($((added["$target|$c"] - acknowledged)))"
                failures+=("$target POST /thanks at $c connections: $acknowledged acknowledged but ${added["$target|$c"]} rows added")
            fi
            printf '  %-13s %3s connections: %6s req/s, p99 %9s; %7s acknowledged, %7s rows added: %s\n' "$target" "$c" \
                "${rps["$target|POST /thanks|$c"]:-0}" "$(ms "${p99_us["$target|POST /thanks|$c"]:-0}")" "$acknowledged" "${added["$target|$c"]}" "$verdict"
        done
    done
    local problems log
    for log in "$run/logs/error.log" "$run/cluster"/*/logs/error.log; do
        problems=$(grep -c -E '\[(error|crit|alert|emerg)\]' "$log" 2>/dev/null || true)
        [ "${problems:-0}" -eq 0 ] || echo "  ${log#"$run/"}: $problems error lines, e.g. $(grep -m 1 -E '\[(error|crit|alert|emerg)\]' "$log" | cut -c1-160)"
    done
    exec 1>&3 3>&-
}

# --- the soak run (--soak M) ---------------------------------------------------------------------
# figures PID: "RSS_KB DESCRIPTORS" of a process.
figures() {
    echo "$(ps -o rss= -p "$1" 2>/dev/null | tr -d ' ') $(find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
}
# pool_figures: "MASTER_RSS MASTER_FDS WORKER_MAX_RSS WORKER_MAX_FDS WORKERS"
pool_figures() {
    local pid max_rss=0 max_fds=0 count=0 rss fds
    for pid in $(ps -o pid= --ppid "$responder"); do
        read -r rss fds <<<"$(figures "$pid")"
        [ -n "$rss" ] || continue
        count=$((count + 1))
        [ "$rss" -gt "$max_rss" ] && max_rss=$rss
        [ "$fds" -gt "$max_fds" ] && max_fds=$fds
    done
    echo "$(figures "$responder") $max_rss $max_fds $count"
}
# status_line: the master's `status ...` line, from a SIGUSR1 report.
status_line() {
    local before
    before=$(wc -l <"$run/logs/responder.log")
    kill -USR1 "$responder"
    for _ in $(seq 50); do
        tail -n +"$((before + 1))" "$run/logs/responder.log" | grep -q 'feedback_pending=' && break
        sleep 0.1
    done
    tail -n +"$((before + 1))" "$run/logs/responder.log" | grep -m 1 '^movieclassifier-fcgi.*status \|^status ' || true
}
# bench_field LOG NAME: a field of wrk's summary line.
bench_field() {
    grep '^BENCH ' "$1" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

soak_run() {
    local admin=(swift build -c release --product movieclassifier)
    [ -n "$scratch" ] && admin+=(--scratch-path "$scratch")
    "${admin[@]}" >>"$run/logs/build.log" 2>&1 || { echo "movieclassifier: the release build failed" >&2; return 1; }
    local tool
    tool=$("${admin[@]}" --show-bin-path 2>/dev/null)/movieclassifier
    # The pool runs on a copy, which `update` replaces as cron would on a live site.
    cp "$root/model/classifier.mcm" "$run/classifier.mcm"
    prepare_swift "$run/classifier.mcm" || return 1
    local seconds=$((soak_minutes * 60 + 60))
    echo "soak: 1 + $soak_minutes min of POST /results (16 connections) and POST /thanks (4) at once, a random worker SIGKILLed"
    echo "      every $kill_every s, movieclassifier update every minute (as cron would); the first minute is the warm-up:"
    echo "      the start figures are taken after it, in the same regime (caches full, workers replaced, a model folded)"
    local start_figures= end_figures before after updates=0
    before=$(sqlite3 "$database" 'SELECT COUNT(*) FROM review_db')
    : >"$run/kills.txt"
    kill_workers_every "$kill_every" &
    killer=$!
    wrk -t1 -c16 -d"${seconds}s" --latency -s "$root/bench/post-results.lua" "$url/results" >"$run/logs/soak-results.txt" 2>&1 &
    soak_load=$!
    env BENCH_BODY_FILE="$run/thanks.body" BENCH_DRAIN_AFTER="$((seconds - 1))" \
        wrk -t1 -c4 -d"${seconds}s" --latency -s "$root/bench/post-thanks.lua" "$url/thanks" >"$run/logs/soak-thanks.txt" 2>&1 &
    local thanks_load=$! started=$SECONDS elapsed next_update=55
    while is_running "$thanks_load"; do
        sleep 1
        elapsed=$((SECONDS - started))
        if [ "$elapsed" -ge "$next_update" ] && [ "$elapsed" -lt $((seconds - 10)) ]; then
            next_update=$((next_update + 60))
            if "$tool" update --model "$run/classifier.mcm" --db "$database" >>"$run/logs/update.log" 2>&1; then
                updates=$((updates + 1))
            else
                failures+=("update failed: $(tail -n 1 "$run/logs/update.log")")
            fi
        fi
        [ -z "$start_figures" ] && [ "$elapsed" -ge 60 ] && start_figures=$(pool_figures)
    done
    wait "$thanks_load" || true
    wait "$soak_load" || true
    soak_load=
    stop_killer
    sleep 1
    for _ in $(seq 100); do
        [ "$(ps -o pid= --ppid "$responder" | wc -l)" -eq "$workers" ] && break
        sleep 0.1
    done
    expect_200 "$url" / "$run/logs/error.log" "$run/logs/responder.log" || failures+=("the pool does not answer after the soak")
    after=$(sqlite3 "$database" 'SELECT COUNT(*) FROM review_db')
    end_figures=$(pool_figures)
    local status kills acknowledged results_ok results_other thanks_other
    status=$(status_line)
    kills=$(wc -l <"$run/kills.txt")
    acknowledged=$(bench_field "$run/logs/soak-thanks.txt" ok)
    thanks_other=$(bench_field "$run/logs/soak-thanks.txt" non2xx)
    results_ok=$(bench_field "$run/logs/soak-results.txt" ok)
    results_other=$(bench_field "$run/logs/soak-results.txt" non2xx)
    [ -n "$start_figures" ] || start_figures=$end_figures
    local m_rss0 m_fd0 w_rss0 w_fd0 n0 m_rss1 m_fd1 w_rss1 w_fd1 n1
    read -r m_rss0 m_fd0 w_rss0 w_fd0 n0 <<<"$start_figures"
    read -r m_rss1 m_fd1 w_rss1 w_fd1 n1 <<<"$end_figures"
    echo
    printf '%-34s %12s %12s\n' "" "after 1 min" "at the end"
    printf '%-34s %12s %12s\n' "master RSS / descriptors" "$((m_rss0 / 1024)).$(((m_rss0 % 1024) * 10 / 1024)) MB / $m_fd0" "$((m_rss1 / 1024)).$(((m_rss1 % 1024) * 10 / 1024)) MB / $m_fd1"
    printf '%-34s %12s %12s\n' "largest worker RSS / descriptors" "$((w_rss0 / 1024)).$(((w_rss0 % 1024) * 10 / 1024)) MB / $w_fd0" "$((w_rss1 / 1024)).$(((w_rss1 % 1024) * 10 / 1024)) MB / $w_fd1"
    printf '%-34s %12s %12s\n' "workers" "$n0" "$n1"
    echo
    echo "kills: $kills; updates folded in: $updates; the master's own count: ${status#*status }"
    echo "POST /results: ${results_ok:-?} answered 2xx, ${results_other:-?} other; POST /thanks: ${acknowledged:-?} acknowledged, ${thanks_other:-?} other"
    echo "feedback: ${acknowledged:-?} acknowledged, $((after - before)) rows added ($((after - before - ${acknowledged:-0})) stored but unanswered, at most one per kill)"
    [ -n "$acknowledged" ] && [ $((after - before)) -ge "$acknowledged" ] || failures+=("soak: ${acknowledged:-?} acknowledged but $((after - before)) rows added")
    [ -n "$acknowledged" ] && [ $((after - before - acknowledged)) -le "$kills" ] || failures+=("soak: more unanswered rows than kills")
    [ "$n1" -eq "$workers" ] || failures+=("soak: $n1 workers at the end, not $workers")
    [ $((w_rss1 - w_rss0)) -le 1024 ] || failures+=("soak: the largest worker grew by $(((w_rss1 - w_rss0) / 1024)) MB")
    [ $((m_rss1 - m_rss0)) -le 1024 ] || failures+=("soak: the master grew by $(((m_rss1 - m_rss0) / 1024)) MB")
    [ "$w_fd1" -le "$w_fd0" ] || failures+=("soak: a worker has $((w_fd1 - w_fd0)) more descriptors")
    [ "$m_fd1" -le "$m_fd0" ] || failures+=("soak: the master has $((m_fd1 - m_fd0)) more descriptors")
    [ "$kills" -gt 0 ] || failures+=("soak: no worker was killed")
    kill -0 "$responder" 2>/dev/null || failures+=("soak: the master stopped")
}

if [ -n "$soak_minutes" ]; then
    soak_run || failures+=("the soak run did not run to the end")
    stop_nginx
    stop_responder
    stop_ceiling
    echo
    if [ ${#failures[@]} -eq 0 ]; then
        echo "checks: all passed (the master never stopped, no acknowledged feedback lost, no growth in memory or descriptors)"
        exit 0
    fi
    echo "checks: ${#failures[@]} problem(s):"
    printf '  - %s\n' "${failures[@]}"
    exit 1
fi

if $postgresql; then
    phase_postgresql || failures+=("the PostgreSQL phase did not run to the end")
    stop_nginx
    stop_responder
    cluster_stop_all
    echo
    echo "req/s of POST /thanks: over the first $(awk -v d="$duration" 'BEGIN { print d - 0.5 }') s of each run (in the last 0.5 s the connections drain)."
    echo "p50/p99: wrk's latency percentiles; non-2xx: answers outside 200-299; sock-err: connect, read, write errors and timeouts (2 s; 10 s for /thanks);"
    echo "worker cpu/req: the workers' user+system CPU time per request (of both pools for $cluster_target), nginx, PostgreSQL and wrk not counted."
    [ -s "$run/details.txt" ] && cat "$run/details.txt"
    echo
    if [ ${#failures[@]} -eq 0 ]; then
        echo "checks: all passed (no socket errors, no non-2xx answers, rows == acknowledged in PostgreSQL and SQLite)"
        exit 0
    fi
    echo "checks: ${#failures[@]} problem(s):"
    printf '  - %s\n' "${failures[@]}"
    exit 1
fi

reviews_source=$(real_reviews) || { echo "could not prepare the real reviews" >&2; exit 1; }
echo "reviews:   /results real: $reviews_source"
echo
if $ceiling_only; then
    if $ceiling_up; then
        print_header
        warm_up "$ceiling_url"
        for c in "${connection_counts[@]}"; do load_pair "GET /" "$c" get-form.lua /; done
        for c in "${connection_counts[@]}"; do load_pair "POST /results" "$c" post-results.lua /results; done
        for c in "${connection_counts[@]}"; do load_pair "/results real" "$c" post-reviews.lua /results BENCH_BODIES_FILE="$run/reviews.bodies"; done
    fi
elif ! phase_swift; then
    failures+=("movieclassifier phase not run to the end")
    echo "movieclassifier: skipped or incomplete (see above)" >&2
    echo
fi
stop_nginx
stop_responder
stop_ceiling
ceiling_ran=$ceiling_up

# --- summary -------------------------------------------------------------------------------------
if $header_printed; then
    echo
    $swift_ran && echo "req/s of POST /thanks: over the first $(awk -v d="$duration" 'BEGIN { print d - 0.5 }') s of each run (in the last 0.5 s the connections drain)."
    echo "p50/p99: wrk's latency percentiles; non-2xx: answers outside 200-299; sock-err: connect, read, write errors and timeouts (2 s; 10 s for /thanks);"
    echo "worker cpu/req: the responder workers' user+system CPU time per request (/proc/PID/stat), nginx and wrk not counted."
    echo "CGI (one process per request, Apache mod_cgi): scripts/benchmark-cgi.sh measures it."
fi
[ -s "$run/details.txt" ] && cat "$run/details.txt"
if [ -s "$run/in-process.txt" ]; then
    echo
    cat "$run/in-process.txt"
fi
if [ -s "$run/instructions.txt" ]; then
    echo
    cat "$run/instructions.txt"
fi
if $swift_ran; then
    echo
    echo "the JSON API (:predict 1: the first real review; each: the 32 reviews of the batch, one a request; 32: the batch; each and 32: medians of 3 alternated runs):"
    for c in "${connection_counts[@]}"; do
        page=${rps["movieclassifier|/results 1st|$c"]:-0}
        one=${rps["movieclassifier|:predict 1|$c"]:-0}
        each=$(median ${rps_runs["movieclassifier|:predict each|$c"]:-0})
        batch=$(median ${rps_runs["movieclassifier|:predict 32|$c"]:-0})
        printf '  %3s connections: :predict 1 text %6s req/s = %5.1f%% of POST /results on it (%s); a batch of 32: %6s texts/s = %4.1fx its texts one a request (%s texts/s), %4.1fx the first text repeated\n' \
            "$c" "$one" "$(awk -v a="$one" -v b="$page" 'BEGIN { print (b > 0 ? 100 * a / b : 0) }')" "$page" "$((batch * 32))" \
            "$(awk -v a="$batch" -v b="$each" 'BEGIN { print (b > 0 ? 32 * a / b : 0) }')" "$each" \
            "$(awk -v a="$batch" -v b="$one" 'BEGIN { print (b > 0 ? 32 * a / b : 0) }')"
    done
fi
if $swift_ran && $ceiling_ran; then
    echo
    echo "movieclassifier as a share of the C ceiling (the same nginx configuration and number of workers; each run right after ours;"
    echo "/results real: $reviews_source; POST /thanks: against the ceiling's durable insert):"
    for request in "POST /results" "/results real" "POST /thanks" "GET /"; do
        for c in "${connection_counts[@]}"; do
            ours=${rps["movieclassifier|$request|$c"]:-}
            ceiling=${rps["C ceiling|$request|$c"]:-}
            if [ -n "$ours" ] && [ -n "$ceiling" ] && [ "$ceiling" -gt 0 ]; then
                printf '  %-14s %3s connections: %7s / %7s req/s = %5.1f%%; p99 %s / %s = %.2fx\n' "$request" "$c" "$ours" "$ceiling" \
                    "$(awk -v a="$ours" -v b="$ceiling" 'BEGIN { print 100 * a / b }')" \
                    "$(ms "${p99_us["movieclassifier|$request|$c"]}")" "$(ms "${p99_us["C ceiling|$request|$c"]}")" \
                    "$(awk -v a="${p99_us["movieclassifier|$request|$c"]}" -v b="${p99_us["C ceiling|$request|$c"]}" 'BEGIN { print (b > 0 ? a / b : 0) }')"
            fi
        done
    done
fi
echo
if [ ${#failures[@]} -eq 0 ]; then
    echo "checks: all passed (no socket errors, no non-2xx answers$($swift_ran && echo ' outside the fault run, rows == acknowledged, no acknowledged feedback lost under faults'))"
else
    echo "checks: ${#failures[@]} problem(s):"
    printf '  - %s\n' "${failures[@]}"
    exit 1
fi
