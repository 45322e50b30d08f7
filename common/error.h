/* Errors a user can cause end in one clear line and a non-zero exit;
 * functions that can fail report through a dk_err so that callers (and the
 * kit's tests) can read the message instead of crashing. */
#ifndef DLKIT_ERROR_H
#define DLKIT_ERROR_H

#include <stdbool.h>

/* A failure message for the user: what went wrong, where, and what to do. */
typedef struct dk_err {
    char msg[1024];
} dk_err;

/* Print "dlkit: <message>" on stderr and exit with status 1. */
_Noreturn void dk_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Fill err (when it is not NULL) and return false, so that a failing
 * function can end with `return dk_fail(err, ...);`. */
bool dk_fail(dk_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Exit status of a program that reached a stub (see NOT_IMPLEMENTED). */
#define DK_EXIT_NOT_IMPLEMENTED 3

/* Every stub calls this. Outside the grader it says which function to write
 * and exits; the grader replaces it (the definition here is weak) and scores
 * the test "not implemented: <function>". */
_Noreturn void dk_not_implemented(const char *func, const char *file);

#define NOT_IMPLEMENTED() dk_not_implemented(__func__, __FILE__)

#endif
