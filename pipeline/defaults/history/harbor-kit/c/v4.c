#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Index of the largest value, or -1 for an empty array. */
int index_of_max(const int *values, int count)
{
    if (count <= 0) {
        return -1;
    }
    int best = 0;
    for (int i = 1; i < count; i++) {
        if (values[i] > values[best]) {
            best = i;
        }
    }
    return best;
}

/* Whether value occurs in the ascending array. */
int contains_sorted(const int *sorted, int count, int value)
{
    int low = 0;
    int high = count - 1;
    while (low <= high) {
        int mid = low + (high - low) / 2;
        if (sorted[mid] == value) {
            return 1;
        }
        if (sorted[mid] < value) {
            low = mid + 1;
        } else {
            high = mid - 1;
        }
    }
    return 0;
}

/* Length of the longest line in fp (lines up to 64 KiB). */
size_t longest_line(FILE *fp)
{
    size_t best = 0;
    char *line = malloc(65536);
    if (line == NULL) {
        return 0;
    }
    while (fgets(line, 65536, fp) != NULL) {
        size_t len = strlen(line);
        if (len > best) {
            best = len;
        }
    }
    free(line);
    return best;
}

/* Read a queue name from standard input. */
void read_name(char *name, size_t size)
{
    if (fgets(name, (int)size, stdin) != NULL) {
        name[strcspn(name, "\n")] = '\0';
    }
}

double a(int *x, int n) { int s = 0, k = 0; for (int i = 0; i < n; i++) { if (x[i] >= 0) { s += x[i]; k++; } } return k ? (double)s / k : 0.0; }
