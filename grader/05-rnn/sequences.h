/* Chapter 05's tests of recurrent layers: the shapes they run on and the
 * helpers they share. */
#ifndef DLKIT_RNN_SEQUENCES_H
#define DLKIT_RNN_SEQUENCES_H

#include "grade.h"
#include "rnn.h"

/* D inputs, H units, T steps, B sequences. */
typedef struct seq_shape {
    size_t D, H, T, B;
} seq_shape;

/* T >= 5 everywhere, one input or one sequence, more inputs than units and
 * fewer; the first NSEQ_SMALL small enough for finite differences. */
extern const seq_shape SEQ_SHAPES[];
extern const size_t NSEQ_SHAPES;
enum { NSEQ_SMALL = 3 };

/* "D 3, H 4, T 6, B 2" (a static buffer). */
const char *describe_seq(const seq_shape *s);

void *alloc_or_die(size_t n, size_t size);

/* Parameters away from any initialisation: uniform in [-0.6, 0.6), biases
 * included, so that every part of the gradient counts. */
float *random_params(dk_rng *rng, size_t n);

/* Through T steps, float32's round-off (summed in another order than the
 * reference's) grows a little with every step it goes back. */
#define TOL_BPTT ((dk_tol){1e-4, 2e-5})

/* One named part of a parameter vector. */
typedef struct vec_part {
    const char *name;
    size_t at;
    dk_shape shape;
} vec_part;

/* The parts of a layer's vector: Wx, Wh, b. */
void cell_parts(cell_kind kind, size_t D, size_t H, vec_part parts[3]);

/* grads (a guarded, prefilled buffer of n) must hold its prefill plus want,
 * part by part in the order given: the first part named is the first
 * wrong, so list them in the backward pass's order. */
void expect_accumulated_parts(const vec_part *parts, size_t nparts, const float *want,
                              const float *grads, size_t n, dk_tol tol, const char *what);

/* The backward pass of a layer (kind) on every shape, against the
 * reference: dX, the weights' gradients (accumulated), dh0 (and dc0), then
 * again with dX, dh0 and dc0 NULL. Seeds from salt. */
void expect_layer_backward(cell_kind kind, uint64_t salt);

/* The same against finite differences of loss = sum(dhs * hs) on the small
 * shapes: Wx, Wh, b, X, h0 (and c0). */
void expect_layer_gradients_by_fd(cell_kind kind, uint64_t salt);

#endif
