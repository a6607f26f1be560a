#include <stdio.h>
#include <stdlib.h>
int main(void)
{
    int a = 0, b = 0, i = 0, j = 0, l = 0, r = 0;
    long long *P = 0;
    long long v = 0, t = 0, x1 = 0, x2 = 0;
    if (scanf("%d %d", &a, &b) != 2) {
        return 1;
    }
    P = malloc(sizeof(long long) * (size_t)(a + 1));
    if (P == 0) {
        return 1;
    }
    P[0] = 0;
    /* printf("%d %d\n", a, b); */
    for (i = 1; i <= a; i++) {
        if (scanf("%lld", &v) == 1) {
            if (v >= 0) {
                P[i] = P[i - 1] + v;
            } else {
                if (v < 0) {
                    x1 = P[i - 1];
                    P[i] = x1 + v;
                }
            }
        } else {
            P[i] = P[i - 1];
        }
    }
    /* for (i = 0; i <= a; i++) printf("%lld ", P[i]); */
    for (j = 0; j < b; j++) {
        if (scanf("%d %d", &l, &r) == 2) {
            if (l > 0) {
                if (r >= l) {
                    if (r <= a) {
                        if (l == r) {
                            t = P[r] - P[l - 1];
                            printf("%lld\n", t);
                        } else {
                            if (l < r) {
                                x1 = P[r];
                                x2 = P[l - 1];
                                t = x1 - x2;
                                printf("%lld\n", t);
                            } else {
                                printf("0\n");
                            }
                        }
                    } else {
                        printf("0\n");
                    }
                } else {
                    printf("0\n");
                }
            } else {
                printf("0\n");
            }
        }
    }
    /* printf("done %d\n", j); */
    /* fflush(stdout); */
    free(P);
    return 0;
}
