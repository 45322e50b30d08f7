/* Softmax on the GPU, llm.c's dev/cuda style: the CPU reference
 * (cpu_softmax), the two versions of softmax.cu, a validation of each,
 * then each timed against a device-to-device copy of the same bytes: a
 * softmax reads its input once and writes its output once, at best, which
 * is what a copy does.
 *
 *   softmax [VERSION] [--rows B] [--cols C]   (default: both, 16384 x 4096)
 * Prints, besides device and valid lines:
 *   bandwidth NAME BYTES GBPS MS   (NAME a version's function, or copy;
 *                                   BYTES read and written) */
#include "dev.h"

struct version {
    const char *name;
    softmax_fn *fn;
};
static const version VERSIONS[] = {{"softmax1_rows", softmax1_rows},
                                   {"softmax2_online", softmax2_online}};

static bool validate_on(const version &v, int B, int C, float center, dk_rng *rng)
{
    std::vector<float> x = uniform(rng, (size_t)B * C, center - 10, center + 10), want(x.size());
    cpu_softmax(x.data(), B, C, want.data());
    float *dx = to_device(x.data(), x.size()), *dp = device_array<float>(x.size());
    v.fn(dx, B, C, dp, 0);
    std::vector<float> got = from_device(dp, x.size());
    char what[128];
    snprintf(what, sizeof what, "%s %dx%d logits near %g", v.name, B, C, center);
    const bool ok = validate(what, want.data(), got.data(), got.size(), DK_TOL_REDUCTION);
    cudaFree(dx), cudaFree(dp);
    return ok;
}

int main(int argc, char **argv)
{
    const int only = argc > 1 && argv[1][0] != '-' ? atoi(argv[1]) : 0;
    const int B = (int)arg_after(argc, argv, "--rows", 16384);
    const int C = (int)arg_after(argc, argv, "--cols", 4096);
    print_device();
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    bool ok = true;
    for (int i = 0; i < 2; i++)
        if (!only || only == i + 1)
            ok &= validate_on(VERSIONS[i], 7, 1000, 0, &rng) && validate_on(VERSIONS[i], 3, 10007, 1000, &rng) &&
                  validate_on(VERSIONS[i], 64, 4096, -1000, &rng);

    const size_t n = (size_t)B * C, bytes = 2 * n * sizeof(float);
    std::vector<float> x = uniform(&rng, n, -5, 5);
    float *dx = to_device(x.data(), n), *dp = device_array<float>(n);
    const double copy = time_ms([&] {
        CUDA_CHECK(cudaMemcpyAsync(dp, dx, n * sizeof(float), cudaMemcpyDeviceToDevice, 0));
    });
    printf("bandwidth copy %zu %.0f %.3f\n", bytes, bytes / copy / 1e6, copy);
    for (int i = 0; i < 2; i++) {
        if (only && only != i + 1)
            continue;
        const double ms = time_ms([&] { VERSIONS[i].fn(dx, B, C, dp, 0); });
        printf("bandwidth %s %zu %.0f %.3f\n", VERSIONS[i].name, bytes, bytes / ms / 1e6, ms);
        fflush(stdout);
    }
    cudaFree(dx), cudaFree(dp);
    return ok ? 0 : 1;
}
