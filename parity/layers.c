/* make parity, the kit's side: every layer of the reference solutions of
 * chapters 01-07 (parity/README.md lists them) run on random shapes and
 * inputs, its inputs and outputs written out for parity/compare.py to
 * recompute with PyTorch (llm.c's test_gpt2.c, one layer at a time).
 *
 *   layers DIR [SEEDS [FIRST]]
 *
 * For each seed FIRST .. FIRST+SEEDS-1 (default 5 seeds from 1), every
 * layer runs CASES cases, each with shapes and values drawn by the kit's
 * RNG. DIR gets index.tsv, a line per parameter or tensor, and a raw file
 * of little-endian float32 (or int32) per tensor; parity/README.md has the
 * format. Parameter gradients ACCUMULATE in the kit, as in PyTorch's .grad:
 * each case starts them from random values, written as inputs. */
#include "attention.h"
#include "backprop.h"
#include "blas.h"
#include "cnn.h"
#include "error.h"
#include "generative.h"
#include "perceptron.h"
#include "rng.h"
#include "training.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CASES = 3, MAX_OWNED = 64 };

/* ---- Writing the index and the tensors ------------------------------- */

static FILE *g_index;
static const char *g_dir;
static const char *g_layer; /* the case being written */
static unsigned g_case;     /* its number, unique in the index */

/* Every case's arrays, freed when the next case begins. */
static void *g_owned[MAX_OWNED];
static int g_nowned;

static void release_all(void)
{
    while (g_nowned > 0)
        free(g_owned[--g_nowned]);
}

static void begin(const char *layer)
{
    release_all();
    g_layer = layer;
    g_case++;
}

/* Zeros: state that starts at 0 (a velocity, Adam's moments). */
static float *floats(size_t n)
{
    if (g_nowned == MAX_OWNED)
        dk_fatal("parity: more than %d arrays in one case", MAX_OWNED);
    float *p = calloc(n ? n : 1, sizeof *p);
    if (!p)
        dk_fatal("parity: out of memory");
    return g_owned[g_nowned++] = p;
}

static void param(const char *name, double value)
{
    /* %.9g: a float32 read back is the same float32 */
    fprintf(g_index, "param\t%s\t%u\t%s\t%.9g\n", g_layer, g_case, name, value);
}

/* One tensor: its file, and its line "in|out LAYER CASE NAME TYPE SHAPE FILE". */
static void put(const char *role, const char *name, const char *type, const void *data,
                const size_t *dims, size_t nd)
{
    size_t n = 1;
    char shape[96] = "", file[128], path[4096];
    for (size_t i = 0; i < nd; i++) {
        n *= dims[i];
        size_t at = strlen(shape);
        snprintf(shape + at, sizeof shape - at, "%s%zu", i ? "x" : "", dims[i]);
    }
    snprintf(file, sizeof file, "c%04u-%s.%s", g_case, name, type);
    snprintf(path, sizeof path, "%s/%s", g_dir, file);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 4, n, f) != n || fclose(f) != 0)
        dk_fatal("parity: cannot write %s", path);
    fprintf(g_index, "%s\t%s\t%u\t%s\t%s\t%s\t%s\n", role, g_layer, g_case, name, type, shape,
            file);
}

#define DIMS(...) (const size_t[]){__VA_ARGS__}, sizeof((size_t[]){__VA_ARGS__}) / sizeof(size_t)
#define IN(name, data, ...) put("in", name, "f32", data, DIMS(__VA_ARGS__))
#define OUT(name, data, ...) put("out", name, "f32", data, DIMS(__VA_ARGS__))
#define IN_INT(name, data, ...) put("in", name, "i32", data, DIMS(__VA_ARGS__))

/* NaN: what a function must overwrite, every element of it (an element
 * left alone then fails the comparison). */
static float *unset(size_t n)
{
    float *p = floats(n);
    for (size_t i = 0; i < n; i++)
        p[i] = NAN;
    return p;
}

/* ---- Random inputs ------------------------------------------------------ */

/* Uniform in [lo, hi]. */
static size_t draw(dk_rng *rng, size_t lo, size_t hi)
{
    return lo + dk_rng_below(rng, hi - lo + 1);
}

static float *normal(dk_rng *rng, size_t n, float std)
{
    float *p = floats(n);
    for (size_t i = 0; i < n; i++)
        p[i] = std * dk_rng_normal(rng);
    return p;
}

static float *uniform(dk_rng *rng, size_t n, float lo, float hi)
{
    float *p = floats(n);
    for (size_t i = 0; i < n; i++)
        p[i] = dk_rng_range(rng, lo, hi);
    return p;
}

/* A value the reference must handle, log-uniform in [lo, hi]. */
static float log_uniform(dk_rng *rng, float lo, float hi)
{
    return expf(dk_rng_range(rng, logf(lo), logf(hi)));
}

/* Labels in [0, C), as int32 like the contract's int. */
static int *labels(dk_rng *rng, size_t B, size_t C)
{
    int *y = (int *)floats(B); /* the same 4 bytes, freed with the case */
    for (size_t i = 0; i < B; i++)
        y[i] = (int)dk_rng_below(rng, C);
    return y;
}

/* ---- Chapter 01: activations and the perceptron ------------------------ */

/* What the contract promises beyond random values: the sign of zero, tiny
 * values (tanh's accuracy near 0), exp's overflow, infinities. */
static const float EDGES[] = {0.0f,  -0.0f,  1e-6f,   -1e-6f,   20.0f,    -20.0f,
                              88.7f, -88.7f, 1000.0f, -1000.0f, INFINITY, -INFINITY};
enum { NEDGES = sizeof EDGES / sizeof EDGES[0] };

static void case_act01(dk_rng *rng)
{
    begin("act (01)");
    const size_t n = NEDGES + draw(rng, 1, 200);
    float *x = normal(rng, n, 5.0f);
    memcpy(x, EDGES, sizeof EDGES);
    float (*const fns[])(float) = {act_heaviside, act_sigmoid, act_sigmoid_grad, act_tanh,
                                   act_tanh_grad, act_relu, act_relu_grad};
    const char *names[] = {"heaviside", "sigmoid", "sigmoid_grad", "tanh",
                           "tanh_grad", "relu", "relu_grad"};
    IN("x", x, n);
    for (size_t f = 0; f < sizeof fns / sizeof fns[0]; f++) {
        float *y = unset(n);
        for (size_t i = 0; i < n; i++)
            y[i] = fns[f](x[i]);
        OUT(names[f], y, n);
    }
}

