#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
extern char **environ;
static void dump(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { printf("denied %s\n", path); return; }
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    for (size_t i = 0; i < n; i++) if (buf[i] == 0) buf[i] = ' ';
    buf[n] = 0;
    printf("read %s: %s\n", path, buf);
}
int main(void) {
    for (char **e = environ; *e; e++) printf("env %s\n", *e);
    char path[64];
    const char *files[] = {"environ", "cmdline", "status"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/proc/%d/%s", (int)getppid(), files[i]); dump(path);
        snprintf(path, sizeof path, "/proc/1/%s", files[i]); dump(path);
    }
    dump("/etc/shadow");
    dump("{{SECRET_FILE}}");
    const char *dirs[] = {"/root", "/work", "/home"};
    for (int i = 0; i < 3; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d) { printf("denied %s\n", dirs[i]); continue; }
        struct dirent *de;
        while ((de = readdir(d))) printf("list %s/%s\n", dirs[i], de->d_name);
        closedir(d);
    }
    puts("done");
    return 0;
}
