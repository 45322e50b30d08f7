/* Chapter 03's studies (kit code: you need not edit it), with your code.
 *
 *   study OUTDIR            lists them
 *   study OUTDIR NAME       runs one, writing OUTDIR/NAME.csv (and, for
 *                           init, OUTDIR/init-hist.csv and
 *                           OUTDIR/init-gradnorms.csv)
 *
 * `make study CH=03 NAME=...` also draws each (plots/03-training.sh). */
#include "blas.h"
#include "backprop.h"
#include "csvlog.h"
#include "debug_setup.h"
#include "training_recipe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct study {
    const char *name, *what;
    void (*run)(const char *dir, uint64_t seed);
} study;

static dk_csvlog *open_log(const char *dir, const char *file, const char *columns)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return dk_csvlog_open_or_exit(path, columns);
}

/* The first n images of a data set's split (the rest are freed). */
static dk_dataset first(const char *name, const char *split, size_t n)
{
    dk_dataset ds;
    dk_err err;
    if (!dk_dataset_load(name, split, &ds, &err))
        dk_fatal("%s", err.msg);
    ds.n = ds.n < n ? ds.n : n;
    return ds;
}

/* ---- optimizers: one problem, four optimizers ------------------------------- */

typedef struct epoch_log {
    dk_csvlog *log;
    double optimizer;
} epoch_log;

static void log_epoch(const dk_epoch_report *r, void *ctx)
{
    epoch_log *e = ctx;
    double row[5] = {e->optimizer, (double)r->epoch, r->train_loss, r->test.loss, r->test.acc};
    dk_csvlog_row(e->log, row);
}

static void optimizers(const char *dir, uint64_t seed)
{
    dk_dataset train = first("fashion-mnist", "train", 10000), test = first("fashion-mnist", "test", 10000);
    dk_csvlog *log = open_log(dir, "optimizers.csv", "optimizer,epoch,train_loss,test_loss,test_acc");
    static const struct {
        optimizer_kind kind;
        float lr;
        const char *name;
    } opts[] = {{OPT_SGD, 0.05f, "SGD"}, {OPT_MOMENTUM, 0.05f, "momentum"},
                {OPT_ADAM, 1e-3f, "Adam"}, {OPT_ADAMW, 1e-3f, "AdamW"}};
    for (int o = 0; o < 4; o++) {
        training_recipe r = TRAINING_RECIPE_PLAIN; /* no batch norm: the optimizers alone */
        r.optimizer = opts[o].kind, r.lr = opts[o].lr, r.momentum = 0.9f, r.epochs = 10;
        r.weight_decay = opts[o].kind == OPT_ADAMW ? 1e-2f : 0;
        epoch_log e = {log, o};
        dk_train_hooks hooks = {NULL, log_epoch, &e};
        dk_scores s = training_recipe_train(&r, &train, NULL, &test, seed, &hooks);
        printf("%-9s lr %-6g test accuracy %.2f%%\n", opts[o].name, opts[o].lr, 100 * s.acc);
        fflush(stdout);
    }
    dk_csvlog_close_or_exit(log);
    dk_dataset_free(&train), dk_dataset_free(&test);
}

/* ---- init: signals through a deep network ----------------------------------- */

enum { DEEP = 10, WIDTH = 256, BATCH = 512, BINS = 41 };

/* One deep net's weights (biases are 0) and a batch's activations. */
typedef struct deep {
    float *W[DEEP], *h[DEEP + 1], *dh[DEEP + 1], *dW[DEEP];
    bool relu;
} deep;

static size_t fan_in(size_t l, size_t dim)
{
    return l ? WIDTH : dim;
}

static void deep_forward(deep *d, size_t dim)
{
    static float zero_b[WIDTH];
    for (size_t l = 0; l < DEEP; l++) {
        linear_forward(d->h[l], d->W[l], zero_b, BATCH, fan_in(l, dim), WIDTH, d->h[l + 1]);
        (d->relu ? relu_forward : tanh_forward)(d->h[l + 1], BATCH * WIDTH, d->h[l + 1]);
    }
}

