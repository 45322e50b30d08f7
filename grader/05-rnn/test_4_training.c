/* Chapter 05 tests: makemore trained (5 points): your model, by the
 * kit's recipe, against the reference's on the same seed and steps. */
#include "grade.h"
#include "makemore_recipe.h"
#include "ref_api.h"

#include <math.h>

static const mm_model REFERENCE = {ref_lm_init, ref_lm_forward, ref_lm_backward};

/* 1,500 steps of the recipe and the dev loss, yours first (so that nothing
 * of the reference's run is ever in memory your code can see). */
static void expect_run(const mm_recipe *full, const mm_data *d, const char *name)
{
    mm_recipe r = *full;
    r.steps = r.eval_every = 1500;
    const uint64_t seed = dk_test_seed();
    const float yours = mm_train(&r, &MM_YOURS, d, seed, NULL, NULL);
    const float ref = mm_train(&r, &REFERENCE, d, seed, NULL, NULL);
    if (isnan(ref))
        dk_test_fail(DK_KIT_ERROR, "the reference's run failed (out of memory?)");
    DK_CHECK(fabsf(yours - ref) <= 0.02f,
             "the %s after %zu steps of %zu names' contexts (seed %llu): dev loss %.4f, the "
             "reference's %.4f (within 0.02 expected)", name, r.steps, r.batch,
             (unsigned long long)seed, yours, ref);
}

GRADED_TEST(makemore_short_run, 5, 60,
            "If the other tests pass and this one does not, run make train CH=05 and look at "
            "the loss: a model that trains falls from 3.3 (log 27) to about 2.4 in 1,500 steps.")
{
    names_split s;
    mm_data d;
    dk_err err;
    if (!names_load(&s, &err) || !mm_data_make(&d, &s, MM_RECIPE_MLP.cfg.context, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    expect_run(&MM_RECIPE_MLP, &d, "MLP");
    expect_run(&MM_RECIPE_BATCHNORM, &d, "MLP with batch norm");
    mm_data_free(&d);
    names_free(&s);
}
