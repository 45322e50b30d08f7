/* Chapter 02's structs across the two processes of a test (the call layer,
 * calls.c, uses these; grader/core/remote.h says why). */
#ifndef DLKIT_MARSHAL_02_H
#define DLKIT_MARSHAL_02_H

#include "backprop.h"
#include "remote.h"

#ifdef DK_TEST_SIDE
/* The network's params and grads with it; afterwards, what the student's
 * code put there (mlp_create's arrays) is checked to lie in its memory. */
mlp *dk_share_mlp(dk_call *c, const mlp *net);
/* A copy whose callbacks are slots run in the test process. */
train_config *dk_share_train_config(dk_call *c, const train_config *cfg);
/* After mlp_create: a network of the sizes asked for, with its arrays. */
void dk_check_created_mlp(bool made, const mlp *net, const size_t *sizes, size_t nlayers);
/* mlp_acts_size by the contract's formula, for the sizes of arrays. */
size_t mlp_acts_size_of(const mlp *net, size_t B);
#else
void dk_fix_mlp(void *net);
/* Puts the student side's stand-ins where the test side put slots. */
void dk_fix_train_config(void *config);
#endif

#endif
