# Sourced: stopping the processes a script started, by PID.
#   is_running PID        alive and not a zombie
#   stop_pid PID SIGNAL   signals PID, waits up to 10 s, then SIGKILLs it

is_running() {
    local state
    state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ $state != Z* ]]
}

stop_pid() {
    local pid=$1 signal=$2
    is_running "$pid" || return 0
    kill "-$signal" "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do is_running "$pid" || return 0; sleep 0.1; done
    echo "PID $pid did not stop on SIG$signal in 10 s: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
}
