# Sourced: `render_nginx_config RUN_FOLDER PORT [POST_RATE [POST_BURST]]` writes
# RUN_FOLDER/nginx.conf from nginx/local.conf.template and makes the folders nginx writes to.
# POSTs are limited per client to POST_RATE (30r/m, as in production) with a burst of
# POST_BURST (20); load tests and benchmarks, whose few clients stand for many visitors, give
# a rate that never binds.
render_nginx_config() {
    local run=$1 port=$2 rate=${3:-30r/m} burst=${4:-20} root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    mkdir -p "$run/logs" "$run/tmp"
    sed -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|g" -e "s|@WWW@|$root/www|g" -e "s|@NGINX@|$root/nginx|g" \
        -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" -e "s|@POST_RATE@|$rate|g" -e "s|@POST_BURST@|$burst|g" \
        "$root/nginx/local.conf.template" > "$run/nginx.conf"
}

# `render_host_nginx_config RUN_FOLDER PORT [POST_RATE [POST_BURST]]`: the same, for a host of a
# local cluster (scripts/cluster.sh) behind a balancer on this machine: nginx takes the client's
# address from the last X-Forwarded-For address the balancer (127.0.0.1) added, so that the
# POST limit and the trust rules see each visitor, not the balancer. A client that reaches
# the host's port directly is seen as itself; what it puts in X-Forwarded-For is believed
# only from 127.0.0.1 (only the last address: the one the balancer saw).
render_host_nginx_config() {
    render_nginx_config "$@"
    local conf=$1/nginx.conf
    sed -i -e 's|^http {$|http {\n    set_real_ip_from 127.0.0.1;\n    real_ip_header X-Forwarded-For;\n    real_ip_recursive off;|' "$conf"
    grep -q '^    real_ip_header X-Forwarded-For;$' "$conf" || { echo "could not add real_ip to $conf" >&2; return 1; }
}

# `render_balancer_nginx_config RUN_FOLDER PORT POST_RATE POST_BURST HOST_PORT...` writes
# RUN_FOLDER/nginx.conf from nginx/cluster.conf.template: nginx on 127.0.0.1:PORT balancing
# the hosts on 127.0.0.1:HOST_PORT... POSTs are limited per client here too, at the edge, so that
# a client's limit does not grow with the number of hosts (each host's own limit stays as a
# bound on what reaches it).
render_balancer_nginx_config() {
    local run=$1 port=$2 rate=$3 burst=$4 root servers= host_port
    shift 4
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    for host_port in "$@"; do servers+="        server 127.0.0.1:$host_port;\\n"; done
    mkdir -p "$run/logs" "$run/tmp"
    sed -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|g" -e "s|^ *@SERVERS@$|${servers%\\n}|" \
        -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" -e "s|@POST_RATE@|$rate|g" -e "s|@POST_BURST@|$burst|g" \
        "$root/nginx/cluster.conf.template" > "$run/nginx.conf"
}
