/* bench/listen.c: TCP listeners for bench/run.sh (not part of vpn-doctor).
 *
 *   listen ADDR:PORT...
 *
 * Binds and listens (backlog 4096) on every ADDR:PORT, prints "ready" on stdout once all
 * are listening, then accepts and closes connections until killed, so the accept queues
 * never fill during a sweep. Exit 1 if any bind fails. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXL 256

int main(int argc, char **argv)
{
    struct pollfd pfd[MAXL];
    int n = 0;

    for (int i = 1; i < argc && n < MAXL; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", argv[i]);
        char *colon = strrchr(buf, ':');
        if (!colon) {
            fprintf(stderr, "listen: %s: want ADDR:PORT\n", argv[i]);
            return 1;
        }
        *colon = '\0';
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(colon + 1)) };
        if (inet_pton(AF_INET, buf, &sin.sin_addr) != 1) {
            fprintf(stderr, "listen: %s: bad address\n", argv[i]);
            return 1;
        }
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof one);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(fd, 4096) < 0) {
            fprintf(stderr, "listen: %s: ", argv[i]);
            perror("bind/listen");
            return 1;
        }
        pfd[n].fd = fd;
        pfd[n].events = POLLIN;
        n++;
    }
    printf("ready %d\n", n);
    fflush(stdout);
    for (;;) {
        if (poll(pfd, (nfds_t)n, -1) < 0)
            continue;
        for (int i = 0; i < n; i++) {
            if (!(pfd[i].revents & POLLIN))
                continue;
            int c;
            while ((c = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
                close(c);
        }
    }
}
