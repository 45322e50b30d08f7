/* Chapter 07's study (kit code: you need not edit it).
 *
 *   study OUTDIR [latent-size]   (make study CH=07 NAME=latent-size)
 *
 * latent-size: your VAE (784-400-Z, 20 epochs of PyTorch's recipe) for
 * codes of 2, 5, 10, 20 and 50 dimensions; OUTDIR/latent-size.csv holds a
 * row per size: z_dims, test_nelbo, recon, kl (per test image, nats),
 * seconds. A wider code carries more of each image (the reconstruction
 * term falls) and costs more to keep near the prior (the KL term rises);
 * their sum, the negative ELBO, says where the trade pays. About two
 * minutes. */
#include "blas.h"
#include "csvlog.h"
#include "error.h"
#include "parallel.h"
#include "timer.h"
#include "vae_recipe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const size_t SIZES[] = {2, 5, 10, 20, 50};

static void latent_size(const char *out, uint64_t seed)
{
    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load("mnist10k", "train", &train, &err) ||
        !dk_dataset_load("mnist10k", "test", &test, &err))
        dk_fatal("%s", err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/latent-size.csv", out);
    dk_csvlog *log = dk_csvlog_open_or_exit(path, "z_dims,test_nelbo,recon,kl,seconds");
    printf("latent-size: your VAE, 20 epochs for each size of code (about two minutes)\n");
    for (size_t k = 0; k < sizeof SIZES / sizeof *SIZES; k++) {
        vae_recipe r = VAE_RECIPE;
        r.cfg.D = train.dim, r.cfg.Z = SIZES[k], r.epochs = 20;
        const double start = dk_seconds();
        float *params = NULL, terms[2];
        const float nelbo = vae_train(&r, &train, &test, seed, NULL, &params, dk_cores() > 1);
        if (!params)
            dk_fatal("out of memory training the VAE");
        vae_evaluate(&r.cfg, params, test.x, test.n, vae_forward, terms);
        const double row[] = {(double)SIZES[k], nelbo, terms[0], terms[1], dk_seconds() - start};
        dk_csvlog_row(log, row);
        printf("  Z %2zu: negative ELBO %.2f = reconstruction %.2f + KL %.2f nats (%.0f s)\n",
               SIZES[k], nelbo, terms[0], terms[1], row[4]);
        fflush(stdout);
        free(params);
    }
    dk_csvlog_close_or_exit(log);
    dk_dataset_free(&train), dk_dataset_free(&test);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1); /* as make train */
    if (argc == 2) {
        puts("latent-size  your VAE's reconstruction and KL terms against the size of its code "
             "(about two minutes)");
        return 0;
    }
    if (argc != 3 || strcmp(argv[2], "latent-size") != 0)
        dk_fatal("usage: %s OUTDIR [latent-size]", argv[0]);
    const char *seed = getenv("DLKIT_SEED");
    latent_size(argv[1], seed && *seed ? strtoull(seed, NULL, 10) : 1);
    return 0;
}