/* perceptron_predict_batch's 0/1 answers, as floats. */
static void case_perceptron(dk_rng *rng)
{
    begin("perceptron");
    const size_t n = draw(rng, 1, 64), d = draw(rng, 1, 16);
    float *X = normal(rng, n * d, 1.0f), *w = normal(rng, d, 1.0f), *b = normal(rng, 1, 1.0f);
    int *pred = (int *)unset(n); /* NaN's bits: neither 0 nor 1 */
    float *y = unset(n);
    perceptron_predict_batch(w, b[0], X, n, d, pred);
    for (size_t i = 0; i < n; i++)
        y[i] = (float)pred[i];
    IN("X", X, n, d), IN("w", w, d), IN("b", b, 1), OUT("pred", y, n);
}

/* ---- Chapter 02: layers, losses, the MLP -------------------------------- */

static void case_linear(dk_rng *rng)
{
    begin("linear");
    const size_t B = draw(rng, 1, 16), in = draw(rng, 1, 48), out = draw(rng, 1, 24);
    float *x = normal(rng, B * in, 1.0f), *W = normal(rng, out * in, 1.0f / sqrtf((float)in));
    float *b = normal(rng, out, 1.0f), *dy = normal(rng, B * out, 1.0f);
    float *dW = normal(rng, out * in, 1.0f), *db = normal(rng, out, 1.0f);
    float *y = unset(B * out), *dx = unset(B * in);
    IN("x", x, B, in), IN("W", W, out, in), IN("b", b, out), IN("dy", dy, B, out);
    IN("dW0", dW, out, in), IN("db0", db, out);
    linear_forward(x, W, b, B, in, out, y);
    linear_backward(x, W, dy, B, in, out, dx, dW, db);
    OUT("y", y, B, out), OUT("dx", dx, B, in), OUT("dW", dW, out, in), OUT("db", db, out);
}

/* relu_backward reads the input, sigmoid's and tanh's the output. */
static void case_activations(dk_rng *rng)
{
    static const char *names[] = {"relu", "sigmoid", "tanh"};
    void (*const fwd[])(const float *, size_t, float *) = {relu_forward, sigmoid_forward,
                                                           tanh_forward};
    void (*const bwd[])(const float *, const float *, size_t, float *) = {
        relu_backward, sigmoid_backward, tanh_backward};
    for (int a = 0; a < 3; a++) {
        begin(names[a]);
        const size_t n = draw(rng, 1, 300);
        float *x = normal(rng, n, 3.0f), *dy = normal(rng, n, 1.0f);
        for (size_t i = 0; i < n; i += 7)
            x[i] = 0.0f; /* the slope at 0 is a convention */
        float *y = unset(n), *dx = unset(n);
        fwd[a](x, n, y);
        bwd[a](a == 0 ? x : y, dy, n, dx);
        IN("x", x, n), IN("dy", dy, n), OUT("y", y, n), OUT("dx", dx, n);
    }
}

static void case_mse(dk_rng *rng)
{
    begin("mse_loss");
    const size_t B = draw(rng, 1, 16), n = draw(rng, 1, 20);
    float *y = normal(rng, B * n, 1.0f), *t = normal(rng, B * n, 1.0f), *dy = unset(B * n);
    float loss = mse_loss(y, t, B, n, dy);
    IN("y", y, B, n), IN("t", t, B, n), OUT("loss", &loss, 1), OUT("dy", dy, B, n);
}

/* Logits with some rows moved by +-1000: finite and exact, says the
 * contract. */
static float *logits(dk_rng *rng, size_t B, size_t C)
{
    float *z = normal(rng, B * C, 3.0f);
    for (size_t i = 0; i < B; i++) {
        float shift = dk_rng_below(rng, 4) == 0 ? (dk_rng_below(rng, 2) ? 1000.0f : -1000.0f) : 0;
        for (size_t j = 0; j < C; j++)
            z[i * C + j] += shift;
    }
    return z;
}

static void case_softmax(dk_rng *rng)
{
    begin("softmax");
    const size_t B = draw(rng, 1, 16), C = draw(rng, 1, 20);
    float *z = logits(rng, B, C), *p = unset(B * C);
    softmax(z, B, C, p);
    IN("logits", z, B, C), OUT("p", p, B, C);
}

static void case_cross_entropy(dk_rng *rng)
{
    begin("softmax_cross_entropy");
    const size_t B = draw(rng, 1, 16), C = draw(rng, 1, 20);
    float *z = logits(rng, B, C), *dz = unset(B * C);
    int *y = labels(rng, B, C);
    float loss = softmax_cross_entropy(z, y, B, C, dz);
    IN("logits", z, B, C), IN_INT("labels", y, B);
    OUT("loss", &loss, 1), OUT("dlogits", dz, B, C);
}

/* The gradient buffer starts from random values: the backward passes
 * accumulate into it. */
static void randomise(dk_rng *rng, float *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = dk_rng_normal(rng);
}

/* The whole network, llm.c's way: logits, loss and every gradient. */
static void case_mlp(dk_rng *rng)
{
    begin("mlp");
    size_t sizes[4], nlayers = draw(rng, 1, 3);
    for (size_t l = 0; l <= nlayers; l++)
        sizes[l] = draw(rng, 1, 24);
    const mlp_activation act = (mlp_activation)dk_rng_below(rng, 3);
    mlp net;
    if (!mlp_create(&net, sizes, nlayers, act, rng))
        dk_fatal("parity: mlp_create failed");
    const size_t B = draw(rng, 1, 12), C = sizes[nlayers];
    float *x = normal(rng, B * sizes[0], 1.0f), *z = unset(B * C), *dz = unset(B * C);
    float *acts = unset(mlp_acts_size(&net, B)), *dacts = unset(mlp_acts_size(&net, B));
    int *y = labels(rng, B, C);
    randomise(rng, net.grads, net.nparams);
    param("act", act), param("nlayers", (double)nlayers);
    for (size_t l = 0; l <= nlayers; l++) {
        char name[16];
        snprintf(name, sizeof name, "size%zu", l);
        param(name, (double)sizes[l]);
    }
    IN("x", x, B, sizes[0]), IN_INT("labels", y, B), IN("params", net.params, net.nparams);
    IN("grads0", net.grads, net.nparams);
    mlp_forward(&net, x, B, acts, z);
    float loss = softmax_cross_entropy(z, y, B, C, dz);
    mlp_backward(&net, x, B, acts, dz, dacts);
    OUT("logits", z, B, C), OUT("loss", &loss, 1), OUT("grads", net.grads, net.nparams);
    mlp_free(&net);
}

