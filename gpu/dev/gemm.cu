/* GEMM on the GPU, llm.c's dev/cuda style: the CPU reference (cpu_gemm),
 * the three versions of gemm.cu, a validation of each, then each timed
 * against cuBLAS's SGEMM (FP32, no tensor cores) on one product.
 *
 *   gemm [VERSION] [--size N]     VERSION 1, 2 or 3 (default: all),
 *                                 N x N x N (default 4096)
 * Prints, besides device and valid lines:
 *   gemm NAME M N K GFLOPS MS     (NAME a version's function, or cublas)
 * Validation: every version against the CPU on odd shapes and all four
 * transpose cases, then against cuBLAS at the timed size (the inputs are
 * multiples of 1/8: every sum is exact, so both must give the same). A
 * version that fails is not timed. */
#include "dev.h"

#include <cublas_v2.h>

#include <cstring>

struct version {
    const char *name;
    gemm_fn *fn;
};
static const version VERSIONS[] = {
    {"gemm1_naive", gemm1_naive}, {"gemm2_tiled", gemm2_tiled}, {"gemm3_regblock", gemm3_regblock}};

static void cublas_check(cublasStatus_t s, const char *what)
{
    if (s != CUBLAS_STATUS_SUCCESS) {
        fprintf(stderr, "dlkit: cuBLAS error %d in %s\n", (int)s, what);
        exit(1);
    }
}

/* Row-major C = A B through column-major cuBLAS: C^T = B^T A^T. */
static void cublas_sgemm(cublasHandle_t h, int M, int N, int K, const float *A, const float *B,
                         float *C)
{
    const float one = 1.0f, zero = 0.0f;
    cublas_check(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, N, M, K, &one, B, N, A, K, &zero, C, N),
                 "cublasSgemm");
}

/* One version against cpu_gemm on small odd shapes, every transpose case. */
static bool validate_small(const version &v, dk_rng *rng)
{
    static const int shapes[][3] = {{1, 1, 1}, {7, 13, 5}, {129, 127, 131}, {257, 65, 33}};
    bool ok = true;
    for (const auto &s : shapes)
        for (int t = 0; t < 4 && ok; t++) {
            const int M = s[0], N = s[1], K = s[2];
            const bool ta = t & 1, tb = t & 2;
            std::vector<float> A = grid(rng, (size_t)M * K), B = grid(rng, (size_t)K * N);
            std::vector<float> C = grid(rng, (size_t)M * N), want = C;
            cpu_gemm(ta, tb, M, N, K, 0.5f, A.data(), B.data(), -1.5f, want.data());
            float *dA = to_device(A.data(), A.size()), *dB = to_device(B.data(), B.size());
            float *dC = to_device(C.data(), C.size());
            v.fn(ta, tb, M, N, K, 0.5f, dA, dB, -1.5f, dC, 0);
            std::vector<float> got = from_device(dC, C.size());
            char what[160];
            snprintf(what, sizeof what, "%s %dx%dx%d trans_a=%d trans_b=%d", v.name, M, N, K, ta, tb);
            ok = validate(what, want.data(), got.data(), got.size(), DK_TOL_REDUCTION);
            cudaFree(dA), cudaFree(dB), cudaFree(dC);
        }
    return ok;
}

int main(int argc, char **argv)
{
    const int only = argc > 1 && argv[1][0] != '-' ? atoi(argv[1]) : 0;
    const int n = (int)arg_after(argc, argv, "--size", 4096);
    print_device();
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    bool ok = true;
    for (int i = 0; i < 3; i++)
        if (!only || only == i + 1)
            ok &= validate_small(VERSIONS[i], &rng);

    const size_t nn = (size_t)n * n;
    std::vector<float> A = grid(&rng, nn), B = grid(&rng, nn);
    float *dA = to_device(A.data(), nn), *dB = to_device(B.data(), nn);
    float *dC = device_array<float>(nn), *dRef = device_array<float>(nn);
    cublasHandle_t handle;
    cublas_check(cublasCreate(&handle), "cublasCreate");
    cublas_check(cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    const double flop = 2.0 * n * n * (double)n;
    const double ms = time_ms([&] { cublas_sgemm(handle, n, n, n, dA, dB, dRef); });
    printf("gemm cublas %d %d %d %.0f %.3f\n", n, n, n, flop / ms / 1e6, ms);
    const std::vector<float> want = from_device(dRef, nn);
    for (int i = 0; i < 3; i++) {
        if (only && only != i + 1)
            continue;
        const version &v = VERSIONS[i];
        CUDA_CHECK(cudaMemset(dC, 0xff, nn * sizeof(float))); /* NaN until written */
        v.fn(false, false, n, n, n, 1.0f, dA, dB, 0.0f, dC, 0);
        const std::vector<float> got = from_device(dC, nn);
        char what[96];
        snprintf(what, sizeof what, "%s %dx%dx%d against cuBLAS", v.name, n, n, n);
        if (!validate(what, want.data(), got.data(), nn, DK_TOL_REDUCTION)) {
            ok = false;
            continue;
        }
        const double t = time_ms([&] { v.fn(false, false, n, n, n, 1.0f, dA, dB, 0.0f, dC, 0); });
        printf("gemm %s %d %d %d %.0f %.3f\n", v.name, n, n, n, flop / t / 1e6, t);
        fflush(stdout);
    }
    cublasDestroy(handle);
    cudaFree(dA), cudaFree(dB), cudaFree(dC), cudaFree(dRef);
    return ok ? 0 : 1;
}
