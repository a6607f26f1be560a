#include <stdio.h>
#include <unistd.h>
static void rd(const char *p) {
    char buf[4096] = {0};
    FILE *f = fopen(p, "r");
    if (!f) { printf("denied read %s\n", p); return; }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    printf("read %s: %s\n", p, buf);
}
int main(void) {
    symlink("/etc/shadow", "shadow");
    symlink("{{SECRET_FILE}}", "secret");
    symlink("{{ESCAPE}}", "escape");
    symlink("/", "root");
    symlink("/proc/1/root", "pid1root");
    rd("shadow"); rd("secret"); rd("root/etc/shadow"); rd("pid1root/etc/shadow");
    FILE *f = fopen("escape", "w");
    if (f) { fputs("x", f); fclose(f); }
    f = fopen("pid1root{{ESCAPE}}", "w");
    if (f) { fputs("x", f); fclose(f); }
    puts("done");
    return 0;
}