/* From the gradient at the top, in dh[DEEP]: each layer's dh and dW. */
static void deep_backward(deep *d, size_t dim)
{
    static float db[WIDTH];
    for (size_t l = DEEP; l-- > 0;) {
        float *dz = d->dh[l + 1]; /* in place: the activation's slope */
        for (size_t i = 0; i < BATCH * WIDTH; i++) {
            float y = d->h[l + 1][i];
            dz[i] *= d->relu ? (y > 0) : 1 - y * y;
        }
        memset(d->dW[l], 0, WIDTH * fan_in(l, dim) * sizeof(float));
        linear_backward(d->h[l], d->W[l], dz, BATCH, fan_in(l, dim), WIDTH, l ? d->dh[l] : NULL,
                        d->dW[l], db);
    }
}

static void moments(const float *x, size_t n, double *mean, double *sd)
{
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i], s2 += (double)x[i] * x[i];
    *mean = s / (double)n;
    *sd = sqrt(fmax(0, s2 / (double)n - *mean * *mean));
}

static void histogram(dk_csvlog *log, double act, double init, size_t l, const float *x, size_t n)
{
    size_t count[BINS] = {0};
    for (size_t i = 0; i < n; i++) {
        long b = lround((x[i] + 1.0) / 2.0 * (BINS - 1)); /* bins over [-1, 1] */
        count[b < 0 ? 0 : b >= BINS ? BINS - 1 : b]++;
    }
    for (size_t b = 0; b < BINS; b++) {
        double row[5] = {act, init, (double)l, -1.0 + 2.0 * (double)b / (BINS - 1),
                         (double)count[b] / (double)n};
        dk_csvlog_row(log, row);
    }
}

static void init_weights(deep *d, int init, size_t dim, dk_rng *rng)
{
    for (size_t l = 0; l < DEEP; l++) {
        size_t in = fan_in(l, dim);
        if (init == 0) init_normal(d->W[l], in, WIDTH, 0.01f, rng);
        else if (init == 1) init_normal(d->W[l], in, WIDTH, 1.0f, rng);
        else if (init == 2) init_xavier(d->W[l], in, WIDTH, rng);
        else init_he(d->W[l], in, WIDTH, rng);
    }
}

/* Trains the deep ReLU network, He-initialised, with a softmax head, by
 * SGD on a batch at a time, logging every layer's weight-gradient norm. */
static void gradient_norms(const char *dir, uint64_t seed, deep *d, const dk_dataset *data)
{
    dk_csvlog *log = open_log(dir, "init-gradnorms.csv", "step,layer,grad_norm,loss");
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    d->relu = true;
    init_weights(d, 3, data->dim, &rng);
    const size_t C = data->classes;
    float *Wo = malloc(C * WIDTH * sizeof(float)), *dWo = malloc(C * WIDTH * sizeof(float));
    float *logits = malloc(BATCH * C * sizeof(float)), *dl = malloc(BATCH * C * sizeof(float));
    float bo[16] = {0}, dbo[16];
    init_xavier(Wo, WIDTH, C, &rng);
    for (size_t step = 1; step <= 100; step++) {
        deep_forward(d, data->dim);
        linear_forward(d->h[DEEP], Wo, bo, BATCH, WIDTH, C, logits);
        float loss = softmax_cross_entropy(logits, data->y, BATCH, C, dl);
        memset(dWo, 0, C * WIDTH * sizeof(float));
        linear_backward(d->h[DEEP], Wo, dl, BATCH, WIDTH, C, d->dh[DEEP], dWo, dbo);
        deep_backward(d, data->dim);
        for (size_t l = 0; l < DEEP; l++) {
            size_t n = WIDTH * fan_in(l, data->dim);
            double norm = 0;
            for (size_t i = 0; i < n; i++)
                norm += (double)d->dW[l][i] * d->dW[l][i];
            double row[4] = {(double)step, (double)l + 1, sqrt(norm), loss};
            dk_csvlog_row(log, row);
            sgd_step(d->W[l], d->dW[l], n, 0.05f, 0);
        }
        sgd_step(Wo, dWo, C * WIDTH, 0.05f, 0);
    }
    free(Wo), free(dWo), free(logits), free(dl);
    dk_csvlog_close_or_exit(log);
}

