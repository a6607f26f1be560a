#include <cassert>
#include <iostream>
int main() { int x = 2; assert(x * x == 4); std::cout << "ok\n"; }
