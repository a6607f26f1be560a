#include <assert.h>
#include <stdio.h>
int main(void) { int x = 2; assert(x + x == 4); puts("ok"); return 0; }
