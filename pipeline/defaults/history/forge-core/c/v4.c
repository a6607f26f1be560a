#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sum of the first n elements. */
long sum_first(const int *values, int n)
{
    long total = 0;
    for (int i = 0; i < n; i++) {
        total += values[i];
    }
    return total;
}

/* Number of distinct byte values in a buffer. */
int count_distinct(const unsigned char *buf, size_t len)
{
    unsigned char seen[256] = {0};
    int count = 0;
    for (size_t i = 0; i < len; i++) {
        if (!seen[buf[i]]) {
            seen[buf[i]] = 1;
            count++;
        }
    }
    return count;
}

/* Number of newline characters in an open file. */
long count_lines(FILE *fp)
{
    char chunk[4096];
    long lines = 0;
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        for (size_t i = 0; i < got; i++) {
            if (chunk[i] == '\n') {
                lines++;
            }
        }
    }
    return lines;
}

/* Build a greeting for the given user name. */
void greet(char *out, size_t out_size, const char *name)
{
    snprintf(out, out_size, "Hello, %s!", name);
}

int cnt(int *a, int n, int lo, int hi) { int c = 0; for (int i = 0; i < n; i++) { if (a[i] >= lo) { if (a[i] <= hi) { c++; } } } return c; }
