// Most frequent words: count with a hash map, then partially sort.
#include <algorithm>
#include <iostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

using WordCount = std::pair<std::string, int>;

// Returns the k most frequent words, highest count first, ties alphabetical.
static std::vector<WordCount> topWords(std::istream &in, std::size_t k)
{
    std::unordered_map<std::string, int> counts;
    std::string word;
    while (in >> word)
        ++counts[word];
    std::vector<WordCount> entries(counts.begin(), counts.end());
    const std::size_t shown = std::min(k, entries.size());
    std::partial_sort(entries.begin(), entries.begin() + shown, entries.end(),
                      [](const WordCount &a, const WordCount &b) {
                          return a.second != b.second ? a.second > b.second : a.first < b.first;
                      });
    entries.resize(shown);
    return entries;
}

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    std::size_t k;
    std::cin >> k;
    for (const auto &[word, count] : topWords(std::cin, k))
        std::cout << word << ' ' << count << '\n';
    return 0;
}
