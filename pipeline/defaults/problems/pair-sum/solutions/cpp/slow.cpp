// Count pairs summing to a target by checking every pair of positions.
#include <iostream>
#include <vector>

int main() {
    int n;
    long target;
    std::cin >> n >> target;
    std::vector<long> values(n);
    for (long &value : values) std::cin >> value;

    // Count ordered pairs (i, j), i != j; each unordered pair is seen twice.
    long long ordered_pairs = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            if (i != j && values[i] + values[j] == target) ++ordered_pairs;
    std::cout << ordered_pairs / 2 << '\n';
    return 0;
}
