#include <stdio.h>
int main(void) {
    const char *paths[] = {"{{ESCAPE}}", "/usr/codepref-escape", "/etc/codepref-escape", "/codepref-escape",
                           "../../../../codepref-escape"};
    for (int i = 0; i < 5; i++) {
        FILE *f = fopen(paths[i], "w");
        if (f && fputs("x", f) >= 0 && fclose(f) == 0) printf("wrote %s\n", paths[i]);
        else printf("denied %s\n", paths[i]);
    }
    FILE *f = fopen("scratch.txt", "w");
    fputs("ok", f);
    fclose(f);
    char buf[8] = {0};
    f = fopen("scratch.txt", "r");
    fgets(buf, sizeof buf, f);
    printf("workdir %s\n", buf);
    return 0;
}
