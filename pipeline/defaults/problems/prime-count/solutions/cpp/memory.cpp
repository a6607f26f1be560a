// Precompute pi(i) for every i up to the largest query, then answer each query in O(1).
#include <algorithm>
#include <iostream>
#include <vector>

int main() {
    int q;
    std::cin >> q;
    std::vector<long long> queries(q);
    for (auto &n : queries) std::cin >> n;
    const long long limit = std::max(1LL, *std::max_element(queries.begin(), queries.end()));

    // Wide tables: a 64-bit flag and a 64-bit running count per integer.
    std::vector<long long> is_composite(limit + 1, 0), prime_count(limit + 1, 0);
    for (long long p = 2; p * p <= limit; ++p)
        if (!is_composite[p])
            for (long long m = p * p; m <= limit; m += p) is_composite[m] = 1;
    for (long long i = 2; i <= limit; ++i) prime_count[i] = prime_count[i - 1] + (is_composite[i] ? 0 : 1);

    for (long long n : queries) std::cout << prime_count[n] << '\n';
    return 0;
}
