/* make bench, the conv2d rows: the chapter 04 reference's conv2d_forward
 * and conv2d_backward (im2col or col2im around one sgemm each) against the
 * sgemm ceiling, dk_sgemm alone on the same products, in GFLOP/s.
 *
 *   cnn_conv THREADS
 *
 * Prints, for the harness, one line per layer and pass:
 *   conv PASS OURS_GFLOPS CEILING_GFLOPS LAYER
 * counting 2 M N K flops per product: the forward pass's y = cols W^T, the
 * backward pass's dW = dy^T cols and dcols = dy W (the bias and ReLU-free
 * rest is what the ceiling leaves out). Each figure is the median of 7
 * runs of at least 0.1 s each, ours and the ceiling interleaved. */
#include "blas.h"
#include "cnn.h"
#include "error.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>

enum { RUNS = 7 };

/* LeNet's conv2 on Fashion-MNIST, and the CIFAR-10 recipe's conv2 (the
 * larger layer): batch 64. */
static const struct layer {
    const char *name;
    conv2d_shape s;
} LAYERS[] = {
    {"LeNet conv2 64x14x14x16 to 32", {64, 14, 14, 16, 32, 5, 5, 1, 0}},
    {"CIFAR conv2 64x16x16x64 to 128", {64, 16, 16, 64, 128, 5, 5, 1, 0}},
};

/* The buffers of one layer, and what each timed pass runs on. */
typedef struct bench {
    const conv2d_shape *s;
    size_t rows, width; /* the patch matrix: N*OH*OW by kh*kw*C */
    float *x, *W, *b, *cols, *y, *dy, *dcols, *dx, *dW, *db;
} bench;

static float *filled(size_t n)
{
    float *a = malloc(n * sizeof *a);
    if (!a)
        dk_fatal("out of memory");
    for (size_t i = 0; i < n; i++)
        a[i] = (float)(i % 17) / 17.0f - 0.5f;
    return a;
}

static void ours_forward(bench *b)
{
    conv2d_forward(b->x, b->W, b->b, b->s, b->cols, b->y);
}

static void ours_backward(bench *b)
{
    conv2d_backward(b->cols, b->W, b->dy, b->s, b->dcols, b->dx, b->dW, b->db);
}

static void ceiling_forward(bench *b)
{
    dk_sgemm(false, true, b->rows, b->s->K, b->width, 1.0f, b->cols, b->W, 0.0f, b->y);
}

static void ceiling_backward(bench *b)
{
    dk_sgemm(true, false, b->s->K, b->width, b->rows, 1.0f, b->dy, b->cols, 1.0f, b->dW);
    dk_sgemm(false, false, b->rows, b->width, b->s->K, 1.0f, b->dy, b->W, 0.0f, b->dcols);
}

/* Seconds per call of pass, over at least 0.1 s. */
static double seconds_per_call(void (*pass)(bench *), bench *b)
{
    size_t calls = 0;
    const double start = dk_seconds();
    double now = start;
    while (now - start < 0.1) {
        pass(b);
        calls++;
        now = dk_seconds();
    }
    return (now - start) / (double)calls;
}

static int by_value(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median GFLOP/s of ours and of the ceiling, interleaved. */
static void measure(void (*ours)(bench *), void (*ceiling)(bench *), bench *b, double flops,
                    double *ours_gflops, double *ceiling_gflops)
{
    double o[RUNS], c[RUNS];
    for (int r = 0; r < RUNS; r++) {
        o[r] = flops / seconds_per_call(ours, b) / 1e9;
        c[r] = flops / seconds_per_call(ceiling, b) / 1e9;
    }
    qsort(o, RUNS, sizeof o[0], by_value);
    qsort(c, RUNS, sizeof c[0], by_value);
    *ours_gflops = o[RUNS / 2], *ceiling_gflops = c[RUNS / 2];
}

int main(int argc, char **argv)
{
    if (argc != 2)
        dk_fatal("usage: %s THREADS", argv[0]);
    dk_blas_init(argv, atoi(argv[1]));
    for (size_t l = 0; l < sizeof LAYERS / sizeof LAYERS[0]; l++) {
        const conv2d_shape *s = &LAYERS[l].s;
        const size_t OH = conv2d_out_size(s->H, s->kh, s->stride, s->pad);
        const size_t OW = conv2d_out_size(s->W, s->kw, s->stride, s->pad);
        bench b = {.s = s, .rows = s->N * OH * OW, .width = s->kh * s->kw * s->C};
        const size_t nx = s->N * s->H * s->W * s->C, nc = b.rows * b.width, ny = b.rows * s->K;
        b.x = filled(nx), b.W = filled(s->K * b.width), b.b = filled(s->K);
        b.cols = filled(nc), b.y = filled(ny), b.dy = filled(ny), b.dcols = filled(nc);
        b.dx = filled(nx), b.dW = filled(s->K * b.width), b.db = filled(s->K);
        const double product = 2.0 * (double)b.rows * (double)b.width * (double)s->K;
        double ours, ceiling;
        measure(ours_forward, ceiling_forward, &b, product, &ours, &ceiling);
        printf("conv forward %.1f %.1f %s\n", ours, ceiling, LAYERS[l].name);
        fflush(stdout);
        measure(ours_backward, ceiling_backward, &b, 2 * product, &ours, &ceiling);
        printf("conv backward %.1f %.1f %s\n", ours, ceiling, LAYERS[l].name);
        fflush(stdout);
        free(b.x), free(b.W), free(b.b), free(b.cols), free(b.y), free(b.dy), free(b.dcols);
        free(b.dx), free(b.dW), free(b.db);
    }
    return 0;
}
