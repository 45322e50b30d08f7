/* Chapter 04 reference: a LeNet-style network from the chapter's layers
 * and chapter 02's linear layer and ReLU. */
#include "cnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

lenet_shapes lenet_shapes_of(const lenet_config *cfg, size_t B)
{
    const size_t k = LENET_KERNEL, p = LENET_POOL;
    lenet_shapes s = {.conv1 = {B, cfg->H, cfg->W, cfg->C, cfg->c1, k, k, 1, LENET_PAD1}};
    const size_t h1 = conv2d_out_size(cfg->H, k, 1, LENET_PAD1);
    const size_t w1 = conv2d_out_size(cfg->W, k, 1, LENET_PAD1);
    s.pool1 = (pool_shape){B, h1, w1, cfg->c1, p, p};
    const size_t ph = conv2d_out_size(h1, p, p, 0), pw = conv2d_out_size(w1, p, p, 0);
    s.conv2 = (conv2d_shape){B, ph, pw, cfg->c1, cfg->c2, k, k, 1, 0};
    const size_t h2 = conv2d_out_size(ph, k, 1, 0), w2 = conv2d_out_size(pw, k, 1, 0);
    s.pool2 = (pool_shape){B, h2, w2, cfg->c2, p, p};
    s.flat = conv2d_out_size(h2, p, p, 0) * conv2d_out_size(w2, p, p, 0) * cfg->c2;
    return s;
}

/* Where each parameter starts in params (and grads). */
typedef struct offsets {
    size_t W1, b1, W2, b2, W3, b3, W4, b4, total;
} offsets;

static offsets offsets_of(const lenet_config *c, size_t flat)
{
    const size_t kk = LENET_KERNEL * LENET_KERNEL;
    offsets o = {.W1 = 0};
    o.b1 = o.W1 + c->c1 * kk * c->C;
    o.W2 = o.b1 + c->c1;
    o.b2 = o.W2 + c->c2 * kk * c->c1;
    o.W3 = o.b2 + c->c2;
    o.b3 = o.W3 + c->hidden * flat;
    o.W4 = o.b3 + c->hidden;
    o.b4 = o.W4 + c->classes * c->hidden;
    o.total = o.b4 + c->classes;
    return o;
}

static offsets offsets_of_net(const lenet *net)
{
    return offsets_of(&net->cfg, lenet_shapes_of(&net->cfg, 1).flat);
}

/* n values drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
static float *draw(float *p, size_t n, size_t fan_in, dk_rng *rng)
{
    const float k = 1.0f / sqrtf((float)fan_in);
    for (size_t i = 0; i < n; i++)
        *p++ = dk_rng_range(rng, -k, k);
    return p;
}

bool lenet_create(lenet *net, const lenet_config *cfg, dk_rng *rng)
{
    *net = (lenet){.cfg = *cfg};
    const size_t flat = lenet_shapes_of(cfg, 1).flat, kk = LENET_KERNEL * LENET_KERNEL;
    if (!cfg->C || !cfg->c1 || !cfg->hidden || !cfg->classes || !flat)
        return false; /* flat = 0 covers H, W and c2 = 0 */
    const offsets o = offsets_of(cfg, flat);
    net->nparams = o.total;
    net->params = malloc(o.total * sizeof *net->params);
    net->grads = calloc(o.total, sizeof *net->grads);
    if (!net->params || !net->grads) {
        lenet_free(net);
        return false;
    }
    /* each layer's W then b, with the layer's fan-in */
    const size_t fan_in[4] = {kk * cfg->C, kk * cfg->c1, flat, cfg->hidden};
    const size_t weights[4] = {o.b1 - o.W1, o.b2 - o.W2, o.b3 - o.W3, o.b4 - o.W4};
    const size_t biases[4] = {cfg->c1, cfg->c2, cfg->hidden, cfg->classes};
    float *p = net->params;
    for (int l = 0; l < 4; l++)
        p = draw(p, weights[l] + biases[l], fan_in[l], rng);
    return true;
}

void lenet_free(lenet *net)
{
    free(net->params);
    free(net->grads);
    net->params = net->grads = NULL;
}

void lenet_zero_grad(lenet *net)
{
    memset(net->grads, 0, net->nparams * sizeof *net->grads);
}

