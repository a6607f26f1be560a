/* Count pairs summing to a target: sort once, then binary-search each complement. */
#include <stdio.h>
#include <stdlib.h>

static int compare_ints(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* First index in [lo, hi) whose value is >= key (or > key when strict). */
static int bound(const int *values, int lo, int hi, long key, int strict) {
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (values[mid] < key || (strict && values[mid] == key)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

int main(void) {
    int n;
    long target;
    if (scanf("%d %ld", &n, &target) != 2) return 1;
    int *values = malloc(sizeof(int) * n);
    for (int i = 0; i < n; i++)
        if (scanf("%d", &values[i]) != 1) return 1;
    qsort(values, n, sizeof(int), compare_ints);

    /* Pair each position with the equal-to-complement values to its right. */
    long long pairs = 0;
    for (int i = 0; i < n; i++) {
        long complement = target - values[i];
        pairs += bound(values, i + 1, n, complement, 1) - bound(values, i + 1, n, complement, 0);
    }
    printf("%lld\n", pairs);
    free(values);
    return 0;
}
