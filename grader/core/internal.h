/* What the parts of the grader core share with each other, not with tests. */
#ifndef DLKIT_GRADER_INTERNAL_H
#define DLKIT_GRADER_INTERNAL_H

#include <stdbool.h>

/* Environment variable naming the run's folder for what each test's
 * process leaves for the runner (runner.c creates it, worker.c writes). */
#define DK_RUN_DIR_ENV "DK_GRADE_RUN_DIR"

/* File names in the run folder: "<test>.oom" when an allocation
 * failed under the memory limit, "<test>.out" what the test printed,
 * "<test>.ended" how it ended as soon as it did ("passed", or its first
 * failure), for when the runner is stopped before it writes the results. */
#define DK_OOM_SUFFIX ".oom"
#define DK_OUT_SUFFIX ".out"
#define DK_ENDED_SUFFIX ".ended"

/* Limits of one test's process. */
#define DK_MEMORY_LIMIT ((size_t)2 << 30)  /* address space, bytes */
#define DK_OUTPUT_LIMIT ((size_t)16 << 20) /* bytes written to any file */

#include "grade.h"

#include <stddef.h>

/* A test by name (runner.c), or NULL. */
const dk_graded *dk_graded_named(const char *name);
/* Notes in the run folder that an allocation failed (worker.c). */
void dk_note_out_of_memory(void);
/* Notes in the run folder how the test ended: failure is its first failed
 * check, NULL when it passed (worker.c). */
void dk_note_ended(const char *failure);

/* "element [2, 1] of shape (4, 3)" for the flat index of an element. */
void dk_describe_element(dk_shape shape, size_t flat, char *buf, size_t len);

/* Where a failed check goes instead of Criterion: `make debug` prints it
 * and aborts (so gdb stops there), the kit's own tests catch it. The
 * handler must not return. NULL restores Criterion. */
typedef void (*dk_fail_handler)(const char *message);
void dk_set_fail_handler(dk_fail_handler handler);

#endif
