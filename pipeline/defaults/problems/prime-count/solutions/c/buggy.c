/* Answer prime-counting queries with one bit-packed sieve of Eratosthenes. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

#define MAX_QUERIES 100

struct query {
    int n;
    int index;
};

static int is_marked(const uint8_t *bits, long i) { return bits[i >> 3] >> (i & 7) & 1; }
static void mark(uint8_t *bits, long i) { bits[i >> 3] |= (uint8_t)(1u << (i & 7)); }

/* Returns a bit set in which bit i is 1 for every composite i <= limit. */
static uint8_t *sieve(int limit) {
    uint8_t *composite = calloc((size_t)limit / 8 + 1, 1);
    for (long p = 2; p * p <= limit; p++) {
        if (is_marked(composite, p)) continue;
        for (long multiple = p * p; multiple <= limit; multiple += p) mark(composite, multiple);
    }
    return composite;
}

static int by_n(const void *a, const void *b) {
    return ((const struct query *)a)->n - ((const struct query *)b)->n;
}

int main(void) {
    struct query queries[MAX_QUERIES];
    int answers[MAX_QUERIES];
    int q;
    if (scanf("%d", &q) != 1) return 1;
    for (int i = 0; i < q; i++) {
        if (scanf("%d", &queries[i].n) != 1) return 1;
        queries[i].index = i;
    }
    qsort(queries, q, sizeof queries[0], by_n);

    /* Sweep the sieve once, answering queries in increasing order of n. */
    uint8_t *composite = sieve(queries[q - 1].n);
    int primes_seen = 0;
    long next = 2;
    for (int i = 0; i < q; i++) {
        for (; next < queries[i].n; next++) primes_seen += !is_marked(composite, next);
        answers[queries[i].index] = primes_seen;
    }
    free(composite);

    for (int i = 0; i < q; i++) printf("%d\n", answers[i]);
    return 0;
}
