/* Chapter 06 tests: your GPT trained on tiny Shakespeare by the kit's
 * short recipe (5 points). It must clear a bound that the reference clears
 * on seeds 1 to 5. */
#include "cases.h"
#include "gpt_recipe.h"
#include "shakespeare.h"

/* The reference's validation loss after the short recipe, seeds 1-5:
 * 2.4340, 2.4383, 2.4072, 2.4382, 2.4319. */
#define SHAKESPEARE_BOUND 2.50f

GRADED_TEST(shakespeare_short_run, 5, 60,
            "If the other tests pass and this one does not, run make train CH=06 "
            "TASK=shakespeare DLKIT_SHORT=1 and look at the loss: from 4.17 (log 65) it falls "
            "to about 2.4 in 600 steps.")
{
    shakespeare sh;
    dk_err err;
    if (!shakespeare_load(&sh, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    gpt_recipe r = GPT_RECIPE_SHORT;
    r.cfg.V = sh.V;
    const gpt_text train = {sh.train, GPT_SHORT_TRAIN}, val = {sh.val, GPT_SHORT_VAL};
    const uint64_t seed = dk_test_seed();
    const float loss = gpt_train(&r, train, val, seed, NULL, NULL, false);
    DK_CHECK(loss <= SHAKESPEARE_BOUND,
             "a GPT of %zu layers, %zu features after %zu steps of %zu windows of %zu "
             "characters (seed %llu): validation loss %.4f, at most %.2f expected", r.cfg.layers,
             r.cfg.D, r.steps, r.batch, r.cfg.T, (unsigned long long)seed, loss,
             SHAKESPEARE_BOUND);
    shakespeare_free(&sh);
}
