#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    int a = kill(getppid(), SIGKILL), b = kill(1, SIGKILL);
    kill(-1, SIGKILL);
    usleep(200000);
    printf("%d %d\nalive\n", a, b);
    return 0;
}
