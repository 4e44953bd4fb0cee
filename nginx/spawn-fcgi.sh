#!/bin/sh
# Starts movieclassifier's workers with spawn-fcgi (Debian: spawn-fcgi) on the unix socket that
# movieclassifier.conf passes requests to. spawn-fcgi opens the socket (its owner, group and
# mode set for nginx), drops root, then executes movieclassifier-fcgi in its own place (-n): the
# program finds the listening socket on its standard input and runs WORKERS workers on it, as
# their process manager (SIGHUP reloads, SIGTERM stops after the requests in flight).
#
# Settings, from the environment (defaults in brackets):
#   MOVIECLASSIFIER_HOME  the unpacked release: bin/, model/, www/  [/srv/movieclassifier]
#   MOVIECLASSIFIER_DB    the feedback database; its folder must be writable by RUN_AS
#                         [/var/lib/movieclassifier/feedback.sqlite]
#   SOCKET                [/run/movieclassifier/fcgi.sock]
#   WORKERS               [the number of cores]
#   MOVIECLASSIFIER_OPERATOR_ROUTES  /status, /metrics, /admin/ (nginx/movieclassifier.conf lets
#                         only this machine reach them)  [on]
#   RUN_AS, SOCKET_GROUP  when started as root: the user the workers run as, and the group that
#                         may connect to the socket (nginx's)  [movieclassifier, www-data]
set -eu
home=${MOVIECLASSIFIER_HOME:-/srv/movieclassifier}
socket=${SOCKET:-/run/movieclassifier/fcgi.sock}
export MOVIECLASSIFIER_MODEL="${MOVIECLASSIFIER_MODEL:-$home/model/classifier.mcm}"
export MOVIECLASSIFIER_WWW="${MOVIECLASSIFIER_WWW:-$home/www}"
export MOVIECLASSIFIER_DB="${MOVIECLASSIFIER_DB:-/var/lib/movieclassifier/feedback.sqlite}"
export MOVIECLASSIFIER_OPERATOR_ROUTES="${MOVIECLASSIFIER_OPERATOR_ROUTES:-on}"
[ -n "${WORKERS:-}" ] && export MOVIECLASSIFIER_WORKERS="$WORKERS"
if [ "$(id -u)" -eq 0 ]; then
    set -- -u "${RUN_AS:-movieclassifier}" -U "${RUN_AS:-movieclassifier}" -G "${SOCKET_GROUP:-www-data}"
else
    set --
fi
exec spawn-fcgi -n -s "$socket" -M 0660 "$@" -- "$home/bin/movieclassifier-fcgi"
