#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    int ok = 0;
    for (int i = 0; i < 10; i++) {
        pid_t p = fork();
        if (p == 0) { usleep(300000); _exit(0); }
        if (p > 0) ok++;
        else perror("fork");
    }
    while (wait(NULL) > 0) {}
    printf("forked %d\n", ok);
    return 0;
}
