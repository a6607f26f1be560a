#include <stdio.h>
int main(void) { printf("héllo wörld ✓ 你好 🙂\n"); printf("%s=%d\n", "λ", 3); return 0; }
