#!/usr/bin/env bash
# Runs movieclassifier on this machine: installs what is missing, builds (release), starts the
# FastCGI workers and nginx on 127.0.0.1 with the bundled model and a local database under
# data/, prints the URL, and stops both cleanly on Ctrl-C.
#
#   ./run.sh            PORT=8080 WORKERS=<cores> by default
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
source scripts/require-packages.sh
source scripts/nginx-config.sh
source scripts/bundled-model.sh
require_packages zlib1g-dev libdeflate-dev libfcgi-dev libsqlite3-dev nginx
unpack_bundled_model
swift build -c release --product movieclassifier-fcgi

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
