/* The kit programs' workspace (workspace.h): the grader's test programs
 * link their own definitions, which use the shared region. */
#include "workspace.h"

#include <stdlib.h>

__attribute__((weak)) void *dk_workspace_alloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

__attribute__((weak)) void dk_workspace_free(void *p)
{
    free(p);
}