/* The floats of each array of lenet_acts, in its order. */
static void acts_sizes(const lenet *net, size_t B, size_t sizes[10])
{
    const lenet_shapes s = lenet_shapes_of(&net->cfg, B);
    const size_t z1 = B * s.pool1.H * s.pool1.W * s.pool1.C;
    const size_t p1 = B * s.conv2.H * s.conv2.W * s.conv2.C;
    const size_t z2 = B * s.pool2.H * s.pool2.W * s.pool2.C;
    const size_t z3 = B * net->cfg.hidden;
    const size_t all[10] = {conv2d_cols_size(&s.conv1), z1, z1, p1,
                            conv2d_cols_size(&s.conv2), z2, z2, B * s.flat, z3, z3};
    memcpy(sizes, all, sizeof all);
}

size_t lenet_acts_size(const lenet *net, size_t B)
{
    size_t sizes[10], total = 0;
    acts_sizes(net, B, sizes);
    for (int i = 0; i < 10; i++)
        total += sizes[i];
    return total;
}

lenet_acts lenet_acts_in(const lenet *net, size_t B, float *buf)
{
    size_t sizes[10];
    acts_sizes(net, B, sizes);
    float *at[10];
    for (int i = 0; i < 10; i++) {
        at[i] = buf;
        buf += sizes[i];
    }
    return (lenet_acts){at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7], at[8], at[9]};
}

/* x (B, H, W, C) -> acts, logits (B, classes) */
void lenet_forward(const lenet *net, const float *x, size_t B, float *acts, float *logits)
{
    const lenet_shapes s = lenet_shapes_of(&net->cfg, B);
    const lenet_acts a = lenet_acts_in(net, B, acts);
    const offsets o = offsets_of_net(net);
    const float *p = net->params;
    const size_t hidden = net->cfg.hidden, n1 = (size_t)(a.h1 - a.z1), n2 = (size_t)(a.h2 - a.z2);
    conv2d_forward(x, p + o.W1, p + o.b1, &s.conv1, a.cols1, a.z1);
    relu_forward(a.z1, n1, a.h1);
    maxpool_forward(a.h1, &s.pool1, a.p1);
    conv2d_forward(a.p1, p + o.W2, p + o.b2, &s.conv2, a.cols2, a.z2);
    relu_forward(a.z2, n2, a.h2);
    maxpool_forward(a.h2, &s.pool2, a.p2);
    linear_forward(a.p2, p + o.W3, p + o.b3, B, s.flat, hidden, a.z3); /* p2 is (B, flat) */
    relu_forward(a.z3, B * hidden, a.h3);
    linear_forward(a.h3, p + o.W4, p + o.b4, B, hidden, net->cfg.classes, logits);
}

/* dlogits (B, classes) -> net->grads +=, through dacts (scratch) */
void lenet_backward(lenet *net, size_t B, const float *acts, const float *dlogits,
                    float *dacts)
{
    const lenet_shapes s = lenet_shapes_of(&net->cfg, B);
    const lenet_acts a = lenet_acts_in(net, B, (float *)acts); /* only read */
    const lenet_acts d = lenet_acts_in(net, B, dacts);
    const offsets o = offsets_of_net(net);
    const float *p = net->params;
    float *g = net->grads;
    const size_t hidden = net->cfg.hidden, n1 = (size_t)(a.h1 - a.z1), n2 = (size_t)(a.h2 - a.z2);
    linear_backward(a.h3, p + o.W4, dlogits, B, hidden, net->cfg.classes, d.h3, g + o.W4,
                    g + o.b4);
    relu_backward(a.z3, d.h3, B * hidden, d.z3);
    linear_backward(a.p2, p + o.W3, d.z3, B, s.flat, hidden, d.p2, g + o.W3, g + o.b3);
    maxpool_backward(a.h2, d.p2, &s.pool2, d.h2);
    relu_backward(a.z2, d.h2, n2, d.z2);
    conv2d_backward(a.cols2, p + o.W2, d.z2, &s.conv2, d.cols2, d.p1, g + o.W2, g + o.b2);
    maxpool_backward(a.h1, d.p1, &s.pool1, d.h1);
    relu_backward(a.z1, d.h1, n1, d.z1);
    /* the images need no gradient: conv1 skips dx */
    conv2d_backward(a.cols1, p + o.W1, d.z1, &s.conv1, NULL, NULL, g + o.W1, g + o.b1);
}
