/* Range sums: answer each query in O(1) from a prefix-sum array. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int n, q;
    if (scanf("%d %d", &n, &q) != 2)
        return 1;
    int *sums = malloc((size_t)(n + 1) * sizeof *sums);
    if (sums == NULL)
        return 1;
    sums[0] = 0;
    for (int i = 1; i <= n; i++) {
        int value;
        if (scanf("%d", &value) != 1)
            value = 0;
        sums[i] = sums[i - 1] + value;
    }
    for (int i = 0; i < q; i++) {
        int left, right;
        if (scanf("%d %d", &left, &right) != 2)
            break;
        printf("%d\n", sums[right] - sums[left - 1]);
    }
    free(sums);
    return 0;
}
