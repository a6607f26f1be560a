// Range sums: answer each query in O(1) from a prefix-sum array.
#include <iostream>
#include <vector>

// Returns p with p[i] = a_1 + ... + a_i, reading the n values from `in`.
static std::vector<long long> readPrefixSums(std::istream &in, int n)
{
    std::vector<long long> sums(n + 1, 0);
    for (int i = 1; i <= n; ++i) {
        long long value;
        in >> value;
        sums[i] = sums[i - 1] + value;
    }
    return sums;
}

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, q;
    std::cin >> n >> q;
    const std::vector<long long> sums = readPrefixSums(std::cin, n);
    for (int i = 0; i < q; ++i) {
        int left, right;
        std::cin >> left >> right;
        std::cout << sums[right] - sums[left - 1] << '\n';
    }
    return 0;
}
