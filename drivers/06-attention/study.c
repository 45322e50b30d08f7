/* Chapter 06's studies (kit code: you need not edit it).
 *
 *   study OUTDIR            lists the studies
 *   study OUTDIR NAME       runs one; writes OUTDIR/NAME.csv
 *
 * vs-lstm: your GPT against chapter 05's LSTM (the reference's) of about
 * the same size on tiny Shakespeare, for the same wall-clock time. The GPT
 * trains by its recipe (gpt_recipe.h); then an LSTM of 410 units over
 * embeddings of 64 (Adam 2e-3, clipping at 1, windows of 32 x 64) trains
 * for as long as the GPT took. The CSV has a row per evaluation: seconds,
 * then the GPT's or the LSTM's validation loss (the other nan); NAME.txt
 * the table of final losses. About 16 minutes. */
#include "blas.h"
#include "charlm_recipe.h"
#include "csvlog.h"
#include "files.h"
#include "gpt_recipe.h"
#include "shakespeare.h"
#include "timer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LSTM_UNITS = 410, LSTM_EMBED = 64 };

typedef struct curve {
    dk_csvlog *log;
    double start;
    float last;
} curve;

static void gpt_point(size_t step, float train_loss, float val_loss, double seconds, void *ctx)
{
    curve *c = ctx;
    const double row[] = {seconds, val_loss, NAN};
    dk_csvlog_row(c->log, row);
    c->last = val_loss;
    printf("  GPT   step %5zu  %5.0f s  train loss %.4f  validation loss %.4f\n", step, seconds,
           train_loss, val_loss);
    fflush(stdout);
}

static void lstm_point(size_t step, float train_loss, float val_loss, void *ctx)
{
    curve *c = ctx;
    const double seconds = dk_seconds() - c->start, row[] = {seconds, NAN, val_loss};
    dk_csvlog_row(c->log, row);
    c->last = val_loss;
    printf("  LSTM  step %5zu  %5.0f s  train loss %.4f  validation loss %.4f\n", step, seconds,
           train_loss, val_loss);
    fflush(stdout);
}

static void vs_lstm(const char *out, uint64_t seed)
{
    shakespeare text;
    dk_err err;
    if (!shakespeare_load(&text, &err))
        dk_fatal("%s", err.msg);
    gpt_recipe g = GPT_RECIPE_SHAKESPEARE;
    g.cfg.V = text.V;
    cl_recipe l = CL_RECIPE_SHAKESPEARE;
    l.cfg = (charlm_config){text.V, LSTM_EMBED, LSTM_UNITS, CELL_LSTM};
    l.steps = 1000000; /* the clock stops it */
    const size_t gn = gpt_layout_of(&g.cfg).n, ln = charlm_layout_of(&l.cfg).n;
    printf("vs-lstm: the GPT (%zu parameters) for %zu steps, then an LSTM (%zu parameters) for "
           "as long; about 16 minutes\n", gn, g.steps, ln);
    char path[4096];
    snprintf(path, sizeof path, "%s/vs-lstm.csv", out);
    curve c = {dk_csvlog_open_or_exit(path, "seconds,gpt_val_loss,lstm_val_loss"), 0, NAN};
    const double gpt_start = dk_seconds();
    const gpt_hooks gh = {NULL, gpt_point, &c};
    const float gpt_loss = gpt_train(&g, (gpt_text){text.train, text.n_train},
                                     (gpt_text){text.val, text.n_val}, seed, &gh, NULL,
                                     false); /* one core each, like the LSTM */
    const double gpt_seconds = dk_seconds() - gpt_start;
    l.max_seconds = gpt_seconds;
    c.start = dk_seconds();
    const cl_hooks lh = {NULL, lstm_point, &c};
    cl_train(&l, &CL_YOURS, (cl_text){text.train, text.n_train}, (cl_text){text.val, text.n_val},
             seed, &lh, NULL, false);
    const double lstm_seconds = dk_seconds() - c.start;
    dk_csvlog_close_or_exit(c.log);
    snprintf(path, sizeof path, "%s/vs-lstm.txt", out);
    FILE *f = dk_create_or_exit(path);
    fprintf(f, "model  parameters  seconds  validation loss\n");
    fprintf(f, "GPT    %10zu  %7.0f  %.4f\n", gn, gpt_seconds, gpt_loss);
    fprintf(f, "LSTM   %10zu  %7.0f  %.4f\n", ln, lstm_seconds, c.last);
    dk_close_or_exit(f, path);
    printf("vs-lstm: GPT %.4f after %.0f s, LSTM %.4f after %.0f s (table in %s)\n", gpt_loss,
           gpt_seconds, c.last, lstm_seconds, path);
    shakespeare_free(&text);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1); /* as make train */
    if (argc == 2) {
        puts("vs-lstm  your GPT against chapter 05's LSTM of its size, for the same time "
             "(about 16 minutes)");
        return 0;
    }
    if (argc != 3 || strcmp(argv[2], "vs-lstm") != 0)
        dk_fatal("usage: %s OUTDIR [vs-lstm]", argv[0]);
    const char *seed = getenv("DLKIT_SEED");
    vs_lstm(argv[1], seed && *seed ? strtoull(seed, NULL, 10) : 1);
    return 0;
}
