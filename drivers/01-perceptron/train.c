/* Chapter 01's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR
 *
 * Trains a perceptron with your perceptron_train on the logic gates, on two
 * separable blobs and on Iris setosa vs versicolor (petal length and width,
 * so that the result can be drawn), and writes under LOGDIR, per data set:
 *   SET.csv           one row per epoch: epoch, train_loss (the fraction
 *                     of samples misclassified during the epoch),
 *                     train_acc and test_acc after it, test_loss, lr, seconds
 *   SET-points.csv    the samples: their two features (the header names
 *                     them, with their units), label, split (0 train, 1 test)
 *   SET-box.csv       the plot's box: xmin, xmax, ymin, ymax (the samples'
 *                     range and a margin, so that no sample or boundary
 *                     lies on the frame)
 *   SET-boundary.csv  the learned line across that box (your
 *                     decision_boundary), for `make plot CH=01`
 * Every run stops at the first epoch without a mistake, or after 100
 * epochs. A short run (DLKIT_SHORT=1, see common/shortrun.h): after 20 at
 * most, on the same data (each set already trains in milliseconds). */
#include "blas.h"
#include "csvlog.h"
#include "datasets.h"
#include "perceptron.h"
#include "progress.h"
#include "shortrun.h"
#include "timer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_EPOCHS = 100, SHORT_EPOCHS = 20 };

typedef struct split {
    float *X;
    int *y;
    size_t n;
} split;

typedef struct run {
    const char *name;
    const char *features; /* the two features' names, "name (unit),name (unit)" */
    split train, test;
    float lr;
    size_t max_epochs;
    float w[2], b;
    dk_csvlog *log;
    dk_progress bar;
    double start;
} run;

static double accuracy(const run *r, const split *s)
{
    if (s->n == 0)
        return NAN;
    int *pred = malloc(s->n * sizeof *pred);
    if (!pred)
        dk_fatal("out of memory");
    perceptron_predict_batch(r->w, r->b, s->X, s->n, 2, pred);
    size_t right = 0;
    for (size_t i = 0; i < s->n; i++)
        right += pred[i] == s->y[i];
    free(pred);
    return (double)right / (double)s->n;
}

/* perceptron_train's on_epoch: one log row, and the progress bar. */
static void on_epoch(size_t epoch, size_t mistakes, void *ctx)
{
    run *r = ctx;
    double train_acc = accuracy(r, &r->train), test_acc = accuracy(r, &r->test);
    double row[7] = {(double)epoch, (double)mistakes / (double)r->train.n, train_acc,
                     1 - test_acc, test_acc, r->lr, dk_seconds() - r->start};
    dk_csvlog_row(r->log, row);
    char status[96];
    snprintf(status, sizeof status, "%zu mistakes, train accuracy %.1f%%", mistakes,
             100 * train_acc);
    dk_progress_update(&r->bar, epoch, status);
}

static void write_points(const char *dir, const run *r)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s-points.csv", dir, r->name);
    char columns[256];
    snprintf(columns, sizeof columns, "%s,label,split", r->features);
    dk_csvlog *log = dk_csvlog_open_or_exit(path, columns);
    const split *parts[2] = {&r->train, &r->test};
    for (int p = 0; p < 2; p++)
        for (size_t i = 0; i < parts[p]->n; i++) {
            const float *x = parts[p]->X + 2 * i;
            double row[4] = {x[0], x[1], parts[p]->y[i], p};
            dk_csvlog_row(log, row);
        }
    dk_csvlog_close_or_exit(log);
}

/* The plot's box: the points' range plus a margin. */
static void plot_box(const run *r, float box[4])
{
    box[0] = box[2] = INFINITY, box[1] = box[3] = -INFINITY;
    const split *parts[2] = {&r->train, &r->test};
    for (int p = 0; p < 2; p++)
        for (size_t i = 0; i < parts[p]->n; i++)
            for (int k = 0; k < 2; k++) {
                box[2 * k] = fminf(box[2 * k], parts[p]->X[2 * i + k]);
                box[2 * k + 1] = fmaxf(box[2 * k + 1], parts[p]->X[2 * i + k]);
            }
    for (int k = 0; k < 2; k++) {
        float margin = 0.15f * (box[2 * k + 1] - box[2 * k]) + 0.1f;
        box[2 * k] -= margin, box[2 * k + 1] += margin;
    }
}

/* The box, and the boundary across it: the plot draws exactly this box, so
 * that the line crosses the whole picture. */
static void write_boundary(const char *dir, const run *r)
{
    char path[4096];
    float box[4], seg[4];
    plot_box(r, box);
    snprintf(path, sizeof path, "%s/%s-box.csv", dir, r->name);
    dk_csvlog *log = dk_csvlog_open_or_exit(path, "xmin,xmax,ymin,ymax");
    dk_csvlog_row(log, (double[4]){box[0], box[1], box[2], box[3]});
    dk_csvlog_close_or_exit(log);
    snprintf(path, sizeof path, "%s/%s-boundary.csv", dir, r->name);
    log = dk_csvlog_open_or_exit(path, "x0,x1");
    if (decision_boundary(r->w, r->b, box, seg)) {
        dk_csvlog_row(log, (double[2]){seg[0], seg[1]});
        dk_csvlog_row(log, (double[2]){seg[2], seg[3]});
    }
    dk_csvlog_close_or_exit(log);
}

