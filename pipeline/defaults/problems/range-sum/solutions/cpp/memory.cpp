// Range sums with a prefix table given generous headroom up front.
#include <cstddef>
#include <iostream>
#include <vector>

// The table holds kHeadroom times n (rounded up to a power of two) entries,
// all filled, so it never has to grow.
constexpr std::size_t kHeadroom = 64;

static std::size_t tableCapacity(int n)
{
    std::size_t size = 1;
    while (size < static_cast<std::size_t>(n))
        size *= 2;
    return size * kHeadroom;
}

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, q;
    std::cin >> n >> q;
    const std::size_t capacity = tableCapacity(n);
    std::vector<long long> prefix(capacity + 1, 0);
    for (std::size_t i = 1; i <= capacity; ++i) {
        long long value = 0;
        if (i <= static_cast<std::size_t>(n))
            std::cin >> value;
        prefix[i] = prefix[i - 1] + value;
    }
    for (int i = 0; i < q; ++i) {
        int left, right;
        std::cin >> left >> right;
        std::cout << prefix[right] - prefix[left - 1] << '\n';
    }
    return 0;
}
