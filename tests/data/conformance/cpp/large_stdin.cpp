#include <iostream>
int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    long long a, total = 0;
    while (std::cin >> a) total += a;
    std::cout << total << "\n";
}
