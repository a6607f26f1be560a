/* Most frequent words: words are copied into fixed records, then sorted and counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char word[32];
    int count;
} Entry;

static int by_word(const void *a, const void *b)
{
    return strcmp(((const Entry *)a)->word, ((const Entry *)b)->word);
}

/* Higher count first, then alphabetical. */
static int by_count_then_word(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->word, y->word);
}

int main(void)
{
    int k;
    if (scanf("%d", &k) != 1)
        return 1;
    size_t capacity = 1024, used = 0;
    Entry *words = malloc(capacity * sizeof *words);
    char word[32];
    while (words != NULL && scanf("%s", word) == 1) {
        if (used == capacity) {
            capacity *= 2;
            words = realloc(words, capacity * sizeof *words);
            if (words == NULL)
                return 1;
        }
        strcpy(words[used].word, word);
        words[used++].count = 1;
    }
    if (words == NULL)
        return 1;
    qsort(words, used, sizeof *words, by_word);
    size_t distinct = 0;
    for (size_t i = 0; i < used; i++) {
        if (distinct > 0 && strcmp(words[distinct - 1].word, words[i].word) == 0)
            words[distinct - 1].count++;
        else
            words[distinct++] = words[i];
    }
    qsort(words, distinct, sizeof *words, by_count_then_word);
    for (size_t i = 0; i < distinct && i < (size_t)k; i++)
        printf("%s %d\n", words[i].word, words[i].count);
    free(words);
    return 0;
}
