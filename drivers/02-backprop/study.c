/* Chapter 02's studies (kit code: you need not edit it).
 *
 *   study OUTDIR            lists the studies
 *   study OUTDIR NAME       runs one; writes OUTDIR/NAME.csv
 *
 * depth-width: MNIST by the chapter's recipe, but 8 epochs, for 1 to 3
 * hidden layers of 32, 128 or 512 units: test accuracy against the number
 * of parameters (`make study CH=02 NAME=depth-width` also draws it). */
#include "blas.h"
#include "csvlog.h"
#include "mlp_recipe.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t count_params(size_t in, size_t depth, size_t width, size_t out)
{
    size_t n = 0, prev = in;
    for (size_t l = 0; l < depth; l++, prev = width)
        n += width * (prev + 1);
    return n + out * (prev + 1);
}

static void depth_width(const char *dir, uint64_t seed)
{
    dk_dataset train, test;
    dk_err err;
    if (!dk_dataset_load("mnist", "train", &train, &err) ||
        !dk_dataset_load("mnist", "test", &test, &err))
        dk_fatal("%s", err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/depth-width.csv", dir);
    dk_csvlog *log = dk_csvlog_open_or_exit(path, "depth,width,params,test_acc,seconds");
    static const size_t widths[] = {32, 128, 512};
    printf("%-6s %-6s %-9s %-9s %s\n", "depth", "width", "params", "test acc", "seconds");
    fflush(stdout);
    for (size_t depth = 1; depth <= 3; depth++)
        for (size_t w = 0; w < 3; w++) {
            mlp_recipe r = MLP_RECIPE_MNIST;
            r.depth = depth, r.hidden = widths[w], r.epochs = 8;
            double start = dk_seconds();
            float acc = mlp_recipe_train(&r, &train, &test, seed, NULL);
            size_t params = count_params(train.dim, depth, widths[w], train.classes);
            double row[5] = {(double)depth, (double)widths[w], (double)params, acc,
                             dk_seconds() - start};
            dk_csvlog_row(log, row);
            printf("%-6zu %-6zu %-9zu %7.2f%%  %.1f\n", depth, widths[w], params, 100 * acc,
                   row[4]);
            fflush(stdout);
        }
    dk_csvlog_close_or_exit(log);
    dk_dataset_free(&train);
    dk_dataset_free(&test);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 0);
    if (argc == 2) {
        puts("depth-width   1 to 3 hidden layers of 32, 128 or 512 units on MNIST: accuracy "
             "against parameters");
        return 0;
    }
    if (argc != 3 || strcmp(argv[2], "depth-width") != 0)
        dk_fatal("usage: %s OUTDIR [depth-width]", argv[0]);
    const char *seed = getenv("DLKIT_SEED");
    depth_width(argv[1], seed && *seed ? strtoull(seed, NULL, 10) : 1);
    return 0;
}
