// Count primes by testing every candidate with trial division.
#include <algorithm>
#include <iostream>
#include <vector>

bool is_prime(int n) {
    if (n < 2) return false;
    for (int d = 2; d * d <= n; ++d)
        if (n % d == 0) return false;
    return true;
}

int main() {
    int q;
    std::cin >> q;
    std::vector<int> queries(q);
    for (int &n : queries) std::cin >> n;
    const int limit = *std::max_element(queries.begin(), queries.end());

    // primes_up_to[i] is built one trial-division test at a time.
    std::vector<int> primes_up_to(limit + 1, 0);
    for (int i = 2; i <= limit; ++i) primes_up_to[i] = primes_up_to[i - 1] + (is_prime(i) ? 1 : 0);
    for (int n : queries) std::cout << primes_up_to[n] << '\n';
    return 0;
}
