#include <iostream>
#include <numeric>
#include <optional>
#include <tuple>
#include <vector>
std::optional<int> find(const std::vector<int> &v, int x) {
    for (int e : v) if (e == x) return e;
    return std::nullopt;
}
int main() {
    auto [a, b] = std::make_tuple(7, 'x');
    std::cout << a << ' ' << b << '\n';
    auto r = find({1, 2, 3}, 9);
    std::cout << (r ? "found" : "none") << '\n';
    std::vector<int> v{1, 2, 3};
    std::cout << std::reduce(v.begin(), v.end()) << '\n';
}
