// Most frequent words: open-addressing table given generous headroom up front.
#include <algorithm>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

// Slots per input word (rounded up to a power of two), so the table never grows.
constexpr std::size_t kHeadroom = 32;
constexpr int kEmpty = -1;

int main()
{
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    std::size_t k;
    std::cin >> k;
    std::vector<std::string> words;
    for (std::string word; std::cin >> word;)
        words.push_back(std::move(word));
    std::size_t size = 1;
    while (size < words.size() + 1)
        size *= 2;
    size *= kHeadroom;
    std::vector<int> keys(size, kEmpty);  // index into words of the slot's word
    std::vector<int> counts(size, 0);
    std::vector<int> used;
    for (std::size_t w = 0; w < words.size(); ++w) {
        std::size_t slot = std::hash<std::string>{}(words[w]) % size;
        while (keys[slot] != kEmpty && words[keys[slot]] != words[w])
            slot = (slot + 1) % size;
        if (keys[slot] == kEmpty) {
            keys[slot] = static_cast<int>(w);
            used.push_back(static_cast<int>(slot));
        }
        ++counts[slot];
    }
    std::sort(used.begin(), used.end(), [&](int a, int b) {
        return counts[a] != counts[b] ? counts[a] > counts[b] : words[keys[a]] < words[keys[b]];
    });
    for (std::size_t i = 0; i < used.size() && i < k; ++i)
        std::cout << words[keys[used[i]]] << ' ' << counts[used[i]] << '\n';
    return 0;
}
