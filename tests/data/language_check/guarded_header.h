/* A C header in the shape of single-file libraries (stb, cJSON): the declarations sit in an
   `extern "C"` block that only a C++ compiler sees, so its braces open and close in two
   different #ifdef branches, which tree-sitter's C grammar cannot follow. */
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct word_stats {
    size_t words;
    size_t lines;
    size_t longest;
} word_stats;

word_stats word_stats_of(const char *text);
size_t word_stats_total(const word_stats *stats, size_t count);

#ifdef __cplusplus
}
#endif

#ifdef WORD_STATS_IMPLEMENTATION

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

word_stats word_stats_of(const char *text)
{
    word_stats stats = {0, 0, 0};
    size_t current = 0;
    for (; *text; text++) {
        if (*text == '\n') {
            stats.lines++;
        }
        if (is_space(*text)) {
            if (current > stats.longest) {
                stats.longest = current;
            }
            current = 0;
        } else {
            if (current == 0) {
                stats.words++;
            }
            current++;
        }
    }
    if (current > stats.longest) {
        stats.longest = current;
    }
    return stats;
}

size_t word_stats_total(const word_stats *stats, size_t count)
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        total += stats[i].words;
    }
    return total;
}

#endif /* WORD_STATS_IMPLEMENTATION */
