/* make bench, the chapter 07 rows, our side: the reference's VAE and GAN
 * trained by make train's recipes on the in-kit MNIST digits.
 *
 *   generative_epochs THREADS EPOCHS
 *
 * bench/torch_generative.py does the same with PyTorch. Prints, for the
 * harness:
 *   file PATH                 the IDX files read (PyTorch reads the same)
 *   vae I SECONDS NELBO       epoch I of the VAE (784-400-20, batches of
 *                             128, Adam) and its test pass: their time, the
 *                             test negative ELBO per image
 *   gan I SECONDS D_LOSS G_LOSS  epoch I of the GAN (batches of 64, the
 *                             generator's moving average included): its
 *                             time, the players' mean losses */
#include "blas.h"
#include "datasets.h"
#include "epoch.h"
#include "gan_recipe.h"
#include "vae_recipe.h"

#include <stdio.h>

static double last_seconds;

static void on_vae_epoch(size_t epoch, float train_nelbo, float test_nelbo, double seconds,
                         const float *params, void *ctx)
{
    (void)train_nelbo, (void)params, (void)ctx;
    printf("vae %zu %.4f %.2f\n", epoch, seconds - last_seconds, test_nelbo);
    fflush(stdout);
    last_seconds = seconds;
}

static void on_gan_epoch(size_t epoch, float d_loss, float g_loss, double seconds, const float *G,
                         void *ctx)
{
    (void)G, (void)ctx;
    printf("gan %zu %.4f %.4f %.4f\n", epoch, seconds - last_seconds, d_loss, g_loss);
    fflush(stdout);
    last_seconds = seconds;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        dk_fatal("usage: %s THREADS EPOCHS", argv[0]);
    const size_t threads = bench_count(argv[1], "THREADS");
    dk_blas_init(argv, (int)threads);
    const size_t epochs = bench_count(argv[2], "EPOCHS");
    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load("mnist10k", "train", &train, &err) ||
        !dk_dataset_load("mnist10k", "test", &test, &err))
        dk_fatal("%s", err.msg);
    bench_print_idx_files("mnist10k", "mnist10k-");
    vae_recipe v = VAE_RECIPE;
    v.cfg.D = train.dim, v.epochs = epochs;
    const vae_hooks vh = {on_vae_epoch, NULL};
    last_seconds = 0;
    vae_train(&v, &train, &test, 1, &vh, NULL, threads > 1); /* as make train runs it */
    gan_recipe g = GAN_RECIPE;
    g.cfg.D = train.dim, g.epochs = epochs;
    const gan_hooks gh = {on_gan_epoch, NULL};
    last_seconds = 0;
    if (!gan_train(&g, &train, 1, &gh, NULL))
        dk_fatal("out of memory training the GAN");
    dk_dataset_free(&train), dk_dataset_free(&test);
    return 0;
}