/* mlp_sgd_step, T times from a zero velocity, a new gradient each time. */
static void case_mlp_sgd(dk_rng *rng)
{
    begin("mlp_sgd_step");
    size_t sizes[3];
    for (int l = 0; l < 3; l++)
        sizes[l] = draw(rng, 1, 8);
    mlp net;
    if (!mlp_create(&net, sizes, 2, MLP_RELU, rng))
        dk_fatal("parity: mlp_create failed");
    const size_t n = net.nparams, T = draw(rng, 1, 4);
    const float lr = log_uniform(rng, 1e-3f, 1e-1f), momentum = dk_rng_range(rng, 0.0f, 0.99f);
    float *g = normal(rng, T * n, 1.0f), *v = floats(n);
    param("lr", lr), param("momentum", momentum);
    IN("p0", net.params, n), IN("g", g, T, n);
    for (size_t t = 0; t < T; t++) {
        memcpy(net.grads, g + t * n, n * sizeof *g);
        mlp_sgd_step(&net, v, lr, momentum);
    }
    OUT("p", net.params, n), OUT("v", v, n);
    mlp_free(&net);
}

/* ---- Chapter 03: optimizers, schedules, dropout, batch norm ------------ */

/* The parameters and the T gradients of an optimizer's case. */
typedef struct steps {
    size_t n, T;
    float *p, *g;
} steps;

static steps steps_begin(dk_rng *rng, const char *layer)
{
    begin(layer);
    steps s;
    s.n = draw(rng, 1, 64), s.T = draw(rng, 1, 5);
    /* gradients of every scale: tiny ones make Adam's eps matter */
    s.p = normal(rng, s.n, 1.0f), s.g = normal(rng, s.T * s.n, log_uniform(rng, 1e-8f, 1.0f));
    IN("p0", s.p, s.n), IN("g", s.g, s.T, s.n);
    return s;
}

/* Weight decay off in one case of three: both paths. */
static float weight_decay(dk_rng *rng)
{
    return dk_rng_below(rng, 3) ? dk_rng_range(rng, 0.0f, 0.1f) : 0.0f;
}

static void case_sgd(dk_rng *rng)
{
    steps s = steps_begin(rng, "sgd_step");
    const float lr = log_uniform(rng, 1e-3f, 1e-1f), wd = weight_decay(rng);
    for (size_t t = 0; t < s.T; t++)
        sgd_step(s.p, s.g + t * s.n, s.n, lr, wd);
    param("lr", lr), param("weight_decay", wd);
    OUT("p", s.p, s.n);
}

static void case_momentum(dk_rng *rng)
{
    for (int nesterov = 0; nesterov < 2; nesterov++) {
        steps s = steps_begin(rng, nesterov ? "momentum_step (nesterov)" : "momentum_step");
        const float lr = log_uniform(rng, 1e-3f, 1e-1f), mom = dk_rng_range(rng, 0.5f, 0.99f);
        const float wd = weight_decay(rng);
        float *v = floats(s.n);
        for (size_t t = 0; t < s.T; t++)
            momentum_step(s.p, s.g + t * s.n, v, s.n, lr, mom, wd, nesterov);
        param("lr", lr), param("momentum", mom), param("weight_decay", wd);
        param("nesterov", nesterov);
        OUT("p", s.p, s.n), OUT("v", v, s.n);
    }
}

/* lr up to 1e-2: adam_step takes 1 - beta^t in float32 (powf), off by
 * ~1e-5 relative for beta2 near 1 where PyTorch takes it in double; at
 * lr 0.08, after 4 steps, that reaches the tolerance (README.md). */
static void case_adam(dk_rng *rng)
{
    for (int decoupled = 0; decoupled < 2; decoupled++) {
        steps s = steps_begin(rng, decoupled ? "adam_step (AdamW)" : "adam_step (Adam)");
        const float lr = log_uniform(rng, 1e-4f, 1e-2f), b1 = dk_rng_range(rng, 0.8f, 0.95f);
        const float b2 = dk_rng_range(rng, 0.99f, 0.9999f), wd = weight_decay(rng);
        const float eps = dk_rng_below(rng, 2) ? 1e-8f : 1e-6f;
        float *m = floats(s.n), *v = floats(s.n);
        for (size_t t = 0; t < s.T; t++)
            adam_step(s.p, s.g + t * s.n, m, v, s.n, t + 1, lr, b1, b2, eps, wd, decoupled);
        param("lr", lr), param("beta1", b1), param("beta2", b2), param("eps", eps);
        param("weight_decay", wd), param("decoupled", decoupled);
        OUT("p", s.p, s.n), OUT("m", m, s.n), OUT("v", v, s.n);
    }
}

/* Each schedule's learning rate at every step 0..total. */
static void case_schedules(dk_rng *rng)
{
    const size_t total = draw(rng, 2, 60), warmup = draw(rng, 1, total - 1);
    const size_t step_size = draw(rng, 1, 10);
    const float base = log_uniform(rng, 1e-3f, 1.0f), gamma = dk_rng_range(rng, 0.5f, 0.99f);
    const float min_lr = base * dk_rng_range(rng, 0.0f, 0.1f);
    const char *names[] = {"lr_step_decay", "lr_exponential", "lr_cosine", "lr_warmup_cosine"};
    for (int k = 0; k < 4; k++) {
        begin(names[k]);
        float *lr = unset(total + 1);
        for (size_t t = 0; t <= total; t++)
            lr[t] = k == 0   ? lr_step_decay(base, t, step_size, gamma)
                    : k == 1 ? lr_exponential(base, t, gamma)
                    : k == 2 ? lr_cosine(base, min_lr, t, total)
                             : lr_warmup_cosine(base, min_lr, t, warmup, total);
        param("base", base), param("gamma", gamma), param("min_lr", min_lr);
        param("step_size", (double)step_size), param("total", (double)total);
        param("warmup", (double)warmup);
        OUT("lr", lr, total + 1);
    }
}