static void init_study(const char *dir, uint64_t seed)
{
    static const char *const inits[] = {"normal 0.01", "normal 1", "Xavier", "He"};
    dk_dataset data = first("fashion-mnist", "train", BATCH);
    dk_csvlog *stats = open_log(dir, "init.csv", "relu,init,layer,act_mean,act_std,grad_std");
    dk_csvlog *hist = open_log(dir, "init-hist.csv", "relu,init,layer,value,fraction");
    deep d;
    for (size_t l = 0; l <= DEEP; l++) {
        d.h[l] = l ? malloc(BATCH * WIDTH * sizeof(float)) : data.x;
        d.dh[l] = malloc(BATCH * WIDTH * sizeof(float));
        if (l < DEEP) {
            d.W[l] = malloc(WIDTH * fan_in(l, data.dim) * sizeof(float));
            d.dW[l] = malloc(WIDTH * fan_in(l, data.dim) * sizeof(float));
        }
    }
    for (int relu = 0; relu < 2; relu++)
        for (int init = 0; init < 4; init++) {
            dk_rng rng;
            dk_rng_seed(&rng, seed);
            d.relu = relu;
            init_weights(&d, init, data.dim, &rng);
            deep_forward(&d, data.dim);
            for (size_t i = 0; i < BATCH * WIDTH; i++) /* a random gradient at the top */
                d.dh[DEEP][i] = dk_rng_normal(&rng) / BATCH;
            deep_backward(&d, data.dim);
            printf("%-5s %-12s", relu ? "ReLU" : "tanh", inits[init]);
            for (size_t l = 1; l <= DEEP; l++) {
                double mean, sd, gmean, gsd;
                moments(d.h[l], BATCH * WIDTH, &mean, &sd);
                moments(d.dh[l], BATCH * WIDTH, &gmean, &gsd);
                double row[6] = {relu, init, (double)l, mean, sd, gsd};
                dk_csvlog_row(stats, row);
                histogram(hist, relu, init, l, d.h[l], BATCH * WIDTH);
                printf(" %8.2g", sd);
            }
            printf("   (the layers' activation spread)\n");
            fflush(stdout);
        }
    dk_csvlog_close_or_exit(stats);
    dk_csvlog_close_or_exit(hist);
    gradient_norms(dir, seed, &d, &data);
    for (size_t l = 0; l <= DEEP; l++) {
        if (l)
            free(d.h[l]);
        free(d.dh[l]);
        if (l < DEEP)
            free(d.W[l]), free(d.dW[l]);
    }
    dk_dataset_free(&data);
}

/* ---- lr-finder: the loss as the learning rate grows ------------------------ */

typedef struct ramp {
    dk_csvlog *log;
    float lr, growth, best;
    size_t step;
    bool done;
} ramp;

static void log_step(size_t done, float loss, void *ctx)
{
    ramp *r = ctx;
    (void)done;
    if (r->done)
        return;
    r->best = fminf(r->best, loss);
    double row[2] = {lr_exponential(r->lr, r->step++, r->growth), loss};
    dk_csvlog_row(r->log, row);
    r->done = !(loss < 4 * r->best); /* diverged: the rest says nothing */
}

static void lr_finder(const char *dir, uint64_t seed)
{
    dk_dataset train = first("fashion-mnist", "train", 12800), test = first("fashion-mnist", "test", 1000);
    training_recipe r = TRAINING_RECIPE_PLAIN;
    r.optimizer = OPT_MOMENTUM, r.momentum = 0.9f, r.epochs = 3, r.batch = 128;
    /* 300 steps from 1e-5 to 10: a factor 10^6, so growth^300 = 1e6 */
    r.lr = 1e-5f, r.lr_growth = powf(1e6f, 1.0f / 300);
    ramp u = {open_log(dir, "lr-finder.csv", "lr,loss"), r.lr, r.lr_growth, INFINITY, 0, false};
    dk_train_hooks hooks = {log_step, NULL, &u};
    training_recipe_train(&r, &train, NULL, &test, seed, &hooks);
    dk_csvlog_close_or_exit(u.log);
    printf("%zu steps logged, lr from 1e-5 up (to 10 at most)\n", u.step);
    dk_dataset_free(&train), dk_dataset_free(&test);
}

/* ---- grid: accuracy over learning rate x weight decay ---------------------- */

