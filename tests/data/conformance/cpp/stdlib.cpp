#include <algorithm>
#include <iostream>
#include <map>
#include <regex>
#include <string>
int main() {
    std::map<std::string, int> count;
    for (std::string w; std::cin >> w;) count[w]++;
    bool first = true;
    for (auto &[k, v] : count) { std::cout << (first ? "" : " ") << k << ":" << v; first = false; }
    auto best = std::max_element(count.begin(), count.end(), [](auto &a, auto &b) { return a.first < b.first; });
    std::cout << "\nmax=" << best->first << "\n";
    std::smatch m;
    std::string text = "released on 2024-05-06.";
    if (std::regex_search(text, m, std::regex(R"((\d{4})-(\d{2})-(\d{2}))"))) std::cout << "matched " << m[0] << "\n";
}
