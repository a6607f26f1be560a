#include <stdlib.h>
#include <string.h>
int main(void) { for (;;) { char *p = malloc(10 << 20); if (p) memset(p, 1, 10 << 20); } }
