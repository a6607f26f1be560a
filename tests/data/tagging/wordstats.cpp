#include <algorithm>
#include <cctype>
#include <iostream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

// Word statistics over standard input.
class WordStats {
public:
    explicit WordStats(bool keepStopWords) : keepStopWords_(keepStopWords) {}

    void feed(const std::string &line) {
        std::string word;
        for (char c : line + " ") {
            if (std::isalpha(static_cast<unsigned char>(c)) || (c == '\'' && !word.empty())) {
                word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            } else if (!word.empty()) {
                add(word);
                word.clear();
            }
        }
    }

    std::vector<std::pair<std::string, int>> top(std::size_t n) const {
        std::vector<std::pair<std::string, int>> entries(counts_.begin(), counts_.end());
        std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        if (entries.size() > n) {
            entries.resize(n);
        }
        return entries;
    }

private:
    void add(const std::string &word) {
        static const std::unordered_set<std::string> stopWords = {"the", "a", "an", "and", "of"};
        if (word.size() < 2 && word != "a") {
            return;
        }
        if (!keepStopWords_ && stopWords.count(word) > 0) {
            return;
        }
        ++counts_[word];
    }

    bool keepStopWords_;
    std::unordered_map<std::string, int> counts_;
};

int main(int argc, char **argv) {
    WordStats stats(argc > 1 && std::string(argv[1]) == "--all");
    std::string line;
    while (std::getline(std::cin, line)) {
        stats.feed(line);
    }
    for (const auto &entry : stats.top(10)) {
        std::cout << entry.second << ' ' << entry.first << '\n';
    }
    return 0;
}