static void train(const char *dir, run *r)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", dir, r->name);
    r->log = dk_csvlog_open_or_exit(path,
                                    "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds");
    r->w[0] = r->w[1] = r->b = 0;
    r->start = dk_seconds();
    dk_progress_start(&r->bar, r->name, r->max_epochs, "epochs");
    perceptron_result res = perceptron_train(r->w, &r->b, r->train.X, r->train.y, r->train.n,
                                             2, r->lr, r->max_epochs, on_epoch, r);
    char status[64], why[64];
    snprintf(status, sizeof status, "%s%s accuracy %.1f%%", res.converged ? "" : "NOT converged, ",
             r->test.n ? "test" : "train", 100 * accuracy(r, r->test.n ? &r->test : &r->train));
    snprintf(why, sizeof why, "converged after %zu epochs", res.epochs);
    if (res.converged)
        dk_progress_stop(&r->bar, res.epochs, why, status);
    else
        dk_progress_end(&r->bar, res.epochs, status);
    dk_csvlog_close_or_exit(r->log);
    write_points(dir, r);
    write_boundary(dir, r);
}

/* ---- The data sets ------------------------------------------------------ */

static float TRUTH_X[8] = {0, 0, 0, 1, 1, 0, 1, 1};
static int AND_Y[4] = {0, 0, 0, 1}, OR_Y[4] = {0, 1, 1, 1}, XOR_Y[4] = {0, 1, 1, 0};

/* A shuffled 80/20 split of n 2-D samples (copied). */
static void split_train_test(dk_rng *rng, const float *X, const int *y, size_t n, run *r)
{
    size_t *idx = malloc(n * sizeof *idx);
    r->train.X = malloc(n * 2 * sizeof(float));
    r->train.y = malloc(n * sizeof(int));
    if (!idx || !r->train.X || !r->train.y)
        dk_fatal("out of memory");
    dk_rng_permutation(rng, idx, n);
    for (size_t i = 0; i < n; i++) {
        memcpy(r->train.X + 2 * i, X + 2 * idx[i], 2 * sizeof(float));
        r->train.y[i] = y[idx[i]];
    }
    free(idx);
    r->train.n = n - n / 5;
    r->test = (split){r->train.X + 2 * r->train.n, r->train.y + r->train.n, n / 5};
}

/* Iris setosa (0) vs versicolor (1) by petal length and width. */
static void load_iris(dk_rng *rng, run *r)
{
    dk_dataset iris;
    dk_err err;
    if (!dk_dataset_load("iris", "all", &iris, &err))
        dk_fatal("%s", err.msg);
    float X[150 * 2];
    int y[150];
    size_t n = 0;
    for (size_t i = 0; i < iris.n; i++)
        if (iris.y[i] <= 1) {
            X[2 * n] = iris.x[i * iris.dim + 2], X[2 * n + 1] = iris.x[i * iris.dim + 3];
            y[n++] = iris.y[i];
        }
    dk_dataset_free(&iris);
    split_train_test(rng, X, y, n, r);
}

static void load_blobs(dk_rng *rng, run *r)
{
    dk_dataset ds;
    dk_err err;
    if (!dk_make_separable(rng, 200, 2, 0.3f, &ds, &err))
        dk_fatal("%s", err.msg);
    split_train_test(rng, ds.x, ds.y, ds.n, r);
    dk_dataset_free(&ds);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 0);
    if (argc != 2)
        dk_fatal("usage: %s LOGDIR", argv[0]);
    const char *seed = getenv("DLKIT_SEED");
    dk_rng rng;
    dk_rng_seed(&rng, seed && *seed ? strtoull(seed, NULL, 10) : 1);
    const char *gate = "input x0 (0 or 1),input x1 (0 or 1)";
    run runs[5] = {
        {.name = "and", .features = gate, .train = {TRUTH_X, AND_Y, 4}, .lr = 1.0f},
        {.name = "or", .features = gate, .train = {TRUTH_X, OR_Y, 4}, .lr = 1.0f},
        {.name = "xor", .features = gate, .train = {TRUTH_X, XOR_Y, 4}, .lr = 1.0f},
        {.name = "blobs", .features = "feature x0 (no unit),feature x1 (no unit)", .lr = 0.1f},
        {.name = "iris", .features = "petal length (cm),petal width (cm)", .lr = 0.1f},
    };
    load_blobs(&rng, &runs[3]);
    load_iris(&rng, &runs[4]);
    const bool short_run = dk_short_run("at most %d epochs per data set", SHORT_EPOCHS);
    for (int i = 0; i < 5; i++) {
        runs[i].max_epochs = short_run ? SHORT_EPOCHS : MAX_EPOCHS;
        train(argv[1], &runs[i]);
    }
    for (int i = 3; i < 5; i++)
        free(runs[i].train.X), free(runs[i].train.y);
    printf("Logs in %s/. Next: `make plot CH=01`.\n", argv[1]);
    return 0;
}
