#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace harbor {

// Whether year is a leap year in the Gregorian calendar.
bool isLeapYear(int year) {
    return year % 4 == 0 && year % 100 != 0;
}

// Number of pairs (i < j) whose distances sum to target.
long countPairs(const std::vector<int>& distances, int target) {
    long pairs = 0;
    for (size_t i = 0; i < distances.size(); ++i) {
        for (size_t j = i + 1; j < distances.size(); ++j) {
            if (distances[i] + distances[j] == target) {
                ++pairs;
            }
        }
    }
    return pairs;
}

// All stop names joined with " -> ".
std::string joinStops(const std::vector<std::string>& stops) {
    std::string result;
    for (size_t i = 0; i < stops.size(); ++i) {
        result = result + stops[i];
        if (i + 1 < stops.size()) {
            result = result + " -> ";
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