/* The kit's mask holds 0 or 1/(1-p); compare.py gives PyTorch the same
 * draws as a keep mask (mask != 0). */
static void case_dropout(dk_rng *rng)
{
    begin("dropout");
    const size_t n = draw(rng, 1, 300);
    const float p = dk_rng_below(rng, 4) ? dk_rng_range(rng, 0.0f, 0.9f) : 0.0f;
    float *x = normal(rng, n, 1.0f), *dy = normal(rng, n, 1.0f);
    float *mask = unset(n), *y = unset(n), *dx = unset(n), *y_eval = unset(n);
    dropout_forward(x, n, p, true, rng, mask, y);
    dropout_backward(dy, mask, n, dx);
    /* evaluation leaves mask and rng alone: give it copies to ignore */
    dk_rng spare = *rng;
    dropout_forward(x, n, p, false, &spare, unset(n), y_eval);
    param("p", p);
    IN("x", x, n), IN("dy", dy, n);
    OUT("mask", mask, n), OUT("y", y, n), OUT("dx", dx, n), OUT("y_eval", y_eval, n);
}

static void case_batchnorm(dk_rng *rng)
{
    begin("batchnorm");
    /* B from 4: two or three values can sit arbitrarily close, and then
     * dx, which vanishes with the spread, is the difference of far larger
     * float32 terms (README.md) */
    const size_t B = draw(rng, 4, 32), C = draw(rng, 1, 12);
    const float eps = dk_rng_below(rng, 2) ? 1e-5f : 1e-3f, mom = dk_rng_range(rng, 0.01f, 0.5f);
    /* Features of their own spreads, each mean within a few of them: the
     * contract keeps mean and invstd in float32, whose rounding a mean far
     * from 0 next to a small spread carries past the tolerance (README.md). */
    float *x = normal(rng, B * C, 1.0f), *shift = normal(rng, C, 2.0f);
    for (size_t c = 0; c < C; c++) {
        float scale = log_uniform(rng, 0.3f, 10.0f);
        for (size_t i = 0; i < B; i++)
            x[i * C + c] = scale * (shift[c] + x[i * C + c]);
    }
    float *gamma = normal(rng, C, 1.0f), *beta = normal(rng, C, 1.0f);
    float *rm = normal(rng, C, 1.0f), *rv = uniform(rng, C, 0.5f, 2.0f);
    float *dy = normal(rng, B * C, 1.0f), *dgamma = normal(rng, C, 1.0f);
    float *dbeta = normal(rng, C, 1.0f);
    float *x_eval = normal(rng, B * C, 2.0f);
    param("eps", eps), param("momentum", mom);
    IN("x", x, B, C), IN("gamma", gamma, C), IN("beta", beta, C), IN("running_mean0", rm, C);
    IN("running_var0", rv, C), IN("dy", dy, B, C), IN("dgamma0", dgamma, C);
    IN("dbeta0", dbeta, C), IN("x_eval", x_eval, B, C);
    float *mean = unset(C), *invstd = unset(C), *y = unset(B * C), *dx = unset(B * C);
    float *y_eval = unset(B * C);
    batchnorm_forward_train(x, B, C, gamma, beta, eps, mom, rm, rv, mean, invstd, y);
    batchnorm_backward(dy, x, B, C, gamma, mean, invstd, dx, dgamma, dbeta);
    batchnorm_forward_eval(x_eval, B, C, gamma, beta, eps, rm, rv, y_eval);
    OUT("y", y, B, C), OUT("mean", mean, C), OUT("invstd", invstd, C);
    OUT("running_mean", rm, C), OUT("running_var", rv, C);
    OUT("dx", dx, B, C), OUT("dgamma", dgamma, C), OUT("dbeta", dbeta, C);
    OUT("y_eval", y_eval, B, C);
}

/* ---- Chapter 04: convolution, pooling, LeNet ----------------------------- */

/* A convolution whose window fits: H + 2 pad >= kh. (One draw a
 * statement: an initializer list's order of evaluation is unspecified.) */
static conv2d_shape conv_shape(dk_rng *rng)
{
    conv2d_shape s;
    s.N = draw(rng, 1, 3), s.C = draw(rng, 1, 4), s.K = draw(rng, 1, 5);
    s.kh = draw(rng, 1, 5), s.kw = draw(rng, 1, 5), s.stride = draw(rng, 1, 3);
    s.pad = draw(rng, 0, 2);
    s.H = draw(rng, s.kh > 2 * s.pad ? s.kh - 2 * s.pad : 1, 12);
    s.W = draw(rng, s.kw > 2 * s.pad ? s.kw - 2 * s.pad : 1, 12);
    return s;
}

static void conv_params(const conv2d_shape *s)
{
    param("stride", (double)s->stride), param("pad", (double)s->pad);
}

/* The loops (direct) and im2col + one product (the other), on the same
 * kind of case. */
static void case_conv(dk_rng *rng)
{
    for (int im2col_way = 0; im2col_way < 2; im2col_way++) {
        begin(im2col_way ? "conv2d" : "conv2d_direct");
        const conv2d_shape s = conv_shape(rng);
        const size_t OH = conv2d_out_size(s.H, s.kh, s.stride, s.pad);
        const size_t OW = conv2d_out_size(s.W, s.kw, s.stride, s.pad);
        const size_t nx = s.N * s.H * s.W * s.C, nw = s.K * s.kh * s.kw * s.C;
        const size_t ny = s.N * OH * OW * s.K, ncols = conv2d_cols_size(&s);
        float *x = normal(rng, nx, 1.0f), *W = normal(rng, nw, 0.3f), *b = normal(rng, s.K, 1.0f);
        float *dy = normal(rng, ny, 1.0f), *dW = normal(rng, nw, 1.0f);
        float *db = normal(rng, s.K, 1.0f);
        float *y = unset(ny), *dx = unset(nx), *cols = unset(ncols);
        conv_params(&s);
        IN("x", x, s.N, s.H, s.W, s.C), IN("W", W, s.K, s.kh, s.kw, s.C), IN("b", b, s.K);
        IN("dy", dy, s.N, OH, OW, s.K), IN("dW0", dW, s.K, s.kh, s.kw, s.C), IN("db0", db, s.K);
        if (im2col_way) {
            conv2d_forward(x, W, b, &s, cols, y);
            conv2d_backward(cols, W, dy, &s, unset(ncols), dx, dW, db);
            OUT("cols", cols, s.N * OH * OW, s.kh * s.kw * s.C);
        } else {
            conv2d_forward_direct(x, W, b, &s, y);
            conv2d_backward_direct(x, W, dy, &s, dx, dW, db);
        }
        OUT("y", y, s.N, OH, OW, s.K), OUT("dx", dx, s.N, s.H, s.W, s.C);
        OUT("dW", dW, s.K, s.kh, s.kw, s.C), OUT("db", db, s.K);
    }
}

