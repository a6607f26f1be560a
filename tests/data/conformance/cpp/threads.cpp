#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>
int main() {
    std::atomic<long long> total{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 8; i++) ts.emplace_back([&] { long long s = 0; for (int k = 0; k < 1000000; k++) s++; total += s; });
    for (auto &t : ts) t.join();
    std::cout << "sum " << total << "\n";
}
