/* A progress bar for training loops. On a terminal it redraws one line
 * (bar, percent, rate, time left, and the caller's status such as the loss);
 * elsewhere (a log file, CI) it prints a plain line at every tenth of a run
 * that lasts more than a second, and one line at the end. */
#ifndef DLKIT_PROGRESS_H
#define DLKIT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dk_progress {
    const char *label; /* e.g. "epoch 3/10" */
    const char *unit;  /* what is counted, e.g. "samples" */
    size_t total;
    double start, last_draw;
    int last_tenth;
    bool tty;
} dk_progress;

void dk_progress_start(dk_progress *p, const char *label, size_t total,
                       const char *unit);
/* done of total units; status (may be NULL) is appended to the line. */
void dk_progress_update(dk_progress *p, size_t done, const char *status);
/* Draws the final state (done of total: a run may stop early) and ends
 * the line. */
void dk_progress_end(dk_progress *p, size_t done, const char *status);

#endif