/* col2im alone: PyTorch's fold, on a random patch matrix. */
static void case_col2im(dk_rng *rng)
{
    begin("col2im");
    const conv2d_shape s = conv_shape(rng);
    const size_t OH = conv2d_out_size(s.H, s.kh, s.stride, s.pad);
    const size_t OW = conv2d_out_size(s.W, s.kw, s.stride, s.pad);
    float *cols = normal(rng, conv2d_cols_size(&s), 1.0f), *dx = unset(s.N * s.H * s.W * s.C);
    col2im(cols, &s, dx);
    conv_params(&s);
    param("kh", (double)s.kh), param("kw", (double)s.kw);
    IN("cols", cols, s.N * OH * OW, s.kh * s.kw * s.C), OUT("dx", dx, s.N, s.H, s.W, s.C);
}

/* Max pooling, again on values of 3 levels only, so that windows hold
 * ties (the first maximum takes the gradient), and average pooling; a
 * window that fits. */
static void case_pool(dk_rng *rng)
{
    static const char *names[] = {"maxpool", "maxpool (ties)", "avgpool"};
    for (int kind = 0; kind < 3; kind++) {
        const bool ties = kind == 1, avg = kind == 2;
        begin(names[kind]);
        pool_shape s;
        s.N = draw(rng, 1, 3), s.C = draw(rng, 1, 5), s.size = draw(rng, 1, 3);
        s.stride = draw(rng, 1, 3), s.H = draw(rng, s.size, 10), s.W = draw(rng, s.size, 10);
        const size_t OH = conv2d_out_size(s.H, s.size, s.stride, 0);
        const size_t OW = conv2d_out_size(s.W, s.size, s.stride, 0);
        const size_t nx = s.N * s.H * s.W * s.C, ny = s.N * OH * OW * s.C;
        float *x = normal(rng, nx, 1.0f), *dy = normal(rng, ny, 1.0f);
        for (size_t i = 0; ties && i < nx; i++)
            x[i] = (float)dk_rng_below(rng, 3);
        float *y = unset(ny), *dx = unset(nx);
        if (avg) {
            avgpool_forward(x, &s, y);
            avgpool_backward(dy, &s, dx);
        } else {
            maxpool_forward(x, &s, y);
            maxpool_backward(x, dy, &s, dx);
        }
        param("size", (double)s.size), param("stride", (double)s.stride);
        IN("x", x, s.N, s.H, s.W, s.C), IN("dy", dy, s.N, OH, OW, s.C);
        OUT("y", y, s.N, OH, OW, s.C), OUT("dx", dx, s.N, s.H, s.W, s.C);
    }
}

/* The whole network: logits, loss and every gradient. */
static void case_lenet(dk_rng *rng)
{
    begin("lenet");
    lenet_config cfg;
    cfg.H = draw(rng, 12, 18), cfg.W = draw(rng, 12, 18), cfg.C = draw(rng, 1, 3);
    cfg.c1 = draw(rng, 1, 6), cfg.c2 = draw(rng, 1, 8), cfg.hidden = draw(rng, 1, 24);
    cfg.classes = draw(rng, 2, 10);
    lenet net;
    if (!lenet_create(&net, &cfg, rng))
        dk_fatal("parity: lenet_create failed");
    const size_t B = draw(rng, 1, 3), K = cfg.classes;
    float *x = normal(rng, B * cfg.H * cfg.W * cfg.C, 1.0f), *z = unset(B * K);
    float *dz = unset(B * K), *acts = unset(lenet_acts_size(&net, B));
    float *dacts = unset(lenet_acts_size(&net, B));
    int *y = labels(rng, B, K);
    randomise(rng, net.grads, net.nparams);
    param("c1", (double)cfg.c1), param("c2", (double)cfg.c2), param("hidden", (double)cfg.hidden);
    IN("x", x, B, cfg.H, cfg.W, cfg.C), IN_INT("labels", y, B);
    IN("params", net.params, net.nparams), IN("grads0", net.grads, net.nparams);
    lenet_forward(&net, x, B, acts, z);
    float loss = softmax_cross_entropy(z, y, B, K, dz);
    lenet_backward(&net, B, acts, dz, dacts);
    OUT("logits", z, B, K), OUT("loss", &loss, 1), OUT("grads", net.grads, net.nparams);
    lenet_free(&net);
}

/* ---- Chapter 05: embeddings, the RNN and the LSTM through time, clipping -- */

/* Tokens drawn from few symbols, so that rows repeat; dtable starts random
 * (it accumulates). */
static void case_embedding(dk_rng *rng)
{
    begin("embedding");
    const size_t V = draw(rng, 1, 8), E = draw(rng, 1, 10), n = draw(rng, 1, 20);
    float *table = normal(rng, V * E, 1.0f), *dout = normal(rng, n * E, 1.0f);
    float *dtable = normal(rng, V * E, 1.0f), *out = unset(n * E);
    int *idx = labels(rng, n, V);
    IN("table", table, V, E), IN_INT("idx", idx, n), IN("dout", dout, n, E);
    IN("dtable0", dtable, V, E);
    embedding_forward(table, V, E, idx, n, out);
    embedding_backward(dout, idx, n, V, E, dtable);
    OUT("out", out, n, E), OUT("dtable", dtable, V, E);
}

