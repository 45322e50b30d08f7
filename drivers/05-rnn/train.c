/* Chapter 05's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR            (make train CH=05 [TASK=makemore|shakespeare|sentiment])
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
 * shakespeare: your character model (an LSTM) on tiny Shakespeare by its
 * recipe (charlm_recipe.h), then text sampled at three temperatures:
 *   shakespeare.csv     a row every 250 steps: step, train_loss, val_loss,
 *                       grad_norm (the last step's, before clipping), seconds
 *   shakespeare-samples.txt   the samples
 *   lstm-gates.txt, lstm-gates-text.txt   the gates of 16 units over a
 *                       line of the validation text
 * sentiment: on the movie reviews (reviews.h), the bag-of-words baseline,
 * then your sentiment model (an LSTM) by its recipe (sentiment_recipe.h),
 * each with early stopping on the validation split:
 *   sentiment-bow.csv, sentiment-lstm.csv   a row per epoch: epoch,
 *                       train_loss, train_acc, val_loss, val_acc
 * Without TASK, all three, in that order. A short run (DLKIT_SHORT=1, see
 * common/shortrun.h): 3,000 steps of each makemore model, and the
 * grader's short runs of the two other tasks. */
#include "blas.h"
#include "charlm_recipe.h"
#include "csvlog.h"
#include "files.h"
#include "makemore_recipe.h"
#include "parallel.h"
#include "progress.h"
#include "sentiment_recipe.h"
#include "shakespeare.h"
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

static void makemore(const char *logs, uint64_t seed)
{
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
    printf("makemore (about 80 s): %zu names (%zu training, %zu dev, %zu test), %zu, %zu and "
           "%zu examples\n", s.names[0] + s.names[1] + s.names[2], s.names[0], s.names[1],
           s.names[2], d.n[0], d.n[1], d.n[2]);
    const double start = dk_seconds();
    bigram(&s, logs, seed);
    train_mlp(&plain, &d, logs, "mlp", seed);
    train_mlp(&bn, &d, logs, "batchnorm", seed);
    printf("makemore: %.0f s. Logs in %s/.\n", dk_seconds() - start, logs);
    mm_data_free(&d);
    names_free(&s);
}

typedef struct cl_run {
    dk_csvlog *log;
    dk_progress bar;
    float grad_norm;
    double start;
} cl_run;

static void cl_on_step(size_t step, float loss, float grad_norm, void *ctx)
{
    cl_run *r = ctx;
    r->grad_norm = grad_norm;
    if (step % 10 == 0) {
        char status[48];
        snprintf(status, sizeof status, "loss %.4f", loss);
        dk_progress_update(&r->bar, step, status);
    }
}

static void cl_on_eval(size_t step, float train_loss, float val_loss, void *ctx)
{
    cl_run *r = ctx;
    const double row[5] = {(double)step, train_loss, val_loss, r->grad_norm,
                           dk_seconds() - r->start};
    dk_csvlog_row(r->log, row);
}

/* Text from the trained model after a prompt, at a few temperatures, to
 * the terminal and LOGDIR/shakespeare-samples.txt. */
static void write_samples(const shakespeare *sh, const charlm_config *cfg, const float *params,
                          const char *logs, uint64_t seed)
{
    static const float temperatures[] = {0.5f, 0.8f, 1.0f};
    const char *prompt = "ROMEO:\n";
    int tokens[16], out[400];
    size_t np = 0;
    for (const char *c = prompt; *c; c++)
        tokens[np++] = shakespeare_token(sh, *c);
    char path[4096];
    snprintf(path, sizeof path, "%s/shakespeare-samples.txt", logs);
    FILE *f = dk_create_or_exit(path);
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    for (size_t k = 0; k < sizeof temperatures / sizeof *temperatures; k++) {
        const size_t n = cl_generate(&CL_YOURS, cfg, params, tokens, np, temperatures[k], 0, &rng,
                                     out, k == 1 ? 400 : 200);
        printf("\n--- temperature %.1f ---\n%s", temperatures[k], prompt);
        fprintf(f, "--- temperature %.1f ---\n%s", temperatures[k], prompt);
        for (size_t i = 0; i < n; i++)
            putchar(sh->chars[out[i]]), fputc(sh->chars[out[i]], f);
        putchar('\n'), fputc('\n', f);
    }
    dk_close_or_exit(f, path);
}

