/* Chapter 04's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR [DATASET]
 *
 * Trains the LeNet-style network by the chapter's recipe (cnn_recipe.c) with
 * your layers and network on DATASET ("fashion-mnist", the default, or
 * "cifar10"), and writes under LOGDIR, for `make plot CH=04`:
 *   DATASET.csv            one row per epoch: epoch, train_loss, train_acc
 *                          (on up to 10,000 training images, unaugmented),
 *                          test_loss, test_acc, lr, seconds
 *   DATASET-filters.txt    conv1's filters as a grid of images (one grid
 *                          per input channel, one below the other)
 *   DATASET-image.txt      the first test image (its first channel)
 *   DATASET-maps1.txt      conv1's feature maps of that image (after ReLU)
 *   DATASET-maps2.txt      conv2's
 *   DATASET-confusion.txt  the test set's confusion matrix: row = true
 *                          class, column = predicted, counts
 *   DATASET-classes.txt    the class names, one a line
 * A short run (DLKIT_SHORT=1, see common/shortrun.h), for a quick look (the
 * accuracy then falls short): 3 epochs on the first 3,000 training and
 * 1,000 test images. */
#include "blas.h"
#include "csvlog.h"
#include "files.h"
#include "parallel.h"
#include "progress.h"
#include "shortrun.h"
#include "cnn_recipe.h"
#include "timer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const FASHION_CLASSES[] = {"T-shirt/top", "Trouser", "Pullover", "Dress",
                                              "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                                              "Ankle boot"};
static const char *const CIFAR_CLASSES[] = {"airplane", "automobile", "bird", "cat", "deer",
                                            "dog", "frog", "horse", "ship", "truck"};

typedef struct run {
    const char *dir, *name;
    const dk_dataset *train, *test;
    dk_csvlog *log;
    dk_progress bar;
    double start;
    size_t epochs;
} run;

static FILE *open_output(const run *r, const char *what, char *path, size_t len)
{
    snprintf(path, len, "%s/%s-%s.txt", r->dir, r->name, what);
    return dk_create_or_exit(path);
}

/* One row of a matrix as a line of text, gnuplot's `matrix` format; NAN
 * (the blanks between maps) as "nan". */
static void write_row(FILE *f, const float *v, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        if (isnan(v[j]))
            fprintf(f, j ? " nan" : "nan");
        else
            fprintf(f, j ? " %.4g" : "%.4g", (double)v[j]);
    }
    fputc('\n', f);
}

/* n maps of h x w through your tile_maps, cols to a row, appended to f. */
static void write_tiles(FILE *f, const float *x, size_t n, size_t h, size_t w,
                        size_t map_stride, size_t pixel_stride, size_t cols)
{
    const size_t rows = (n + cols - 1) / cols;
    const size_t gh = rows * (h + 1) - 1, gw = cols * (w + 1) - 1;
    float *grid = malloc(gh * gw * sizeof *grid);
    if (!grid)
        dk_fatal("out of memory for a picture of %zu x %zu", gh, gw);
    tile_maps(x, n, h, w, map_stride, pixel_stride, cols, grid);
    for (size_t i = 0; i < gh; i++)
        write_row(f, grid + i * gw, gw);
    free(grid);
}

/* conv1's filters (c1, 5, 5, C): one grid per input channel, a row of
 * blanks between them. */
static void write_filters(const run *r, const lenet *net)
{
    char path[4096];
    FILE *f = open_output(r, "filters", path, sizeof path);
    const size_t k = LENET_KERNEL, C = net->cfg.C, n = net->cfg.c1, cols = n < 8 ? n : 8;
    float blanks[8 * (LENET_KERNEL + 1)];
    for (size_t j = 0; j < 8 * (LENET_KERNEL + 1); j++)
        blanks[j] = NAN;
    for (size_t c = 0; c < C; c++) {
        if (c) /* one line of blanks between the channels' grids */
            write_row(f, blanks, cols * (k + 1) - 1);
        write_tiles(f, net->params + c, n, k, k, k * k * C, C, cols);
    }
    dk_close_or_exit(f, path);
}

/* The first test image and its feature maps after conv1 and conv2. */
static void write_maps(const run *r, const lenet *net)
{
    const size_t size = lenet_acts_size(net, 1), C = net->cfg.C;
    float *acts = malloc(size * sizeof *acts), logits[64];
    if (!acts || net->cfg.classes > 64)
        dk_fatal("out of memory for the feature maps");
    lenet_forward(net, r->test->x, 1, acts, logits);
    const lenet_acts a = lenet_acts_in(net, 1, acts);
    const lenet_shapes s = lenet_shapes_of(&net->cfg, 1);
    char path[4096];
    FILE *f = open_output(r, "image", path, sizeof path);
    write_tiles(f, r->test->x, 1, net->cfg.H, net->cfg.W, 0, C, 1);
    dk_close_or_exit(f, path);
    f = open_output(r, "maps1", path, sizeof path);
    write_tiles(f, a.h1, s.pool1.C, s.pool1.H, s.pool1.W, 1, s.pool1.C, 8);
    dk_close_or_exit(f, path);
    f = open_output(r, "maps2", path, sizeof path);
    write_tiles(f, a.h2, s.pool2.C, s.pool2.H, s.pool2.W, 1, s.pool2.C, 8);
    dk_close_or_exit(f, path);
    free(acts);
}

