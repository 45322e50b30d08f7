/* Chapter 06's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR            (make train CH=06 [TASK=lookback|shakespeare])
 *
 * lookback (lookback.h): your multi-head attention and positions with the
 * kit's embeddings and read-out learn to name the token LB_LAG positions
 * back, with Adam (lr 3e-3) on batches of LB_BATCH fresh random
 * sequences. Writes under LOGDIR:
 *   lookback.csv         a row every 50 steps: step, train_loss (the mean
 *                        since the last row), val_loss, val_acc (on a fixed
 *                        held-out batch of 256 sequences), seconds
 *   attention-maps.txt   each head's attention weights (T x T, a block per
 *                        head) on the first held-out sequence
 * 1,000 steps (a few seconds).
 * shakespeare: your GPT on tiny Shakespeare by its recipe (gpt_recipe.h),
 * then text sampled at three temperatures:
 *   shakespeare-gpt.csv  a row every 250 steps: step, train_loss, val_loss,
 *                        seconds
 *   shakespeare-gpt-samples.txt   the samples
 * Without TASK, both, in that order. A short run (DLKIT_SHORT=1, see
 * common/shortrun.h): 300 steps of look-back, the grader's short GPT. */
#include "blas.h"
#include "csvlog.h"
#include "error.h"
#include "files.h"
#include "gpt_recipe.h"
#include "lookback.h"
#include "parallel.h"
#include "shakespeare.h"
#include "shortrun.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { VAL_SEQUENCES = 256, LOG_EVERY = 50 };

static uint64_t run_seed(void)
{
    const char *seed = getenv("DLKIT_SEED");
    return seed && *seed ? strtoull(seed, NULL, 10) : 1;
}

/* Each head's T x T map of held-out sequence 0, blocks apart for gnuplot's
 * index. */
static void write_maps(const char *logs, const float *P)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/attention-maps.txt", logs);
    FILE *f = dk_create_or_exit(path);
    for (size_t h = 0; h < LB_HEADS; h++) {
        fprintf(f, "%s# head %zu: row = query position, column = key position\n", h ? "\n\n" : "",
                h + 1);
        for (size_t i = 0; i < LB_T; i++)
            for (size_t j = 0; j < LB_T; j++)
                fprintf(f, "%.5f%c", P[(h * LB_T + i) * LB_T + j], j + 1 < LB_T ? ' ' : '\n');
    }
    dk_close_or_exit(f, path);
}

static void lookback(const char *logs, uint64_t seed, bool short_run)
{
    const size_t steps = short_run ? 300 : 1000;
    dk_rng rng, val_rng;
    dk_rng_seed(&rng, seed);
    dk_rng_seed(&val_rng, 424242); /* the same held-out batch for every seed */
    lb_model model;
    lb_create(&model, &rng);
    int *X = malloc(LB_BATCH * LB_T * sizeof *X), *Xval = malloc(VAL_SEQUENCES * LB_T * sizeof *Xval);
    float *P = malloc(VAL_SEQUENCES * LB_HEADS * LB_T * LB_T * sizeof *P);
    if (!X || !Xval || !P)
        dk_fatal("out of memory");
    lb_batch(&val_rng, Xval, VAL_SEQUENCES);
    char path[4096];
    snprintf(path, sizeof path, "%s/lookback.csv", logs);
    dk_csvlog *log = dk_csvlog_open_or_exit(path, "step,train_loss,val_loss,val_acc,seconds");
    printf("look-back: name the token %d positions back (%d tokens, sequences of %d), %zu steps\n",
           LB_LAG, LB_VOCAB, LB_T, steps);
    const double start = dk_seconds();
    double sum = 0;
    float val_loss = 0, acc = 0;
    for (size_t step = 1; step <= steps; step++) {
        lb_batch(&rng, X, LB_BATCH);
        sum += lb_loss(&model, X, LB_BATCH, true, NULL, NULL);
        lb_step(&model, step, 3e-3f);
        if (step % LOG_EVERY == 0 || step == steps) {
            const size_t since = step % LOG_EVERY ? step % LOG_EVERY : LOG_EVERY;
            val_loss = lb_loss(&model, Xval, VAL_SEQUENCES, false, &acc, P);
            const double row[] = {(double)step, sum / (double)since, val_loss, acc,
                                  dk_seconds() - start};
            dk_csvlog_row(log, row);
            if (step % (4 * LOG_EVERY) == 0 || step == steps)
                printf("  step %5zu  train loss %.4f  held-out loss %.4f  accuracy %5.1f%%\n", step,
                       sum / (double)since, val_loss, 100.0 * acc);
            sum = 0;
        }
    }
    dk_csvlog_close_or_exit(log);
    write_maps(logs, P);
    printf("look-back: held-out accuracy %.1f%% (chance: %.1f%%) in %.0f s\n", 100.0 * acc,
           100.0 / LB_VOCAB, dk_seconds() - start);
    lb_free(&model);
    free(X), free(Xval), free(P);
}

