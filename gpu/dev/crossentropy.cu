/* Cross-entropy on the GPU, llm.c's dev/cuda style: the CPU reference
 * (cpu_cross_entropy), crossentropy.cu's fused kernel, its validation,
 * then its time against a device-to-device copy of the bytes it must move
 * at least (the logits read, the gradient written).
 *
 *   crossentropy [--rows B] [--cols C]    (default 8192 x 8192: a vocabulary)
 * Prints, besides device and valid lines:
 *   bandwidth NAME BYTES GBPS MS   (NAME cross_entropy or copy) */
#include "dev.h"

static bool validate_on(int B, int C, float center, dk_rng *rng)
{
    std::vector<float> x = uniform(rng, (size_t)B * C, center - 10, center + 10);
    std::vector<int> labels((size_t)B);
    for (int &l : labels)
        l = (int)dk_rng_below(rng, (size_t)C);
    std::vector<float> want_loss((size_t)B), want_grad(x.size());
    cpu_cross_entropy(x.data(), labels.data(), B, C, want_loss.data(), want_grad.data());
    float *dx = to_device(x.data(), x.size()), *dg = device_array<float>(x.size());
    float *dl = device_array<float>((size_t)B);
    int *dlabels = to_device(labels.data(), labels.size());
    cross_entropy(dx, dlabels, B, C, dl, dg, 0);
    std::vector<float> loss = from_device(dl, (size_t)B), grad = from_device(dg, x.size());
    char what[128];
    snprintf(what, sizeof what, "cross_entropy %dx%d logits near %g: losses", B, C, center);
    bool ok = validate(what, want_loss.data(), loss.data(), loss.size(), DK_TOL_REDUCTION);
    snprintf(what, sizeof what, "cross_entropy %dx%d logits near %g: dlogits", B, C, center);
    ok &= validate(what, want_grad.data(), grad.data(), grad.size(), DK_TOL_REDUCTION);
    cudaFree(dx), cudaFree(dg), cudaFree(dl), cudaFree(dlabels);
    return ok;
}

int main(int argc, char **argv)
{
    const int B = (int)arg_after(argc, argv, "--rows", 8192);
    const int C = (int)arg_after(argc, argv, "--cols", 8192);
    print_device();
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    const bool ok = validate_on(64, 10, 0, &rng) && validate_on(5, 3000, 1000, &rng) &&
                    validate_on(37, 1027, -1000, &rng);

    const size_t n = (size_t)B * C, bytes = 2 * n * sizeof(float);
    std::vector<float> x = uniform(&rng, n, -5, 5);
    std::vector<int> labels((size_t)B);
    for (int &l : labels)
        l = (int)dk_rng_below(&rng, (size_t)C);
    float *dx = to_device(x.data(), n), *dg = device_array<float>(n), *dl = device_array<float>((size_t)B);
    int *dlabels = to_device(labels.data(), labels.size());
    const double copy = time_ms([&] {
        CUDA_CHECK(cudaMemcpyAsync(dg, dx, n * sizeof(float), cudaMemcpyDeviceToDevice, 0));
    });
    printf("bandwidth copy %zu %.0f %.3f\n", bytes, bytes / copy / 1e6, copy);
    const double ms = time_ms([&] { cross_entropy(dx, dlabels, B, C, dl, dg, 0); });
    printf("bandwidth cross_entropy %zu %.0f %.3f\n", bytes, bytes / ms / 1e6, ms);
    cudaFree(dx), cudaFree(dg), cudaFree(dl), cudaFree(dlabels);
    return ok ? 0 : 1;
}
