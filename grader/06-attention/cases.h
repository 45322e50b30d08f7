/* Chapter 06's tests: the shapes they run on and the helpers they share. */
#ifndef DLKIT_ATTENTION_CASES_H
#define DLKIT_ATTENTION_CASES_H

#include "attention.h"
#include "grade.h"

/* Attention on B sequences, H heads of dh features, T positions; padded:
 * the sequences' lengths differ (attn_lengths). One head and many, odd T,
 * dh not a power of two; the first NATTN_SMALL small enough for finite
 * differences. */
typedef struct attn_case {
    attn_shape s;
    bool padded;
} attn_case;

extern const attn_case ATTN_CASES[];
extern const size_t NATTN_CASES;
enum { NATTN_SMALL = 3 };

/* "B 2, H 3, T 7, dh 5, causal, padded" (a static buffer). */
const char *describe_attn(const attn_case *c);

/* The lengths of a padded case's sequences (B), from T down to at least 1,
 * or NULL when the case is not padded. Free with free(). */
int *attn_lengths(const attn_case *c);

/* Multi-head attention's cases: D features in H heads, B sequences of T. */
typedef struct mha_case {
    mha_config cfg;
    size_t B, T;
    bool padded;
} mha_case;

extern const mha_case MHA_CASES[];
extern const size_t NMHA_CASES;
enum { NMHA_SMALL = 2 };

const char *describe_mha(const mha_case *c);
int *mha_lengths(const mha_case *c);

void *alloc_or_die(size_t n, size_t size);

/* The loss sum(R * Y) of a forward pass's output Y against fixed weights R:
 * its gradient with respect to Y is R. */
double weighted_sum(const float *R, const float *Y, size_t n);

#endif
