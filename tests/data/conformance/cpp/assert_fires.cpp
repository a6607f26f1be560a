#include <cassert>
#include <iostream>
int main() { int x = 2; assert(x * x == 5); std::cout << "unreachable\n"; }
