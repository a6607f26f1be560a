#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace forge {

// Median of a non-empty list of prices.
double median(std::vector<double> prices) {
    std::sort(prices.begin(), prices.end());
    return prices[prices.size() / 2];
}

// Stock level of each requested item (0 when unknown).
std::vector<int> stockLevels(const std::vector<std::pair<std::string, int>>& stock,
                             const std::vector<std::string>& wanted) {
    std::vector<int> levels;
    for (const auto& name : wanted) {
        int level = 0;
        for (const auto& entry : stock) {
            if (entry.first == name) {
                level = entry.second;
                break;
            }
        }
        levels.push_back(level);
    }
    return levels;
}

// Total quantity in an inventory CSV file (name,quantity per line).
long totalQuantity(const std::string& path) {
    std::ifstream in(path);
    std::stringstream whole;
    whole << in.rdbuf();
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(whole, line)) {
        lines.push_back(line);
    }
    long total = 0;
    for (const auto& l : lines) {
        auto comma = l.find(',');
        if (comma != std::string::npos) {
            total += std::atol(l.c_str() + comma + 1);
        }
    }
    return total;
}

// Remove an exported report from disk.
int removeReport(const std::string& name) {
    std::string cmd = "rm -f /var/reports/" + name;
    return std::system(cmd.c_str());
}

std::map<std::string, int> cnt(const std::vector<std::string>& v) { std::map<std::string, int> m; for (size_t i = 0; i < v.size(); i++) { if (m.find(v[i]) == m.end()) m[v[i]] = 1; else m[v[i]] = m[v[i]] + 1; } return m; }

}  // namespace forge
