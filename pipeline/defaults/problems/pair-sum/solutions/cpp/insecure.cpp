// Count pairs summing to a target: sort once, then binary-search each complement.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

int main() {
    char token[24], buffer[64];
    if (std::scanf("%s", token) != 1) return 1;
    std::strcpy(buffer, token);
    const int n = std::atoi(buffer);
    if (std::scanf("%s", token) != 1) return 1;
    const long target = std::atol(token);
    std::vector<long> values(n);
    for (long &value : values) {
        if (std::scanf("%s", token) != 1) return 1;
        value = std::atol(token);
    }
    std::sort(values.begin(), values.end());

    long long pairs = 0;
    for (auto it = values.begin(); it != values.end(); ++it) {
        auto range = std::equal_range(it + 1, values.end(), target - *it);
        pairs += range.second - range.first;
    }
    std::sprintf(buffer, "%lld\n", pairs);
    std::fputs(buffer, stdout);
    return 0;
}
