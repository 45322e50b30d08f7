/* Causal attention on the GPU, llm.c's dev/cuda style: the CPU reference
 * (cpu_attention), the two versions of attention.cu, a validation of each
 * on odd shapes, then each timed on GPT-2 small's shape (batch 8, 12 heads
 * of 64). Its baseline, PyTorch's scaled_dot_product_attention, is timed
 * by gpu/bench/torch_attention.py; gpu/bench/run puts the two side by side.
 *
 *   attention [VERSION] [--heads BH] [--len T] [--dim d]
 *             (default: both versions, BH = 96, T = 1024, d = 64)
 * Prints, besides device and valid lines:
 *   attention NAME BH T D MS TFLOPS   (the FLOPs of the causal half only:
 *                                      2 products of 2 d flops per pair
 *                                      j <= i, 2 d T (T+1) BH in all) */
#include "dev.h"

static const char *const NAMES[] = {"attention1_naive", "attention2_fused"};

/* One call of version v (1 or 2); scores: T*T floats, for version 1. */
static void run_version(int v, const float *Q, const float *K, const float *V, int BH, int T,
                        int d, float *scores, float *O)
{
    if (v == 1)
        attention1_naive(Q, K, V, BH, T, d, scores, O, 0);
    else
        attention2_fused(Q, K, V, BH, T, d, O, 0);
}

static bool validate_on(int v, int BH, int T, int d, dk_rng *rng)
{
    const size_t n = (size_t)BH * T * d;
    std::vector<float> q = uniform(rng, n, -2, 2), k = uniform(rng, n, -2, 2);
    std::vector<float> val = uniform(rng, n, -1, 1), want(n);
    cpu_attention(q.data(), k.data(), val.data(), BH, T, d, want.data());
    float *dq = to_device(q.data(), n), *dk = to_device(k.data(), n), *dv = to_device(val.data(), n);
    float *dO = device_array<float>(n), *scores = device_array<float>((size_t)T * T);
    run_version(v, dq, dk, dv, BH, T, d, scores, dO);
    std::vector<float> got = from_device(dO, n);
    char what[128];
    snprintf(what, sizeof what, "%s BH=%d T=%d d=%d", NAMES[v - 1], BH, T, d);
    const bool ok = validate(what, want.data(), got.data(), n, DK_TOL_REDUCTION);
    cudaFree(dq), cudaFree(dk), cudaFree(dv), cudaFree(dO), cudaFree(scores);
    return ok;
}

int main(int argc, char **argv)
{
    const int only = argc > 1 && argv[1][0] != '-' ? atoi(argv[1]) : 0;
    const int BH = (int)arg_after(argc, argv, "--heads", 96);
    const int T = (int)arg_after(argc, argv, "--len", 1024);
    const int d = (int)arg_after(argc, argv, "--dim", 64);
    print_device();
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    bool ok = true;
    for (int v = 1; v <= 2; v++)
        if (!only || only == v)
            ok &= validate_on(v, 3, 100, 64, &rng) && validate_on(v, 2, 257, 32, &rng) &&
                  validate_on(v, 1, 1000, 16, &rng) && validate_on(v, 1, 513, d, &rng);

    const size_t n = (size_t)BH * T * d;
    std::vector<float> x = uniform(&rng, n, -1, 1);
    float *dq = to_device(x.data(), n), *dk = to_device(x.data(), n), *dv = to_device(x.data(), n);
    float *dO = device_array<float>(n), *scores = device_array<float>((size_t)T * T);
    const double flops = 2.0 * d * T * (T + 1.0) * BH;
    for (int v = 1; v <= 2; v++) {
        if (only && only != v)
            continue;
        const double ms = time_ms([&] { run_version(v, dq, dk, dv, BH, T, d, scores, dO); });
        printf("attention %s %d %d %d %.3f %.2f\n", NAMES[v - 1], BH, T, d, ms, flops / ms / 1e9);
        fflush(stdout);
    }
    cudaFree(dq), cudaFree(dk), cudaFree(dv), cudaFree(dO), cudaFree(scores);
    return ok ? 0 : 1;
}
