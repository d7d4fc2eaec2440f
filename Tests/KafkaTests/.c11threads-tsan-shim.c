/*
 * ThreadSanitizer cannot follow librdkafka on glibc >= 2.34: Debian's librdkafka uses C11 threads
 * (thrd_create, mtx_*, cnd_*), and glibc implements those by calling its internal pthread
 * functions, bypassing TSan's interceptors; TSan then crashes in librdkafka's threads (SEGV in its
 * allocator). Preloading this file routes the C11 calls through the public pthread functions,
 * which TSan intercepts. For sanitizer runs only:
 *   gcc -shared -fPIC -O2 -o /tmp/c11threads-tsan-shim.so Tests/KafkaTests/.c11threads-tsan-shim.c
 *   LD_PRELOAD=/tmp/c11threads-tsan-shim.so swift test --sanitize=thread ...
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

static int map(int err) {
    switch (err) {
    case 0: return thrd_success;
    case ENOMEM: return thrd_nomem;
    case ETIMEDOUT: return thrd_timedout;
    case EBUSY: return thrd_busy;
    default: return thrd_error;
    }
}

struct start { thrd_start_t func; void *arg; };

static void *trampoline(void *raw) {
    struct start start = *(struct start *)raw;
    free(raw);
    return (void *)(intptr_t)start.func(start.arg);
}

int thrd_create(thrd_t *thr, thrd_start_t func, void *arg) {
    struct start *start = malloc(sizeof *start);
    if (!start) return thrd_nomem;
    start->func = func;
    start->arg = arg;
    int err = pthread_create((pthread_t *)thr, NULL, trampoline, start);
    if (err) free(start);
    return map(err);
}

int thrd_join(thrd_t thr, int *res) {
    void *result = NULL;
    int err = pthread_join((pthread_t)thr, &result);
    if (res) *res = (int)(intptr_t)result;
    return map(err);
}

int thrd_detach(thrd_t thr) { return map(pthread_detach((pthread_t)thr)); }

int mtx_init(mtx_t *m, int type) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    if (type & mtx_recursive) pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    int err = pthread_mutex_init((pthread_mutex_t *)m, &attr);
    pthread_mutexattr_destroy(&attr);
    return map(err);
}
int mtx_lock(mtx_t *m) { return map(pthread_mutex_lock((pthread_mutex_t *)m)); }
int mtx_trylock(mtx_t *m) { return map(pthread_mutex_trylock((pthread_mutex_t *)m)); }
int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict ts) {
    return map(pthread_mutex_timedlock((pthread_mutex_t *)m, ts));
}
int mtx_unlock(mtx_t *m) { return map(pthread_mutex_unlock((pthread_mutex_t *)m)); }
void mtx_destroy(mtx_t *m) { pthread_mutex_destroy((pthread_mutex_t *)m); }

int cnd_init(cnd_t *c) { return map(pthread_cond_init((pthread_cond_t *)c, NULL)); }
int cnd_signal(cnd_t *c) { return map(pthread_cond_signal((pthread_cond_t *)c)); }
int cnd_broadcast(cnd_t *c) { return map(pthread_cond_broadcast((pthread_cond_t *)c)); }
int cnd_wait(cnd_t *c, mtx_t *m) { return map(pthread_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m)); }
int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict ts) {
    return map(pthread_cond_timedwait((pthread_cond_t *)c, (pthread_mutex_t *)m, ts));
}
void cnd_destroy(cnd_t *c) { pthread_cond_destroy((pthread_cond_t *)c); }

void call_once(once_flag *flag, void (*func)(void)) { pthread_once((pthread_once_t *)flag, func); }
