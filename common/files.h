/* Small file-system helpers shared by the logs, the data fetcher and the
 * grader. */
#ifndef DLKIT_FILES_H
#define DLKIT_FILES_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* mkdir -p; false (and err) on failure. */
bool dk_mkdirs(const char *path, dk_err *err);
/* mkdir -p of the folder that holds path. */
bool dk_mkdirs_for(const char *path, dk_err *err);
/* Whole file into a malloc'd buffer with a terminating NUL (not counted in
 * *len). NULL (and err) on failure. */
char *dk_read_file(const char *path, size_t *len, dk_err *err);
/* True when path names an existing regular file. */
bool dk_file_exists(const char *path);
/* The drivers' output files: opens path for writing, creating its folder;
 * closes it, checking that everything was written. Either ends the program
 * with the reason when it fails. */
FILE *dk_create_or_exit(const char *path);
void dk_close_or_exit(FILE *f, const char *path);

#endif
