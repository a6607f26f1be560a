#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(void) {
    int n, v[100];
    if (scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; i++) scanf("%d", &v[i]);
    qsort(v, n, sizeof v[0], cmp);
    for (int i = 0; i < n; i++) printf("%d ", v[i]);
    printf("\n%.6f\n", sqrt(5.0));
    char s[] = "abc-xyz";
    for (char *p = strchr(s, '-') + 1; *p; p++) *p = (char)toupper((unsigned char)*p);
    puts(s);
    return 0;
}
