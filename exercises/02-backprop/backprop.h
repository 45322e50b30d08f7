/* Chapter 02, backpropagation: the contract between your code and the kit.
 *
 * You write the functions declared here, in layers.c, losses.c, mlp.c and
 * gradcheck.c (the files listed in MANIFEST). The grader calls them exactly
 * as documented; read each comment before you start.
 *
 * Conventions (as in llm.c): arrays are float, row-major, with their shape
 * in the comment; a (B, n) array holds sample i's feature j at [i*n + j].
 * B is the batch size. The caller allocates every array unless a function
 * says otherwise. Outputs are overwritten, except parameter gradients,
 * which ACCUMULATE (+=) like PyTorch's .grad: mlp_zero_grad clears them.
 * Matrix products go through dk_sgemm (common/blas.h): the lesson is which
 * products, with which transposes, not the triple loop. */
#ifndef DLKIT_BACKPROP_H
#define DLKIT_BACKPROP_H

#include "rng.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- Layers (layers.c) -------------------------------------------------- */

/* y = x W^T + b, PyTorch's nn.Linear.
 * x (B, in), W (out, in), b (out,) -> y (B, out). */
void linear_forward(const float *x, const float *W, const float *b, size_t B,
                    size_t in, size_t out, float *y);

/* From dy = dLoss/dy (B, out):
 *   dx  = dy W      (B, in), overwritten; skipped when dx is NULL
 *   dW += dy^T x    (out, in), accumulated
 *   db += sum over the batch of dy   (out,), accumulated */
void linear_backward(const float *x, const float *W, const float *dy, size_t B,
                     size_t in, size_t out, float *dx, float *dW, float *db);

/* Elementwise activations over n values. relu_backward takes the layer's
 * input x (the slope is 1 where x > 0, and 0 elsewhere, at 0 too);
 * sigmoid_backward and tanh_backward take the layer's output y, from which
 * their derivatives follow. dx = dy * slope, overwritten. */
void relu_forward(const float *x, size_t n, float *y);
void relu_backward(const float *x, const float *dy, size_t n, float *dx);
void sigmoid_forward(const float *x, size_t n, float *y);
void sigmoid_backward(const float *y, const float *dy, size_t n, float *dx);
void tanh_forward(const float *x, size_t n, float *y);
void tanh_backward(const float *y, const float *dy, size_t n, float *dx);

/* ---- Losses (losses.c) --------------------------------------------------- */

/* Mean squared error over all B*n elements of y and t (B, n):
 * L = mean((y - t)^2). dy = dL/dy (B, n), overwritten, unless NULL.
 * Returns L. */
float mse_loss(const float *y, const float *t, size_t B, size_t n, float *dy);

/* Row-wise softmax of logits (B, C) into p (B, C); finite and exact to a
 * few ulps for any finite logits (1000 included). */
void softmax(const float *logits, size_t B, size_t C, float *p);

/* Cross-entropy of softmax(logits) against integer labels (B,) in [0, C),
 * averaged over the batch: L = -mean_i log softmax(logits_i)[labels_i],
 * through log-sum-exp, finite for logits of 1000.
 * dlogits = (softmax(logits) - onehot(labels)) / B (B, C), overwritten,
 * unless NULL. Returns L. */
float softmax_cross_entropy(const float *logits, const int *labels, size_t B,
                            size_t C, float *dlogits);

/* ---- The network (mlp.c) ------------------------------------------------- */

typedef enum mlp_activation { MLP_RELU, MLP_SIGMOID, MLP_TANH } mlp_activation;

enum { MLP_MAX_LAYERS = 8 };

/* A multi-layer perceptron: nlayers linear layers, sizes[0] inputs,
 * sizes[nlayers] outputs (the logits), the activation after every linear
 * layer but the last. All parameters live in one buffer, in this order:
 *   W_0 (sizes[1], sizes[0]), b_0 (sizes[1]), W_1 (sizes[2], sizes[1]), ...
 * and their gradients in another with the same layout. */
typedef struct mlp {
    size_t nlayers;
    size_t sizes[MLP_MAX_LAYERS + 1];
    mlp_activation act;
    size_t nparams;  /* floats in params (and in grads) */
    float *params;
    float *grads;
} mlp;

