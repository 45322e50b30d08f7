/* make bench, the sgemm rows: the kit's wrapper dk_sgemm against the raw
 * cblas_sgemm call it makes, on the same shapes and threads, so that any
 * cost of the wrapper (or a kernel choice that differs) shows.
 *
 *   sgemm THREADS
 *
 * Prints, for the harness:
 *   openblas VERSION CORE CORETYPE   (CORETYPE: OPENBLAS_CORETYPE, or -)
 *   shape NAME OURS RAW              GFLOP/s, the median of RUNS runs each */
#include "blas.h"
#include "error.h"
#include "rng.h"
#include "timer.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>

enum { RUNS = 9 };
static const double RUN_SECONDS = 0.1; /* long enough to hide the clock */

typedef struct shape {
    const char *name;
    size_t M, N, K;
    bool trans_b;
} shape;

/* A 1024^3 product, and the first layer of the MLP row's forward pass
 * (y = x W^T: a batch of 64, 784 inputs, 256 outputs). */
static const shape SHAPES[] = {
    {"1024^3", 1024, 1024, 1024, false},
    {"64x256x784", 64, 256, 784, true},
};

/* What dk_sgemm wraps, called directly. */
static void raw_sgemm(bool trans_a, bool trans_b, size_t M, size_t N, size_t K,
                      float alpha, const float *A, const float *B, float beta, float *C)
{
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (blasint)M, (blasint)N, (blasint)K,
                alpha, A, trans_a ? (blasint)M : (blasint)K, B,
                trans_b ? (blasint)K : (blasint)N, beta, C, (blasint)N);
}

typedef struct operands {
    float *A, *B, *C;
} operands;

static double flops(const shape *s)
{
    return 2.0 * (double)s->M * (double)s->N * (double)s->K;
}

/* Seconds of `calls` products in a row. */
static double run_seconds(dk_sgemm_fn gemm, const shape *s, const operands *o, size_t calls)
{
    double t0 = dk_seconds();
    for (size_t i = 0; i < calls; i++)
        gemm(false, s->trans_b, s->M, s->N, s->K, 1.0f, o->A, o->B, 0.0f, o->C);
    return dk_seconds() - t0;
}

/* Calls per run: doubled until a run lasts RUN_SECONDS (which also warms
 * up OpenBLAS's threads and the caches). */
static size_t calls_per_run(const shape *s, const operands *o)
{
    size_t calls = 1;
    while (run_seconds(raw_sgemm, s, o, calls) < RUN_SECONDS)
        calls *= 2;
    return calls;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static float *random_floats(dk_rng *rng, size_t n)
{
    float *v = malloc(n * sizeof *v);
    if (!v)
        dk_fatal("out of memory for a %zu-float matrix", n);
    for (size_t i = 0; i < n; i++)
        v[i] = dk_rng_range(rng, -1, 1);
    return v;
}

/* Medians of RUNS runs of each, interleaved so that a change of clock
 * speed or a noisy neighbour hits both alike. */
static void bench_shape(const shape *s, dk_rng *rng)
{
    operands o = {random_floats(rng, s->M * s->K), random_floats(rng, s->K * s->N),
                  random_floats(rng, s->M * s->N)};
    size_t calls = calls_per_run(s, &o);
    double ours[RUNS], raw[RUNS];
    for (size_t r = 0; r < RUNS; r++) {
        ours[r] = flops(s) * (double)calls / run_seconds(dk_sgemm, s, &o, calls) / 1e9;
        raw[r] = flops(s) * (double)calls / run_seconds(raw_sgemm, s, &o, calls) / 1e9;
    }
    printf("shape %s %.1f %.1f\n", s->name, median(ours, RUNS), median(raw, RUNS));
    fflush(stdout);
    free(o.A), free(o.B), free(o.C);
}

int main(int argc, char **argv)
{
    int threads = argc == 2 ? atoi(argv[1]) : 0;
    if (threads < 1 || threads > 1024)
        dk_fatal("usage: %s THREADS (1 to 1024)", argv[0]);
    dk_blas_init(argv, threads);
    const char *coretype = getenv("OPENBLAS_CORETYPE");
    char version[64] = "?";
    sscanf(openblas_get_config(), "OpenBLAS %63s", version);
    printf("openblas %s %s %s\n", version, dk_blas_core(),
           coretype && *coretype ? coretype : "-");
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++)
        bench_shape(&SHAPES[i], &rng);
    return 0;
}
