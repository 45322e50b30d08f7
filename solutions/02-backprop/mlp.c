/* Chapter 02 reference: the multi-layer perceptron, its training and its
 * evaluation. */
#include "backprop.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Where layer l's W and b start in a params-shaped buffer. */
static size_t weight_offset(const mlp *net, size_t l)
{
    size_t off = 0;
    for (size_t k = 0; k < l; k++)
        off += net->sizes[k + 1] * (net->sizes[k] + 1);
    return off;
}

bool mlp_create(mlp *net, const size_t *sizes, size_t nlayers, mlp_activation act,
                dk_rng *rng)
{
    *net = (mlp){.nlayers = nlayers, .act = act};
    if (nlayers < 1 || nlayers > MLP_MAX_LAYERS)
        return false;
    for (size_t l = 0; l <= nlayers; l++) {
        if (sizes[l] == 0)
            return false;
        net->sizes[l] = sizes[l];
    }
    net->nparams = weight_offset(net, nlayers);
    net->params = malloc(net->nparams * sizeof *net->params);
    net->grads = calloc(net->nparams, sizeof *net->grads);
    if (!net->params || !net->grads) {
        mlp_free(net);
        return false;
    }
    float *p = net->params;
    for (size_t l = 0; l < nlayers; l++) {
        float k = 1.0f / sqrtf((float)sizes[l]);
        for (size_t i = 0; i < sizes[l + 1] * (sizes[l] + 1); i++)
            *p++ = dk_rng_range(rng, -k, k);
    }
    return true;
}

void mlp_free(mlp *net)
{
    free(net->params);
    free(net->grads);
    net->params = net->grads = NULL;
}

size_t mlp_acts_size(const mlp *net, size_t B)
{
    size_t n = 0;
    for (size_t l = 0; l + 1 < net->nlayers; l++)
        n += 2 * B * net->sizes[l + 1];
    return n;
}

static void activate(mlp_activation act, const float *z, size_t n, float *h)
{
    if (act == MLP_RELU)
        relu_forward(z, n, h);
    else if (act == MLP_SIGMOID)
        sigmoid_forward(z, n, h);
    else
        tanh_forward(z, n, h);
}

/* dz from dh, given the layer's input z and output h. */
static void activate_backward(mlp_activation act, const float *z, const float *h,
                              const float *dh, size_t n, float *dz)
{
    if (act == MLP_RELU)
        relu_backward(z, dh, n, dz);
    else if (act == MLP_SIGMOID)
        sigmoid_backward(h, dh, n, dz);
    else
        tanh_backward(h, dh, n, dz);
}

void mlp_forward(const mlp *net, const float *x, size_t B, float *acts, float *logits)
{
    const float *in = x;
    for (size_t l = 0; l < net->nlayers; l++) {
        const float *W = net->params + weight_offset(net, l);
        size_t n_in = net->sizes[l], n_out = net->sizes[l + 1];
        if (l + 1 == net->nlayers) {
            linear_forward(in, W, W + n_out * n_in, B, n_in, n_out, logits);
            break;
        }
        float *z = acts, *h = acts + B * n_out;
        linear_forward(in, W, W + n_out * n_in, B, n_in, n_out, z);
        activate(net->act, z, B * n_out, h);
        in = h;
        acts += 2 * B * n_out;
    }
}

/* Where hidden layer k's z starts in acts (its h follows, B*sizes[k+1]
 * floats later). */
static size_t hidden_offset(const mlp *net, size_t B, size_t k)
{
    size_t off = 0;
    for (size_t j = 0; j < k; j++)
        off += 2 * B * net->sizes[j + 1];
    return off;
}

void mlp_backward(mlp *net, const float *x, size_t B, const float *acts,
                  const float *dlogits, float *dacts)
{
    const float *dout = dlogits;
    for (size_t l = net->nlayers; l-- > 0;) {
        size_t n_in = net->sizes[l], n_out = net->sizes[l + 1];
        size_t w = weight_offset(net, l);
        /* The layer's input: x, or hidden layer l-1's h. */
        size_t h = l ? hidden_offset(net, B, l - 1) : 0;
        const float *in = l ? acts + h + B * n_in : x;
        float *din = l ? dacts + h + B * n_in : NULL;
        linear_backward(in, net->params + w, dout, B, n_in, n_out, din, net->grads + w,
                        net->grads + w + n_out * n_in);
        if (l == 0)
            break;
        activate_backward(net->act, acts + h, in, din, B * n_in, dacts + h);
        dout = dacts + h;
    }
}

