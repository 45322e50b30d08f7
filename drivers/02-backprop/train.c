/* Chapter 02's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR [DATASET]
 *
 * Trains an MLP by the chapter's recipes (mlp_recipe.c) with your layers, loss,
 * network and SGD step on DATASET ("mnist", the default: the full MNIST
 * where `make data` fetched it, else the in-kit 10,000-digit subset; or
 * "fashion-mnist", with its own recipe), and writes under LOGDIR:
 *   DATASET.csv          one row per epoch: epoch, train_loss, train_acc
 *                        (on up to 10,000 training samples, unaugmented),
 *                        test_loss, test_acc, lr, seconds
 *   DATASET-weights.txt  the first layer's weights of 64 hidden units as
 *                        an 8x8 grid of images, for `make plot CH=02`
 * A short run (DLKIT_SHORT=1, see common/shortrun.h): 3 epochs on the
 * first 4,000 training and 1,000 test samples. */
#include "blas.h"
#include "csvlog.h"
#include "files.h"
#include "progress.h"
#include "shortrun.h"
#include "mlp_recipe.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct run {
    const dk_dataset *train;
    const char *weights_path;
    dk_csvlog *log;
    dk_progress bar;
    double start;
    size_t epochs;
} run;

static void on_step(size_t done, float loss, void *ctx)
{
    (void)loss; /* the recipe does not see it */
    run *r = ctx;
    dk_progress_update(&r->bar, done, NULL);
}

/* The first layer's rows as images: unit u's weights, h x w, at grid cell
 * (u / 8, u % 8), a blank line between image rows as gnuplot's matrix
 * format wants none: one text row per pixel row. */
static void write_weights(const char *path, const mlp *net, size_t h, size_t w)
{
    FILE *f = dk_create_or_exit(path);
    const size_t grid = 8, units = net->sizes[1] < 64 ? net->sizes[1] : 64;
    for (size_t row = 0; row < grid * h; row++) {
        for (size_t col = 0; col < grid * w; col++) {
            size_t u = (row / h) * grid + col / w;
            float v = u < units ? net->params[u * net->sizes[0] + (row % h) * w + col % w] : 0;
            fprintf(f, "%s%.4g", col ? " " : "", v);
        }
        fputc('\n', f);
    }
    dk_close_or_exit(f, path);
}

static void on_epoch(const dk_epoch_report *rep, void *ctx)
{
    run *r = ctx;
    const mlp *net = rep->model;
    size_t n = r->train->n < 10000 ? r->train->n : 10000;
    float train_acc = mlp_evaluate(net, r->train->x, r->train->y, n, 256, NULL);
    double row[7] = {(double)rep->epoch, rep->train_loss, train_acc, rep->test.loss,
                     rep->test.acc, rep->lr, dk_seconds() - r->start};
    dk_csvlog_row(r->log, row);
    char status[96];
    snprintf(status, sizeof status, "loss %.4f, train accuracy %.2f%%, test %.2f%%",
             rep->train_loss, 100 * train_acc, 100 * rep->test.acc);
    dk_progress_end_epoch(&r->bar, rep->epoch, r->epochs, status);
    if (rep->epoch == r->epochs && r->train->h)
        write_weights(r->weights_path, net, r->train->h, r->train->w);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 0);
    if (argc < 2 || argc > 3)
        dk_fatal("usage: %s LOGDIR [mnist|fashion-mnist]", argv[0]);
    const char *name = argc == 3 && *argv[2] ? argv[2] : "mnist";
    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load(name, "train", &train, &err) || !dk_dataset_load(name, "test", &test, &err))
        dk_fatal("%s", err.msg);
    char log_path[4096], weights_path[4096];
    snprintf(log_path, sizeof log_path, "%s/%s.csv", argv[1], name);
    snprintf(weights_path, sizeof weights_path, "%s/%s-weights.txt", argv[1], name);
    mlp_recipe chosen = strcmp(name, "fashion-mnist") == 0 ? MLP_RECIPE_FASHION : MLP_RECIPE_MNIST;
    if (dk_short_run("3 epochs on the first 4,000 training and 1,000 test samples")) {
        chosen.epochs = 3;
        train.n = dk_slice(train.n, 4000);
        test.n = dk_slice(test.n, 1000);
    }
    const mlp_recipe *rec = &chosen;
    run r = {.train = &train, .weights_path = weights_path, .start = dk_seconds(),
             .epochs = rec->epochs};
    r.log = dk_csvlog_open_or_exit(log_path,
                                   "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds");
    printf("%s: %zu training and %zu test samples; MLP %zu-%zu-%zu, %zu epochs\n", name,
           train.n, test.n, train.dim, rec->hidden, train.classes, r.epochs);
    fflush(stdout);
    dk_progress_start_epoch(&r.bar, 1, r.epochs, train.n, "samples");
    const char *seed = getenv("DLKIT_SEED");
    dk_train_hooks hooks = {on_step, on_epoch, &r};
    float acc = mlp_recipe_train(rec, &train, &test,
                             seed && *seed ? strtoull(seed, NULL, 10) : 1, &hooks);
    dk_csvlog_close_or_exit(r.log);
    printf("%s: test accuracy %.2f%% after %.1f s. Logs in %s/. Next: `make plot CH=02`.\n",
           name, 100 * acc, dk_seconds() - r.start, argv[1]);
    dk_dataset_free(&train);
    dk_dataset_free(&test);
    return 0;
}