/* The confusion matrix of the test set and the class names. */
static void write_confusion(const run *r, const lenet *net)
{
    const size_t K = r->test->classes;
    int *pred = malloc(r->test->n * sizeof *pred);
    float *counts = calloc(K * K, sizeof *counts);
    if (!pred || !counts)
        dk_fatal("out of memory for the confusion matrix");
    cnn_evaluate(net, r->test->x, r->test->y, r->test->n, NULL, pred);
    for (size_t i = 0; i < r->test->n; i++)
        counts[(size_t)r->test->y[i] * K + (size_t)pred[i]] += 1;
    char path[4096];
    FILE *f = open_output(r, "confusion", path, sizeof path);
    for (size_t i = 0; i < K; i++)
        write_row(f, counts + i * K, K);
    dk_close_or_exit(f, path);
    const char *const *names = strcmp(r->name, "cifar10") == 0 ? CIFAR_CLASSES : FASHION_CLASSES;
    f = open_output(r, "classes", path, sizeof path);
    for (size_t i = 0; i < K; i++)
        fprintf(f, "%s\n", i < 10 ? names[i] : "?");
    dk_close_or_exit(f, path);
    free(pred), free(counts);
}

static void on_step(size_t done, float loss, void *ctx)
{
    (void)loss; /* the recipe does not see it */
    run *r = ctx;
    dk_progress_update(&r->bar, done, NULL);
}

static void on_epoch(const dk_epoch_report *rep, void *ctx)
{
    run *r = ctx;
    const lenet *net = rep->model;
    const size_t n = r->train->n < 10000 ? r->train->n : 10000;
    const float train_acc = cnn_evaluate(net, r->train->x, r->train->y, n, NULL, NULL);
    const double row[7] = {(double)rep->epoch, rep->train_loss, train_acc, rep->test.loss,
                           rep->test.acc, rep->lr, dk_seconds() - r->start};
    dk_csvlog_row(r->log, row);
    char status[96];
    snprintf(status, sizeof status, "loss %.4f, train accuracy %.2f%%, test %.2f%%",
             rep->train_loss, 100 * train_acc, 100 * rep->test.acc);
    dk_progress_end_epoch(&r->bar, rep->epoch, r->epochs, status);
    if (rep->epoch < r->epochs)
        return;
    write_filters(r, net);
    write_maps(r, net);
    write_confusion(r, net);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 0);
    if (argc < 2 || argc > 3)
        dk_fatal("usage: %s LOGDIR [fashion-mnist|cifar10]", argv[0]);
    const char *name = argc == 3 && *argv[2] ? argv[2] : "fashion-mnist";
    const cnn_recipe *known = cnn_recipe_for(name);
    if (!known)
        dk_fatal("chapter 04 trains on fashion-mnist or cifar10, not '%s' (DATA=cifar10)", name);
    cnn_recipe recipe = *known;
    const cnn_recipe *rec = &recipe;
    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load(name, "train", &train, &err) ||
        !dk_dataset_load(name, "test", &test, &err))
        dk_fatal("%s", err.msg);
    if (dk_short_run("3 epochs on the first 3,000 training and 1,000 test images")) {
        recipe.epochs = 3;
        train.n = dk_slice(train.n, 3000);
        test.n = dk_slice(test.n, 1000);
    }
    char log_path[4096];
    snprintf(log_path, sizeof log_path, "%s/%s.csv", argv[1], name);
    run r = {.dir = argv[1], .name = name, .train = &train, .test = &test,
             .start = dk_seconds(), .epochs = rec->epochs};
    r.log = dk_csvlog_open_or_exit(log_path, "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds");
    printf("%s: %zu training and %zu test images of %zux%zux%zu; LeNet %zu/%zu filters, "
           "%zu hidden units, %zu epochs\n", name, train.n, test.n, train.h, train.w, train.c,
           rec->c1, rec->c2, rec->hidden, rec->epochs);
    fflush(stdout);
    dk_progress_start_epoch(&r.bar, 1, r.epochs, train.n, "images");
    const char *seed = getenv("DLKIT_SEED");
    const dk_train_hooks hooks = {on_step, on_epoch, &r};
    const float acc = cnn_recipe_train(rec, &train, &test,
                                       seed && *seed ? strtoull(seed, NULL, 10) : 1, &hooks,
                                       dk_cores() > 1);
    if (isnan(acc))
        dk_fatal("the network could not be created (lenet_create returned false)");
    dk_csvlog_close_or_exit(r.log);
    printf("%s: test accuracy %.2f%% after %.1f s. Logs in %s/. Next: `make plot CH=04`.\n",
           name, 100 * acc, dk_seconds() - r.start, argv[1]);
    dk_dataset_free(&train);
    dk_dataset_free(&test);
    return 0;
}
