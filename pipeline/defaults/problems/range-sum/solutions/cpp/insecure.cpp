// Range sums from prefix sums; each answer is formatted into a line buffer.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, q;
    std::cin >> n >> q;
    std::vector<long long> sums(n + 1, 0);
    char digits[32];
    std::string word;
    for (int i = 1; i <= n; ++i) {
        std::cin >> word;
        strcpy(digits, word.c_str());
        sums[i] = sums[i - 1] + std::atoll(digits);
    }
    char line[32];
    for (int i = 0; i < q; ++i) {
        int left, right;
        std::cin >> left >> right;
        sprintf(line, "%lld\n", sums[right] - sums[left - 1]);
        std::cout << line;
    }
    return 0;
}
