/* The web benchmark's ceiling: a trivial FastCGI responder on libfcgi's reentrant API. N forked
 * workers accept on one unix socket; each reads the request body to the end and answers a fixed
 * ~1 KB HTML page, and closes the connection at once as movieclassifier-fcgi does (libfcgi's
 * default close waits for nginx to close first, which costs this responder about 30% of its
 * requests/s). Whatever nginx + the FastCGI hop (connect, accept, close per request) cost, it
 * costs too, so scripts/benchmark-web.sh reports movieclassifier's throughput as a share of this.
 *
 * With a DATABASE, a POST to /thanks is also a durable insert, the least a feedback can cost:
 * one prepared INSERT of the body into an SQLite table per request, in WAL mode with
 * synchronous=FULL (a sync of the log at every commit, the write lock held through it).
 * movieclassifier syncs the log too before it answers, but after letting the lock go.
 *
 *   ceiling SOCKET_PATH WORKERS [DATABASE]
 *
 * SIGTERM or SIGINT to the parent stops the workers and removes the socket. Built by
 * scripts/benchmark-web.sh:  gcc -O2 -o ceiling bench/ceiling.c -lfcgi -lsqlite3
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcgiapp.h>
#include <libgen.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char page[] =
    "<!doctype html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Movie review sentiment</title>\n"
    "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
    "</head>\n"
    "<body>\n"
    "<main>\n"
    "<section class=\"card\">\n"
    "  <h1>Prediction</h1>\n"
    "  <p class=\"verdict positive\"><span class=\"label\">positive</span> with a probability of "
    "<strong>93.12%</strong></p>\n"
    "  <p>This page is the benchmark's ceiling: a C FastCGI responder that does no work beyond\n"
    "  reading the request and writing these bytes. Whatever it achieves behind nginx is the most\n"
    "  any responder can achieve on this machine through the same FastCGI hop: one connection,\n"
    "  one accept and one close per request, over a unix socket shared by forked workers.</p>\n"
    "  <form method=\"post\" action=\"/thanks\" class=\"feedback\">\n"
    "    <input type=\"hidden\" name=\"prediction\" value=\"1\">\n"
    "    <button type=\"submit\" name=\"feedback_button\" value=\"Correct\">Correct</button>\n"
    "    <button type=\"submit\" name=\"feedback_button\" value=\"Incorrect\">Incorrect</button>\n"
    "  </form>\n"
    "  <p><a href=\"/\">Submit another review</a></p>\n"
    "</section>\n"
    "</main>\n"
    "</body>\n"
    "</html>\n";

static pid_t *children;
static int worker_count;

/* The parent's SIGTERM/SIGINT: pass it on to the workers (kill is async-signal-safe). */
static void on_stop(int signal) {
    (void)signal;
    for (int i = 0; i < worker_count; i++) {
        if (children[i] > 0) kill(children[i], SIGTERM);
    }
}

/* The worker's connection and its prepared INSERT, when there is a database. */
static sqlite3 *database;
static sqlite3_stmt *insert;

static int open_database(const char *path) {
    if (sqlite3_open(path, &database) != SQLITE_OK) {
        fprintf(stderr, "ceiling: %s: %s\n", path, sqlite3_errmsg(database));
        return 1;
    }
    sqlite3_busy_timeout(database, 5000);
    if (sqlite3_exec(database,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                     "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, body TEXT, date TEXT)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(database, "INSERT INTO feedback (body, date) VALUES (?, DATETIME('now'))", -1,
                           &insert, NULL) != SQLITE_OK) {
        fprintf(stderr, "ceiling: %s: %s\n", path, sqlite3_errmsg(database));
        return 1;
    }
    return 0;
}

/* One durable row; 0 when it is committed. */
static int store(const char *body, int length) {
    sqlite3_bind_text(insert, 1, body, length, SQLITE_STATIC);
    int status = sqlite3_step(insert);
    sqlite3_reset(insert);
    return status == SQLITE_DONE ? 0 : 1;
}

