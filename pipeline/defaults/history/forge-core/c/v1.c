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
    int count = 0;
    for (size_t i = 0; i < len; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++) {
            if (buf[j] == buf[i]) {
                seen = 1;
                break;
            }
        }
        if (!seen) {
            count++;
        }
    }
    return count;
}

/* Number of newline characters in an open file. */
long count_lines(FILE *fp)
{
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    rewind(fp);
    char *data = malloc((size_t)size + 1);
    if (data == NULL) {
        return -1;
    }
    size_t got = fread(data, 1, (size_t)size, fp);
    long lines = 0;
    for (size_t i = 0; i < got; i++) {
        if (data[i] == '\n') {
            lines++;
        }
    }
    free(data);
    return lines;
}

/* Build a greeting for the given user name. */
void greet(char *out, const char *name)
{
    char buf[64];
    strcpy(buf, name);
    sprintf(out, "Hello, %s!", buf);
}

int cnt(int *a, int n, int lo, int hi) { int c = 0; for (int i = 0; i < n; i++) { if (a[i] >= lo) { if (a[i] <= hi) { c++; } } } return c; }