static void case_rnn(dk_rng *rng)
{
    begin("rnn");
    const size_t T = draw(rng, 1, 8), B = draw(rng, 1, 4), D = draw(rng, 1, 10);
    const size_t H = draw(rng, 1, 10), n = cell_layout_of(CELL_RNN, D, H).n;
    float *params = normal(rng, n, 0.5f), *X = normal(rng, T * B * D, 1.0f);
    float *h0 = normal(rng, B * H, 0.5f), *dhs = normal(rng, T * B * H, 1.0f);
    float *grads = normal(rng, n, 1.0f), *hs = unset(T * B * H), *dX = unset(T * B * D);
    float *dh0 = unset(B * H);
    param("D", (double)D), param("H", (double)H);
    IN("params", params, n), IN("X", X, T, B, D), IN("h0", h0, B, H), IN("dhs", dhs, T, B, H);
    IN("grads0", grads, n);
    rnn_forward(params, D, H, X, T, B, h0, hs);
    rnn_backward(params, D, H, X, T, B, h0, hs, dhs, dX, dh0, grads);
    OUT("hs", hs, T, B, H), OUT("dX", dX, T, B, D), OUT("dh0", dh0, B, H);
    OUT("grads", grads, n);
}

/* A limit above the norm half the time: clipped or left alone. */
static void case_clip(dk_rng *rng)
{
    begin("clip_grad_norm");
    const size_t n = draw(rng, 1, 200);
    float *grads = normal(rng, n, 1.0f);
    const float max_norm = dk_rng_range(rng, 0.1f, 2.0f) * sqrtf((float)n);
    param("max_norm", max_norm);
    IN("grads0", grads, n);
    float norm = clip_grad_norm(grads, n, max_norm);
    OUT("norm", &norm, 1), OUT("grads", grads, n);
}


static void case_lstm(dk_rng *rng)
{
    begin("lstm");
    const size_t T = draw(rng, 1, 8), B = draw(rng, 1, 4), D = draw(rng, 1, 10);
    const size_t H = draw(rng, 1, 10), n = cell_layout_of(CELL_LSTM, D, H).n;
    float *params = normal(rng, n, 0.5f), *X = normal(rng, T * B * D, 1.0f);
    float *h0 = normal(rng, B * H, 0.5f), *c0 = normal(rng, B * H, 0.5f);
    float *dhs = normal(rng, T * B * H, 1.0f), *grads = normal(rng, n, 1.0f);
    float *acts = unset(lstm_acts_size(H, T, B)), *dX = unset(T * B * D);
    float *dh0 = unset(B * H), *dc0 = unset(B * H);
    param("D", (double)D), param("H", (double)H);
    IN("params", params, n), IN("X", X, T, B, D), IN("h0", h0, B, H), IN("c0", c0, B, H);
    IN("dhs", dhs, T, B, H), IN("grads0", grads, n);
    lstm_forward(params, D, H, X, T, B, h0, c0, acts);
    lstm_backward(params, D, H, X, T, B, h0, c0, acts, dhs, dX, dh0, dc0, grads);
    OUT("hs", lstm_hs(acts, H, T, B), T, B, H), OUT("dX", dX, T, B, D);
    OUT("dh0", dh0, B, H), OUT("dc0", dc0, B, H), OUT("grads", grads, n);
}

/* ---- Chapter 06: layer norm, GELU, attention ------------------------------ */

static void case_layernorm(dk_rng *rng)
{
    begin("layernorm");
    const size_t N = draw(rng, 1, 16), D = draw(rng, 2, 64);
    float *X = normal(rng, N * D, 2.0f), *gamma = normal(rng, D, 1.0f);
    float *beta = normal(rng, D, 1.0f), *dY = normal(rng, N * D, 1.0f);
    float *dgamma = normal(rng, D, 1.0f), *dbeta = normal(rng, D, 1.0f);
    float *Y = unset(N * D), *stats = unset(2 * N), *dX = unset(N * D);
    for (size_t i = 0; i < N * D; i++)
        X[i] += (float)(i / D); /* rows of other means */
    IN("X", X, N, D), IN("gamma", gamma, D), IN("beta", beta, D), IN("dY", dY, N, D);
    IN("dgamma0", dgamma, D), IN("dbeta0", dbeta, D);
    layernorm_forward(X, N, D, gamma, beta, Y, stats);
    layernorm_backward(X, N, D, gamma, stats, dY, dX, dgamma, dbeta);
    OUT("Y", Y, N, D), OUT("mean", stats, N), OUT("rstd", stats + N, N), OUT("dX", dX, N, D);
    OUT("dgamma", dgamma, D), OUT("dbeta", dbeta, D);
}

static void case_gelu(dk_rng *rng)
{
    begin("gelu");
    const size_t n = draw(rng, 1, 300);
    float *x = normal(rng, n, 3.0f), *dy = normal(rng, n, 1.0f);
    float *y = unset(n), *dx = unset(n);
    x[0] = 0.0f;
    IN("x", x, n), IN("dy", dy, n);
    gelu_forward(x, n, y);
    gelu_backward(x, dy, n, dx);
    OUT("y", y, n), OUT("dx", dx, n);
}

/* Causal or not, with padding (lens) half the time. */
static void case_attention(dk_rng *rng)
{
    begin("attention");
    /* one draw a declarator: an initializer list's order is unspecified */
    const size_t B = draw(rng, 1, 3), H = draw(rng, 1, 3), T = draw(rng, 1, 12);
    const size_t dh = draw(rng, 1, 16), causal = dk_rng_below(rng, 2);
    const attn_shape s = {B, H, T, dh, causal};
    const size_t BH = s.B * s.H, n = BH * s.T * s.dh;
    float *Q = normal(rng, n, 1.0f), *K = normal(rng, n, 1.0f), *V = normal(rng, n, 1.0f);
    float *dO = normal(rng, n, 1.0f), *P = unset(BH * s.T * s.T), *O = unset(n);
    float *dQ = unset(n), *dK = unset(n), *dV = unset(n);
    int *lens = NULL;
    if (dk_rng_below(rng, 2)) {
        lens = labels(rng, s.B, s.T);
        for (size_t b = 0; b < s.B; b++)
            lens[b] += 1; /* 1 <= lens[b] <= T */
        IN_INT("lens", lens, s.B);
    }
    param("causal", s.causal);
    IN("Q", Q, BH, s.T, s.dh), IN("K", K, BH, s.T, s.dh), IN("V", V, BH, s.T, s.dh);
    IN("dO", dO, BH, s.T, s.dh);
    attn_forward(&s, Q, K, V, lens, P, O);
    attn_backward(&s, Q, K, V, lens, P, dO, dQ, dK, dV);
    OUT("P", P, BH, s.T, s.T), OUT("O", O, BH, s.T, s.dh);
    OUT("dQ", dQ, BH, s.T, s.dh), OUT("dK", dK, BH, s.T, s.dh), OUT("dV", dV, BH, s.T, s.dh);
}

