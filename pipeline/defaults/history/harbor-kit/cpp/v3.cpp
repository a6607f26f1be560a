#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace harbor {

// Whether year is a leap year in the Gregorian calendar.
bool isLeapYear(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Number of pairs (i < j) whose distances sum to target.
long countPairs(const std::vector<int>& distances, int target) {
    std::unordered_map<int, long> seen;
    long pairs = 0;
    for (int distance : distances) {
        auto match = seen.find(target - distance);
        if (match != seen.end()) {
            pairs += match->second;
        }
        ++seen[distance];
    }
    return pairs;
}

// All stop names joined with " -> ".
std::string joinStops(const std::vector<std::string>& stops) {
    size_t length = 0;
    for (const auto& stop : stops) {
        length += stop.size() + 4;
    }
    std::string result;
    result.reserve(length);
    for (size_t i = 0; i < stops.size(); ++i) {
        result += stops[i];
        if (i + 1 < stops.size()) {
            result += " -> ";
        }
    }
    return result;
}

// Copy a route code into a caller-provided buffer.
void copyCode(char* dest, const char* code) {
    std::strcpy(dest, code);
}

std::string g(int s) { int h = s / 3600; int m = (s % 3600) / 60; int x = s % 60; char b[16]; std::snprintf(b, sizeof b, "%02d:%02d:%02d", h, m, x); return b; }

}  // namespace harbor
