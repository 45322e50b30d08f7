/* Chapter 05's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR            (make train CH=05 [TASK=makemore])
 *
 * makemore: on the names' fixed 80/10/10 split (names.h), the bigram model
 * (counts with add-one smoothing), then the MLP language model by its
 * recipe (makemore_recipe.h) without and with batch norm: each one's
 * losses, and names sampled from it. Writes under LOGDIR:
 *   makemore-mlp.csv, makemore-batchnorm.csv   a row every 10,000 steps:
 *                       step, train_loss (the mean since the last row),
 *                       dev_loss, lr, seconds
 *   makemore-bigram.txt the bigram model's losses per split
 *   embeddings.csv      each character's embedding (the batch-norm model's)
 *                       projected on its first two principal axes
 * A short run (DLKIT_SHORT=1, see common/shortrun.h): 3,000 steps of each
 * model. The recurrent tasks (Shakespeare, sentiment) come with part 2. */
#include "blas.h"
#include "csvlog.h"
#include "files.h"
#include "makemore_recipe.h"
#include "progress.h"
#include "shortrun.h"
#include "timer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t run_seed(void)
{
    const char *seed = getenv("DLKIT_SEED");
    return seed && *seed ? strtoull(seed, NULL, 10) : 1;
}

/* A sampled name and a space; "." for the empty name. */
static void print_name(const int *tokens, size_t n)
{
    for (size_t i = 0; i < n; i++)
        putchar(names_char(tokens[i]));
    fputs(n ? " " : ". ", stdout);
}

/* The bigram model: its losses per split into LOGDIR/makemore-bigram.txt,
 * and ten names. */
static void bigram(const names_split *s, const char *logs, uint64_t seed)
{
    const size_t V = MM_VOCAB;
    float *counts = calloc(V * V, sizeof *counts), *P = malloc(V * V * sizeof *P);
    if (!counts || !P)
        dk_fatal("out of memory");
    bigram_count(s->seq[NAMES_TRAIN], s->len[NAMES_TRAIN], V, counts);
    bigram_probs(counts, V, 1.0f, P);
    static const char *const split_names[NAMES_SPLITS] = {"train", "dev", "test"};
    char path[4096];
    snprintf(path, sizeof path, "%s/makemore-bigram.txt", logs);
    FILE *f = dk_create_or_exit(path);
    printf("bigram (add-one smoothing): loss");
    for (int k = 0; k < NAMES_SPLITS; k++) {
        const double nll = bigram_nll(P, V, s->seq[k], s->len[k]);
        fprintf(f, "%s %.4f\n", split_names[k], nll);
        printf(" %s %.4f%s", split_names[k], nll, k + 1 < NAMES_SPLITS ? "," : " nats per character\n");
    }
    dk_close_or_exit(f, path);
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    printf("  samples: ");
    for (int i = 0; i < 10; i++) {
        int name[32];
        print_name(name, bigram_sample(P, V, &rng, name, 32));
    }
    putchar('\n');
    free(counts), free(P);
}

typedef struct run {
    dk_csvlog *log;
    dk_progress bar;
    const mm_recipe *r;
    double start;
} run;

static void on_step(size_t step, float loss, void *ctx)
{
    run *r = ctx;
    if (step % 100 == 0) {
        char status[48];
        snprintf(status, sizeof status, "loss %.4f", loss);
        dk_progress_update(&r->bar, step, status);
    }
}

static void on_eval(size_t step, float train_loss, float dev_loss, void *ctx)
{
    run *r = ctx;
    const float lr = step <= r->r->decay_at ? r->r->lr : r->r->lr_after;
    const double row[5] = {(double)step, train_loss, dev_loss, lr, dk_seconds() - r->start};
    dk_csvlog_row(r->log, row);
}

/* Each character's embedding on the first two principal axes of C (power
 * iteration on its covariance, the second axis after deflation). */
