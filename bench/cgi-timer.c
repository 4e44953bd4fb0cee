/* Times a CGI program's whole life, as a web server sees it: posix_spawn with the given
 * environment, the request body on standard input (a file), standard output to a file, wait.
 * Runs each program ITERATIONS times, alternating between them so that both see the same
 * machine, after WARMUP untimed runs each; prints one line per program:
 *   NAME median_ms p90_ms min_ms
 * Exits 1 when a run does not exit 0 or its output does not start with "Status: 200".
 *
 *   cgi-timer ITERATIONS WARMUP BODY_FILE ENV_FILE NAME=PROGRAM [NAME=PROGRAM ...]
 * ENV_FILE: NAME=value lines, the whole environment of every run. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static char **read_environment(const char *path) {
    FILE *file = fopen(path, "r");
    if (!file) { perror(path); exit(2); }
    char **env = calloc(256, sizeof *env);
    char line[4096];
    int count = 0;
    while (count < 255 && fgets(line, sizeof line, file)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0]) env[count++] = strdup(line);
    }
    fclose(file);
    return env;
}

/* One run: returns its duration in ms, or -1 when it failed. */
static double run(const char *program, char **env, const char *body, const char *output) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, body, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char *argv[] = {(char *)program, NULL};
    double start = now_ms();
    pid_t pid;
    int status = 0;
    if (posix_spawn(&pid, program, &actions, NULL, argv, env) != 0) return -1;
    waitpid(pid, &status, 0);
    double elapsed = now_ms() - start;
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    char head[16] = {0};
    FILE *file = fopen(output, "r");
    if (!file) return -1;
    size_t got = fread(head, 1, 11, file);
    fclose(file);
    return got == 11 && memcmp(head, "Status: 200", 11) == 0 ? elapsed : -1;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: cgi-timer ITERATIONS WARMUP BODY_FILE ENV_FILE NAME=PROGRAM...\n");
        return 2;
    }
    int iterations = atoi(argv[1]), warmup = atoi(argv[2]), programs = argc - 5;
    const char *body = argv[3];
    char **env = read_environment(argv[4]);
    char output[] = "/tmp/cgi-timer-XXXXXX";
    int fd = mkstemp(output);
    if (fd < 0) { perror("mkstemp"); return 2; }
    close(fd);
    double *times = calloc((size_t)iterations * programs, sizeof *times);
    for (int i = -warmup; i < iterations; i++) {
        for (int p = 0; p < programs; p++) {
            const char *program = strchr(argv[5 + p], '=') + 1;
            double elapsed = run(program, env, body, output);
            if (elapsed < 0) {
                fprintf(stderr, "cgi-timer: %s failed (exit status or answer), see its output in %s\n", program, output);
                return 1;
            }
            if (i >= 0) times[p * iterations + i] = elapsed;
        }
    }
    unlink(output);
    for (int p = 0; p < programs; p++) {
        double *sample = times + p * iterations;
        qsort(sample, iterations, sizeof *sample, compare);
        int name_length = (int)(strchr(argv[5 + p], '=') - argv[5 + p]);
        printf("%.*s %.3f %.3f %.3f\n", name_length, argv[5 + p], sample[iterations / 2], sample[iterations * 9 / 10], sample[0]);
    }
    return 0;
}
