/* Most frequent words: count in an open-addressing hash table, then sort. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *word;
    int count;
} Entry;

typedef struct {
    Entry *slots;
    size_t mask;
    size_t used;
} Table;

static size_t hash_word(const char *word)
{
    size_t h = 1469598103934665603ULL;
    for (; *word; word++)
        h = (h ^ (unsigned char)*word) * 1099511628211ULL;
    return h;
}

/* Returns the slot holding word, or the empty slot where it belongs. */
static Entry *table_find(const Table *table, const char *word)
{
    size_t i = hash_word(word) & table->mask;
    while (table->slots[i].word != NULL && strcmp(table->slots[i].word, word) != 0)
        i = (i + 1) & table->mask;
    return &table->slots[i];
}

/* Doubles the table, re-inserting every entry. */
static int table_grow(Table *table)
{
    Table bigger = {calloc(2 * (table->mask + 1), sizeof(Entry)), 2 * table->mask + 1, table->used};
    if (bigger.slots == NULL)
        return 0;
    for (size_t i = 0; i <= table->mask; i++)
        if (table->slots[i].word != NULL)
            *table_find(&bigger, table->slots[i].word) = table->slots[i];
    free(table->slots);
    *table = bigger;
    return 1;
}

/* Adds one occurrence of word, keeping the load factor at most 1/2. */
static int table_add(Table *table, const char *word)
{
    Entry *slot = table_find(table, word);
    if (slot->word == NULL) {
        if (2 * (table->used + 1) > table->mask + 1) {
            if (!table_grow(table))
                return 0;
            slot = table_find(table, word);
        }
        slot->word = word;
        table->used++;
    }
    slot->count++;
    return 1;
}

/* Higher count first, then alphabetical. */
static int by_count_then_word(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->word, y->word);
}

/* Reads all of stdin into a NUL-terminated buffer. */
static char *read_all(size_t *length)
{
    size_t capacity = 1 << 16, size = 0, got;
    char *text = malloc(capacity + 1);
    while (text != NULL && (got = fread(text + size, 1, capacity - size, stdin)) > 0) {
        size += got;
        if (size == capacity) {
            capacity *= 2;
            text = realloc(text, capacity + 1);
        }
    }
    if (text != NULL)
        text[size] = '\0';
    *length = size;
    return text;
}

int main(void)
{
    size_t length;
    char *text = read_all(&length);
    if (text == NULL)
        return 1;
    char *cursor = NULL;
    char *token = strtok_r(text, " \n\r", &cursor);
    int k = token ? atoi(token) : 0;
    Table table = {calloc(1024, sizeof(Entry)), 1023, 0};
    if (table.slots == NULL)
        return 1;
    while ((token = strtok_r(NULL, " \n\r", &cursor)) != NULL)
        if (!table_add(&table, token))
            return 1;
    Entry *entries = malloc((table.used + 1) * sizeof(Entry));
    size_t count = 0;
    for (size_t i = 0; i <= table.mask; i++)
        if (table.slots[i].word != NULL)
            entries[count++] = table.slots[i];
    qsort(entries, count, sizeof(Entry), by_count_then_word);
    for (size_t i = 0; i < count && i < (size_t)k; i++)
        printf("%s %d\n", entries[i].word, entries[i].count);
    free(entries);
    free(table.slots);
    free(text);
    return 0;
}
