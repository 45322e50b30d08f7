#include "blas.h"

#include "rng.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* OpenBLAS picks its kernels from the CPU when it is loaded. Debian 12's
 * 0.3.21 does not know AMD Zen 4/5 and falls back to its Haswell (AVX2)
 * kernels on CPUs that run AVX-512, where the SkylakeX kernels are about
 * twice as fast. The choice is read from OPENBLAS_CORETYPE at load time, so
 * the only way to change it from inside a program is to set it and start the
 * program again. A value the user already set is respected. */
static bool wants_skylakex(void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    const char *core = openblas_get_corename();
    bool generic = strcasecmp(core, "haswell") == 0 || strcasecmp(core, "zen") == 0;
    __builtin_cpu_init();
    return generic && __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

void dk_blas_init(char **argv, int threads)
{
    if (!getenv("OPENBLAS_CORETYPE") && argv && argv[0] && wants_skylakex()) {
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 1);
        execv("/proc/self/exe", argv);
        /* Not fatal: the program still runs, on the slower kernels. */
    }
    if (threads > 0)
        openblas_set_num_threads(threads);
}

int dk_blas_set_threads(int threads)
{
    const int had = openblas_get_num_threads();
    openblas_set_num_threads(threads);
    return had;
}

int dk_blas_threads(void)
{
    return openblas_get_num_threads();
}

const char *dk_blas_core(void)
{
    return openblas_get_corename();
}

/* OpenBLAS shares a product among its threads by rows or columns of C.
 * When op(B) or C is tiny, each thread gets too little to pay for waking
 * it: on a two-core AMD EPYC, LeNet's conv1 (50176x16x25) took 665 us on
 * two threads and 576 on one, its dW (16x25x50176) 1128 and 878, while
 * every larger product of the chapters ran 1.6x-1.9x faster on two. */
static bool too_small_to_share(size_t M, size_t N, size_t K)
{
    return N * K <= 512 || M * N <= 1024;
}

void dk_sgemm(bool trans_a, bool trans_b, size_t M, size_t N, size_t K,
              float alpha, const float *A, const float *B, float beta,
              float *C)
{
    if (M == 0 || N == 0)
        return;
    const int threads = openblas_get_num_threads();
    const bool alone = threads > 1 && too_small_to_share(M, N, K);
    if (alone) /* the thread count is the process's: put it back after */
        openblas_set_num_threads(1);
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, (blasint)M, (blasint)N,
                (blasint)K, alpha, A, trans_a ? (blasint)M : (blasint)K, B,
                trans_b ? (blasint)K : (blasint)N, beta, C, (blasint)N);
    if (alone)
        openblas_set_num_threads(threads);
}

/* Element (i,j) of alpha*op(A)op(B) + beta*C in double precision, and the
 * magnitude sum |alpha*a*b| + |beta*c| that bounds its float32 round-off. */
static double reference_element(bool ta, bool tb, size_t M, size_t N, size_t K,
                                float alpha, const float *A, const float *B,
                                float beta, const float *C, size_t i, size_t j,
                                double *magnitude)
{
    double s = 0, mag = 0;
    for (size_t k = 0; k < K; k++) {
        double p = (double)(ta ? A[k * M + i] : A[i * K + k]) *
                   (tb ? B[j * K + k] : B[k * N + j]);
        s += p;
        mag += fabs(p);
    }
    *magnitude = fabs(alpha) * mag + fabs(beta * C[i * N + j]);
    return alpha * s + (double)beta * C[i * N + j];
}

static float *random_matrix(dk_rng *rng, size_t n)
{
    float *m = malloc((n ? n : 1) * sizeof *m);
    for (size_t i = 0; m && i < n; i++)
        m[i] = dk_rng_range(rng, -1, 1);
    return m;
}

/* One shape and transpose combination; false (and a report) on the first
 * element off by more than float32 round-off allows. */
static bool selftest_case(dk_sgemm_fn gemm, dk_rng *rng, bool ta, bool tb, size_t M,
                          size_t N, size_t K, char *report, size_t len)
{
    const float alpha = 0.75f, beta = -0.5f;
    float *A = random_matrix(rng, M * K), *B = random_matrix(rng, K * N);
    float *C = random_matrix(rng, M * N), *C0 = random_matrix(rng, M * N);
    bool ok = A && B && C && C0;
    if (!ok)
        snprintf(report, len, "sgemm self-test: out of memory");
    if (ok) {
        memcpy(C0, C, M * N * sizeof *C);
        gemm(ta, tb, M, N, K, alpha, A, B, beta, C);
    }
    for (size_t i = 0; ok && i < M; i++)
        for (size_t j = 0; ok && j < N; j++) {
            double mag;
            double want = reference_element(ta, tb, M, N, K, alpha, A, B, beta,
                                            C0, i, j, &mag);
            double got = C[i * N + j];
            /* Worst-case float32 summation error is (K+2) ulps of mag. */
            if (!(fabs(got - want) <= 2.5e-7 * (double)(K + 2) * mag + 1e-7)) {
                snprintf(report, len,
                         "sgemm self-test failed (OpenBLAS core %s): trans_a=%d "
                         "trans_b=%d M=%zu N=%zu K=%zu: C[%zu,%zu] = %.9g, "
                         "expected %.9g",
                         dk_blas_core(), ta, tb, M, N, K, i, j, got, want);
                ok = false;
            }
        }
    free(A), free(B), free(C), free(C0);
    return ok;
}

bool dk_sgemm_selftest(dk_sgemm_fn gemm, char *report, size_t report_len)
{
    /* Odd sizes on both sides of the kernels' blocking (1, primes, >64). */
    static const size_t shapes[][3] = {
        {1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {3, 5, 1}, {17, 13, 11},
        {33, 65, 31}, {67, 35, 129}, {130, 97, 257}, {255, 129, 70},
    };
    dk_rng rng;
    dk_rng_seed(&rng, 2024);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int t = 0; t < 4; t++)
            if (!selftest_case(gemm, &rng, t & 1, t & 2, shapes[s][0], shapes[s][1],
                               shapes[s][2], report, report_len))
                return false;
    snprintf(report, report_len, "sgemm self-test passed (OpenBLAS core %s)",
             dk_blas_core());
    return true;
}
