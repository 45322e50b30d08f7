#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void dk_fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fputs("dlkit: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

bool dk_fail(dk_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return false;
}

__attribute__((weak)) void dk_not_implemented(const char *func, const char *file)
{
    fflush(stdout);
    fprintf(stderr,
            "dlkit: not implemented: %s (in %s).\n"
            "       Write it, then run `make grade` to check it.\n",
            func, file);
    exit(DK_EXIT_NOT_IMPLEMENTED);
}
