/* Scores the kit's drivers compute from a model's outputs (kit code: a
 * student's own evaluation, chapter 02's mlp_evaluate, writes its own). */
#ifndef DLKIT_METRICS_H
#define DLKIT_METRICS_H

#include <stddef.h>

/* For each of the B rows of logits (B, C): the predicted class, the first
 * largest logit (pred[i], unless pred is NULL). Returns how many
 * predictions equal labels (B,). */
size_t dk_count_correct(const float *logits, size_t B, size_t C, const int *labels, int *pred);

#endif
