/* make bench: the machine's measured float32 peak, the yardstick of the
 * sgemm rows. Each thread runs CHAINS independent chains of vector FMAs
 * (enough to cover the FMA units' latency on current x86 cores), on the
 * widest vectors the CPU has: AVX-512, else AVX2.
 *
 *   peak THREADS
 *
 * Prints "peak GFLOPS ISA", the best of RUNS runs (a peak: noise only ever
 * lowers it), or "peak - none" where neither ISA is there. */
#include "error.h"
#include "timer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DK_X86 1
#endif

enum { CHAINS = 16, RUNS = 5, MAX_THREADS = 64 };
static const size_t ITERATIONS = 50 * 1000 * 1000;

/* acc = acc * m + c converges to c / (1 - m) = 1: no overflow, no
 * denormals, whatever the number of iterations. */
#define FMA_M 0.99999f
#define FMA_C 0.00001f

/* The chains' first values, read at run time: a compiler that knew them
 * could fold a chain that starts at its fixed point (1) away. */
static volatile float START = 0.5f;

#ifdef DK_X86
__attribute__((target("avx512f"))) static float chains_avx512(size_t iterations, float start)
{
    const __m512 m = _mm512_set1_ps(FMA_M), c = _mm512_set1_ps(FMA_C);
    __m512 acc[CHAINS];
    for (int j = 0; j < CHAINS; j++)
        acc[j] = _mm512_set1_ps(start + (float)j);
    for (size_t i = 0; i < iterations; i++) {
#pragma GCC unroll 16
        for (int j = 0; j < CHAINS; j++)
            acc[j] = _mm512_fmadd_ps(acc[j], m, c);
    }
    for (int j = 1; j < CHAINS; j++)
        acc[0] = _mm512_add_ps(acc[0], acc[j]);
    return _mm512_reduce_add_ps(acc[0]);
}

/* 16 ymm registers: 12 chains, plus m and c. */
enum { AVX2_CHAINS = 12 };
__attribute__((target("avx2,fma"))) static float chains_avx2(size_t iterations, float start)
{
    const __m256 m = _mm256_set1_ps(FMA_M), c = _mm256_set1_ps(FMA_C);
    __m256 acc[AVX2_CHAINS];
    for (int j = 0; j < AVX2_CHAINS; j++)
        acc[j] = _mm256_set1_ps(start + (float)j);
    for (size_t i = 0; i < iterations; i++) {
#pragma GCC unroll 12
        for (int j = 0; j < AVX2_CHAINS; j++)
            acc[j] = _mm256_fmadd_ps(acc[j], m, c);
    }
    float out[8];
    for (int j = 1; j < AVX2_CHAINS; j++)
        acc[0] = _mm256_add_ps(acc[0], acc[j]);
    _mm256_storeu_ps(out, acc[0]);
    return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
}
#endif

typedef struct isa {
    const char *name;
    float (*chains)(size_t iterations, float start);
    double flops_per_iteration; /* chains x lanes x 2 (an FMA is 2 flops) */
} isa;

static isa best_isa(void)
{
#ifdef DK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return (isa){"AVX-512", chains_avx512, CHAINS * 16 * 2};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return (isa){"AVX2", chains_avx2, AVX2_CHAINS * 8 * 2};
#endif
    return (isa){"none", NULL, 0};
}

typedef struct job {
    const isa *isa;
    volatile float sink; /* keeps the chains from being optimised away */
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    j->sink = j->isa->chains(ITERATIONS, START);
    return NULL;
}

/* GFLOP/s of all threads running their chains at once. */
static double run_gflops(const isa *isa, size_t threads)
{
    pthread_t tid[MAX_THREADS];
    job jobs[MAX_THREADS];
    double t0 = dk_seconds();
    for (size_t t = 0; t < threads; t++) {
        jobs[t] = (job){.isa = isa};
        if (pthread_create(&tid[t], NULL, run_job, &jobs[t]) != 0)
            dk_fatal("cannot start thread %zu of %zu", t + 1, threads);
    }
    for (size_t t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    double seconds = dk_seconds() - t0;
    return isa->flops_per_iteration * (double)ITERATIONS * (double)threads / seconds / 1e9;
}

int main(int argc, char **argv)
{
    int threads = argc == 2 ? atoi(argv[1]) : 0;
    if (threads < 1 || threads > MAX_THREADS)
        dk_fatal("usage: %s THREADS (1 to %d)", argv[0], MAX_THREADS);
    isa isa = best_isa();
    if (!isa.chains) {
        printf("peak - none\n");
        return 0;
    }
    double best = 0;
    for (int r = 0; r < RUNS; r++) {
        double g = run_gflops(&isa, (size_t)threads);
        best = g > best ? g : best;
    }
    printf("peak %.1f %s\n", best, isa.name);
    return 0;
}
