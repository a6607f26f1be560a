#include <stdio.h>
int main(void) {
    long long a, total = 0;
    while (scanf("%lld", &a) == 1) total += a;
    printf("%lld\n", total);
    return 0;
}
