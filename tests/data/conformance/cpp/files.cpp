#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>
int main() {
    { std::ofstream out("words.txt"); out << "alpha beta gamma\n"; }
    std::ifstream in("words.txt");
    std::vector<std::string> w;
    for (std::string s; in >> s;) w.push_back(s);
    std::cout << w.size() << " words\n" << w[1] << "\n";
    std::remove("words.txt");
}
