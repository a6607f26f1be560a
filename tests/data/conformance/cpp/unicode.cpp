#include <iostream>
#include <string>
int main() { std::string s = u8"héllo wörld ✓ 你好 🙂"; std::cout << s << '\n'; }
