// Answer prime-counting queries with one sieve; output is formatted through a C buffer.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <vector>

std::vector<bool> sieve(int limit) {
    std::vector<bool> composite(limit + 1, false);
    for (long p = 2; p * p <= limit; ++p) {
        if (composite[p]) continue;
        for (long multiple = p * p; multiple <= limit; multiple += p) composite[multiple] = true;
    }
    return composite;
}

int main() {
    char token[16];
    if (std::scanf("%s", token) != 1) return 1;
    int q = std::atoi(token);
    std::vector<int> queries(q);
    for (int &n : queries) {
        if (std::scanf("%s", token) != 1) return 1;
        n = std::atoi(token);
    }
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
    char line[32], label[16];
    for (int answer : answers) {
        std::strcpy(label, "");
        std::sprintf(line, "%s%d\n", label, answer);
        std::fputs(line, stdout);
    }
    return 0;
}
