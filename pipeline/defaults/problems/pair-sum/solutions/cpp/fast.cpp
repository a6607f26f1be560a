// Count pairs summing to a target: sort once, then binary-search each complement.
#include <algorithm>
#include <iostream>
#include <vector>

// Number of pairs i < j with values[i] + values[j] == target; values must be sorted.
long long count_pairs(const std::vector<long> &values, long target) {
    long long pairs = 0;
    for (auto it = values.begin(); it != values.end(); ++it) {
        auto range = std::equal_range(it + 1, values.end(), target - *it);
        pairs += range.second - range.first;
    }
    return pairs;
}

int main() {
    std::ios::sync_with_stdio(false);
    int n;
    long target;
    std::cin >> n >> target;
    std::vector<long> values(n);
    for (long &value : values) std::cin >> value;
    std::sort(values.begin(), values.end());
    std::cout << count_pairs(values, target) << '\n';
    return 0;
}