/* The input, forget and output gates of the first units of the trained
 * LSTM, character by character over a line of the validation text:
 * LOGDIR/lstm-gates.txt (3 x GATE_UNITS rows, a column per character) and
 * lstm-gates-text.txt (the line). */
enum { GATE_UNITS = 16, GATE_CHARS = 60 };

static void write_gates(const shakespeare *sh, const charlm_config *cfg, const float *params,
                        const char *logs)
{
    /* The first whole line of 40 characters or more (its first GATE_CHARS). */
    const int *line = sh->val, *end = sh->val + sh->n_val;
    size_t T = 0;
    while (line < end && T < 40) {
        while (line < end && sh->chars[*line] != '\n')
            line++;
        for (line++, T = 0; line + T < end && sh->chars[line[T]] != '\n';)
            T++;
    }
    T = T < GATE_CHARS ? T : GATE_CHARS;
    const size_t H = cfg->hidden;
    float *state = calloc(charlm_state_size(cfg, 1), sizeof *state);
    float *acts = malloc(charlm_acts_size(cfg, T, 1) * sizeof *acts);
    float *logits = malloc(T * cfg->V * sizeof *logits);
    if (!state || !acts || !logits || T == 0 || cfg->cell != CELL_LSTM || H < GATE_UNITS)
        dk_fatal("out of memory drawing the gates");
    CL_YOURS.forward(cfg, params, line, T, 1, state, acts, logits);
    const float *gates = acts + T * cfg->embed + charlm_state_size(cfg, 1); /* (T, 1, 4H) */
    char path[4096];
    snprintf(path, sizeof path, "%s/lstm-gates.txt", logs);
    FILE *f = dk_create_or_exit(path);
    static const int shown[3] = {0, 1, 3}; /* i, f, o of the four */
    for (int g = 0; g < 3; g++)
        for (size_t u = 0; u < GATE_UNITS; u++)
            for (size_t t = 0; t < T; t++)
                fprintf(f, "%.4f%c", gates[t * 4 * H + (size_t)shown[g] * H + u],
                        t + 1 < T ? ' ' : '\n');
    dk_close_or_exit(f, path);
    snprintf(path, sizeof path, "%s/lstm-gates-text.txt", logs);
    f = dk_create_or_exit(path);
    for (size_t t = 0; t < T; t++)
        fputc(sh->chars[line[t]], f);
    fputc('\n', f);
    dk_close_or_exit(f, path);
    free(state), free(acts), free(logits);
}

static void shakespeare_task(const char *logs, uint64_t seed)
{
    shakespeare sh;
    dk_err err;
    if (!shakespeare_load(&sh, &err))
        dk_fatal("%s", err.msg);
    cl_recipe r = CL_RECIPE_SHAKESPEARE;
    cl_text train = {sh.train, sh.n_train}, val = {sh.val, sh.n_val};
    if (dk_short_run("the grader's run: 1,000 steps of 64 LSTM units on the first %d characters",
                     CL_SHORT_TRAIN)) {
        r = CL_RECIPE_SHAKESPEARE_SHORT;
        train.n = CL_SHORT_TRAIN, val.n = CL_SHORT_VAL;
    }
    r.cfg.V = sh.V;
    printf("shakespeare (about 8 minutes): %zu characters (%zu training, %zu validation), %zu "
           "symbols; an LSTM of %zu units over embeddings of %zu, %zu parameters; %zu steps of "
           "%zu streams x %zu characters\n", sh.n_train + sh.n_val, sh.n_train, sh.n_val, sh.V,
           r.cfg.hidden, r.cfg.embed, charlm_layout_of(&r.cfg).n, r.steps, r.batch, r.window);
    fflush(stdout);
    char path[4096];
    snprintf(path, sizeof path, "%s/shakespeare.csv", logs);
    cl_run run = {dk_csvlog_open_or_exit(path, "step,train_loss,val_loss,grad_norm,seconds"),
                  {0}, 0, dk_seconds()};
    dk_progress_start(&run.bar, "shakespeare", r.steps, "steps");
    const cl_hooks hooks = {cl_on_step, cl_on_eval, &run};
    float *params;
    const float loss = cl_train(&r, &CL_YOURS, train, val, seed, &hooks, &params, dk_cores() > 1);
    if (isnan(loss))
        dk_fatal("out of memory training the character model");
    char status[48];
    snprintf(status, sizeof status, "val loss %.4f", loss);
    dk_progress_end(&run.bar, r.steps, status);
    dk_csvlog_close_or_exit(run.log);
    printf("  validation loss %.4f nats per character, %.0f s\n", loss, dk_seconds() - run.start);
    write_samples(&sh, &r.cfg, params, logs, seed);
    write_gates(&sh, &r.cfg, params, logs);
    cl_params_free(params);
    shakespeare_free(&sh);
}

