#include "shortrun.h"

#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dk_short_run(const char *what, ...)
{
    const char *v = getenv("DLKIT_SHORT");
    if (!v || !*v || strcmp(v, "0") == 0)
        return false;
    if (strcmp(v, "1") != 0)
        dk_fatal("DLKIT_SHORT is 1 (a short run) or 0 (the full run), not '%s'", v);
    va_list ap;
    va_start(ap, what);
    printf("short run (DLKIT_SHORT=1): ");
    vprintf(what, ap);
    putchar('\n');
    va_end(ap);
    fflush(stdout);
    return true;
}
