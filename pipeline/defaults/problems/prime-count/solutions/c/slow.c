/* Count primes by testing every candidate with trial division. */
#include <stdio.h>
#include <stdlib.h>

#define MAX_QUERIES 100

static int is_prime(int n) {
    if (n < 2) return 0;
    for (int d = 2; d * d <= n; d++)
        if (n % d == 0) return 0;
    return 1;
}

int main(void) {
    int q, queries[MAX_QUERIES], limit = 1;
    if (scanf("%d", &q) != 1) return 1;
    for (int i = 0; i < q; i++) {
        if (scanf("%d", &queries[i]) != 1) return 1;
        if (queries[i] > limit) limit = queries[i];
    }

    /* primes_up_to[i] is built one trial division test at a time. */
    int *primes_up_to = calloc((size_t)limit + 1, sizeof(int));
    for (int i = 2; i <= limit; i++) primes_up_to[i] = primes_up_to[i - 1] + is_prime(i);

    for (int i = 0; i < q; i++) printf("%d\n", primes_up_to[queries[i]]);
    free(primes_up_to);
    return 0;
}
