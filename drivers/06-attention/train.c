/* Chapter 06's training driver (kit code: you need not edit it).
 *
 *   train LOGDIR            (make train CH=06)
 *
 * lookback (lookback.h): your layer norm is not used yet; your multi-head
 * attention, positions and the kit's read-out learn to name the token
 * LB_LAG positions back, with Adam (lr 3e-3) on batches of LB_BATCH fresh
 * random sequences. Writes under LOGDIR:
 *   lookback.csv         a row every 50 steps: step, train_loss (the mean
 *                        since the last row), val_loss, val_acc (on a fixed
 *                        held-out batch of 256 sequences), seconds
 *   attention-maps.txt   each head's attention weights (T x T, a block per
 *                        head) on the first held-out sequence
 * 1,000 steps (a few seconds). A short run (DLKIT_SHORT=1, see
 * common/shortrun.h): 300 steps. */
#include "blas.h"
#include "csvlog.h"
#include "error.h"
#include "files.h"
#include "lookback.h"
#include "shortrun.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>

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

int main(int argc, char **argv)
{
    dk_blas_init(argv, 1); /* products of a few hundred rows: one thread */
    if (argc != 2)
        dk_fatal("usage: %s LOGDIR", argv[0]);
    const char *logs = argv[1];
    const size_t steps = dk_short_run("300 steps of the look-back task") ? 300 : 1000;
    dk_rng rng, val_rng;
    dk_rng_seed(&rng, run_seed());
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
    printf("look-back: held-out accuracy %.1f%% (chance: %.1f%%) in %.0f s. Logs in %s/. "
           "Next: `make plot CH=06`.\n",
           100.0 * acc, 100.0 / LB_VOCAB, dk_seconds() - start, logs);
    lb_free(&model);
    free(X), free(Xval), free(P);
    return 0;
}
