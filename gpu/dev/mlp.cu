/* Chapter 02's MLP trained on the GPU, llm.c's dev/cuda style: the CPU
 * reference (cpu_mlp_train_step), mlp.cu's training step, a validation of
 * the step, then training on MNIST by chapter 02's recipe (trainer.h),
 * next to the CPU reference for the first epochs: the same network, the
 * same draws, so the same curve up to float32 round-off.
 *
 *   mlp [--epochs E] [--hidden H] [--samples N] [--cpu-epochs C] [--data DIR]
 *       chapter 02's recipe (16 epochs of 784-512-10) on the in-kit MNIST
 *       subset, the CPU reference alongside for the first C epochs (1);
 *       smaller E, H and N for a quick look (the CPU emulator's check)
 *   mlp --bench EPOCHS [--data DIR]
 *       gpu/bench's MLP row: 784-256-10, SGD with momentum 0.9 at a
 *       constant 0.01, batch 64, no shifts, each epoch one CUDA graph
 * Prints, besides device and valid lines:
 *   epoch SIDE E TRAIN_LOSS TEST_LOSS TEST_ACC SECONDS   (SIDE gpu or cpu)
 *   accuracy SIDE A                                      after the last epoch
 * and for --bench, as bench/mlp_epoch does:
 *   epoch E SECONDS LOSS
 *   test_acc A
 * DIR (default: $DLKIT_GPU_DATA) holds the unpacked IDX files. */
#include "dev.h"
#include "trainer.h"

#include <cmath>
#include <cstring>

/* One step on the GPU against the CPU reference, on exact values, as the
 * grader's train_step test. */
static bool validate_step(dk_rng *rng)
{
    gpu_mlp shape{2, {784, 64, 10}, 0, nullptr, nullptr, nullptr};
    shape.nparams = mlp_weight_offset(&shape, 2);
    const int B = 64, n = shape.nparams, nacts = gpu_mlp_acts_size(&shape, B);
    std::vector<float> p = grid(rng, (size_t)n), v = grid(rng, (size_t)n), x = grid(rng, (size_t)B * 784);
    for (float &w : p)
        w /= 8.0f;
    std::vector<int> labels((size_t)B);
    for (int &l : labels)
        l = (int)dk_rng_below(rng, 10);
    const float lr = 0.125f, momentum = 0.875f;

    std::vector<float> cp = p, cv = v, cg((size_t)n), acts((size_t)nacts), dacts((size_t)nacts),
                       logits((size_t)B * 10), dlogits((size_t)B * 10), want_losses((size_t)B);
    gpu_mlp cpu = shape;
    cpu.params = cp.data(), cpu.velocity = cv.data(), cpu.grads = cg.data();
    const gpu_mlp_scratch cs{acts.data(), dacts.data(), logits.data(), dlogits.data()};
    cpu_mlp_train_step(&cpu, x.data(), labels.data(), B, lr, momentum, &cs, want_losses.data());

    gpu_mlp gpu = shape;
    gpu.params = to_device(p.data(), p.size());
    gpu.velocity = to_device(v.data(), v.size());
    gpu.grads = device_array<float>((size_t)n);
    const gpu_mlp_scratch gs{device_array<float>((size_t)nacts), device_array<float>((size_t)nacts),
                             device_array<float>((size_t)B * 10), device_array<float>((size_t)B * 10)};
    float *dx = to_device(x.data(), x.size()), *dlr = to_device(&lr, 1), *losses = device_array<float>((size_t)B);
    int *dlabels = to_device(labels.data(), labels.size());
    mlp_train_step_gpu(&gpu, dx, dlabels, B, dlr, momentum, &gs, losses, 0);
    bool ok = validate("mlp_train_step_gpu 784-64-10, B=64: losses", want_losses.data(),
                       from_device(losses, (size_t)B).data(), (size_t)B, DK_TOL_REDUCTION);
    ok &= validate("mlp_train_step_gpu: grads", cg.data(), from_device(gpu.grads, (size_t)n).data(),
                   (size_t)n, DK_TOL_REDUCTION);
    ok &= validate("mlp_train_step_gpu: params", cp.data(), from_device(gpu.params, (size_t)n).data(),
                   (size_t)n, DK_TOL_REDUCTION);
    for (void *ptr : {(void *)gpu.params, (void *)gpu.velocity, (void *)gpu.grads, (void *)gs.acts,
                      (void *)gs.dacts, (void *)gs.logits, (void *)gs.dlogits, (void *)dx, (void *)dlr,
                      (void *)losses, (void *)dlabels})
        cudaFree(ptr);
    return ok;
}