void mlp_zero_grad(mlp *net)
{
    memset(net->grads, 0, net->nparams * sizeof *net->grads);
}

void mlp_sgd_step(mlp *net, float *velocity, float lr, float momentum)
{
    for (size_t i = 0; i < net->nparams; i++) {
        velocity[i] = momentum * velocity[i] + net->grads[i];
        net->params[i] -= lr * velocity[i];
    }
}

/* Buffers of one batch. */
typedef struct scratch {
    float *x, *acts, *dacts, *logits, *dlogits;
    int *labels;
    size_t *order;
} scratch;

static void scratch_free(scratch *s)
{
    free(s->x), free(s->acts), free(s->dacts), free(s->logits), free(s->dlogits);
    free(s->labels), free(s->order);
}

static bool scratch_alloc(scratch *s, const mlp *net, size_t B, size_t n)
{
    size_t acts = mlp_acts_size(net, B) + 1, C = net->sizes[net->nlayers];
    *s = (scratch){malloc(B * net->sizes[0] * sizeof(float)), malloc(acts * sizeof(float)),
                   malloc(acts * sizeof(float)), malloc(B * C * sizeof(float)),
                   malloc(B * C * sizeof(float)), malloc(B * sizeof(int)),
                   malloc((n ? n : 1) * sizeof(size_t))};
    if (s->x && s->acts && s->dacts && s->logits && s->dlogits && s->labels && s->order)
        return true;
    scratch_free(s);
    return false;
}

float mlp_train_epoch(mlp *net, const float *X, const int *y, size_t n,
                      const train_config *cfg, float *velocity, size_t *step,
                      dk_rng *rng)
{
    const size_t D = net->sizes[0], C = net->sizes[net->nlayers];
    scratch s;
    if (!scratch_alloc(&s, net, cfg->batch, n))
        return NAN;
    dk_rng_permutation(rng, s.order, n);
    double total = 0;
    for (size_t start = 0; start < n; start += cfg->batch) {
        size_t B = n - start < cfg->batch ? n - start : cfg->batch;
        for (size_t i = 0; i < B; i++) {
            memcpy(s.x + i * D, X + s.order[start + i] * D, D * sizeof(float));
            s.labels[i] = y[s.order[start + i]];
        }
        if (cfg->augment)
            cfg->augment(s.x, B, rng, cfg->augment_ctx);
        mlp_zero_grad(net);
        mlp_forward(net, s.x, B, s.acts, s.logits);
        total += (double)B * softmax_cross_entropy(s.logits, s.labels, B, C, s.dlogits);
        mlp_backward(net, s.x, B, s.acts, s.dlogits, s.dacts);
        mlp_sgd_step(net, velocity, cfg->lr_at(*step, cfg->lr_ctx), cfg->momentum);
        ++*step;
    }
    scratch_free(&s);
    return (float)(total / (double)(n ? n : 1));
}

float mlp_evaluate(const mlp *net, const float *X, const int *y, size_t n, size_t batch,
                   float *loss)
{
    const size_t D = net->sizes[0], C = net->sizes[net->nlayers];
    scratch s;
    if (!scratch_alloc(&s, net, batch, 0))
        return NAN;
    size_t right = 0;
    double total = 0;
    for (size_t start = 0; start < n; start += batch) {
        size_t B = n - start < batch ? n - start : batch;
        mlp_forward(net, X + start * D, B, s.acts, s.logits);
        total += (double)B * softmax_cross_entropy(s.logits, y + start, B, C, NULL);
        for (size_t i = 0; i < B; i++) {
            const float *row = s.logits + i * C;
            size_t best = 0;
            for (size_t j = 1; j < C; j++)
                best = row[j] > row[best] ? j : best;
            right += (int)best == y[start + i];
        }
    }
    scratch_free(&s);
    if (loss)
        *loss = (float)(total / (double)(n ? n : 1));
    return (float)right / (float)(n ? n : 1);
}
