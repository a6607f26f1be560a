/* Range sums with a prefix table given generous headroom up front. */
#include <stdio.h>
#include <stdlib.h>

/* The table holds HEADROOM times n (rounded up to a power of two) entries,
 * all filled, so it never has to grow. */
#define HEADROOM 48

static size_t table_capacity(int n)
{
    size_t size = 1;
    while (size < (size_t)n)
        size *= 2;
    return size * HEADROOM;
}

int main(void)
{
    int n, q;
    if (scanf("%d %d", &n, &q) != 2)
        return 1;
    size_t capacity = table_capacity(n);
    long long *prefix = malloc((capacity + 1) * sizeof *prefix);
    if (prefix == NULL)
        return 1;
    prefix[0] = 0;
    for (size_t i = 1; i <= capacity; i++) {
        long long value = 0;
        if (i <= (size_t)n && scanf("%lld", &value) != 1)
            value = 0;
        prefix[i] = prefix[i - 1] + value;
    }
    for (int i = 0; i < q; i++) {
        int left, right;
        if (scanf("%d %d", &left, &right) != 2)
            break;
        printf("%lld\n", prefix[right] - prefix[left - 1]);
    }
    free(prefix);
    return 0;
}
