/* Chapter 03's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR [DATASET] [plain]
 *
 * Trains chapter 03's network by the full recipe (training_recipe.c: batch norm,
 * dropout, AdamW, warm-up and cosine, shifts and flips, early stopping on a
 * validation set) with your code, on DATASET ("fashion-mnist", the
 * default, or "mnist"); with "plain", by chapter 02's plain recipe for
 * comparison. The last 5,000 training images (a tenth of a smaller set)
 * are the validation set. A short run (DLKIT_SHORT=1, see common/shortrun.h):
 * 3 epochs on the first 6,000 training images (600 of them for validation)
 * and 1,000 test images.
 * Writes LOGDIR/DATASET[-plain].csv, one row per epoch: epoch, train_loss,
 * train_acc (up to 10,000 training images, evaluation mode), test_loss,
 * test_acc, val_loss, val_acc, lr, seconds. */
#include "blas.h"
#include "csvlog.h"
#include "progress.h"
#include "shortrun.h"
#include "training_recipe.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct watch {
    dk_csvlog *log;
    dk_progress bar;
    size_t n, epochs;
    double start;
    size_t last, best; /* the last epoch reported, and the one of the lowest validation loss */
    float best_loss;
} watch;

static void on_step(size_t done, float loss, void *ctx)
{
    watch *w = ctx;
    char status[32];
    snprintf(status, sizeof status, "loss %.4f", loss);
    dk_progress_update(&w->bar, done, status);
}

static void on_epoch(const dk_epoch_report *r, void *ctx)
{
    watch *w = ctx;
    double row[9] = {(double)r->epoch, r->train_loss, r->train.acc, r->test.loss, r->test.acc,
                     r->val.loss, r->val.acc, r->lr, dk_seconds() - w->start};
    dk_csvlog_row(w->log, row);
    char status[128];
    snprintf(status, sizeof status, "loss %.4f, validation %.2f%%, test %.2f%%", r->train_loss,
             100 * r->val.acc, 100 * r->test.acc);
    dk_progress_end_epoch(&w->bar, r->epoch, w->epochs, status);
    w->last = r->epoch;
    if (w->best == 0 || r->val.loss < w->best_loss)
        w->best = r->epoch, w->best_loss = r->val.loss;
}

/* A run that early stopping ended says so, from what the epochs reported:
 * a run that stopped before its last epoch must not read as a cut-off one. */
static void say_how_it_ended(const watch *w, const char *name, size_t patience)
{
    if (!patience || w->last >= w->epochs)
        return;
    const size_t since = w->last - w->best;
    printf("%s: stopped early at epoch %zu of %zu: no better validation loss for %zu epoch%s "
           "(the best: epoch %zu's, whose weights are kept)\n", name, w->last, w->epochs, since,
           since == 1 ? "" : "s", w->best);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 0);
    if (argc < 2 || argc > 4)
        dk_fatal("usage: %s LOGDIR [fashion-mnist|mnist] [plain]", argv[0]);
    const char *name = "fashion-mnist";
    bool plain = false;
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "plain") == 0)
            plain = true;
        else
            name = argv[i];
    training_recipe chosen = plain ? TRAINING_RECIPE_PLAIN : TRAINING_RECIPE_FULL;
    dk_dataset all, test;
    dk_err err;
    if (!dk_dataset_load(name, "train", &all, &err) || !dk_dataset_load(name, "test", &test, &err))
        dk_fatal("%s", err.msg);
    if (dk_short_run("3 epochs on the first 6,000 training images (600 of them for "
                     "validation) and 1,000 test images")) {
        chosen.epochs = 3;
        all.n = dk_slice(all.n, 6000);
        test.n = dk_slice(test.n, 1000);
    }
    const training_recipe *r = &chosen;
    size_t nval = all.n > 20000 ? 5000 : all.n / 10;
    dk_dataset train = all, val = all;
    train.n = all.n - nval;
    val.n = nval, val.x = all.x + train.n * all.dim, val.y = all.y + train.n;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s.csv", argv[1], name, plain ? "-plain" : "");
    watch w = {.n = train.n, .epochs = r->epochs, .start = dk_seconds()};
    w.log = dk_csvlog_open_or_exit(path, "epoch,train_loss,train_acc,test_loss,test_acc,val_loss,"
                                   "val_acc,lr,seconds");
    printf("%s, %s recipe: %zu training, %zu validation and %zu test images\n", name,
           plain ? "plain" : "full", train.n, val.n, test.n);
    fflush(stdout);
    dk_progress_start_epoch(&w.bar, 1, r->epochs, train.n, "samples");
    const char *seed = getenv("DLKIT_SEED");
    dk_train_hooks hooks = {on_step, on_epoch, &w};
    dk_scores s = training_recipe_train(r, &train, r->patience ? &val : NULL, &test,
                             seed && *seed ? strtoull(seed, NULL, 10) : 1, &hooks);
    dk_csvlog_close_or_exit(w.log);
    say_how_it_ended(&w, name, r->patience);
    printf("%s: test accuracy %.2f%% after %.0f s%s. Logs in %s/. Next: `make plot CH=03`.\n",
           name, 100 * s.acc, dk_seconds() - w.start,
           r->patience ? " (the weights of the best validation epoch)" : "", argv[1]);
    dk_dataset_free(&all);
    dk_dataset_free(&test);
    return 0;
}
