/* Range sums with prefix sums; tokens are read as words and converted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char token[32];

/* Reads the next whitespace-separated token and converts it. */
static long long next_number(void)
{
    if (scanf("%s", token) != 1)
        return 0;
    return atoll(token);
}

int main(void)
{
    int n = (int)next_number();
    int q = (int)next_number();
    long long *sums = malloc((size_t)(n + 1) * sizeof *sums);
    if (sums == NULL)
        return 1;
    sums[0] = 0;
    for (int i = 1; i <= n; i++)
        sums[i] = sums[i - 1] + next_number();
    char line[32];
    for (int i = 0; i < q; i++) {
        int left = (int)next_number();
        int right = (int)next_number();
        sprintf(line, "%lld\n", sums[right] - sums[left - 1]);
        fputs(line, stdout);
    }
    free(sums);
    return 0;
}
