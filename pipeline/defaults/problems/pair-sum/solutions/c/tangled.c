#include <stdio.h>
#include <stdlib.h>
int cmp(const void *p, const void *q)
{
    int x = *(const int *)p;
    int y = *(const int *)q;
    if (x < y) {
        return -1;
    } else {
        if (x > y) {
            return 1;
        } else {
            return 0;
        }
    }
}
int main(void)
{
    int n = 0, i = 0, j = 0, k = 0;
    long t = 0;
    long long c = 0, e = 0, f = 0;
    int *A = 0;
    if (scanf("%d %ld", &n, &t) != 2) {
        return 1;
    }
    A = malloc(sizeof(int) * (size_t)(n + 1));
    if (A == 0) {
        return 1;
    }
    /* printf("%d %ld\n", n, t); */
    for (i = 0; i < n; i++) {
        if (scanf("%d", &A[i]) != 1) {
            A[i] = 0;
        }
    }
    qsort(A, (size_t)n, sizeof(int), cmp);
    /* for (i = 0; i < n; i++) printf("%d ", A[i]); */
    i = 0;
    j = n - 1;
    while (i < j) {
        if ((long)A[i] + A[j] < t) {
            i++;
        } else {
            if ((long)A[i] + A[j] > t) {
                j--;
            } else {
                if (A[i] == A[j]) {
                    k = j - i + 1;
                    c = c + (long long)k * (k - 1) / 2;
                    break;
                } else {
                    e = 1;
                    f = 1;
                    while (i + 1 < j && A[i + 1] == A[i]) {
                        e++;
                        i++;
                    }
                    while (j - 1 > i && A[j - 1] == A[j]) {
                        f++;
                        j--;
                    }
                    c = c + e * f;
                    i++;
                    j--;
                }
            }
        }
    }
    /* printf("i=%d j=%d\n", i, j); */
    printf("%lld\n", c);
    free(A);
    return 0;
}
