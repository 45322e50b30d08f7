#define _GNU_SOURCE /* sched_getaffinity */
#include "parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>

typedef struct call {
    void (*run)(void *);
    void *arg;
} call;

static void *start(void *c)
{
    ((call *)c)->run(((call *)c)->arg);
    return NULL;
}

/* A thread per call, not a pool: starting one costs tens of microseconds,
 * a step of the chapters' networks milliseconds. */
void dk_run_both(void (*run)(void *), void *a, void *b)
{
    call second = {run, b};
    pthread_t thread;
    const bool started = b && pthread_create(&thread, NULL, start, &second) == 0;
    run(a);
    if (started)
        pthread_join(thread, NULL);
    else if (b)
        run(b);
}

/* Its affinity mask, not the machine's count: taskset, cgroups and
 * schedulers such as Slurm give a process fewer cores than the machine. */
int dk_cores(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 1 ? CPU_COUNT(&set) : 1;
}
