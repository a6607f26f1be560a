/* Most frequent words, naive: an unsorted array searched linearly for every word. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 64

typedef struct {
    char word[MAX_WORD];
    int count;
} Entry;

/* Higher count first, then alphabetical. */
static int by_count_then_word(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->word, y->word);
}

/* Index of word in entries[0..used), or -1. */
static int find_word(const Entry *entries, int used, const char *word)
{
    for (int i = 0; i < used; i++)
        if (strcmp(entries[i].word, word) == 0)
            return i;
    return -1;
}

int main(void)
{
    int k;
    if (scanf("%d", &k) != 1)
        return 1;
    int capacity = 1024, used = 0;
    Entry *entries = malloc(capacity * sizeof *entries);
    char word[MAX_WORD];
    while (entries != NULL && scanf("%63s", word) == 1) {
        int index = find_word(entries, used, word);
        if (index < 0) {
            if (used == capacity) {
                capacity *= 2;
                entries = realloc(entries, capacity * sizeof *entries);
                if (entries == NULL)
                    return 1;
            }
            index = used++;
            memcpy(entries[index].word, word, sizeof word);
            entries[index].count = 0;
        }
        entries[index].count++;
    }
    if (entries == NULL)
        return 1;
    qsort(entries, used, sizeof *entries, by_count_then_word);
    for (int i = 0; i < used && i < k; i++)
        printf("%s %d\n", entries[i].word, entries[i].count);
    free(entries);
    return 0;
}
