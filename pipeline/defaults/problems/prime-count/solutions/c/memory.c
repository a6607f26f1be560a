/* Precompute pi(i) for every i up to the largest query, then answer each query in O(1). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int q;
    if (scanf("%d", &q) != 1) return 1;
    long long *queries = malloc(sizeof(long long) * q);
    long long limit = 1;
    for (int i = 0; i < q; i++) {
        if (scanf("%lld", &queries[i]) != 1) return 1;
        if (queries[i] > limit) limit = queries[i];
    }

    char *is_composite = calloc(limit + 1, 1);
    for (long long p = 2; p * p <= limit; p++)
        if (!is_composite[p])
            for (long long m = p * p; m <= limit; m += p) is_composite[m] = 1;

    /* Full prefix table: prime_count[i] = number of primes <= i. */
    long long *prime_count = calloc(limit + 1, sizeof(long long));
    for (long long i = 2; i <= limit; i++)
        prime_count[i] = prime_count[i - 1] + !is_composite[i];

    for (int i = 0; i < q; i++) printf("%lld\n", prime_count[queries[i]]);
    free(prime_count);
    free(is_composite);
    free(queries);
    return 0;
}
