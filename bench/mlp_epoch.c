/* make bench, the MLP row, our side: the chapter 02 reference solution
 * trains a 784-256-10 ReLU MLP on Fashion-MNIST (softmax cross-entropy, SGD
 * with momentum 0.9, constant learning rate, batch 64, shuffled).
 *
 *   mlp_epoch THREADS EPOCHS
 *
 * bench/torch_mlp.py does the same with PyTorch. Prints, for the harness:
 *   file PATH        each data file read (PyTorch reads the same ones)
 *   epoch I SECONDS LOSS
 *   test_acc A       on the 10,000 test images, after the last epoch
 * Only mlp_train_epoch is timed: not loading, not evaluating. */
#include "backprop.h"
#include "blas.h"
#include "datasets.h"
#include "epoch.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>

enum { HIDDEN = 256, BATCH = 64, SEED = 1 };
static const float LR = 0.01f, MOMENTUM = 0.9f;

static float constant_lr(size_t step, void *ctx)
{
    (void)step, (void)ctx;
    return LR;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        dk_fatal("usage: %s THREADS EPOCHS", argv[0]);
    dk_blas_init(argv, (int)bench_count(argv[1], "THREADS"));
    size_t epochs = bench_count(argv[2], "EPOCHS");

    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load("fashion-mnist", "train", &train, &err) ||
        !dk_dataset_load("fashion-mnist", "test", &test, &err))
        dk_fatal("%s", err.msg);
    bench_print_fashion_files();

    dk_rng rng;
    dk_rng_seed(&rng, SEED);
    const size_t sizes[] = {train.dim, HIDDEN, train.classes};
    mlp net;
    float *velocity = NULL;
    if (!mlp_create(&net, sizes, 2, MLP_RELU, &rng) ||
        !(velocity = calloc(net.nparams, sizeof *velocity)))
        dk_fatal("out of memory for the MLP");

    const train_config cfg = {.batch = BATCH, .momentum = MOMENTUM, .lr_at = constant_lr};
    size_t step = 0;
    for (size_t e = 1; e <= epochs; e++) {
        double t0 = dk_seconds();
        float loss = mlp_train_epoch(&net, train.x, train.y, train.n, &cfg, velocity,
                                     &step, &rng);
        printf("epoch %zu %.4f %.4f\n", e, dk_seconds() - t0, loss);
        fflush(stdout);
    }
    printf("test_acc %.4f\n", mlp_evaluate(&net, test.x, test.y, test.n, 1000, NULL));

    free(velocity);
    mlp_free(&net);
    dk_dataset_free(&train);
    dk_dataset_free(&test);
    return 0;
}
