/* Count pairs summing to a target by checking every pair of positions. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n;
    long target;
    if (scanf("%d %ld", &n, &target) != 2) return 1;
    long *values = malloc(sizeof(long) * n);
    for (int i = 0; i < n; i++)
        if (scanf("%ld", &values[i]) != 1) return 1;

    /* Count ordered pairs (i, j), i != j; each unordered pair is seen twice. */
    long long ordered_pairs = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j && values[i] + values[j] == target) ordered_pairs++;
    printf("%lld\n", ordered_pairs / 2);
    free(values);
    return 0;
}
