/* make bench, the LSTM row, our side: the chapter 05 reference trains its
 * character model on tiny Shakespeare by make train's recipe (one LSTM
 * layer of 256 units over embeddings of 64, windows of 64 characters of
 * 32 streams, Adam 2e-3, clipping at 1), for a few hundred windows.
 *
 *   lstm_steps THREADS STEPS ROUNDS
 *
 * bench/torch_lstm.py does the same with PyTorch. Prints, for the harness:
 *   net V E H B T   the sizes
 *   file PATH       the text read (PyTorch reads the same one)
 *   round I SECONDS LOSS   STEPS windows from a fresh model: their time
 *                          and the last window's training loss
 * Only the training steps are timed: not loading, not evaluating. */
#include "blas.h"
#include "charlm_recipe.h"
#include "datasets.h"
#include "epoch.h"
#include "shakespeare.h"
#include "timer.h"

#include <math.h>
#include <stdio.h>

typedef struct last_loss {
    float loss;
} last_loss;

static void on_step(size_t step, float loss, float grad_norm, void *ctx)
{
    (void)step, (void)grad_norm;
    ((last_loss *)ctx)->loss = loss;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        dk_fatal("usage: %s THREADS STEPS ROUNDS", argv[0]);
    const size_t threads = bench_count(argv[1], "THREADS");
    dk_blas_init(argv, (int)threads);
    const size_t steps = bench_count(argv[2], "STEPS"), rounds = bench_count(argv[3], "ROUNDS");
    shakespeare sh;
    dk_err err;
    char path[4096];
    if (!shakespeare_load(&sh, &err) || !dk_text_path("tinyshakespeare", path, sizeof path, &err))
        dk_fatal("%s", err.msg);
    cl_recipe r = CL_RECIPE_SHAKESPEARE;
    r.cfg.V = sh.V, r.steps = steps, r.eval_every = steps;
    printf("net %zu %zu %zu %zu %zu\nfile %s\n", r.cfg.V, r.cfg.embed, r.cfg.hidden, r.batch,
           r.window, path);
    fflush(stdout);
    /* (the validation loss at the end, on one window only: not what is timed) */
    const cl_text train = {sh.train, sh.n_train}, val = {sh.val, r.batch * (r.window + 1)};
    for (size_t i = 1; i <= rounds; i++) {
        last_loss last = {NAN};
        const cl_hooks hooks = {on_step, NULL, &last};
        const double t0 = dk_seconds();
        cl_train(&r, &CL_YOURS, train, val, i, &hooks, NULL, threads > 1);
        printf("round %zu %.3f %.4f\n", i, dk_seconds() - t0, last.loss);
        fflush(stdout);
    }
    shakespeare_free(&sh);
    return 0;
}