typedef struct st_run {
    dk_csvlog *log;
    const char *name;
} st_run;

static void st_on_epoch(size_t epoch, float train_loss, float train_acc, float val_acc,
                        float val_loss, void *ctx)
{
    st_run *r = ctx;
    const double row[5] = {(double)epoch, train_loss, train_acc, val_loss, val_acc};
    dk_csvlog_row(r->log, row);
    printf("  %-13s epoch %2zu: training loss %.4f, accuracy %.1f%% (training), %.1f%% "
           "(validation)\n", r->name, epoch, train_loss, 100 * train_acc, 100 * val_acc);
    fflush(stdout);
}

static void report(const char *name, const st_result *res)
{
    printf("  %s: test accuracy %.1f%% (the parameters of epoch %zu, the best on the "
           "validation split: %.1f%%; %zu epochs run)\n", name, 100 * res->test_acc,
           res->best_epoch, 100 * res->val_acc, res->epochs_run);
}

static void sentiment_task(const char *logs, uint64_t seed)
{
    reviews d;
    dk_err err;
    if (!reviews_load(&d, &err))
        dk_fatal("%s", err.msg);
    st_recipe r = ST_RECIPE_LSTM;
    if (dk_short_run("the grader's run: %zu epochs of %zu LSTM units", ST_RECIPE_SHORT.epochs,
                     ST_RECIPE_SHORT.cfg.hidden))
        r = ST_RECIPE_SHORT;
    r.cfg.V = d.V;
    printf("sentiment (about a minute): %zu movie-review snippets (%zu training, %zu "
           "validation, %zu test), a vocabulary of %zu words (seen twice in training)\n", d.n,
           d.count[0], d.count[1], d.count[2], d.V);
    const double start = dk_seconds();
    char path[4096];
    const char *columns = "epoch,train_loss,train_acc,val_loss,val_acc";
    snprintf(path, sizeof path, "%s/sentiment-bow.csv", logs);
    st_run bow = {dk_csvlog_open_or_exit(path, columns), "bag of words"};
    st_result res;
    const st_hooks bow_hooks = {st_on_epoch, &bow};
    if (!st_bag_of_words(&d, seed, &bow_hooks, &res))
        dk_fatal("out of memory training the bag of words");
    dk_csvlog_close_or_exit(bow.log);
    report("bag of words (logistic regression)", &res);
    snprintf(path, sizeof path, "%s/sentiment-lstm.csv", logs);
    st_run lstm = {dk_csvlog_open_or_exit(path, columns), "LSTM"};
    printf("  your LSTM: embeddings of %zu, %zu units, %zu parameters\n", r.cfg.embed,
           r.cfg.hidden, sent_layout_of(&r.cfg).n);
    const st_hooks lstm_hooks = {st_on_epoch, &lstm};
    if (!st_train(&r, &ST_YOURS, &d, seed, &lstm_hooks, &res))
        dk_fatal("out of memory training the sentiment model");
    dk_csvlog_close_or_exit(lstm.log);
    report("LSTM", &res);
    printf("sentiment: %.0f s.\n", dk_seconds() - start);
    reviews_free(&d);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1); /* products of 32 rows: one thread is faster */
    if (argc < 2 || argc > 3)
        dk_fatal("usage: %s LOGDIR", argv[0]);
    const char *task = getenv("DLKIT_TASK");
    const bool all = !task || !*task;
    if (!all && strcmp(task, "makemore") != 0 && strcmp(task, "shakespeare") != 0 &&
        strcmp(task, "sentiment") != 0)
        dk_fatal("TASK=%s: chapter 05's tasks are makemore, shakespeare and sentiment", task);
    const char *logs = argv[1];
    const uint64_t seed = run_seed();
    const double start = dk_seconds();
    if (all || strcmp(task, "makemore") == 0)
        makemore(logs, seed);
    if (all || strcmp(task, "shakespeare") == 0)
        shakespeare_task(logs, seed);
    if (all || strcmp(task, "sentiment") == 0)
        sentiment_task(logs, seed);
    printf("chapter 05: %.0f s. Logs in %s/. Next: `make plot CH=05`.\n", dk_seconds() - start,
           logs);
    return 0;
}
