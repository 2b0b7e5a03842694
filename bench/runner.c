/* bench/runner.c: one timed run for bench/run.sh (not part of vpn-doctor).
 *
 *   runner RESULT_FILE CAP_SECS CMD [ARG...]
 *
 * Runs CMD (stdin, stdout and stderr inherited) and writes "rc usecs maxrss_kb cpu_usecs"
 * to RESULT_FILE: wall time from fork to reaping, CLOCK_MONOTONIC; peak RSS from wait4(),
 * the same number GNU time's %M prints; user + system CPU time of CMD and its reaped
 * children. After CAP_SECS the command's process group gets SIGINT,
 * 5 s later SIGKILL, and rc is 124 (as timeout(1)). Doing this in one small process keeps
 * the harness out of the measurement: timeout(1) plus /usr/bin/time cost several ms per
 * run here, a tenth of a fast sweep. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: runner RESULT_FILE CAP_SECS CMD [ARG...]\n");
        return 2;
    }
    unsigned cap = (unsigned)atoi(argv[2]);
    struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART: wait4 sees EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);

    long long t0 = now_us();
    pid_t pid = fork();
    if (pid < 0) {
        perror("runner: fork");
        return 2;
    }
    if (pid == 0) {
        setpgid(0, 0);
        execvp(argv[3], argv + 3);
        perror(argv[3]);
        _exit(127);
    }
    setpgid(pid, pid);
    alarm(cap ? cap : 1);

    int st = 0, timed_out = 0;
    struct rusage ru = { 0 };
    for (;;) {
        if (wait4(pid, &st, 0, &ru) == pid)
            break;
        if (errno != EINTR) {
            perror("runner: wait4");
            return 2;
        }
        if (alarms == 1 && !timed_out) {
            timed_out = 1;
            kill(-pid, SIGINT);
            alarm(5);
        } else if (alarms >= 2) {
            kill(-pid, SIGKILL);
        }
    }
    long long t1 = now_us();
    alarm(0);

    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (timed_out)
        rc = 124;
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    long long cpu = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
                    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
    fprintf(f, "%d %lld %ld %lld\n", rc, t1 - t0, ru.ru_maxrss, cpu);
    fclose(f);
    return 0;
}
