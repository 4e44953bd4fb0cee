# Sourced: `render_nginx_config RUN_FOLDER PORT` writes RUN_FOLDER/nginx.conf from
# nginx/local.conf.template and makes the folders nginx writes to.
render_nginx_config() {
    local run=$1 port=$2 root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    mkdir -p "$run/logs" "$run/tmp"
    sed -e "s|@RUN@|$run|g" -e "s|@PORT@|$port|g" -e "s|@WWW@|$root/www|g" -e "s|@NGINX@|$root/nginx|g" \
        -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" \
        "$root/nginx/local.conf.template" > "$run/nginx.conf"
}
