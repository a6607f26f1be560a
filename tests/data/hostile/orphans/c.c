#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
static double cpu(void) { return (double)clock() / CLOCKS_PER_SEC; }
int main(void) {
    int ready[2];
    pipe(ready);
    for (int i = 0; i < 3; i++) {
        if (fork() == 0) { /* holds 100 MB until killed; never waited for */
            volatile char *p = malloc(100 << 20);
            for (long k = 0; k < (100L << 20); k += 4096) p[k] = 1;
            (void)!write(ready[1], "m", 1);
            for (;;) pause();
        }
    }
    char c;
    for (int i = 0; i < 3; i++) (void)!read(ready[0], &c, 1);
    pid_t mid = fork();
    if (mid == 0) {
        if (fork() == 0) { /* orphaned grandchild: its parent exits at once */
            volatile unsigned long x = 0;
            while (cpu() < 1.2) for (int k = 0; k < 1000000; k++) x++;
            (void)!write(ready[1], "c", 1);
            _exit(0);
        }
        _exit(0);
    }
    waitpid(mid, NULL, 0);
    (void)!read(ready[0], &c, 1);
    printf("done %c\n", c);
    return 0; /* exits without waiting for anyone */
}
