/* make bench, the training row, our side: chapter 03's full recipe
 * (exercises/03-training/training_recipe.c: 784-512-512-10, hidden layers
 * linear -> batch norm -> ReLU -> dropout 0.2, He init, AdamW, one epoch of
 * warm-up then cosine, horizontal flips, batch 128) on the reference
 * solutions of chapters 03 and 02, trained on the first 55,000
 * Fashion-MNIST training images.
 *
 *   training_epoch THREADS EPOCHS
 *
 * bench/torch_training.py does the same with PyTorch. Prints, for the
 * harness, lines as mlp_epoch does:
 *   file PATH        each data file read (PyTorch reads the same ones)
 *   epoch I SECONDS LOSS
 *   test_acc A       on the 10,000 test images, after the last epoch
 * Only training is timed: not loading, not the evaluations that
 * training_recipe_train runs after every epoch. */
#include "blas.h"
#include "datasets.h"
#include "epoch.h"
#include "timer.h"
#include "training_recipe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Chapter 03's driver holds out the last 5,000 training images for
 * validation; the bench trains on the same 55,000 that the driver does,
 * without validation (nothing to stop early on). */
enum { HOLDOUT = 5000, SEED = 1 };

/* torch_training.py writes the recipe out by hand: a change to
 * TRAINING_RECIPE_FULL that it does not follow would make the two sides train
 * different networks, and the row compare nothing, so it stops here
 * instead. (The batch norms' momentum 0.1 and eps 1e-5 are private to
 * training_recipe.c; torch_training.py uses the same, PyTorch's defaults.) */
static void check_mirrored(const training_recipe *r)
{
    if (r->depth != 2 || r->hidden != 512 || !r->batchnorm || r->dropout != 0.2f ||
        r->init != INIT_HE || r->bias_init != 0 || r->optimizer != OPT_ADAMW ||
        r->lr != 2e-3f || r->weight_decay != 1e-4f || !r->cosine || r->shift != 0 ||
        r->flip != 0.5f || r->noise != 0 || r->batch != 128 || r->in_order ||
        r->sort_by_label || r->shuffle_labels)
        dk_fatal("TRAINING_RECIPE_FULL has changed: bench/torch_training.py no longer trains the "
                 "same network; update both sides of the bench");
}

/* training_recipe_train runs every epoch whole, evaluating after it, before
 * calling on_epoch: an epoch's training ends at its last step, and the
 * next starts when on_epoch returns. */
typedef struct stopwatch {
    double start, last_step;
} stopwatch;

static void on_step(size_t done, float loss, void *ctx)
{
    (void)done, (void)loss;
    ((stopwatch *)ctx)->last_step = dk_seconds();
}

static void on_epoch(const dk_epoch_report *rep, void *ctx)
{
    stopwatch *w = ctx;
    printf("epoch %zu %.4f %.4f\n", rep->epoch, w->last_step - w->start, rep->train_loss);
    fflush(stdout);
    w->start = dk_seconds();
}

int main(int argc, char **argv)
{
    if (argc != 3)
        dk_fatal("usage: %s THREADS EPOCHS", argv[0]);
    dk_blas_init(argv, (int)bench_count(argv[1], "THREADS"));

    training_recipe r = TRAINING_RECIPE_FULL;
    check_mirrored(&r);
    /* The schedule spans the run: warm-up over the first epoch, cosine
     * over the rest, as in a full run squeezed into EPOCHS. */
    r.epochs = bench_count(argv[2], "EPOCHS");
    r.patience = 0;

    dk_dataset all, test;
    dk_err err;
    if (!dk_dataset_load("fashion-mnist", "train", &all, &err) ||
        !dk_dataset_load("fashion-mnist", "test", &test, &err))
        dk_fatal("%s", err.msg);
    if (all.n <= HOLDOUT)
        dk_fatal("fashion-mnist has only %zu training images", all.n);
    bench_print_fashion_files();
    dk_dataset train = all;
    train.n = all.n - HOLDOUT;

    /* The first epoch's time includes creating the network: it carries
     * start-up costs anyway, and the median leaves it out. */
    stopwatch w = {.start = dk_seconds()};
    const dk_train_hooks hooks = {on_step, on_epoch, &w};
    dk_scores s = training_recipe_train(&r, &train, NULL, &test, SEED, &hooks);
    if (isnan(s.acc))
        dk_fatal("out of memory for chapter 03's network");
    printf("test_acc %.4f\n", s.acc);

    dk_dataset_free(&all);
    dk_dataset_free(&test);
    return 0;
}
