#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 256
#define NAME_LEN 32

/* One stock line: sku, quantity and reorder level. */
struct item {
    char sku[NAME_LEN];
    int quantity;
    int reorder_level;
};

static int parse_line(const char *line, struct item *out)
{
    if (line == NULL || out == NULL) {
        return -1;
    }
    if (sscanf(line, "%31[^,],%d,%d", out->sku, &out->quantity, &out->reorder_level) != 3) {
        return -1;
    }
    return out->quantity >= 0 && out->reorder_level >= 0 ? 0 : -1;
}

static int load_items(FILE *in, struct item *items, int max_items)
{
    char line[128];
    int count = 0;
    while (count < max_items && fgets(line, sizeof line, in) != NULL) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        if (parse_line(line, &items[count]) == 0) {
            count++;
        }
    }
    return count;
}

static const char *classify(const struct item *it)
{
    if (it->quantity == 0) {
        return "out";
    } else if (it->quantity <= it->reorder_level) {
        return "low";
    } else if (it->quantity > 10 * it->reorder_level || it->reorder_level == 0) {
        return "excess";
    }
    return "ok";
}

static int reorder_quantity(const struct item *it, int pending)
{
    int shortfall = it->reorder_level * 2 - it->quantity - pending;
    return shortfall > 0 ? shortfall : 0;
}

static const char *describe(int code)
{
    switch (code) {
    case 0:
        return "none";
    case 1:
        return "single";
    default:
        return "many";
    }
}

int main(void)
{
    struct item items[MAX_ITEMS];
    int n = load_items(stdin, items, MAX_ITEMS);
    int i;
    for (i = 0; i < n; i++) {
        printf("%s %s %d %s\n", items[i].sku, classify(&items[i]),
               reorder_quantity(&items[i], 0), describe(items[i].quantity));
    }
    return 0;
}
