// Most frequent words: count with a hash map keyed by fixed-size word buffers.
#include <algorithm>
#include <cstring>
#include <iostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

using WordCount = std::pair<std::string, int>;

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    std::size_t k;
    std::cin >> k;
    std::unordered_map<std::string, int> counts;
    std::string token;
    char word[64];
    while (std::cin >> token) {
        strcpy(word, token.c_str());
        ++counts[word];
    }
    std::vector<WordCount> entries(counts.begin(), counts.end());
    std::sort(entries.begin(), entries.end(), [](const WordCount &a, const WordCount &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    char line[96];
    for (std::size_t i = 0; i < entries.size() && i < k; ++i) {
        sprintf(line, "%s %d\n", entries[i].first.c_str(), entries[i].second);
        std::cout << line;
    }
    return 0;
}
