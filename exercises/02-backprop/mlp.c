/* Chapter 02: the multi-layer perceptron, its training and evaluation. See
 * backprop.h and README.md. Replace each NOT_IMPLEMENTED() (and the (void)
 * lines) with your code; `make grade CH=02` tells you how you are doing. */
#include "backprop.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool mlp_create(mlp *net, const size_t *sizes, size_t nlayers, mlp_activation act,
                dk_rng *rng)
{
    (void)net, (void)sizes, (void)nlayers, (void)act, (void)rng;
    NOT_IMPLEMENTED();
}

void mlp_free(mlp *net)
{
    (void)net;
    NOT_IMPLEMENTED();
}

size_t mlp_acts_size(const mlp *net, size_t B)
{
    (void)net, (void)B;
    NOT_IMPLEMENTED();
}

void mlp_forward(const mlp *net, const float *x, size_t B, float *acts, float *logits)
{
    (void)net, (void)x, (void)B, (void)acts, (void)logits;
    NOT_IMPLEMENTED();
}

void mlp_backward(mlp *net, const float *x, size_t B, const float *acts,
                  const float *dlogits, float *dacts)
{
    (void)net, (void)x, (void)B, (void)acts, (void)dlogits, (void)dacts;
    NOT_IMPLEMENTED();
}

void mlp_zero_grad(mlp *net)
{
    (void)net;
    NOT_IMPLEMENTED();
}

void mlp_sgd_step(mlp *net, float *velocity, float lr, float momentum)
{
    (void)net, (void)velocity, (void)lr, (void)momentum;
    NOT_IMPLEMENTED();
}

float mlp_train_epoch(mlp *net, const float *X, const int *y, size_t n,
                      const train_config *cfg, float *velocity, size_t *step,
                      dk_rng *rng)
{
    (void)net, (void)X, (void)y, (void)n, (void)cfg, (void)velocity, (void)step, (void)rng;
    NOT_IMPLEMENTED();
}

float mlp_evaluate(const mlp *net, const float *X, const int *y, size_t n, size_t batch,
                   float *loss)
{
    (void)net, (void)X, (void)y, (void)n, (void)batch, (void)loss;
    NOT_IMPLEMENTED();
}
