// Range sums: answer each query in O(1) from a prefix-sum array.
#include <iostream>
#include <vector>

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, q;
    std::cin >> n >> q;
    std::vector<long long> sums(n + 1, 0);
    for (int i = 1; i <= n; ++i) {
        long long value;
        std::cin >> value;
        sums[i] = sums[i - 1] + value;
    }
    for (int i = 0; i < q; ++i) {
        int left, right;
        std::cin >> left >> right;
        std::cout << sums[right] - sums[left] << '\n';
    }
    return 0;
}
