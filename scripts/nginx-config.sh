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
