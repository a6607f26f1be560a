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

    // Reserve far more buckets than values so chains stay empty and inserts never rehash.
    const std::size_t buckets_per_value = 256;
    std::unordered_map<long long, long long> count_of;
    count_of.reserve(values.size() * buckets_per_value);
    long long pairs = 0;
    for (long long value : values) {
        auto found = count_of.find(target - value);
        if (found != count_of.end()) pairs += found->second;
        ++count_of[value];
    }
    std::cout << pairs << '\n';
    return 0;
}
