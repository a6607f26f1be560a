// Count pairs summing to a target with a hash map of value counts, pre-sized generously.
#include <iostream>
#include <unordered_map>
#include <vector>

int main() {
    int n;
    long long target;
    std::cin >> n >> target;
    std::vector<long long> values(n);
    for (auto &value : values) std::cin >> value;

    // Reserve far more buckets than values so inserts never trigger a rehash.
    std::unordered_map<long long, long long> count_of;
    count_of.reserve(std::size_t(1) << 22);
    long long pairs = 0;
    for (long long value : values) {
        auto found = count_of.find(target - value);
        if (found != count_of.end()) pairs += found->second;
        ++count_of[value];
    }
    std::cout << pairs << '\n';
    return 0;
}
