/* Range sums, naive: each query re-adds the array from the start. */
#include <stdio.h>
#include <stdlib.h>

/* Sum of the first count values. */
static long long sum_first(const long long *values, int count)
{
    long long total = 0;
    for (int i = 0; i < count; i++)
        total += values[i];
    return total;
}

int main(void)
{
    int n, q;
    if (scanf("%d %d", &n, &q) != 2)
        return 1;
    long long *values = malloc((size_t)n * sizeof *values);
    if (values == NULL)
        return 1;
    for (int i = 0; i < n; i++)
        if (scanf("%lld", &values[i]) != 1)
            values[i] = 0;
    for (int i = 0; i < q; i++) {
        int left, right;
        if (scanf("%d %d", &left, &right) != 2)
            break;
        printf("%lld\n", sum_first(values, right) - sum_first(values, left - 1));
    }
    free(values);
    return 0;
}
