#define _GNU_SOURCE
#include "worker_signals.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t received_signal = 0;
static sigset_t wait_mask;

static void on_stop_signal(int signal_number) {
    received_signal = signal_number;
}

int worker_signals_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    if (sigaction(SIGINT, &action, NULL) != 0) return -1;
    if (sigaction(SIGHUP, &action, NULL) != 0) return -1;
    action.sa_handler = SIG_IGN;
    if (sigaction(SIGUSR1, &action, NULL) != 0) return -1;

    sigset_t stop, others;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    sigemptyset(&others);
    sigaddset(&others, SIGCHLD);
    sigaddset(&others, SIGQUIT);
    sigaddset(&others, SIGUSR1);
    if (sigprocmask(SIG_BLOCK, &stop, NULL) != 0) return -1;
    if (sigprocmask(SIG_UNBLOCK, &others, &wait_mask) != 0) return -1;
    if (sigprocmask(SIG_SETMASK, NULL, &wait_mask) != 0) return -1;
    sigdelset(&wait_mask, SIGTERM);
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGHUP);
    return 0;
}

int worker_signals_received(void) {
    return received_signal;
}

/* This process's epoll instance watching the listening socket, created at the first wait
 * (after the fork: an epoll instance is shared with the processes forked after it). */
static int epoll_fd = -1;
static int epoll_watched_fd = -1;

/* Watches `fd` with EPOLLEXCLUSIVE, so that a connection wakes one waiting worker rather than
 * every idle one. Returns -1 where the kernel refuses (EPOLLEXCLUSIVE needs Linux 4.5). */
static int watch_exclusively(int fd) {
    if (epoll_watched_fd == fd) return 0;
    if (epoll_fd < 0) {
        epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        if (epoll_fd < 0) return -1;
    } else if (epoll_watched_fd >= 0) {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, epoll_watched_fd, NULL);
        epoll_watched_fd = -1;
    }
    struct epoll_event event = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.fd = fd };
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) return -1;
    epoll_watched_fd = fd;
    return 0;
}

int worker_signals_wait_readable(int fd) {
    int ready;
    if (watch_exclusively(fd) == 0) {
        struct epoll_event event;
        ready = epoll_pwait(epoll_fd, &event, 1, -1, &wait_mask);
    } else {
        struct pollfd poll_fd = { .fd = fd, .events = POLLIN, .revents = 0 };
        ready = ppoll(&poll_fd, 1, NULL, &wait_mask);
    }
    if (ready > 0) return 1;
    if (ready < 0 && errno == EINTR) return 0;
    return -1;
}

int worker_signals_die_with_parent(pid_t parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) return -1;
    return getppid() == parent ? 0 : -1;
}

int worker_signals_is_listening_socket(int fd) {
    int listening = 0;
    socklen_t length = sizeof listening;
    return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 && listening;
}
