/* Chapter 01, the perceptron: the contract between your code and the kit.
 *
 * You write the functions declared here, in activations.c and perceptron.c
 * (the files listed in MANIFEST). The grader calls them exactly as
 * documented; read each comment before you start.
 *
 * Conventions: arrays are float, row-major; a (n, d) array X holds sample
 * i's feature j at X[i*d + j]. Labels are ints, 0 or 1. The caller
 * allocates every array; no function here allocates memory. */
#ifndef DLKIT_PERCEPTRON_H
#define DLKIT_PERCEPTRON_H

#include <stddef.h>

/* ---- Activations and their derivatives (activations.c) --------------- */

/* The step function: 1 when x >= 0, else 0. The contract fixes the value at
 * 0: act_heaviside(0) = act_heaviside(-0.0f) = 1. */
float act_heaviside(float x);

/* Values are graded within 1e-5 relative plus 1e-6 absolute of the exact
 * ones (see README.md), and must be finite for EVERY float x, +-inf
 * included: e^x overflows float32 above x = 88.7, and inf / inf is NaN. */

/* The logistic sigmoid 1 / (1 + e^-x): act_sigmoid(1000) = 1,
 * act_sigmoid(-1000) = 0, never NaN. */
float act_sigmoid(float x);

/* d act_sigmoid / dx, evaluated at the input x (not at an output). */
float act_sigmoid_grad(float x);

/* The hyperbolic tangent: act_tanh(+-1000) = +-1; near 0 accurate to 1e-5
 * relative (act_tanh(1e-6) = 1e-6). You may call tanhf, but building it
 * from exponentials is the point. */
float act_tanh(float x);

/* d act_tanh / dx at the input x. */
float act_tanh_grad(float x);

/* The rectifier max(0, x). */
float act_relu(float x);

/* d act_relu / dx at x; the contract (like PyTorch) sets it to 0 at x = 0. */
float act_relu_grad(float x);

/* ---- The perceptron (perceptron.c) ------------------------------------ */

/* The perceptron's output for one sample: act_heaviside(w . x + b).
 * w and x are (d,). Returns 0 or 1. */
int perceptron_predict(const float *w, float b, const float *x, size_t d);

/* perceptron_predict for each of n samples: X is (n, d), out is (n,). */
void perceptron_predict_batch(const float *w, float b, const float *X,
                              size_t n, size_t d, int *out);

/* Rosenblatt's learning rule for one sample x (d,) with label y (0 or 1):
 *     err = y - perceptron_predict(w, *b, x, d)     (-1, 0 or +1)
 *     w[j] += lr * err * x[j]   for every j
 *     *b   += lr * err
 * Returns 1 when the sample was misclassified (err != 0), else 0. */
int perceptron_update(float *w, float *b, const float *x, size_t d, int y,
                      float lr);

/* Called after each epoch of perceptron_train: epoch counts from 1,
 * mistakes is how many updates that epoch made. */
typedef void (*perceptron_epoch_fn)(size_t epoch, size_t mistakes, void *ctx);

typedef struct perceptron_result {
    int converged;    /* 1 when the last epoch made no mistake */
    size_t epochs;    /* epochs run */
    size_t mistakes;  /* mistakes in the last epoch */
} perceptron_result;

/* Trains from the w (d,) and *b the caller initialised: epochs of
 * perceptron_update over samples 0..n-1 of X (n, d) and y (n,), in that
 * order, until an epoch makes no mistake (converged) or max_epochs epochs
 * have run. After every epoch, calls on_epoch(epoch, mistakes, ctx) unless
 * on_epoch is NULL. */
perceptron_result perceptron_train(float *w, float *b, const float *X,
                                   const int *y, size_t n, size_t d, float lr,
                                   size_t max_epochs, perceptron_epoch_fn on_epoch,
                                   void *ctx);

/* ---- Logic gates (perceptron.c) --------------------------------------- */

/* Weights chosen by hand, no training: fill w (2,) and *b so that
 * perceptron_predict(w, *b, x, 2) is x0 AND x1 (resp. x0 OR x1) for every x
 * in {0,1}^2. */
void and_gate(float *w, float *b);
void or_gate(float *w, float *b);

/* XOR is not linearly separable, so no single perceptron computes it (watch
 * perceptron_train fail on it); two layers of perceptrons do. Fill a hidden
 * layer of two perceptrons, W1 (2, 2) row-major and b1 (2,), and an output
 * perceptron w2 (2,), *b2, so that for every x in {0,1}^2
 *     h[k] = act_heaviside(W1[k*2+0]*x0 + W1[k*2+1]*x1 + b1[k])
 *     act_heaviside(w2[0]*h[0] + w2[1]*h[1] + *b2) == x0 XOR x1. */
void xor_network(float *W1, float *b1, float *w2, float *b2);

/* ---- Decision boundary, for the plot (perceptron.c) ------------------ */

/* The part of the line w[0]*x + w[1]*y + b = 0 inside the box
 * box = {xmin, xmax, ymin, ymax}, as its two end points on the box's border:
 * seg = {xa, ya, xb, yb}. Returns 1, or 0 (seg untouched) when w is zero or
 * the line does not cross the box. */
int decision_boundary(const float *w, float b, const float *box, float *seg);

#endif
