// What Swift cannot do itself: signal handlers (C functions that may only set a sig_atomic_t
// and call async-signal-safe code). Compiled once, in this C target, so that the flag the
// handler sets is the flag every Swift file reads.
#ifndef WORKER_SIGNALS_H
#define WORKER_SIGNALS_H

/// Installs one handler for SIGTERM, SIGINT and SIGHUP, without SA_RESTART, so that a process
/// blocked in accept() or waitpid() returns with EINTR. The handler records the signal and
/// asks libfcgi to stop accepting. Returns 0, or -1 with errno set.
int worker_signals_install(void);

/// The stop signal received so far, or 0.
int worker_signals_received(void);

/// Whether `fd` is a listening socket (spawn-fcgi and mod_fcgid pass one as fd 0).
int worker_signals_is_listening_socket(int fd);

#endif
