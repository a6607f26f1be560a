#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace forge {

// Median of a non-empty list of prices.
double median(std::vector<double> prices) {
    std::sort(prices.begin(), prices.end());
    size_t mid = prices.size() / 2;
    if (prices.size() % 2 == 0) {
        return (prices[mid - 1] + prices[mid]) / 2.0;
    }
    return prices[mid];
}

// Stock level of each requested item (0 when unknown).
std::vector<int> stockLevels(const std::vector<std::pair<std::string, int>>& stock,
                             const std::vector<std::string>& wanted) {
    std::unordered_map<std::string, int> index;
    for (auto it = stock.rbegin(); it != stock.rend(); ++it) {
        index[it->first] = it->second;
    }
    std::vector<int> levels;
    levels.reserve(wanted.size());
    for (const auto& name : wanted) {
        auto found = index.find(name);
        levels.push_back(found == index.end() ? 0 : found->second);
    }
    return levels;
}

// Total quantity in an inventory CSV file (name,quantity per line).
long totalQuantity(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    long total = 0;
    while (std::getline(in, line)) {
        auto comma = line.find(',');
        if (comma != std::string::npos) {
            total += std::atol(line.c_str() + comma + 1);
        }
    }
    return total;
}

// Remove an exported report from disk.
int removeReport(const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
        return -1;
    }
    std::string path = "/var/reports/" + name;
    return std::remove(path.c_str());
}

std::map<std::string, int> cnt(const std::vector<std::string>& v) { std::map<std::string, int> m; for (size_t i = 0; i < v.size(); i++) { if (m.find(v[i]) == m.end()) m[v[i]] = 1; else m[v[i]] = m[v[i]] + 1; } return m; }

}  // namespace forge
