// Range sums, naive: each query re-adds the array from the start.
#include <iostream>
#include <numeric>
#include <vector>

// Sum of the first `count` values.
static long long sumFirst(const std::vector<long long> &values, int count)
{
    return std::accumulate(values.begin(), values.begin() + count, 0LL);
}

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, q;
    std::cin >> n >> q;
    std::vector<long long> values(n);
    for (auto &value : values)
        std::cin >> value;
    for (int i = 0; i < q; ++i) {
        int left, right;
        std::cin >> left >> right;
        std::cout << sumFirst(values, right) - sumFirst(values, left - 1) << '\n';
    }
    return 0;
}