static void write_embeddings(const mm_trained *t, const char *path)
{
    const size_t V = t->cfg.V, E = t->cfg.embed;
    const float *C = t->params + lm_layout_of(&t->cfg).C;
    double mean[64] = {0}, cov[64 * 64] = {0}, axes[2][64];
    if (E > 64)
        return;
    for (size_t v = 0; v < V; v++)
        for (size_t e = 0; e < E; e++)
            mean[e] += C[v * E + e] / (double)V;
    for (size_t v = 0; v < V; v++)
        for (size_t a = 0; a < E; a++)
            for (size_t b = 0; b < E; b++)
                cov[a * E + b] += (C[v * E + a] - mean[a]) * (C[v * E + b] - mean[b]);
    for (int k = 0; k < 2; k++) {
        double *x = axes[k], y[64];
        for (size_t e = 0; e < E; e++)
            x[e] = 1.0 / (double)(e + 1);
        for (int it = 0; it < 500; it++) {
            double norm = 0;
            for (size_t a = 0; a < E; a++) {
                y[a] = 0;
                for (size_t b = 0; b < E; b++)
                    y[a] += cov[a * E + b] * x[b];
            }
            if (k == 1) { /* stay orthogonal to the first axis */
                double dot = 0;
                for (size_t a = 0; a < E; a++)
                    dot += y[a] * axes[0][a];
                for (size_t a = 0; a < E; a++)
                    y[a] -= dot * axes[0][a];
            }
            for (size_t a = 0; a < E; a++)
                norm += y[a] * y[a];
            norm = sqrt(norm);
            for (size_t a = 0; a < E; a++)
                x[a] = norm > 0 ? y[a] / norm : 0;
        }
    }
    FILE *f = dk_create_or_exit(path);
    fprintf(f, "char,pc1,pc2\n");
    for (size_t v = 0; v < V; v++) {
        double p[2] = {0, 0};
        for (int k = 0; k < 2; k++)
            for (size_t e = 0; e < E; e++)
                p[k] += (C[v * E + e] - mean[e]) * axes[k][e];
        fprintf(f, "%c,%.5f,%.5f\n", names_char((int)v), p[0], p[1]);
    }
    dk_close_or_exit(f, path);
}

static void train_mlp(const mm_recipe *r, const mm_data *d, const char *logs, const char *name,
                uint64_t seed)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/makemore-%s.csv", logs, name);
    run state = {dk_csvlog_open_or_exit(path, "step,train_loss,dev_loss,lr,seconds"), {0}, r,
                 dk_seconds()};
    printf("MLP%s: context %zu, embeddings of %zu, %zu tanh units; %zu steps of %zu\n",
           r->cfg.batchnorm ? " with batch norm" : "", r->cfg.context, r->cfg.embed,
           r->cfg.hidden, r->steps, r->batch);
    fflush(stdout);
    dk_progress_start(&state.bar, name, r->steps, "steps");
    const mm_hooks hooks = {on_step, on_eval, &state};
    mm_trained t;
    const float dev = mm_train(r, &MM_YOURS, d, seed, &hooks, &t);
    if (isnan(dev))
        dk_fatal("out of memory training the MLP");
    char status[48];
    snprintf(status, sizeof status, "dev loss %.4f", dev);
    dk_progress_end(&state.bar, r->steps, status);
    dk_csvlog_close_or_exit(state.log);
    const float test = mm_loss(&MM_YOURS, &t.cfg, t.params, t.running, d->X[NAMES_TEST],
                               d->y[NAMES_TEST], d->n[NAMES_TEST]);
    printf("  dev loss %.4f, test loss %.4f nats per character, %.0f s\n  samples: ", dev, test,
           dk_seconds() - state.start);
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    for (int i = 0; i < 10; i++) {
        int tokens[32];
        print_name(tokens, mm_sample(&MM_YOURS, &t, &rng, tokens, 32));
    }
    putchar('\n');
    if (r->cfg.batchnorm) {
        snprintf(path, sizeof path, "%s/embeddings.csv", logs);
        write_embeddings(&t, path);
    }
    mm_trained_free(&t);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1); /* products of 32 rows: one thread is faster */
    if (argc < 2 || argc > 3)
        dk_fatal("usage: %s LOGDIR", argv[0]);
    const char *task = getenv("DLKIT_TASK");
    if (task && *task && strcmp(task, "makemore") != 0)
        dk_fatal("TASK=%s: chapter 05's tasks are makemore (Shakespeare and sentiment come "
                 "with part 2)", task);
    const char *logs = argv[1];
    names_split s;
    mm_data d;
    dk_err err;
    if (!names_load(&s, &err) || !mm_data_make(&d, &s, MM_RECIPE_MLP.cfg.context, &err))
        dk_fatal("%s", err.msg);
    mm_recipe plain = MM_RECIPE_MLP, bn = MM_RECIPE_BATCHNORM;
    if (dk_short_run("3,000 steps of each model")) {
        plain.steps = bn.steps = 3000;
        plain.eval_every = bn.eval_every = 500;
    }
    printf("makemore: %zu names (%zu training, %zu dev, %zu test), %zu, %zu and %zu examples\n",
           s.names[0] + s.names[1] + s.names[2], s.names[0], s.names[1], s.names[2], d.n[0],
           d.n[1], d.n[2]);
    const double start = dk_seconds();
    const uint64_t seed = run_seed();
    bigram(&s, logs, seed);
    train_mlp(&plain, &d, logs, "mlp", seed);
    train_mlp(&bn, &d, logs, "batchnorm", seed);
    printf("makemore: %.0f s. Logs in %s/. Next: `make plot CH=05`.\n", dk_seconds() - start, logs);
    mm_data_free(&d);
    names_free(&s);
    return 0;
}
