/* make bench, the attention rows, our side: the chapter 06 reference's
 * attn_forward then attn_backward, causal, without padding, on 12
 * sequences of 4 heads of 32 features, at T = 64 and 256.
 *
 *   attn_steps THREADS ROUNDS
 *
 * With THREADS of 2 or more, the two halves of the batch run side by side,
 * each on a thread of its own with OpenBLAS on one, as the GPT's training
 * steps run them (drivers/06-attention/gpt_recipe.c).
 *
 * bench/torch_attention.py times PyTorch's scaled_dot_product_attention on
 * the same shapes. Prints, for the harness:
 *   shape B H DH       the sizes shared by every T
 *   round T I SECONDS  seconds per forward + backward, the mean over
 *                      calls adding up to at least 0.2 s
 * the rounds of the two T interleaved, after one call each to warm up. */
#include "attention.h"
#include "blas.h"
#include "epoch.h"
#include "error.h"
#include "parallel.h"
#include "rng.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>

enum { B = 12, H = 4, DH = 32 };
static const size_t LENGTHS[] = {64, 256};

typedef struct buffers {
    attn_shape s;
    float *Q, *K, *V, *P, *O, *dO, *dQ, *dK, *dV;
} buffers;

static float *random_floats(size_t n, dk_rng *rng)
{
    float *a = malloc(n * sizeof *a);
    if (!a)
        dk_fatal("attn_steps: out of memory");
    for (size_t i = 0; i < n; i++)
        a[i] = dk_rng_range(rng, -1.0f, 1.0f);
    return a;
}

static buffers buffers_for(size_t T, dk_rng *rng)
{
    buffers b = {.s = {B, H, T, DH, true}};
    const size_t n = (size_t)B * H * T * DH;
    b.Q = random_floats(n, rng), b.K = random_floats(n, rng), b.V = random_floats(n, rng);
    b.dO = random_floats(n, rng), b.O = random_floats(n, rng), b.dQ = random_floats(n, rng);
    b.dK = random_floats(n, rng), b.dV = random_floats(n, rng);
    b.P = random_floats((size_t)B * H * T * T, rng);
    return b;
}

static void buffers_free(buffers *b)
{
    free(b->Q), free(b->K), free(b->V), free(b->P), free(b->O);
    free(b->dO), free(b->dQ), free(b->dK), free(b->dV);
}

static void step_whole(void *arg)
{
    buffers *b = arg;
    attn_forward(&b->s, b->Q, b->K, b->V, NULL, b->P, b->O);
    attn_backward(&b->s, b->Q, b->K, b->V, NULL, b->P, b->dO, b->dQ, b->dK, b->dV);
}

/* The sequences [b0, b0 + n) of b: the same arrays from their rows on. */
static buffers part(const buffers *b, size_t b0, size_t n)
{
    const size_t at = b0 * H * b->s.T * DH, p = b0 * H * b->s.T * b->s.T;
    buffers h = *b;
    h.s.B = n;
    h.Q += at, h.K += at, h.V += at, h.O += at, h.dO += at, h.dQ += at, h.dK += at, h.dV += at;
    h.P += p;
    return h;
}

static bool halves;

static void step(buffers *b)
{
    if (!halves) {
        step_whole(b);
        return;
    }
    buffers h[2] = {part(b, 0, B / 2), part(b, B / 2, B - B / 2)};
    dk_run_both(step_whole, &h[0], &h[1]);
}

static double seconds_per_step(buffers *b)
{
    size_t calls = 0;
    const double start = dk_seconds();
    double now = start;
    while (now - start < 0.2) {
        step(b);
        calls++;
        now = dk_seconds();
    }
    return (now - start) / (double)calls;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        dk_fatal("usage: %s THREADS ROUNDS", argv[0]);
    const size_t threads = bench_count(argv[1], "THREADS");
    dk_blas_init(argv, (int)threads);
    if ((halves = threads > 1))
        dk_blas_set_threads(1);
    const size_t rounds = bench_count(argv[2], "ROUNDS"), n = sizeof LENGTHS / sizeof *LENGTHS;
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    buffers b[sizeof LENGTHS / sizeof *LENGTHS];
    for (size_t k = 0; k < n; k++)
        b[k] = buffers_for(LENGTHS[k], &rng), step(&b[k]);
    printf("shape %d %d %d\n", B, H, DH);
    fflush(stdout);
    for (size_t i = 1; i <= rounds; i++)
        for (size_t k = 0; k < n; k++) {
            printf("round %zu %zu %.6f\n", LENGTHS[k], i, seconds_per_step(&b[k]));
            fflush(stdout);
        }
    for (size_t k = 0; k < n; k++)
        buffers_free(&b[k]);
    return 0;
}