/* Allocates params and grads (1 <= nlayers <= MLP_MAX_LAYERS). Each W_l
 * and b_l is drawn uniformly from [-k, k] with k = 1/sqrt(sizes[l]), like
 * PyTorch's nn.Linear, with dk_rng_range(rng, -k, k) in the order of the
 * layout; grads are zero. Returns false (nothing allocated) when nlayers is
 * out of range, a size is 0, or memory runs out. */
bool mlp_create(mlp *net, const size_t *sizes, size_t nlayers, mlp_activation act,
                dk_rng *rng);
void mlp_free(mlp *net);

/* Floats of the activation buffer of a batch of B: for each hidden layer
 * l = 0 .. nlayers-2, its linear output z_l then its activation h_l,
 * (B, sizes[l+1]) each, in that order. */
size_t mlp_acts_size(const mlp *net, size_t B);

/* Forward pass of x (B, sizes[0]): fills acts (mlp_acts_size floats, layout
 * above) and logits (B, sizes[nlayers]). */
void mlp_forward(const mlp *net, const float *x, size_t B, float *acts, float *logits);

/* Backward pass from dlogits (B, sizes[nlayers]), for the x and acts of
 * the forward pass: accumulates every parameter's gradient into
 * net->grads. dacts is scratch of mlp_acts_size floats. */
void mlp_backward(mlp *net, const float *x, size_t B, const float *acts,
                  const float *dlogits, float *dacts);

void mlp_zero_grad(mlp *net);

/* SGD with momentum, PyTorch's convention, for every parameter p with
 * gradient g and velocity v (velocity has nparams floats, zero at first):
 *   v = momentum * v + g;  p -= lr * v.
 * momentum = 0 is plain SGD. */
void mlp_sgd_step(mlp *net, float *velocity, float lr, float momentum);

/* How mlp_train_epoch trains. */
typedef struct train_config {
    size_t batch;     /* samples per step (the epoch's last batch may be smaller) */
    float momentum;
    /* the learning rate of step `step`, counted from 0 over the whole run */
    float (*lr_at)(size_t step, void *ctx);
    void *lr_ctx;
    /* applied to each batch's copy of its inputs (B, sizes[0]), or NULL */
    void (*augment)(float *x, size_t B, dk_rng *rng, void *ctx);
    void *augment_ctx;
} train_config;

/* One epoch over X (n, sizes[0]) with labels y (n,): the order of the
 * samples is dk_rng_permutation(rng, order, n); then, batch by batch in
 * that order: copy the inputs, augment the copy (with rng), zero_grad,
 * forward, softmax_cross_entropy, backward, and mlp_sgd_step with
 * lr = cfg->lr_at(*step, cfg->lr_ctx); then ++*step. velocity (nparams)
 * carries the momentum from one call to the next. Returns the mean
 * training loss over the epoch's samples (each batch's loss weighted by its
 * size). Allocates its own scratch. */
float mlp_train_epoch(mlp *net, const float *X, const int *y, size_t n,
                      const train_config *cfg, float *velocity, size_t *step,
                      dk_rng *rng);

/* The accuracy of net on X (n, sizes[0]) against y (n,): the fraction of
 * samples whose largest logit (the first one, on ties) is at their label,
 * in batches of `batch`. *loss (unless NULL) gets the mean cross-entropy. */
float mlp_evaluate(const mlp *net, const float *X, const int *y, size_t n, size_t batch,
                   float *loss);

/* ---- Your own gradient checker (gradcheck.c) ----------------------------- */

/* The loss at the current values of the parameters. */
typedef double (*loss_fn)(void *ctx);

typedef struct gradcheck_result {
    double worst;     /* the largest relative error */
    size_t index;     /* where (the first such element) */
    double analytic;  /* grad[index] */
    double numeric;   /* the central difference there */
} gradcheck_result;

/* Compares grad (n,) with central differences of loss in params (n,): for
 * each i, set params[i] to v + eps and to v - eps (v its value, restored
 * afterwards), and take numeric = (L+ - L-) / (2 eps) in double. The
 * relative error of element i is |a - numeric| / max(|a|, |numeric|, 1e-6)
 * with a = grad[i]. Fills *result and returns true when the worst relative
 * error is at most tol. */
bool gradient_check(loss_fn loss, void *ctx, float *params, const float *grad, size_t n,
                    float eps, double tol, gradcheck_result *result);

#endif
