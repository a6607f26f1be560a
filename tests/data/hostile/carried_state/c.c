#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>
static void plant(const char *base) {
    char dir[512], file[600];
    snprintf(dir, sizeof dir, "%s/locked", base);
    mkdir(dir, 0755);
    snprintf(file, sizeof file, "%s/planted-marker", dir);
    FILE *f = fopen(file, "w");
    if (f) { fputs("x", f); fclose(f); }
    snprintf(file, sizeof file, "%s/planted-marker", base);
    f = fopen(file, "w");
    if (f) { fputs("x", f); fclose(f); }
    chmod(dir, 0555);
}
int main(void) {
    const char *home = getenv("HOME");
    plant("."); plant("/tmp"); plant("/dev/shm");
    if (home) plant(home);
    int fd = shm_open("/planted-marker", O_CREAT | O_RDWR, 0666);
    if (fd >= 0) close(fd);
    shmget(0x5EED, 4096, IPC_CREAT | 0666);
    chmod(".", 0555);
    puts("planted");
    return 0;
}
