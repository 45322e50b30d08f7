/* CSV logs of training runs: one header line, then one row per step or
 * epoch. The log is written to "<path>.tmp" and renamed to <path> when it is
 * closed, so an interrupted run never leaves a half-written log in place of
 * the last complete one. */
#ifndef DLKIT_CSVLOG_H
#define DLKIT_CSVLOG_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct dk_csvlog dk_csvlog;

/* columns is the header, comma-separated, e.g. "epoch,train_loss,test_acc".
 * Creates the folders of path. NULL (and err filled) on failure. */
dk_csvlog *dk_csvlog_open(const char *path, const char *columns, dk_err *err);
/* One row: as many values as the header has columns. NaN is written "nan". */
void dk_csvlog_row(dk_csvlog *log, const double *values);
/* Flush, close and rename into place. false (and err) on a write error. */
bool dk_csvlog_close(dk_csvlog *log, dk_err *err);

/* The same for programs with nothing better to do on failure than to say
 * why and exit (dk_fatal): the drivers and studies. */
dk_csvlog *dk_csvlog_open_or_exit(const char *path, const char *columns);
void dk_csvlog_close_or_exit(dk_csvlog *log);

#endif