/* D = H * dh features: heads of 1 to 6 features. */
static size_t features(dk_rng *rng, size_t H)
{
    return H * draw(rng, 1, 6);
}

/* Causal or not; padding is attention's row. */
static void case_mha(dk_rng *rng)
{
    begin("mha");
    const size_t H = draw(rng, 1, 3), D = features(rng, H), causal = dk_rng_below(rng, 2);
    const mha_config c = {D, H, causal};
    const size_t B = draw(rng, 1, 3), T = draw(rng, 1, 8), N = B * T * c.D;
    const size_t n = mha_layout_of(&c).n;
    float *params = normal(rng, n, 0.5f), *X = normal(rng, N, 1.0f), *dY = normal(rng, N, 1.0f);
    float *grads = normal(rng, n, 1.0f), *acts = unset(mha_acts_of(&c, B, T).n);
    float *Y = unset(N), *dX = unset(N);
    param("H", (double)H), param("causal", c.causal);
    IN("params", params, n), IN("X", X, B, T, c.D), IN("dY", dY, B, T, c.D);
    IN("grads0", grads, n);
    mha_forward(&c, params, X, B, T, NULL, acts, Y);
    mha_backward(&c, params, X, B, T, NULL, acts, dY, dX, grads);
    OUT("Y", Y, B, T, c.D), OUT("dX", dX, B, T, c.D), OUT("grads", grads, n);
}

/* Layer norms' gamma near 1, as trained ones are. */
static void case_block(dk_rng *rng)
{
    begin("block");
    const size_t H = draw(rng, 1, 2), D = features(rng, H), B = draw(rng, 1, 2);
    const size_t T = draw(rng, 1, 6), N = B * T * D;
    const block_layout l = block_layout_of(D, H);
    float *params = normal(rng, l.n, 0.3f), *X = normal(rng, N, 1.0f), *dY = normal(rng, N, 1.0f);
    float *grads = normal(rng, l.n, 1.0f), *acts = unset(block_acts_of(D, H, B, T).n);
    float *Y = unset(N), *dX = unset(N);
    for (size_t i = 0; i < D; i++)
        params[l.ln1_g + i] += 1.0f, params[l.ln2_g + i] += 1.0f;
    param("H", (double)H);
    IN("params", params, l.n), IN("X", X, B, T, D), IN("dY", dY, B, T, D);
    IN("grads0", grads, l.n);
    block_forward(D, H, params, X, B, T, acts, Y);
    block_backward(D, H, params, X, B, T, acts, dY, dX, grads);
    OUT("Y", Y, B, T, D), OUT("dX", dX, B, T, D), OUT("grads", grads, l.n);
}

/* Sequences shorter than the context at times. */
static void case_gpt(dk_rng *rng)
{
    begin("gpt");
    const size_t H = draw(rng, 1, 2), V = draw(rng, 2, 10), Tc = draw(rng, 1, 6);
    const size_t D = features(rng, H), layers = draw(rng, 1, 2);
    const gpt_config c = {V, Tc, D, H, layers};
    const size_t B = draw(rng, 1, 2), T = draw(rng, 1, c.T), n = gpt_layout_of(&c).n;
    const gpt_layout l = gpt_layout_of(&c);
    float *params = normal(rng, n, 0.3f), *grads = normal(rng, n, 1.0f);
    float *dlogits = normal(rng, B * T * c.V, 1.0f), *acts = unset(gpt_acts_of(&c, B, T).n);
    float *logits = unset(B * T * c.V);
    for (size_t b = 0; b < c.layers; b++) {
        float *blk = params + l.blocks + b * l.block_n;
        const block_layout bl = block_layout_of(c.D, c.H);
        for (size_t i = 0; i < c.D; i++)
            blk[bl.ln1_g + i] += 1.0f, blk[bl.ln2_g + i] += 1.0f;
    }
    for (size_t i = 0; i < c.D; i++)
        params[l.lnf_g + i] += 1.0f;
    int *X = labels(rng, B * T, c.V);
    param("V", (double)c.V), param("T", (double)c.T), param("D", (double)c.D);
    param("H", (double)H), param("layers", (double)c.layers);
    IN("params", params, n), IN_INT("X", X, B, T), IN("dlogits", dlogits, B, T, c.V);
    IN("grads0", grads, n);
    gpt_forward(&c, params, X, B, T, acts, logits);
    gpt_backward(&c, params, X, B, T, acts, dlogits, grads);
    OUT("logits", logits, B, T, c.V), OUT("grads", grads, n);
}

/* ---- Chapter 07: the VAE's and the GAN's losses, the VAE ------------------ */

/* Logits with some at +-100 and +-250: finite, says the contract. */
static void case_bce(dk_rng *rng)
{
    begin("bce_with_logits");
    const size_t n = draw(rng, 1, 300);
    float *l = normal(rng, n, 4.0f), *x = unset(n), *dl = unset(n);
    for (size_t i = 0; i < n; i++)
        x[i] = dk_rng_range(rng, 0, 1);
    if (n > 4)
        l[0] = 100.0f, l[1] = -100.0f, l[2] = 250.0f, l[3] = -250.0f;
    IN("logits", l, n), IN("x", x, n);
    float loss = bce_with_logits(l, x, n, dl);
    OUT("loss", &loss, 1), OUT("dlogits", dl, n);
}

static void case_kl(dk_rng *rng)
{
    begin("kl_standard_normal");
    const size_t n = draw(rng, 1, 100);
    float *mu = normal(rng, n, 1.0f), *lv = normal(rng, n, 1.0f);
    float *dmu = unset(n), *dlv = unset(n);
    IN("mu", mu, n), IN("logvar", lv, n);
    float kl = kl_standard_normal(mu, lv, n, dmu, dlv);
    OUT("kl", &kl, 1), OUT("dmu", dmu, n), OUT("dlogvar", dlv, n);
}

