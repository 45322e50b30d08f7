/* make bench, the GPT row, our side: the chapter 06 reference trains its
 * GPT on tiny Shakespeare by make train's recipe (4 blocks of 4 heads, 128
 * features, a context of 64, batches of 12 random windows, AdamW 1e-3,
 * clipping at 1), for a few hundred steps.
 *
 *   gpt_steps THREADS STEPS ROUNDS
 *
 * bench/torch_gpt.py does the same with PyTorch. Prints, for the harness:
 *   net V T D H LAYERS B   the sizes
 *   file PATH              the text read (PyTorch reads the same one)
 *   round I SECONDS LOSS   STEPS steps from a fresh model: their time and
 *                          the mean training loss of the last tenth
 * Only the training steps are timed (the recipe's one evaluation at the
 * end is a single window). */
#include "blas.h"
#include "datasets.h"
#include "epoch.h"
#include "gpt_recipe.h"
#include "shakespeare.h"
#include "timer.h"

#include <math.h>
#include <stdio.h>

typedef struct round_end {
    float loss;
    double seconds;
} round_end;

static void on_eval(size_t step, float train_loss, float val_loss, double seconds, void *ctx)
{
    (void)step, (void)val_loss;
    *(round_end *)ctx = (round_end){train_loss, seconds};
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
    gpt_recipe r = GPT_RECIPE_SHAKESPEARE;
    r.cfg.V = sh.V, r.steps = steps, r.eval_every = steps - steps / 10, r.eval_windows = 1;
    printf("net %zu %zu %zu %zu %zu %zu\nfile %s\n", r.cfg.V, r.cfg.T, r.cfg.D, r.cfg.H,
           r.cfg.layers, r.batch, path);
    fflush(stdout);
    const gpt_text train = {sh.train, sh.n_train}, val = {sh.val, sh.n_val};
    for (size_t i = 1; i <= rounds; i++) {
        round_end end = {NAN, 0};
        const gpt_hooks hooks = {NULL, on_eval, &end};
        const double t0 = dk_seconds();
        gpt_train(&r, train, val, i, &hooks, NULL, threads > 1);
        printf("round %zu %.3f %.4f\n", i, dk_seconds() - t0, end.loss);
        fflush(stdout);
    }
    shakespeare_free(&sh);
    return 0;
}