typedef struct grid_ctx {
    dk_dataset train, val; /* views of one loaded set */
    uint64_t seed;
} grid_ctx;

static float short_run(float lr, float weight_decay, void *ctx)
{
    grid_ctx *g = ctx;
    training_recipe r = TRAINING_RECIPE_FULL;
    r.lr = lr, r.weight_decay = weight_decay, r.epochs = 3, r.patience = 0;
    dk_scores s = training_recipe_train(&r, &g->train, NULL, &g->val, g->seed, NULL);
    printf("lr %-7g weight decay %-7g validation accuracy %.2f%%\n", lr, weight_decay, 100 * s.acc);
    fflush(stdout);
    return s.acc;
}

static void grid(const char *dir, uint64_t seed)
{
    static const float lrs[] = {1e-4f, 3e-4f, 1e-3f, 3e-3f, 1e-2f};
    static const float wds[] = {0.0f, 1e-4f, 1e-3f, 1e-2f, 1e-1f};
    dk_dataset data = first("fashion-mnist", "train", 6000);
    grid_ctx g = {data, data, seed};
    g.train.n = 5000;
    g.val.x += 5000 * data.dim, g.val.y += 5000, g.val.n = 1000;
    float scores[25];
    size_t best = grid_search(lrs, 5, wds, 5, short_run, &g, scores);
    dk_csvlog *log = open_log(dir, "grid.csv", "lr,weight_decay,val_acc");
    for (size_t i = 0; i < 25; i++) {
        double row[3] = {lrs[i / 5], wds[i % 5], scores[i]};
        dk_csvlog_row(log, row);
    }
    dk_csvlog_close_or_exit(log);
    printf("best: lr %g, weight decay %g (%.2f%%)\n", lrs[best / 5], wds[best % 5], 100 * scores[best]);
    dk_dataset_free(&data);
}

/* ---- debug: the five set-ups as they are now ------------------------------- */

static void debug(const char *dir, uint64_t seed)
{
    dk_csvlog *log = open_log(dir, "debug.csv", "setup,epoch,train_loss,test_loss,test_acc");
    for (int k = 1; k <= DEBUG_SETUPS; k++) {
        char path[4096]; /* in the code trained: DLKIT_SRC, from make's SRC */
        const char *src = getenv("DLKIT_SRC");
        snprintf(path, sizeof path, "%s/03-training/debug/setup%d.cfg", src ? src : "exercises", k);
        training_recipe r;
        dk_err err;
        if (!debug_setup_read(path, &r, &err))
            dk_fatal("%s", err.msg);
        epoch_log e = {log, k};
        dk_train_hooks hooks = {NULL, log_epoch, &e};
        dk_scores s = debug_setup_train(&r, seed, &hooks);
        printf("setup%d: test accuracy %.2f%%, loss %.3f\n", k, 100 * s.acc, s.loss);
        fflush(stdout);
    }
    dk_csvlog_close_or_exit(log);
}

static const study STUDIES[] = {
    {"optimizers", "SGD, momentum, Adam and AdamW on one problem: loss per epoch", optimizers},
    {"init", "10-layer tanh and ReLU networks under four initialisations: each layer's "
             "activations and gradients, and gradient norms while training", init_study},
    {"lr-finder", "the loss as the learning rate grows from 1e-5 to 10", lr_finder},
    {"grid", "a grid search over learning rate and weight decay: accuracy as a heat map", grid},
    {"debug", "the five debugging set-ups of debug/, as they are now", debug},
};

int main(int argc, char **argv)
{
    dk_blas_init(argv, 0);
    const size_t count = sizeof STUDIES / sizeof STUDIES[0];
    if (argc == 2) {
        for (size_t i = 0; i < count; i++)
            printf("%-11s %s\n", STUDIES[i].name, STUDIES[i].what);
        return 0;
    }
    const char *seed = getenv("DLKIT_SEED");
    for (size_t i = 0; argc == 3 && i < count; i++)
        if (strcmp(argv[2], STUDIES[i].name) == 0) {
            STUDIES[i].run(argv[1], seed && *seed ? strtoull(seed, NULL, 10) : 1);
            return 0;
        }
    dk_fatal("usage: %s OUTDIR [optimizers|init|lr-finder|grid|debug]", argv[0]);
}