static int serve(int sock, const char *database_path) {
    FCGX_Request *request = malloc(sizeof *request); /* a stable address for libfcgi's streams */
    if (request == NULL || FCGX_InitRequest(request, sock, 0) != 0) {
        fprintf(stderr, "ceiling: cannot initialise a request\n");
        return 1;
    }
    if (database_path != NULL && open_database(database_path) != 0) return 1;
    char header[160];
    int header_length = snprintf(header, sizeof header,
                                 "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                 "Content-Length: %zu\r\n\r\n",
                                 sizeof page - 1);
    static char body[65536];
    static const char failed[] = "Status: 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
    while (FCGX_Accept_r(request) >= 0) {
        int length = 0, read;
        while ((read = FCGX_GetStr(body + length, (int)sizeof body - length, request->in)) > 0) {
            if (length + read < (int)sizeof body) length += read;
        }
        const char *uri = FCGX_GetParam("DOCUMENT_URI", request->envp);
        if (database != NULL && uri != NULL && strcmp(uri, "/thanks") == 0 && store(body, length) != 0) {
            FCGX_PutStr(failed, (int)(sizeof failed - 1), request->out);
            FCGX_Detach(request);
            FCGX_Finish_r(request);
            continue;
        }
        FCGX_PutStr(header, header_length, request->out);
        FCGX_PutStr(page, (int)(sizeof page - 1), request->out);
        /* The request is read to its end, so the close need not linger (movieclassifier-fcgi
         * does the same): without this, libfcgi waits for nginx to close first. */
        FCGX_Detach(request);
        FCGX_Finish_r(request);
    }
    return 0;
}

int main(int argc, char **argv) {
    if ((argc != 3 && argc != 4) || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: ceiling SOCKET_PATH WORKERS [DATABASE]\n");
        return 2;
    }
    const char *path = argv[1];
    int workers = atoi(argv[2]);
    const char *database_path = argc == 4 ? argv[3] : NULL;
    /* The table and WAL mode once, before the workers open their connections. */
    if (database_path != NULL) {
        if (open_database(database_path) != 0) return 1;
        sqlite3_finalize(insert);
        sqlite3_close(database);
        database = NULL;
        insert = NULL;
    }

    /* FCGX_OpenSocket reads "host:port" as TCP and exits the process on some failures: check
     * the path first. */
    struct sockaddr_un address;
    if (strlen(path) >= sizeof address.sun_path || strchr(path, ':') != NULL) {
        fprintf(stderr, "ceiling: %s: a socket path has under %zu bytes and no ':'\n", path,
                sizeof address.sun_path);
        return 2;
    }
    char *copy = strdup(path);
    if (copy == NULL || access(dirname(copy), W_OK) != 0) {
        fprintf(stderr, "ceiling: %s: the folder is not writable\n", path);
        return 1;
    }
    free(copy);
    struct stat info;
    if (lstat(path, &info) == 0) {
        if (!S_ISSOCK(info.st_mode)) {
            fprintf(stderr, "ceiling: %s exists and is not a socket\n", path);
            return 1;
        }
        unlink(path); /* a stale socket of an earlier responder */
    }

    if (FCGX_Init() != 0) {
        fprintf(stderr, "ceiling: FCGX_Init failed\n");
        return 1;
    }
    int sock = FCGX_OpenSocket(path, 1024);
    if (sock < 0) {
        fprintf(stderr, "ceiling: cannot listen on %s\n", path);
        return 1;
    }

    children = calloc((size_t)workers, sizeof *children);
    if (children == NULL) return 1;
    /* Signals stay blocked until every worker is forked and recorded. */
    sigset_t stop_signals, previous;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigprocmask(SIG_BLOCK, &stop_signals, &previous);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    pid_t parent = getpid();
    for (int i = 0; i < workers; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("ceiling: fork");
            break;
        }
        if (pid == 0) {
            signal(SIGTERM, SIG_DFL);
            signal(SIGINT, SIG_DFL);
            sigprocmask(SIG_SETMASK, &previous, NULL);
            prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the parent */
            if (getppid() != parent) _exit(0);
            _exit(serve(sock, database_path));
        }
        children[worker_count++] = pid;
    }
    sigprocmask(SIG_SETMASK, &previous, NULL);

    /* Until the last worker is gone (a stop signal makes them go). */
    while (wait(NULL) > 0 || errno == EINTR) {
    }
    unlink(path);
    return 0;
}
