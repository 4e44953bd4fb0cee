/* The load benchmark's ceiling: a trivial libfcgi responder in C (N forked workers on one
 * socket) that reads the request and answers a fixed 1 KB page. Whatever nginx + libfcgi cost,
 * it costs too; movieclassifier's throughput is reported as a share of this one's.
 *
 *   ceiling SOCKET_PATH WORKERS */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: ceiling SOCKET_PATH WORKERS\n"); return 2; }
    FCGX_Init();
    int sock = FCGX_OpenSocket(argv[1], 511);
    int workers = atoi(argv[2]);
    char page[1100];
    memset(page, 'x', sizeof page);
    for (int i = 0; i < workers; i++) {
        if (fork() == 0) {
            FCGX_Request request;
            FCGX_InitRequest(&request, sock, 0);
            char buffer[65536];
            while (FCGX_Accept_r(&request) >= 0) {
                while (FCGX_GetStr(buffer, sizeof buffer, request.in) > 0) {}
                FCGX_PutS("Status: 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1024\r\n\r\n", request.out);
                FCGX_PutStr(page, 1024, request.out);
                FCGX_Finish_r(&request);
            }
            return 0;
        }
    }
    while (wait(NULL) > 0) {}
    return 0;
}
