// Answer prime-counting queries with one bit-packed sieve of Eratosthenes.
#include <algorithm>
#include <iostream>
#include <numeric>
#include <vector>

// composite[i] is true for every composite i <= limit (std::vector<bool> packs bits).
std::vector<bool> sieve(int limit) {
    std::vector<bool> composite(limit + 1, false);
    for (long p = 2; p * p <= limit; ++p) {
        if (composite[p]) continue;
        for (long multiple = p * p; multiple <= limit; multiple += p) composite[multiple] = true;
    }
    return composite;
}

int main() {
    std::ios::sync_with_stdio(false);
    int q;
    std::cin >> q;
    std::vector<int> queries(q);
    for (int &n : queries) std::cin >> n;

    // Visit queries in increasing order so one sweep over the sieve answers all of them.
    std::vector<int> order(q);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return queries[a] < queries[b]; });

    const std::vector<bool> composite = sieve(queries[order.back()]);
    std::vector<int> answers(q);
    int primes_seen = 0;
    long next = 2;
    for (int index : order) {
        for (; next <= queries[index]; ++next) primes_seen += !composite[next];
        answers[index] = primes_seen;
    }
    for (int answer : answers) std::cout << answer << '\n';
    return 0;
}