/* The GPT's evaluations: a CSV row and a line. */
static void gpt_eval(size_t step, float train_loss, float val_loss, double seconds, void *ctx)
{
    const double row[] = {(double)step, train_loss, val_loss, seconds};
    dk_csvlog_row(ctx, row);
    printf("  step %5zu  train loss %.4f  validation loss %.4f  %5.0f s\n", step, train_loss,
           val_loss, seconds);
    fflush(stdout);
}

/* Samples at three temperatures after a newline, into LOGDIR's file and
 * on the screen. */
static void gpt_samples(const char *logs, const gpt_config *cfg, const float *params,
                        const shakespeare *text, uint64_t seed)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/shakespeare-gpt-samples.txt", logs);
    FILE *f = dk_create_or_exit(path);
    static const float temperatures[] = {0.5f, 0.8f, 1.0f};
    dk_rng rng;
    dk_rng_seed(&rng, seed + 7);
    int prompt = shakespeare_token(text, '\n'), out[1024];
    const size_t n = cfg->T - 1;
    for (size_t k = 0; k < 3; k++) {
        gpt_generate(cfg, params, &prompt, 1, n, temperatures[k], 0, &rng, out);
        fprintf(f, "---- temperature %.1f\n", temperatures[k]);
        printf("---- temperature %.1f\n", temperatures[k]);
        for (size_t i = 0; i < n; i++)
            fputc(text->chars[out[i]], f), putchar(text->chars[out[i]]);
        fputc('\n', f), putchar('\n');
    }
    dk_close_or_exit(f, path);
}

static void shakespeare_gpt(const char *logs, uint64_t seed, bool short_run)
{
    shakespeare text;
    dk_err err;
    if (!shakespeare_load(&text, &err))
        dk_fatal("%s", err.msg);
    gpt_recipe r = short_run ? GPT_RECIPE_SHORT : GPT_RECIPE_SHAKESPEARE;
    r.cfg.V = text.V;
    gpt_text train = {text.train, text.n_train}, val = {text.val, text.n_val};
    if (short_run)
        train.n = dk_slice(train.n, GPT_SHORT_TRAIN), val.n = dk_slice(val.n, GPT_SHORT_VAL);
    printf("tiny Shakespeare, a GPT of %zu layers, %zu heads, %zu features, context %zu "
           "(%zu parameters): %zu steps of %zu windows\n", r.cfg.layers, r.cfg.H, r.cfg.D,
           r.cfg.T, gpt_layout_of(&r.cfg).n, r.steps, r.batch);
    char path[4096];
    snprintf(path, sizeof path, "%s/shakespeare-gpt.csv", logs);
    dk_csvlog *log = dk_csvlog_open_or_exit(path, "step,train_loss,val_loss,seconds");
    const gpt_hooks hooks = {NULL, gpt_eval, log};
    float *params = NULL;
    const float val_loss = gpt_train(&r, train, val, seed, &hooks, &params, dk_cores() > 1);
    dk_csvlog_close_or_exit(log);
    if (!params)
        dk_fatal("out of memory training the GPT");
    printf("tiny Shakespeare: validation loss %.4f\n", val_loss);
    gpt_samples(logs, &r.cfg, params, &text, seed);
    free(params);
    shakespeare_free(&text);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1); /* products of a few hundred rows: one thread */
    if (argc != 2)
        dk_fatal("usage: %s LOGDIR", argv[0]);
    const char *task = getenv("DLKIT_TASK");
    const bool all = !task || !*task;
    if (!all && strcmp(task, "lookback") != 0 && strcmp(task, "shakespeare") != 0)
        dk_fatal("TASK=%s: chapter 06's tasks are lookback and shakespeare", task);
    const char *logs = argv[1];
    const bool short_run = dk_short_run("300 steps of look-back; the grader's short GPT");
    const double start = dk_seconds();
    if (all || strcmp(task, "lookback") == 0)
        lookback(logs, run_seed(), short_run);
    if (all || strcmp(task, "shakespeare") == 0)
        shakespeare_gpt(logs, run_seed(), short_run);
    printf("chapter 06: %.0f s. Logs in %s/. Next: `make plot CH=06`.\n", dk_seconds() - start,
           logs);
    return 0;
}
