#!/usr/bin/env bash
# Runs movieclassifier on this machine: installs what is missing, builds (release), starts the
# FastCGI workers and nginx on 127.0.0.1 with the bundled model and a local database under
# data/, prints the URL, and stops both cleanly on Ctrl-C.
# With --cluster, a local cluster instead, under run/cluster/ (scripts/cluster.sh): a PostgreSQL
# server of its own (unprivileged, on a unix socket; its data kept across runs), two hosts, each
# a pool with its own copy of the model and its own nginx on its own port, all on that database
# and one form-signing key (run/cluster/feedback.key), and one nginx balancing them.
#
#   ./run.sh            PORT=8080 WORKERS=<cores> by default
#   ./run.sh --cluster  PORT=8080 (the balancer), HOST_PORTS="8081 8082" (a host per port),
#                       WORKERS=<cores> (per host) by default
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
cluster=false
case ${1:-} in
    "") ;;
    --cluster) cluster=true ;;
    *) sed -n 's/^#   \(\.\/run\.sh\)/\1/p' "$0" >&2; exit 2 ;;
esac
source scripts/require-packages.sh
source scripts/nginx-config.sh
source scripts/bundled-model.sh
require_packages zlib1g-dev libdeflate-dev libfcgi-dev libsqlite3-dev nginx
$cluster && require_packages postgresql libpq5
unpack_bundled_model
swift build -c release --product movieclassifier-fcgi

# run_cluster: ./run.sh --cluster (see the header); returns when a pool stops.
run_cluster() {
    source scripts/cluster.sh
    local port=${PORT:-8080} workers=${WORKERS:-$(nproc)} folder="$root/run/cluster" names=(a b c d e f g h)
    local -a host_ports pools=()
    read -r -a host_ports <<<"${HOST_PORTS:-8081 8082}"
    [ ${#host_ports[@]} -ge 1 ] && [ ${#host_ports[@]} -le ${#names[@]} ] \
        || { echo "HOST_PORTS: 1 to ${#names[@]} ports, not '${HOST_PORTS:-}'" >&2; return 2; }
    trap 'cluster_stop_all; echo stopped' EXIT
    trap 'exit 0' INT TERM
    mkdir -p "$folder"
    cluster_start_postgresql "$folder/postgresql"
    local i
    for i in "${!host_ports[@]}"; do
        cluster_start_host "$folder/host-${names[i]}" "${host_ports[i]}" "$root/.build/release/movieclassifier-fcgi" \
            "$cluster_db_url" "$folder/feedback.key" "$workers" 30r/m 20
        pools+=("$cluster_pool_pid")
    done
    cluster_start_balancer "$folder/balancer" "$port" 30r/m 20 "${host_ports[@]}"

    echo "movieclassifier (a local cluster) is running at http://127.0.0.1:$port/  (the balancer; Ctrl-C stops it all)"
    for i in "${!host_ports[@]}"; do
        echo "  host ${names[i]}: http://127.0.0.1:${host_ports[i]}/  ($workers workers; /status /metrics /admin/ here only; run/cluster/host-${names[i]}/logs)"
    done
    echo "  PostgreSQL: $cluster_db_url  (data in run/cluster/postgresql/data, log run/cluster/postgresql/server.log)"
    echo "  the admin tool: movieclassifier feedback list --db '$cluster_db_url'"
    wait -n "${pools[@]}"
}
if $cluster; then
    run_cluster
    exit
fi

port=${PORT:-8080}
workers=${WORKERS:-$(nproc)}
run="$root/run"
mkdir -p "$root/data"
render_nginx_config "$run" "$port"

.build/release/movieclassifier-fcgi --listen "$run/fcgi.sock" --workers "$workers" \
    --model "$root/model/classifier.mcm" --db "$root/data/feedback.sqlite" --www "$root/www" \
    2>>"$run/logs/fcgi.log" &
responder=$!
stop() {
    [ -f "$run/nginx.pid" ] && kill -QUIT "$(cat "$run/nginx.pid")" 2>/dev/null || true
    kill -TERM "$responder" 2>/dev/null || true
    wait "$responder" 2>/dev/null || true
    echo "stopped"
}
trap stop EXIT
trap 'exit 0' INT TERM
for _ in $(seq 100); do [ -S "$run/fcgi.sock" ] && break; sleep 0.1; done
[ -S "$run/fcgi.sock" ] || { echo "the workers did not start; see $run/logs/fcgi.log" >&2; exit 1; }
nginx -p "$run/" -c "$run/nginx.conf" -e "$run/logs/error.log"

echo "movieclassifier is running at http://127.0.0.1:$port/  ($workers workers; logs in run/logs; Ctrl-C stops it)"
wait "$responder"
