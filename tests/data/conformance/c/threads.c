#include <pthread.h>
#include <stdio.h>
#define N 8
static long long part[N];
static void *work(void *arg) {
    long id = (long)arg;
    long long s = 0;
    for (long i = 0; i < 10000000; i++) s += 1;
    part[id] = s;
    return NULL;
}
int main(void) {
    pthread_t t[N];
    for (long i = 0; i < N; i++) if (pthread_create(&t[i], NULL, work, (void *)i) != 0) { perror("pthread_create"); return 1; }
    long long total = 0;
    for (int i = 0; i < N; i++) { pthread_join(t[i], NULL); total += part[i]; }
    printf("sum %lld\n", total);
    return 0;
}
