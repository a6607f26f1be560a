#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 4096
#define WORD_LEN 64

struct entry {
    char word[WORD_LEN];
    int count;
};

static struct entry table[MAX_WORDS];
static int table_size;

static int find_or_add(const char *word)
{
    int i;
    for (i = 0; i < table_size; i++) {
        if (strcmp(table[i].word, word) == 0) {
            return i;
        }
    }
    if (table_size == MAX_WORDS) {
        return -1;
    }
    snprintf(table[table_size].word, WORD_LEN, "%s", word);
    table[table_size].count = 0;
    return table_size++;
}

static int compare_entries(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->count != y->count) {
        return y->count - x->count;
    }
    return strcmp(x->word, y->word);
}

static void feed(FILE *in)
{
    char word[WORD_LEN];
    int len = 0, c;
    while ((c = fgetc(in)) != EOF) {
        if (isalpha(c) || (c == '\'' && len > 0)) {
            if (len < WORD_LEN - 1) {
                word[len++] = (char)tolower(c);
            }
        } else if (len > 0) {
            word[len] = '\0';
            int slot = find_or_add(word);
            if (slot >= 0) {
                table[slot].count++;
            }
            len = 0;
        }
    }
}

int main(int argc, char **argv)
{
    int limit = argc > 1 ? atoi(argv[1]) : 10;
    feed(stdin);
    qsort(table, (size_t)table_size, sizeof table[0], compare_entries);
    for (int i = 0; i < table_size && i < limit; i++) {
        printf("%6d %s\n", table[i].count, table[i].word);
    }
    return 0;
}
