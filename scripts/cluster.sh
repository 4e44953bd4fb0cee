# Sourced by ./run.sh --cluster and scripts/benchmark-web.sh --postgresql: a local cluster of
# movieclassifier on one machine, to see and measure what several hosts on one PostgreSQL
# database do. Everything in folders the caller names, servers on 127.0.0.1 and unix sockets
# only; every process started here is remembered and stopped by its PID (PostgreSQL by
# `pg_ctl stop -m fast`, which signals the postmaster named in its data folder's PID file).
#
#   cluster_start_postgresql FOLDER    a PostgreSQL server in FOLDER (data/, socket/, server.log;
#                                      initdb on the first start only, so the data is kept);
#                                      sets cluster_db_url and cluster_pg_socket
#   cluster_start_host FOLDER PORT BINARY DB_URL KEY WORKERS RATE BURST [OPTION...]
#                                      one host: a movieclassifier-fcgi pool with its own copy of
#                                      the model (FOLDER/classifier.mcm, from model/classifier.mcm)
#                                      and its own nginx on 127.0.0.1:PORT (nginx/local.conf.template,
#                                      trusting the balancer's X-Forwarded-For); sets cluster_pool_pid
#   cluster_start_balancer FOLDER PORT RATE BURST HOST_PORT...
#                                      nginx on 127.0.0.1:PORT balancing the hosts (nginx/cluster.conf.template)
#   cluster_psql SQL                   one statement against the cluster's database, unaligned output
#   cluster_stop_all                   stops what was started, the last first, PostgreSQL last
#
# initdb refuses to run as root: as root, the server's folders belong to `nobody` and its
# programs run through `runuser -u nobody --` (FOLDER's parents must let `nobody` through).
# Needs the Debian packages postgresql, libpq5 (movieclassifier-fcgi loads libpq.so.5 at run
# time) and nginx, and scripts/nginx-config.sh sourced.

cluster_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$cluster_root/scripts/processes.sh"
cluster_database=movieclassifier
cluster_user=postgres
cluster_db_url=
cluster_pg_socket=
cluster_pool_pid=
cluster_access_log=true  # false: every nginx started here without an access log (benchmarks)
cluster_nginx_processes=  # a number: every nginx started here with that many worker processes
cluster_started=()  # "postgresql DATA_FOLDER", "pool PID", "nginx PID", in start order

# cluster_pg_bin: the folder of the newest PostgreSQL's programs.
cluster_pg_bin() {
    local newest
    newest=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -name '[0-9]*' -printf '%f\n' 2>/dev/null | sort -n | tail -n 1)
    [ -n "$newest" ] || { echo "no PostgreSQL in /usr/lib/postgresql (the Debian package postgresql)" >&2; return 1; }
    echo "/usr/lib/postgresql/$newest/bin"
}

# cluster_as_owner PROGRAM ARG...: one of PostgreSQL's programs, as `nobody` when run as root.
cluster_as_owner() {
    local program
    program="$(cluster_pg_bin)/$1"
    shift
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u nobody -- "$program" "$@"
    else
        "$program" "$@"
    fi
}

# cluster_own PATH...: gives the paths to the server's owner (nobody, when run as root).
cluster_own() {
    [ "$(id -u)" -eq 0 ] || return 0
    chown nobody:nogroup "$@"
}

