/* Chapter 03's early-stopping state across the two processes of a test
 * (the call layer, calls.c, uses these; grader/core/remote.h says why). */
#ifndef DLKIT_MARSHAL_03_H
#define DLKIT_MARSHAL_03_H

#include "remote.h"
#include "training.h"

#ifdef DK_TEST_SIDE
/* The state with the caller's best_params (es->n floats). */
early_stopping *dk_share_early_stopping(dk_call *c, const early_stopping *es);
/* After early_stopping_init: the state keeps the caller's array (shared
 * is the copy the student's code saw). */
void dk_after_early_stopping_init(early_stopping *es, float *best_params, const float *shared);
#else
void dk_fix_early_stopping(void *es);
#endif

#endif
