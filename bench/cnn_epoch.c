/* make bench, the CNN row, our side: the chapter 04 reference solution
 * trains the chapter's LeNet-style network on Fashion-MNIST (the widths of
 * make train CH=04's recipe; softmax cross-entropy, SGD with momentum 0.9,
 * constant learning rate, batch 64, shuffled, no augmentation), its
 * batches in halves side by side when THREADS is 2 or more, as make train
 * runs them.
 *
 *   cnn_epoch THREADS EPOCHS
 *
 * bench/torch_cnn.py does the same with PyTorch. Prints, for the harness:
 *   net C1 C2 HIDDEN  the widths
 *   file PATH         each data file read (PyTorch reads the same ones)
 *   epoch I SECONDS LOSS
 *   test_acc A        on the 10,000 test images, after the last epoch
 * Only cnn_train_epoch is timed: not loading, not evaluating. */
#include "blas.h"
#include "cnn_recipe.h"
#include "epoch.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>

enum { BATCH = 64, SEED = 1 };
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
    const size_t threads = bench_count(argv[1], "THREADS");
    dk_blas_init(argv, (int)threads);
    const size_t epochs = bench_count(argv[2], "EPOCHS");

    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load("fashion-mnist", "train", &train, &err) ||
        !dk_dataset_load("fashion-mnist", "test", &test, &err))
        dk_fatal("%s", err.msg);
    bench_print_fashion_files();

    /* make train's widths; plain SGD with momentum, as on PyTorch's side */
    const cnn_recipe r = {.c1 = CNN_RECIPE_FASHION.c1, .c2 = CNN_RECIPE_FASHION.c2,
                          .hidden = CNN_RECIPE_FASHION.hidden, .batch = BATCH,
                          .momentum = MOMENTUM};
    printf("net %zu %zu %zu\n", r.c1, r.c2, r.hidden);
    dk_rng rng;
    dk_rng_seed(&rng, SEED);
    const lenet_config cfg = cnn_recipe_network(&r, &train);
    lenet net;
    float *velocity = NULL;
    if (!lenet_create(&net, &cfg, &rng) || !(velocity = calloc(net.nparams, sizeof *velocity)))
        dk_fatal("out of memory for the network");

    cnn_training t = {.recipe = &r, .lr_at = constant_lr, .velocity = velocity,
                      .halves = threads > 1};
    for (size_t e = 1; e <= epochs; e++) {
        const double t0 = dk_seconds();
        const float loss = cnn_train_epoch(&net, train.x, train.y, train.n, &t, &rng);
        printf("epoch %zu %.4f %.4f\n", e, dk_seconds() - t0, loss);
        fflush(stdout);
    }
    printf("test_acc %.4f\n", cnn_evaluate(&net, test.x, test.y, test.n, NULL, NULL));

    free(velocity);
    lenet_free(&net);
    dk_dataset_free(&train);
    dk_dataset_free(&test);
    return 0;
}
