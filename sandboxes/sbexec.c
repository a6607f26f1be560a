/* sbexec: the in-sandbox supervisor of one program run.
 *
 * It runs inside the namespaces (as root without capabilities other than
 * SETUID/SETGID/KILL), forks the program into its own process group, sets the
 * rlimits, drops to an unprivileged uid and execs. It then wait4()s the program
 * so the CPU time and peak RSS reported are the program's own, not polluted by
 * bwrap or this supervisor, and writes one result line to RESULT_FD:
 *
 *   exited=<0|1> code=<n> signal=<n> utime_us=<n> stime_us=<n> maxrss_kb=<n> wall_us=<n> timeout=<0|1> exec_errno=<n>
 *
 * The program cannot signal the supervisor (different uid, no capabilities), nor
 * read its /proc/<pid>/fd (the supervisor is non-dumpable), so it cannot reach the
 * result pipe or the exec error pipe even where it runs as the same uid (docker).
 *
 * Every descendant is charged: the supervisor is a child subreaper, so orphans
 * (double forks, daemons) are re-parented to it rather than to the namespace's
 * init; when the program exits, everything left is killed (kill(-1): the
 * supervisor runs in the program's pid namespace, or as its only other process
 * of that uid) and reaped, and the reported CPU time and peak RSS come from
 * getrusage(RUSAGE_CHILDREN): the whole tree, waited for or not.
 *
 * A second mode runs outside the sandbox, before bwrap: it moves itself into the
 * given cgroups (possibly none), starts a new session, and execs the rest, so every
 * sandboxed process is accounted there and the host can kill the launch by group:
 *
 *   sbexec --enter-cgroups PROCS_FILE... -- COMMAND ARGS...
 *
 * usage: sbexec RESULT_FD UID GID CPU_S WALL_MS MEMKIND(as|data|none) MEM_BYTES
 *               FSIZE_BYTES NOFILE NPROC STACK_BYTES -- PROGRAM ARGS...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out = 0;
static pid_t child = -1;

static void on_alarm(int sig) {
    (void)sig;
    timed_out = 1;
    if (child > 0) kill(-child, SIGKILL);
    kill(-1, SIGKILL); /* also what left the program's process group */
}

/* Kill and reap every remaining descendant (re-parented to us as subreaper). */
static void reap_all(void) {
    for (;;) {
        kill(-1, SIGKILL);
        pid_t p = waitpid(-1, NULL, 0);
        if (p < 0 && errno == EINTR) continue;
        if (p < 0) break; /* ECHILD: nothing left */
    }
}

static void set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit rl = {soft, hard};
    setrlimit(resource, &rl);
}

static long long arg_ll(const char *s) { return strtoll(s, NULL, 10); }

static long long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int enter_cgroups(int argc, char **argv) {
    int i = 2;
    setsid(); /* own session and process group: the host kills the whole launch by group */
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        int fd = open(argv[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, pid, (size_t)n) != n) {
            fprintf(stderr, "sbexec: cannot enter cgroup %s: %s\n", argv[i], strerror(errno));
            return 125;
        }
        close(fd);
    }
    if (i + 1 >= argc) return 125;
    execvp(argv[i + 1], argv + i + 1);
    fprintf(stderr, "sbexec: exec %s: %s\n", argv[i + 1], strerror(errno));
    return 125;
}

/* Fork server: joins the cgroups once, then launches one command per request, so a
 * run pays neither a cgroup migration (slow on cgroup v1: an RCU grace period)
 * nor a fork of the big host process. Request (SOCK_SEQPACKET message):
 *   "cwd\0argc\0arg...\0envc\0env...\0" with SCM_RIGHTS fds: stdin, stdout, stderr, result
 * The child gets them as fds 0, 1, 2 and RESULT_FD (argv must name RESULT_FD), starts a
 * new session and execs; the reply is the child's pid as text. Children are auto-reaped. */
