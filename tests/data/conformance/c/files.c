#include <stdio.h>
#include <string.h>
int main(void) {
    FILE *f = fopen("data.txt", "w");
    fputs("first line\nsecond line\nthird line\n", f);
    fclose(f);
    f = fopen("data.txt", "r");
    char buf[64], second[64] = "";
    int n = 0;
    while (fgets(buf, sizeof buf, f)) { if (++n == 2) strcpy(second, buf); }
    fclose(f);
    printf("lines %d\n%s", n, second);
    printf("removed %d\n", remove("data.txt") == 0);
    return 0;
}