struct run_log {
    const char *side;
    bool bench;
    int last; /* the epoch to stop after */
};

static bool print_epoch(const epoch_report *r, void *ctx)
{
    const run_log *log = static_cast<const run_log *>(ctx);
    if (log->bench)
        printf("epoch %d %.4f %.4f\n", r->epoch, r->seconds, r->train_loss);
    else
        printf("epoch %s %d %.4f %.4f %.4f %.3f\n", log->side, r->epoch, r->train_loss, r->test_loss,
               r->test_acc, r->seconds);
    fflush(stdout);
    return r->epoch < log->last;
}

/* The first n samples of ds (all when n is 0 or larger). */
static void keep_first(gpu_dataset *ds, long n)
{
    if (n > 0 && n < ds->n)
        ds->n = (int)n;
}

int main(int argc, char **argv)
{
    const char *env = getenv("DLKIT_GPU_DATA");
    const char *dir = env ? env : "build/gpu/data";
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--data") == 0)
            dir = argv[i + 1];
    char err[512];
    gpu_dataset train, test;
    if (!gpu_mnist_load(dir, "train", &train, err, sizeof err) ||
        !gpu_mnist_load(dir, "t10k", &test, err, sizeof err)) {
        fprintf(stderr, "dlkit: %s\n", err);
        return 1;
    }
    print_device();
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    const bool ok = validate_step(&rng);
    const long bench = arg_after(argc, argv, "--bench", 0);
    if (bench > 0) { /* bench/mlp_epoch's configuration, on the GPU */
        const gpu_recipe r = {256, (int)bench, 64, 0.01f, 0.9f, 0, false};
        run_log log = {"gpu", true, r.epochs};
        const float acc = gpu_recipe_train(&r, &train, &test, 1, TRAIN_GPU, print_epoch, &log);
        printf("test_acc %.4f\n", acc);
        return ok ? 0 : 1;
    }
    gpu_recipe r = GPU_RECIPE_MNIST;
    r.epochs = (int)arg_after(argc, argv, "--epochs", r.epochs);
    r.hidden = (int)arg_after(argc, argv, "--hidden", r.hidden);
    keep_first(&train, arg_after(argc, argv, "--samples", 0));
    keep_first(&test, arg_after(argc, argv, "--samples", 0));
    const int cpu_epochs = (int)arg_after(argc, argv, "--cpu-epochs", 1);
    printf("note recipe: %d-%d-10 ReLU, %d epochs of batch %d, momentum %.2f, one-cycle lr to "
           "%.2f, +-%d pixel shifts; %d training and %d test digits\n", train.dim, r.hidden,
           r.epochs, r.batch, r.momentum, r.lr_max, r.shift, train.n, test.n);
    run_log gpu_log = {"gpu", false, r.epochs}, cpu_log = {"cpu", false, cpu_epochs};
    const float acc = gpu_recipe_train(&r, &train, &test, 1, TRAIN_GPU, print_epoch, &gpu_log);
    printf("accuracy gpu %.4f\n", acc);
    if (cpu_epochs > 0) { /* the same recipe, stopped early: the same first epochs */
        const float cpu_acc = gpu_recipe_train(&r, &train, &test, 1, TRAIN_CPU, print_epoch, &cpu_log);
        printf("accuracy cpu %.4f (after %d epochs)\n", cpu_acc, std::min(cpu_epochs, r.epochs));
    }
    gpu_dataset_free(&train);
    gpu_dataset_free(&test);
    return ok ? 0 : 1;
}
