/* One short mode for every training driver, set the same way everywhere:
 * DLKIT_SHORT=1 in the environment. A driver then trains a small fixed
 * number of epochs (or, for drivers that train by steps, steps) on a slice
 * of its data, both fixed in the driver and said on the run's first line.
 * make check draws every chapter's plots from such runs, and a student can
 * try the whole pipeline in seconds. Unset, empty or 0: the full run. */
#ifndef DLKIT_SHORTRUN_H
#define DLKIT_SHORTRUN_H

#include <stdbool.h>
#include <stddef.h>

/* Whether DLKIT_SHORT asks for a short run; then prints
 * "short run (DLKIT_SHORT=1): <what>" on stdout, what being the driver's
 * printf-style description of its slice. Any other value of DLKIT_SHORT
 * than 0 or 1 ends the program with a message. */
bool dk_short_run(const char *what, ...) __attribute__((format(printf, 1, 2)));

/* The size of a slice of the first cap of n samples. */
static inline size_t dk_slice(size_t n, size_t cap)
{
    return n < cap ? n : cap;
}

#endif
