/* Count pairs summing to a target with a direct-address table indexed by value. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n;
    long target;
    if (scanf("%d %ld", &n, &target) != 2) return 1;
    long *values = malloc(sizeof(long) * n);
    for (int i = 0; i < n; i++)
        if (scanf("%ld", &values[i]) != 1) return 1;

    /* count_of[v] = how many times v appeared so far. Values are non-negative,
       so only v <= target can be part of a pair. */
    long *count_of = calloc(target + 1, sizeof(long));
    long long pairs = 0;
    for (int i = 0; i < n; i++) {
        if (values[i] > target) continue;
        pairs += count_of[target - values[i]];
        count_of[values[i]]++;
    }
    printf("%lld\n", pairs);
    free(count_of);
    free(values);
    return 0;
}
