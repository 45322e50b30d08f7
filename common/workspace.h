/* Buffers that a program hands to the chapter's functions on every step: a
 * batch, its activations, their gradients, an optimizer's state.
 *
 * In the kit's programs, plain zeroed memory. Under the grader, the memory
 * shared with the student's process (grader/core/remote.h), so that each
 * call passes them as they are instead of copying megabytes in and out.
 * The student's code can then read and change them at any time: never put
 * there what it must not see or change unchecked (labels that score it,
 * expected values). */
#ifndef DLKIT_WORKSPACE_H
#define DLKIT_WORKSPACE_H

#include <stddef.h>

/* n elements of size bytes, zeroed; NULL when out of memory. */
void *dk_workspace_alloc(size_t n, size_t size);
/* Frees what dk_workspace_alloc returned (NULL: nothing). */
void dk_workspace_free(void *p);

#endif