/* The backward accumulates: dmu and dlogvar start random. */
static void case_reparameterize(dk_rng *rng)
{
    begin("reparameterize");
    const size_t n = draw(rng, 1, 100);
    float *mu = normal(rng, n, 1.0f), *lv = normal(rng, n, 1.0f), *eps = normal(rng, n, 1.0f);
    float *dz = normal(rng, n, 1.0f), *dmu = normal(rng, n, 1.0f), *dlv = normal(rng, n, 1.0f);
    float *z = unset(n);
    IN("mu", mu, n), IN("logvar", lv, n), IN("eps", eps, n), IN("dz", dz, n);
    IN("dmu0", dmu, n), IN("dlogvar0", dlv, n);
    reparameterize(mu, lv, eps, n, z);
    reparameterize_backward(lv, eps, dz, n, dmu, dlv);
    OUT("z", z, n), OUT("dmu", dmu, n), OUT("dlogvar", dlv, n);
}

static void case_leaky_relu(dk_rng *rng)
{
    begin("leaky_relu");
    const size_t n = draw(rng, 1, 300);
    float *x = normal(rng, n, 2.0f), *dy = normal(rng, n, 1.0f), *y = unset(n), *dx = unset(n);
    x[0] = 0.0f;
    IN("x", x, n), IN("dy", dy, n);
    leaky_relu_forward(x, n, GAN_SLOPE, y);
    leaky_relu_backward(x, dy, n, GAN_SLOPE, dx);
    OUT("y", y, n), OUT("dx", dx, n);
}

/* Batches of different sizes, the logits far apart at times. */
static void case_gan_losses(dk_rng *rng)
{
    begin("gan_losses");
    const size_t nr = draw(rng, 1, 64), nf = draw(rng, 1, 64);
    float *real = normal(rng, nr, 3.0f), *fake = normal(rng, nf, 3.0f);
    float *dr = unset(nr), *df = unset(nf), *dg = unset(nf);
    IN("real", real, nr), IN("fake", fake, nf);
    float d = gan_discriminator_loss(real, nr, fake, nf, dr, df);
    float g = gan_generator_loss(fake, nf, dg);
    OUT("d_loss", &d, 1), OUT("dreal", dr, nr), OUT("dfake", df, nf);
    OUT("g_loss", &g, 1), OUT("g_dfake", dg, nf);
}

/* The whole VAE: both terms, every activation, every gradient (which
 * start random: they accumulate). */
static void case_vae(dk_rng *rng)
{
    begin("vae");
    const size_t D = draw(rng, 1, 30), H = draw(rng, 1, 16), Z = draw(rng, 1, 6);
    const vae_config c = {D, H, Z};
    const size_t B = draw(rng, 1, 8), n = vae_layout_of(&c).n;
    const vae_acts a = vae_acts_of(&c, B);
    float *params = normal(rng, n, 0.5f), *X = unset(B * c.D), *eps = normal(rng, B * c.Z, 1.0f);
    float *grads = normal(rng, n, 1.0f), *acts = unset(a.n), *terms = unset(2);
    for (size_t i = 0; i < B * c.D; i++)
        X[i] = dk_rng_range(rng, 0, 1);
    param("D", (double)c.D), param("H", (double)c.H), param("Z", (double)c.Z);
    IN("params", params, n), IN("X", X, B, c.D), IN("eps", eps, B, c.Z), IN("grads0", grads, n);
    vae_forward(&c, params, X, B, eps, acts, terms);
    vae_backward(&c, params, X, B, eps, acts, grads);
    OUT("mu", acts + a.mu, B, c.Z), OUT("logvar", acts + a.logvar, B, c.Z);
    OUT("z", acts + a.z, B, c.Z), OUT("logits", acts + a.logits, B, c.D);
    OUT("terms", terms, 2), OUT("grads", grads, n);
}

/* ---- main ----------------------------------------------------------------- */

static void (*const CASES_OF[])(dk_rng *) = {
    case_act01,  case_perceptron, case_linear,  case_activations, case_mse,
    case_softmax, case_cross_entropy, case_mlp, case_mlp_sgd,    case_sgd,
    case_momentum, case_adam,     case_schedules, case_dropout,   case_batchnorm,
    case_conv,   case_col2im,     case_pool,    case_lenet,     case_embedding,
    case_rnn,    case_lstm,       case_clip,    case_layernorm, case_gelu,
    case_attention, case_mha,     case_block,   case_gpt, case_bce,       case_kl,
    case_reparameterize, case_leaky_relu, case_gan_losses, case_vae,
};

static unsigned long count_arg(const char *s, const char *what)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v == 0)
        dk_fatal("parity: %s must be a positive integer, not '%s'", what, s);
    return v;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4)
        dk_fatal("usage: %s DIR [SEEDS [FIRST]]", argv[0]);
    dk_blas_init(argv, 1); /* one thread: small shapes, and a quiet machine */
    if (*(const unsigned char *)&(uint32_t){1} != 1)
        dk_fatal("parity: the files are little-endian, this machine is not");
    const unsigned long seeds = argc > 2 ? count_arg(argv[2], "SEEDS") : 5;
    const unsigned long first = argc > 3 ? count_arg(argv[3], "FIRST") : 1;
    char path[4096];
    g_dir = argv[1];
    snprintf(path, sizeof path, "%s/index.tsv", g_dir);
    if (!(g_index = fopen(path, "w")))
        dk_fatal("parity: cannot write %s", path);
    fprintf(g_index, "# kind\tlayer\tcase\tname\tvalue, or type shape file\n");
    for (unsigned long seed = first; seed < first + seeds; seed++) {
        dk_rng rng;
        dk_rng_seed(&rng, seed);
        for (int c = 0; c < CASES; c++)
            for (size_t l = 0; l < sizeof CASES_OF / sizeof CASES_OF[0]; l++)
                CASES_OF[l](&rng);
    }
    release_all();
    if (fclose(g_index) != 0)
        dk_fatal("parity: cannot write %s", path);
    printf("%u cases of %zu layer functions, seeds %lu-%lu, in %s\n", g_case,
           sizeof CASES_OF / sizeof CASES_OF[0], first, first + seeds - 1, g_dir);
    return 0;
}
