#include "worker_signals.h"

#include <fcgiapp.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

static volatile sig_atomic_t received_signal = 0;

static void on_stop_signal(int signal_number) {
    received_signal = signal_number;
    FCGX_ShutdownPending();
}

int worker_signals_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    if (sigaction(SIGINT, &action, NULL) != 0) return -1;
    if (sigaction(SIGHUP, &action, NULL) != 0) return -1;
    return 0;
}

int worker_signals_received(void) {
    return received_signal;
}

int worker_signals_is_listening_socket(int fd) {
    int listening = 0;
    socklen_t length = sizeof listening;
    return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 && listening;
}
