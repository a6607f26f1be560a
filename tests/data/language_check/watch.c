#include <stdio.h>
#include <stdlib.h>

#include <watch.h>

watch_loop_t *loop;

void on_change(watch_event_t *event, int flags, int status) {
    char name[512];
    size_t size = 511;
    // Names longer than the buffer are cut.
    watch_event_name(event, name, &size);
    name[size] = '\0';

    fprintf(stderr, "change in %s: ", name);
    if (flags & WATCH_RENAMED)
        fprintf(stderr, "renamed");
    if (flags & WATCH_CHANGED)
        fprintf(stderr, "changed");
    if (status != 0)
        fprintf(stderr, " (status %d)", status);
    fprintf(stderr, "\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s <file> [file ...]\n", argv[0]);
        return 1;
    }

    loop = watch_default_loop();

    while (argc-- > 1) {
        fprintf(stderr, "watching %s\n", argv[argc]);
        watch_event_t *event = malloc(sizeof(watch_event_t));
        watch_event_init(loop, event);
        watch_event_start(event, on_change, argv[argc], WATCH_RECURSIVE);
    }

    return watch_run(loop);
}
