/* Chapter 07 tests: the classifier score (9 points), on given
 * probabilities and on the kit's classifier's probabilities for real,
 * blurred and noisy digits. */
#include "cases.h"
#include "classifier.h"
#include "datasets.h"
#include "ref_api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { C = 10 };

/* Rows of n x C probabilities: each a softmax of random logits of spread
 * `sharp`, class i % classes favoured (classes <= C: the others missing). */
static float *probabilities(dk_rng *rng, size_t n, float sharp, size_t classes)
{
    float *p = alloc_or_die(n * C, sizeof *p);
    for (size_t i = 0; i < n; i++) {
        float *row = p + i * C, sum = 0;
        for (size_t c = 0; c < C; c++) {
            float l = sharp * dk_rng_range(rng, -1, 1) + (c == i % classes ? 2 * sharp : 0);
            row[c] = c < classes || sharp == 0 ? expf(l) : 0.0f; /* exact zeros: 0 log 0 */
            sum += row[c];
        }
        for (size_t c = 0; c < C; c++)
            row[c] /= sum;
    }
    return p;
}

static void expect_score(const float *probs, size_t n, const char *what)
{
    float want_shares[C], want = ref_classifier_score(probs, n, C, want_shares);
    float *shares = dk_guard_floats(C);
    const float score = classifier_score(probs, n, C, shares);
    dk_guard_check(shares, DK_SHAPE(C), "classifier_score(%s): shares", what);
    dk_expect_floats(want_shares, shares, DK_SHAPE(C), DK_TOL_REDUCTION,
                     "classifier_score(%s): shares", what);
    dk_expect_near(want, score, DK_TOL_REDUCTION, "classifier_score(%s): the score", what);
    dk_guard_free(shares);
}

GRADED_TEST(classifier_score_values, 5, 10,
            "shares = the mean of the rows; the score = exp(mean over samples of sum_c p_c "
            "log(p_c / shares_c)), with 0 log 0 = 0 (a row may hold exact zeros). Confident "
            "samples of all ten digits score near 10, one digit only 1.")
{
    static const struct { size_t n; float sharp; size_t classes; const char *what; } sets[] = {
        {1, 3, 10, "one sample"},
        {50, 8, 10, "confident samples of every digit"},
        {50, 8, 1, "one digit only"},
        {37, 8, 4, "four digits, six never (exact zeros)"},
        {200, 0.5f, 10, "hesitant samples"},
        {100, 0, 10, "a uniform classifier"},
    };
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        dk_rng rng = dk_test_rng(400 + k);
        float *p = probabilities(&rng, sets[k].n, sets[k].sharp, sets[k].classes);
        expect_score(p, sets[k].n, sets[k].what);
        free(p);
    }
}

GRADED_TEST(classifier_score_of_digits, 4, 30,
            "The kit's digit classifier's probabilities for test digits (which score near 9.4), "
            "the same digits blurred, and noise: the score and each digit's share, as the "
            "reference gives them.")
{
    dk_err err;
    lenet clf;
    dk_dataset test;
    if (!classifier_load_kit(&clf, &err) || !dk_dataset_load("mnist10k", "test", &test, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    const size_t n = 500, D = test.dim;
    float *images = alloc_or_die(3 * n * D, sizeof *images), *probs = alloc_or_die(3 * n * C, 4);
    memcpy(images, test.x, n * D * sizeof *images);
    for (size_t i = 0; i < n; i++) /* each pixel the mean of its row's neighbourhood */
        for (size_t j = 0; j < D; j++) {
            float s = 0;
            for (long d = -2; d <= 2; d++) {
                const long jj = (long)(j % 28) + d;
                s += jj >= 0 && jj < 28 ? test.x[i * D + j + d] : 0;
            }
            images[(n + i) * D + j] = s / 5;
        }
    dk_rng rng = dk_test_rng(410);
    dk_fill_uniform(&rng, images + 2 * n * D, n * D, 0, 1);
    if (!classifier_probs(&clf, images, 3 * n, probs))
        dk_test_fail(DK_KIT_ERROR, "out of memory");
    static const char *const what[] = {"500 test digits", "500 blurred test digits",
                                       "500 images of noise"};
    for (size_t k = 0; k < 3; k++)
        expect_score(probs + k * n * C, n, what[k]);
    free(images), free(probs);
    lenet_free(&clf);
    dk_dataset_free(&test);
}