# cluster_url_encode TEXT: TEXT percent-encoded for a URL's query (all but letters, digits, -._~).
cluster_url_encode() {
    local LC_ALL=C text=$1 encoded= character i  # byte by byte
    for ((i = 0; i < ${#text}; i++)); do
        character=${text:i:1}
        case $character in
            [A-Za-z0-9._~-]) encoded+=$character ;;
            *) encoded+=$(printf '%%%02X' "'$character") ;;
        esac
    done
    echo "$encoded"
}

# cluster_start_postgresql FOLDER: see the header.
cluster_start_postgresql() {
    local folder=$1
    local data="$folder/data" socket="$folder/socket" log="$folder/server.log"
    mkdir -p "$folder"
    chmod 755 "$folder"
    if [ ! -s "$data/PG_VERSION" ]; then
        rm -rf "$data"
        mkdir -m 700 "$data"
        cluster_own "$data"
        echo "initdb: a new PostgreSQL cluster in $data" >&2
        cluster_as_owner initdb -D "$data" --auth=trust -E UTF8 --locale=C --username="$cluster_user" >"$folder/initdb.log" 2>&1 \
            || { echo "initdb failed; see $folder/initdb.log" >&2; return 1; }
    fi
    if cluster_as_owner pg_ctl -D "$data" status >/dev/null 2>&1; then
        echo "a PostgreSQL server already runs on $data (PID $(head -n 1 "$data/postmaster.pid")), not started here:" \
            "stop it first ($(cluster_pg_bin)/pg_ctl -D $data stop -m fast, as its owner)" >&2
        return 1
    fi
    mkdir -p "$socket"
    touch "$log"
    cluster_own "$socket" "$log"
    cluster_as_owner pg_ctl -D "$data" -l "$log" -o "-k $socket -c listen_addresses=''" -w -t 30 start >/dev/null \
        || { echo "PostgreSQL did not start; see $log" >&2; tail -n 5 "$log" >&2; return 1; }
    cluster_started+=("postgresql $data")
    cluster_pg_socket=$socket
    cluster_db_url="postgresql://$cluster_user@/$cluster_database?host=$(cluster_url_encode "$socket")"
    if [ -z "$(cluster_psql_to postgres "SELECT 1 FROM pg_database WHERE datname = '$cluster_database'")" ]; then
        cluster_psql_to postgres "CREATE DATABASE $cluster_database" >/dev/null
    fi
}

# cluster_psql_to DATABASE SQL / cluster_psql SQL: one statement, its rows unaligned, no header.
cluster_psql_to() {
    "$(cluster_pg_bin)/psql" -X -q -h "$cluster_pg_socket" -U "$cluster_user" -d "$1" -v ON_ERROR_STOP=1 -tAc "$2"
}
cluster_psql() {
    cluster_psql_to "$cluster_database" "$1"
}

# cluster_stop_pool PID: the pool's master (it stops its workers), then any worker that outlives it.
cluster_stop_pool() {
    local workers pid
    workers=$(ps -o pid= --ppid "$1" 2>/dev/null || true)
    stop_pid "$1" TERM
    wait "$1" 2>/dev/null || true
    for pid in $workers; do stop_pid "$pid" TERM; done
}

# cluster_start_nginx FOLDER: nginx on FOLDER/nginx.conf; remembered by the PID in its PID file.
cluster_start_nginx() {
    local folder=$1 pid=
    rm -f "$folder/nginx.pid"
    if ! $cluster_access_log; then
        sed -i -e 's|^\([[:space:]]*\)access_log .*;|\1access_log off;|' "$folder/nginx.conf"
        grep -q 'access_log off;' "$folder/nginx.conf" || { echo "could not turn the access log off in $folder/nginx.conf" >&2; return 1; }
    fi
    if [ -n "$cluster_nginx_processes" ]; then
        sed -i -e "s|^worker_processes .*;|worker_processes $cluster_nginx_processes;|" "$folder/nginx.conf"
        grep -q "^worker_processes $cluster_nginx_processes;" "$folder/nginx.conf" \
            || { echo "could not set worker_processes in $folder/nginx.conf" >&2; return 1; }
    fi
    nginx -p "$folder/" -c "$folder/nginx.conf" -e "$folder/logs/error.log" \
        || { echo "nginx did not start; see $folder/logs/error.log" >&2; return 1; }
    for _ in $(seq 50); do [ -s "$folder/nginx.pid" ] && break; sleep 0.1; done
    pid=$(cat "$folder/nginx.pid" 2>/dev/null) || { echo "nginx wrote no PID file in $folder" >&2; return 1; }
    cluster_started+=("nginx $pid")
}

# cluster_start_pool FOLDER BINARY DB_URL KEY WORKERS [OPTION...]: the pool on FOLDER/fcgi.sock
# and FOLDER/classifier.mcm; waits (20 s at most) for its socket.
cluster_start_pool() {
    local folder=$1 binary=$2 db=$3 key=$4 workers=$5
    shift 5
    rm -f "$folder/fcgi.sock"
    "$binary" --listen "$folder/fcgi.sock" --workers "$workers" --model "$folder/classifier.mcm" --db "$db" --key "$key" \
        --www "$cluster_root/www" "$@" 2>>"$folder/logs/fcgi.log" &
    cluster_pool_pid=$!
    cluster_started+=("pool $cluster_pool_pid")
    for _ in $(seq 200); do
        [ -S "$folder/fcgi.sock" ] && return 0
        is_running "$cluster_pool_pid" || break
        sleep 0.1
    done
    echo "the workers in $folder did not start; see $folder/logs/fcgi.log" >&2
    tail -n 5 "$folder/logs/fcgi.log" >&2
    return 1
}

# cluster_copy_model FOLDER: the host's own copy of the bundled model, made once (the workers
# will keep it at the database's model version); renamed into place, never written over.
cluster_copy_model() {
    local model="$1/classifier.mcm"
    [ -f "$model" ] && return 0
    cp "$cluster_root/model/classifier.mcm" "$model.copying"
    mv "$model.copying" "$model"
}

# cluster_start_host FOLDER PORT BINARY DB_URL KEY WORKERS RATE BURST [OPTION...]: see the header.
cluster_start_host() {
    local folder=$1 port=$2 binary=$3 db=$4 key=$5 workers=$6 rate=$7 burst=$8
    shift 8
    mkdir -p "$folder"
    render_host_nginx_config "$folder" "$port" "$rate" "$burst"
    cluster_copy_model "$folder"
    cluster_start_pool "$folder" "$binary" "$db" "$key" "$workers" "$@" || return 1
    local pool=$cluster_pool_pid
    cluster_start_nginx "$folder" || return 1
    cluster_pool_pid=$pool
}

# cluster_start_balancer FOLDER PORT RATE BURST HOST_PORT...: see the header.
cluster_start_balancer() {
    local folder=$1 port=$2 rate=$3 burst=$4
    shift 4
    mkdir -p "$folder"
    render_balancer_nginx_config "$folder" "$port" "$rate" "$burst" "$@"
    cluster_start_nginx "$folder"
}

# cluster_stop_all: see the header.
cluster_stop_all() {
    local i kind what
    for ((i = ${#cluster_started[@]} - 1; i >= 0; i--)); do
        read -r kind what <<<"${cluster_started[i]}"
        case $kind in
            nginx) stop_pid "$what" QUIT ;;
            pool) cluster_stop_pool "$what" ;;
            postgresql)
                cluster_as_owner pg_ctl -D "$what" status >/dev/null 2>&1 \
                    && { cluster_as_owner pg_ctl -D "$what" -m fast -w -t 30 stop >/dev/null || echo "pg_ctl stop failed on $what" >&2; }
                ;;
        esac
    done
    cluster_started=()
}