#include <sys/socket.h>
#define SERVER_RESULT_FD 3
#define MAX_MSG (256 * 1024)
#define MAX_ARGS 4096

static char msgbuf[MAX_MSG];

static int spawn_server(int argc, char **argv) {
    int sock = (int)strtol(argv[2], NULL, 10);
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    for (int i = 3; i < argc; i++) {
        int fd = open(argv[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, pid, (size_t)n) != n) {
            fprintf(stderr, "sbexec: cannot enter cgroup %s: %s\n", argv[i], strerror(errno));
            return 125;
        }
        close(fd);
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    { /* a sandbox's memory cgroup OOM kill must take the program (which raises its own score), never us */
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (fd >= 0) { (void)!write(fd, "-1000", 5); close(fd); }
    }
    /* Never let the socket leak into a sandbox: it would let a program spawn outside it. */
    fcntl(sock, F_SETFD, FD_CLOEXEC);
    signal(SIGCHLD, SIG_IGN);
    static char *args[MAX_ARGS], *envs[MAX_ARGS];
    for (;;) {
        char cbuf[CMSG_SPACE(4 * sizeof(int))];
        struct iovec iov = {msgbuf, sizeof msgbuf - 1};
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf;
        msg.msg_controllen = sizeof cbuf;
        ssize_t got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (got <= 0) return 0; /* the host went away */
        msgbuf[got] = 0;
        int fds[4] = {-1, -1, -1, -1}, nfds = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                if (nfds > 4) nfds = 4;
                memcpy(fds, CMSG_DATA(c), (size_t)nfds * sizeof(int));
            }
        }
        /* parse: cwd, argc, args, envc, envs */
        char *p = msgbuf, *end = msgbuf + got;
        char *cwd = p; p += strlen(p) + 1;
        int na = p < end ? atoi(p) : 0; p += strlen(p) + 1;
        int ok = nfds == 4 && na > 0 && na < MAX_ARGS;
        for (int i = 0; ok && i < na; i++) { if (p >= end) { ok = 0; break; } args[i] = p; p += strlen(p) + 1; }
        args[ok ? na : 0] = NULL;
        int ne = (ok && p < end) ? atoi(p) : 0;
        if (ok) p += strlen(p) + 1;
        ok = ok && ne >= 0 && ne < MAX_ARGS;
        for (int i = 0; ok && i < ne; i++) { if (p >= end) { ok = 0; break; } envs[i] = p; p += strlen(p) + 1; }
        envs[ok ? ne : 0] = NULL;
        pid_t child = -1;
        if (ok) child = fork();
        if (child == 0) {
            setsid();
            signal(SIGCHLD, SIG_DFL);
            dup2(fds[0], 0);
            dup2(fds[1], 1);
            dup2(fds[2], 2);
            dup2(fds[3], SERVER_RESULT_FD); /* dup2 clears close-on-exec */
            if (chdir(cwd) != 0) _exit(124);
            extern char **environ;
            environ = envs;
            execvp(args[0], args);
            fprintf(stderr, "sbexec: exec %s: %s\n", args[0], strerror(errno));
            _exit(125);
        }
        for (int i = 0; i < nfds; i++) close(fds[i]);
        char reply[32];
        int m = snprintf(reply, sizeof reply, "%d", (int)child);
        if (send(sock, reply, (size_t)m, 0) < 0) return 0;
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--enter-cgroups") == 0) return enter_cgroups(argc, argv);
    if (argc > 2 && strcmp(argv[1], "--spawn-server") == 0) return spawn_server(argc, argv);
    if (argc < 14 || strcmp(argv[12], "--") != 0) {
        fprintf(stderr, "sbexec: bad usage\n");
        return 126;
    }
    int result_fd = (int)arg_ll(argv[1]);
    long long uid = arg_ll(argv[2]), gid = arg_ll(argv[3]);
    long long cpu_s = arg_ll(argv[4]), wall_ms = arg_ll(argv[5]);
    const char *memkind = argv[6];
    long long mem = arg_ll(argv[7]), fsize = arg_ll(argv[8]);
    long long nofile = arg_ll(argv[9]), nproc = arg_ll(argv[10]), stack = arg_ll(argv[11]);
    char **prog = argv + 13;

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Non-dumpable: /proc/<us>/fd, mem, environ are closed to the program even at the same uid. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) != 0) return 126;

    long long start = now_us();
    child = fork();
    if (child < 0) return 126;
    if (child == 0) {
        close(errpipe[0]);
        setpgid(0, 0);
        umask(022);
        { /* the program, not its supervisor, is what a memory cgroup's OOM killer should pick */
            int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
            if (fd >= 0) { (void)!write(fd, "1000", 4); close(fd); }
        }
        if (cpu_s > 0) set_limit(RLIMIT_CPU, (rlim_t)cpu_s, (rlim_t)cpu_s + 1);
        if (mem > 0 && strcmp(memkind, "as") == 0) set_limit(RLIMIT_AS, (rlim_t)mem, (rlim_t)mem);
        if (mem > 0 && strcmp(memkind, "data") == 0) set_limit(RLIMIT_DATA, (rlim_t)mem, (rlim_t)mem);
        if (fsize > 0) set_limit(RLIMIT_FSIZE, (rlim_t)fsize, (rlim_t)fsize);
        if (nofile > 0) set_limit(RLIMIT_NOFILE, (rlim_t)nofile, (rlim_t)nofile);
        if (stack > 0) set_limit(RLIMIT_STACK, (rlim_t)stack, (rlim_t)stack);
        set_limit(RLIMIT_CORE, 0, 0);
        if (uid >= 0) {
            if (setgroups(0, NULL) != 0 || setgid((gid_t)gid) != 0 || setuid((uid_t)uid) != 0) {
                int e = errno;
                (void)!write(errpipe[1], &e, sizeof e);
                _exit(126);
            }
        }
        /* Per-uid: only meaningful once we run as the unprivileged uid. */
        if (nproc > 0) set_limit(RLIMIT_NPROC, (rlim_t)nproc, (rlim_t)nproc);
        if (result_fd > 2) close(result_fd);
        execvp(prog[0], prog);
        int e = errno;
        (void)!write(errpipe[1], &e, sizeof e);
        _exit(127);
    }
    close(errpipe[1]);
    /* Also set the group from here, so kill(-child) works even before the child runs. */
    setpgid(child, child);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    if (wall_ms > 0) {
        struct itimerval it;
        memset(&it, 0, sizeof it);
        it.it_value.tv_sec = wall_ms / 1000;
        it.it_value.tv_usec = (wall_ms % 1000) * 1000;
        setitimer(ITIMER_REAL, &it, NULL);
    }

    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t got;
    do {
        got = wait4(child, &status, 0, &ru);
    } while (got < 0 && errno == EINTR);
    long long wall = now_us() - start;
    /* Kill whatever the program left behind, in its process group or not, and reap it, so
     * orphans' CPU time and memory enter RUSAGE_CHILDREN. */
    kill(-child, SIGKILL);
    reap_all();
    memset(&ru, 0, sizeof ru);
    getrusage(RUSAGE_CHILDREN, &ru);

    int exec_errno = 0;
    if (read(errpipe[0], &exec_errno, sizeof exec_errno) != (ssize_t)sizeof exec_errno) exec_errno = 0;

    char line[512];
    int n = snprintf(line, sizeof line,
                     "exited=%d code=%d signal=%d utime_us=%lld stime_us=%lld maxrss_kb=%ld wall_us=%lld timeout=%d exec_errno=%d\n",
                     WIFEXITED(status) ? 1 : 0, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                     WIFSIGNALED(status) ? WTERMSIG(status) : 0,
                     (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
                     (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec,
                     ru.ru_maxrss, wall, timed_out ? 1 : 0, exec_errno);
    (void)!write(result_fd, line, (size_t)n);
    return 0;
}
