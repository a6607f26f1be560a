/* Range sums: answer each query in O(1) from a prefix-sum array. */
#include <stdio.h>
#include <stdlib.h>

/* Reads n values and returns p with p[i] = a_1 + ... + a_i. */
static long long *read_prefix_sums(int n)
{
    long long *sums = malloc((size_t)(n + 1) * sizeof *sums);
    if (sums == NULL)
        return NULL;
    sums[0] = 0;
    for (int i = 1; i <= n; i++) {
        long long value;
        if (scanf("%lld", &value) != 1)
            value = 0;
        sums[i] = sums[i - 1] + value;
    }
    return sums;
}

int main(void)
{
    int n, q;
    if (scanf("%d %d", &n, &q) != 2)
        return 1;
    long long *sums = read_prefix_sums(n);
    if (sums == NULL)
        return 1;
    for (int i = 0; i < q; i++) {
        int left, right;
        if (scanf("%d %d", &left, &right) != 2)
            break;
        printf("%lld\n", sums[right] - sums[left - 1]);
    }
    free(sums);
    return 0;
}
