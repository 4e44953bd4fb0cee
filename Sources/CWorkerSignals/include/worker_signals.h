// What Swift cannot do itself in a worker process: a signal handler (a C function that may only
// set a sig_atomic_t), a wait that unblocks signals atomically (`epoll_pwait`, and `ppoll`, which
// is not imported without _GNU_SOURCE) and `prctl` (variadic).
// Compiled once, in this C target, so that the flag the handler sets is the flag every Swift
// file reads. The master needs none of this: it blocks its signals and takes them with
// sigtimedwait.
#ifndef WORKER_SIGNALS_H
#define WORKER_SIGNALS_H

#include <sys/types.h>

/// Prepares a freshly forked worker: SIGTERM, SIGINT and SIGHUP get a handler that only records
/// the signal, and stay blocked except inside `worker_signals_wait_readable`, so that they can
/// never interrupt a read or write in the middle of a request (libfcgi does not retry EINTR).
/// SIGUSR1 is ignored (it is the master's status signal, and libfcgi would otherwise take it as
/// a shutdown request); SIGCHLD and SIGQUIT get their default behaviour back. Returns 0, or -1
/// with errno set.
int worker_signals_install(void);

/// The stop signal received so far, or 0.
int worker_signals_received(void);

/// Waits until `fd` is readable (a connection is waiting on the listening socket) or a stop
/// signal arrives, with the stop signals unblocked only for the wait (epoll_pwait). The socket
/// is watched with EPOLLEXCLUSIVE: a connection wakes one idle worker, not all of them to race
/// for it (ppoll where the kernel lacks it). Returns 1 when readable, 0 when interrupted, -1
/// with errno set on failure.
int worker_signals_wait_readable(int fd);

/// Asks the kernel to send SIGTERM to this process when its parent dies (the worker then
/// finishes its request and exits), and returns -1 if `parent` is already gone.
int worker_signals_die_with_parent(pid_t parent);

/// Whether `fd` is a listening socket (spawn-fcgi and mod_fcgid pass one as fd 0).
int worker_signals_is_listening_socket(int fd);

#endif
