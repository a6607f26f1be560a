/* Most frequent words: open-addressing table given generous headroom up front. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Slots per input word (rounded up to a power of two), so the table never grows. */
#define HEADROOM 20
#define EMPTY (-1)

typedef struct {
    const char *word;
    int count;
} Entry;

static size_t hash_word(const char *word)
{
    size_t h = 1469598103934665603ULL;
    for (; *word; word++)
        h = (h ^ (unsigned char)*word) * 1099511628211ULL;
    return h;
}

static int by_count_then_word(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->word, y->word);
}

int main(void)
{
    static char text[4 << 20];
    size_t length = fread(text, 1, sizeof text - 1, stdin);
    text[length] = '\0';
    size_t words = 0;
    for (size_t i = 0; i < length; i++)
        words += text[i] == ' ' || text[i] == '\n';
    size_t size = 1;
    while (size < words + 1)
        size *= 2;
    size *= HEADROOM;
    const char **keys = malloc(size * sizeof *keys);
    int *counts = malloc(size * sizeof *counts);
    if (keys == NULL || counts == NULL)
        return 1;
    for (size_t i = 0; i < size; i++)
        counts[i] = EMPTY;
    char *cursor = NULL;
    char *token = strtok_r(text, " \n\r", &cursor);
    int k = token ? atoi(token) : 0;
    size_t distinct = 0;
    while ((token = strtok_r(NULL, " \n\r", &cursor)) != NULL) {
        size_t i = hash_word(token) % size;
        while (counts[i] != EMPTY && strcmp(keys[i], token) != 0)
            i = (i + 1) % size;
        if (counts[i] == EMPTY) {
            keys[i] = token;
            counts[i] = 0;
            distinct++;
        }
        counts[i]++;
    }
    Entry *entries = malloc((distinct + 1) * sizeof *entries);
    size_t used = 0;
    for (size_t i = 0; i < size; i++)
        if (counts[i] != EMPTY)
            entries[used++] = (Entry){keys[i], counts[i]};
    qsort(entries, used, sizeof *entries, by_count_then_word);
    for (size_t i = 0; i < used && i < (size_t)k; i++)
        printf("%s %d\n", entries[i].word, entries[i].count);
    return 0;
}
