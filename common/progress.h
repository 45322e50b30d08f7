/* A progress bar for training loops. On a terminal it redraws one line
 * (bar, percent, rate, time left, and the caller's status such as the loss);
 * elsewhere (a log file, CI) it prints a plain line at every tenth of a run
 * that lasts more than a second, and one line at the end. The columns of
 * every line keep their place (labels of up to 12 characters, counts padded
 * to the total's width), so that the lines of a run read as a table. */
#ifndef DLKIT_PROGRESS_H
#define DLKIT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dk_progress {
    const char *label; /* e.g. "epoch  3/10" (dk_progress_epoch_label) */
    const char *unit;  /* what is counted, e.g. "samples" */
    size_t total;
    double start, last_draw;
    int last_tenth;
    bool tty;
    char epoch_label[32]; /* dk_progress_start_epoch's label */
} dk_progress;

void dk_progress_start(dk_progress *p, const char *label, size_t total,
                       const char *unit);
/* done of total units; status (may be NULL) is appended to the line. */
void dk_progress_update(dk_progress *p, size_t done, const char *status);
/* Draws the final state (done of total) and ends the line. */
void dk_progress_end(dk_progress *p, size_t done, const char *status);
/* Ends the line of a run that stopped before its total on purpose, saying
 * why (e.g. "converged after 6 epochs") where the percentage would be: a
 * bar left at "6%" would read as a run cut short. */
void dk_progress_stop(dk_progress *p, size_t done, const char *why, const char *status);

/* "epoch  3/30" into buf: the epoch padded to the width of the last, so
 * that the labels of a run have one width. */
void dk_progress_epoch_label(char *buf, size_t len, size_t epoch, size_t epochs);

/* Epoch by epoch: dk_progress_start_epoch starts epoch `epoch` of `epochs`
 * over total units; dk_progress_end_epoch ends that epoch's line with
 * status and starts the next epoch's, unless it was the last. */
void dk_progress_start_epoch(dk_progress *p, size_t epoch, size_t epochs, size_t total,
                             const char *unit);
void dk_progress_end_epoch(dk_progress *p, size_t epoch, size_t epochs, const char *status);

/* The state a line shows. */
typedef struct dk_progress_at {
    size_t done;
    double elapsed;      /* seconds since the start */
    bool end;            /* the last line: the time taken, not the time left */
    const char *stopped; /* why the run stopped early (NULL: it did not) */
    const char *status;  /* may be NULL */
} dk_progress_at;

/* The text of one line, without "\r" or newline (what is drawn; tests read
 * it). */
void dk_progress_format(const dk_progress *p, const dk_progress_at *at, char *buf, size_t len);

#endif
