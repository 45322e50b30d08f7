/* Wall-clock time for progress, logs and benchmarks. */
#ifndef DLKIT_TIMER_H
#define DLKIT_TIMER_H

/* Seconds on a monotonic clock (only differences are meaningful). */
double dk_seconds(void);

#endif
