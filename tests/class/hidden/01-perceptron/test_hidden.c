/* Hidden tests of chapter 01 for the class tests (tests/class/check-small):
 * an instructor's tests, compiled by `make class HIDDEN=tests/class/hidden`.
 * The marker below must never reach a student's feedback:
 * HIDDEN-TEST-SOURCE-CANARY-7f3a */
#include "grade.h"
#include "perceptron.h"
#include "ref_api.h"

#include <math.h>

GRADED_TEST(hidden_sigmoid_symmetry, 3, 10, "sigmoid(-x) = 1 - sigmoid(x)")
{
    dk_rng rng = dk_test_rng(71);
    for (int i = 0; i < 200; i++) {
        float x = dk_rng_range(&rng, -30.0f, 30.0f);
        dk_expect_near(1.0 - (double)act_sigmoid(x), act_sigmoid(-x), (dk_tol){1e-5, 1e-6},
                       "sigmoid(-%g)", x);
    }
}

GRADED_TEST(hidden_predict_on_the_boundary, 2, 10, "w . x + b = 0 lies on the positive side")
{
    const float w[2] = {1.0f, -1.0f}, x[2] = {0.25f, 0.25f};
    dk_expect_int(ref_perceptron_predict(w, 0.0f, x, 2), perceptron_predict(w, 0.0f, x, 2),
                  "perceptron_predict on the boundary");
}
