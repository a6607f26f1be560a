// Most frequent words, naive: a linked list of pairs searched linearly for every word.
#include <algorithm>
#include <iostream>
#include <list>
#include <string>
#include <utility>
#include <vector>

using WordCount = std::pair<std::string, int>;

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    std::size_t k;
    std::cin >> k;
    std::list<WordCount> seen;
    std::string word;
    while (std::cin >> word) {
        auto it = std::find_if(seen.begin(), seen.end(),
                               [&word](const WordCount &e) { return e.first == word; });
        if (it == seen.end())
            seen.emplace_back(word, 1);
        else
            ++it->second;
    }
    std::vector<WordCount> entries(seen.begin(), seen.end());
    std::sort(entries.begin(), entries.end(), [](const WordCount &a, const WordCount &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (std::size_t i = 0; i < entries.size() && i < k; ++i)
        std::cout << entries[i].first << ' ' << entries[i].second << '\n';
    return 0;
}
