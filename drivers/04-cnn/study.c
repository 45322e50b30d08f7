/* Chapter 04's studies (kit code: you need not edit it).
 *
 *   study OUTDIR            lists the studies
 *   study OUTDIR NAME       runs one; writes OUTDIR/NAME.csv
 *
 * widths: the recipe's network with 6/16, 16/32 and 32/64 filters, 4
 * epochs each on Fashion-MNIST: test accuracy against seconds per epoch.
 * loops-vs-im2col: your conv2d as loops against your conv2d through
 * im2col and one product, forward and backward, on LeNet's two layers for
 * a batch of 64: milliseconds per call. */
#include "blas.h"
#include "cnn_recipe.h"
#include "csvlog.h"
#include "parallel.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dk_csvlog *open_log(const char *dir, const char *name, const char *columns)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    return dk_csvlog_open_or_exit(path, columns);
}

static void widths(const char *dir, uint64_t seed)
{
    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load("fashion-mnist", "train", &train, &err) ||
        !dk_dataset_load("fashion-mnist", "test", &test, &err))
        dk_fatal("%s", err.msg);
    static const size_t filters[3][2] = {{6, 16}, {16, 32}, {32, 64}};
    dk_csvlog *log = open_log(dir, "widths", "c1,c2,params,test_acc,seconds_per_epoch");
    printf("%-8s %-9s %-9s %s\n", "filters", "params", "test acc", "seconds per epoch");
    fflush(stdout);
    for (size_t w = 0; w < 3; w++) {
        cnn_recipe r = CNN_RECIPE_FASHION;
        r.c1 = filters[w][0], r.c2 = filters[w][1], r.epochs = 4;
        const lenet_config cfg = cnn_recipe_network(&r, &train);
        dk_rng rng;
        dk_rng_seed(&rng, seed);
        lenet net;
        if (!lenet_create(&net, &cfg, &rng))
            dk_fatal("lenet_create returned false for %zu/%zu filters", r.c1, r.c2);
        const size_t params = net.nparams;
        lenet_free(&net);
        const double start = dk_seconds();
        const float acc = cnn_recipe_train(&r, &train, &test, seed, NULL, dk_cores() > 1);
        const double row[5] = {(double)r.c1, (double)r.c2, (double)params, acc,
                               (dk_seconds() - start) / (double)r.epochs};
        dk_csvlog_row(log, row);
        printf("%2zu/%-5zu %-9zu %7.2f%%  %.1f\n", r.c1, r.c2, params, 100 * acc, row[4]);
        fflush(stdout);
    }
    dk_csvlog_close_or_exit(log);
    dk_dataset_free(&train);
    dk_dataset_free(&test);
}

/* One layer's buffers; y doubles as dy in the backward passes. */
typedef struct layer_run {
    const conv2d_shape *s;
    float *x, *W, *b, *y, *cols, *dcols, *dx, *dW, *db;
} layer_run;

static void loops_forward(layer_run *l)
{
    conv2d_forward_direct(l->x, l->W, l->b, l->s, l->y);
}

static void loops_backward(layer_run *l)
{
    conv2d_backward_direct(l->x, l->W, l->y, l->s, l->dx, l->dW, l->db);
}

static void im2col_forward(layer_run *l)
{
    conv2d_forward(l->x, l->W, l->b, l->s, l->cols, l->y);
}

static void im2col_backward(layer_run *l)
{
    conv2d_backward(l->cols, l->W, l->y, l->s, l->dcols, l->dx, l->dW, l->db);
}

/* Milliseconds per call of one pass, over at least 0.3 s. */
static double ms_per_call(void (*pass)(layer_run *), layer_run *l)
{
    size_t calls = 0;
    const double start = dk_seconds();
    double now = start;
    while (now - start < 0.3) {
        pass(l);
        calls++;
        now = dk_seconds();
    }
    return 1e3 * (now - start) / (double)calls;
}

static float *filled(size_t n, dk_rng *rng)
{
    float *a = malloc(n * sizeof *a);
    if (!a)
        dk_fatal("out of memory");
    for (size_t i = 0; i < n; i++)
        a[i] = dk_rng_range(rng, -1, 1);
    return a;
}

static void loops_vs_im2col(const char *dir, uint64_t seed)
{
    const cnn_recipe *r = &CNN_RECIPE_FASHION;
    const lenet_shapes s = lenet_shapes_of(&(lenet_config){28, 28, 1, r->c1, r->c2, 1, 10}, 64);
    const conv2d_shape *layers[2] = {&s.conv1, &s.conv2};
    static const char *const names[2] = {"conv1", "conv2"};
    dk_csvlog *log = open_log(dir, "loops-vs-im2col", "layer,pass,loops_ms,im2col_ms");
    printf("batch of 64; milliseconds per call\n%-6s %-9s %9s %9s %s\n", "layer", "pass", "loops",
           "im2col", "speed-up");
    fflush(stdout);
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    for (int k = 0; k < 2; k++) {
        const conv2d_shape *c = layers[k];
        const size_t nx = c->N * c->H * c->W * c->C, nw = c->K * c->kh * c->kw * c->C;
        const size_t ny = c->N * conv2d_out_size(c->H, c->kh, c->stride, c->pad) *
                          conv2d_out_size(c->W, c->kw, c->stride, c->pad) * c->K;
        const size_t nc = conv2d_cols_size(c);
        layer_run l = {c, filled(nx, &rng), filled(nw, &rng), filled(c->K, &rng),
                       filled(ny, &rng), filled(nc, &rng), filled(nc, &rng), filled(nx, &rng),
                       filled(nw, &rng), filled(c->K, &rng)};
        const double times[2][2] = {
            {ms_per_call(loops_forward, &l), ms_per_call(im2col_forward, &l)},
            {ms_per_call(loops_backward, &l), ms_per_call(im2col_backward, &l)}};
        for (int pass = 0; pass < 2; pass++) {
            const double row[4] = {k + 1, pass, times[pass][0], times[pass][1]};
            dk_csvlog_row(log, row);
            printf("%-6s %-9s %9.2f %9.2f %7.1fx\n", names[k], pass ? "backward" : "forward",
                   times[pass][0], times[pass][1], times[pass][0] / times[pass][1]);
            fflush(stdout);
        }
        free(l.x), free(l.W), free(l.b), free(l.y), free(l.cols), free(l.dcols), free(l.dx);
        free(l.dW), free(l.db);
    }
    dk_csvlog_close_or_exit(log);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 0);
    if (argc == 2) {
        puts("widths            6/16, 16/32 and 32/64 filters, 4 epochs each on Fashion-MNIST:\n"
             "                  test accuracy against seconds per epoch\n"
             "loops-vs-im2col   your conv2d as loops and through im2col, forward and backward,\n"
             "                  on LeNet's two layers: milliseconds per call");
        return 0;
    }
    const char *seed = getenv("DLKIT_SEED");
    const uint64_t s = seed && *seed ? strtoull(seed, NULL, 10) : 1;
    if (argc == 3 && strcmp(argv[2], "widths") == 0)
        widths(argv[1], s);
    else if (argc == 3 && strcmp(argv[2], "loops-vs-im2col") == 0)
        loops_vs_im2col(argv[1], s);
    else
        dk_fatal("usage: %s OUTDIR [widths|loops-vs-im2col]", argv[0]);
    return 0;
}
