#include <stdio.h>
static int depth(int n) { volatile char pad[64]; pad[0] = (char)n; return n == 0 ? pad[0] : 1 + depth(n - 1); }
int main(void) { printf("depth %d\n", depth(1000000)); return 0; }
