/* The kit's tests of the grader core's checks: each must pass right values
 * and reject wrong ones with a message that says what, where and how. */
#include "grade.h"
#include "internal.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

/* Runs a check; true when it failed, with its message in caught. */
static jmp_buf back;
static char caught[4096];

static void catch_failure(const char *message)
{
    snprintf(caught, sizeof caught, "%s", message);
    longjmp(back, 1);
}

#define FAILS(check)                                                           \
    ({                                                                         \
        volatile bool failed_ = true;                                          \
        caught[0] = '\0';                                                      \
        dk_set_fail_handler(catch_failure);                                    \
        if (setjmp(back) == 0) {                                               \
            check;                                                             \
            failed_ = false;                                                   \
        }                                                                      \
        dk_set_fail_handler(NULL);                                             \
        failed_;                                                               \
    })

#define EXPECT_FAILS_WITH(check, ...)                                          \
    do {                                                                       \
        cr_assert(FAILS(check), "this check should have failed: %s", #check); \
        const char *want_[] = {__VA_ARGS__};                                   \
        for (size_t i_ = 0; i_ < sizeof want_ / sizeof *want_; i_++)           \
            cr_assert(strstr(caught, want_[i_]), "message lacks \"%s\": %s",   \
                      want_[i_], caught);                                      \
    } while (0)

/* ---- The tolerance policy ----------------------------------------------- */

Test(grader, close_policy, .timeout = 10)
{
    dk_tol t = DK_TOL_ELEMENTWISE;
    cr_assert(dk_close(1.0, 1.0 + 5e-6, t));
    cr_assert_not(dk_close(1.0, 1.0 + 5e-5, t));
    cr_assert(dk_close(0.0, 5e-7, t), "atol covers values near 0");
    cr_assert_not(dk_close(0.0, 5e-6, t));
    cr_assert_not(dk_close(NAN, NAN, t), "NaN never matches, not even NaN");
    cr_assert_not(dk_close(1.0, NAN, t));
    cr_assert_not(dk_close(INFINITY, 1e308, t));
    cr_assert_not(dk_close(1e308, INFINITY, t));
    cr_assert(dk_close(-INFINITY, -INFINITY, t));
    cr_assert_not(dk_close(INFINITY, -INFINITY, t));
    cr_assert(dk_close(3.0, 3.0, DK_TOL_EXACT));
    cr_assert_not(dk_close(3.0, nextafter(3.0, 4.0), DK_TOL_EXACT));
}

Test(grader, expect_near_message, .timeout = 10)
{
    cr_assert_not(FAILS(dk_expect_near(0.5, 0.5, DK_TOL_EXACT, "f(%d)", 0)));
    EXPECT_FAILS_WITH(dk_expect_near(0.5, NAN, DK_TOL_ELEMENTWISE, "act_sigmoid(%g)", 0.0),
                      "wrong value: ", "act_sigmoid(0)", "expected 0.5", "got nan");
}

Test(grader, expect_floats_names_first_wrong_element, .timeout = 10)
{
    float want[6] = {1, 2, 3, 4, 5, 6}, got[6] = {1, 2, 3, 4, 5, 6};
    cr_assert_not(FAILS(dk_expect_floats(want, got, DK_SHAPE(2, 3), DK_TOL_EXACT, "y")));
    got[4] = 7, got[5] = -1;
    EXPECT_FAILS_WITH(dk_expect_floats(want, got, DK_SHAPE(2, 3), DK_TOL_EXACT, "y"),
                      "element [1, 1] of shape (2, 3)", "expected 5", "got 7",
                      "2 of 6 elements wrong");
}

Test(grader, expect_ints_message, .timeout = 10)
{
    int want[3] = {0, 1, 1}, got[3] = {0, 1, 0};
    EXPECT_FAILS_WITH(dk_expect_ints(want, got, DK_SHAPE(3), "labels"),
                      "element [2] of shape (3,)", "expected 1, got 0");
}

/* ---- Guarded outputs ------------------------------------------------------ */

Test(grader, guard_accepts_a_full_write, .timeout = 10)
{
    float *out = dk_guard_floats(5);
    for (int i = 0; i < 5; i++)
        out[i] = (float)i;
    cr_assert_not(FAILS(dk_guard_check(out, DK_SHAPE(5), "f")));
    dk_guard_free(out);
}

Test(grader, guard_finds_unwritten_elements, .timeout = 10)
{
    float *out = dk_guard_floats(6);
    for (int i = 0; i < 6; i++)
        if (i != 4)
            out[i] = 0;
    EXPECT_FAILS_WITH(dk_guard_check(out, DK_SHAPE(2, 3), "g"), "wrong shape: ",
                      "never wrote element [1, 1] of shape (2, 3)", "1 of 6");
    dk_guard_free(out);
    int *labels = dk_guard_ints(3);
    labels[0] = labels[1] = 0;
    EXPECT_FAILS_WITH(dk_guard_check(labels, DK_SHAPE(3), "h"), "element [2]");
    dk_guard_free(labels);
}

/* += where = belongs: arithmetic on the marker. */
Test(grader, guard_tells_added_to_from_unwritten, .timeout = 10)
{
    float *out = dk_guard_floats(4);
    volatile float x = 1.0f;
    for (size_t i = 0; i < 4; i++)
        out[i] += x;
    EXPECT_FAILS_WITH(dk_guard_check(out, DK_SHAPE(4), "r"), "wrong value: ",
                      "added to what its output held instead of overwriting it", "element [0]",
                      "4 of 4");
    dk_guard_free(out);
}

Test(grader, guard_finds_writes_outside, .timeout = 10)
{
    float *out = dk_guard_floats(4);
    for (int i = 0; i < 5; i++) /* one past the end */
        out[i] = 1;
    EXPECT_FAILS_WITH(dk_guard_check(out, DK_SHAPE(4), "p"), "past the end", "element [4]",
                      "expected output shape (4,)");
    out[4] = out[0]; /* undo nothing: the zone stays damaged */
    dk_guard_free(out);
    float *before = dk_guard_floats(4);
    for (int i = -2; i < 4; i++)
        before[i] = 1;
    EXPECT_FAILS_WITH(dk_guard_check(before, DK_SHAPE(4), "q"), "before the start",
                      "element [-1]");
    dk_guard_free(before);
}

Test(grader, guard_prefill_for_accumulation, .timeout = 10)
{
    dk_rng rng = dk_test_rng(1);
    float *acc = dk_guard_floats_prefilled(3, &rng);
    const float *pre = dk_guard_prefill(acc);
    float want[3];
    for (int i = 0; i < 3; i++) {
        want[i] = pre[i] + 1.0f;
        acc[i] = 1.0f; /* overwrites instead of accumulating */
    }
    cr_assert_not(FAILS(dk_guard_check(acc, DK_SHAPE(3), "acc")), "%s", caught);
    EXPECT_FAILS_WITH(dk_expect_floats(want, acc, DK_SHAPE(3), DK_TOL_ELEMENTWISE, "dW"),
                      "dW", "element [0]");
    dk_guard_free(acc);
}

/* ---- Gradient checks -------------------------------------------------------- */

/* loss = sum_i c_i * f(x_i) for a few f. */
typedef struct fn_ctx {
    float *x;
    const float *c;
    size_t n;
    int kind; /* 0: x^3/3, 1: relu, 2: sin */
} fn_ctx;

static double fn_loss(void *p)
{
    const fn_ctx *s = p;
    double l = 0;
    for (size_t i = 0; i < s->n; i++) {
        float x = s->x[i];
        float f = s->kind == 0 ? x * x * x / 3 : s->kind == 1 ? fmaxf(x, 0) : sinf(x);
        l += s->c[i] * (double)f;
    }
    return l;
}

static void fn_grad(const fn_ctx *s, float *g)
{
    for (size_t i = 0; i < s->n; i++) {
        float x = s->x[i];
        g[i] = s->c[i] * (s->kind == 0 ? x * x : s->kind == 1 ? (x > 0) : cosf(x));
    }
}

static void random_setup(fn_ctx *s, float *x, float *c, size_t n, int kind, uint64_t salt)
{
    dk_rng rng = dk_test_rng(salt);
    for (size_t i = 0; i < n; i++) {
        x[i] = dk_rng_range(&rng, -3, 3);
        c[i] = dk_rng_range(&rng, -2, 2);
    }
    *s = (fn_ctx){x, c, n, kind};
}

/* dk_expect_gradients on s with gradient g; true when it failed. (A
 * function of its own: setjmp must not share a frame with loop counters.) */
static bool gradcheck_fails(fn_ctx *s, float *g, dk_shape shape, const char *name)
{
    dk_grad_param p = {name, s->x, g, shape};
    return FAILS(dk_expect_gradients(fn_loss, s, &p, 1, DK_GRADCHECK_FLOAT32, "layer"));
}

Test(grader, gradcheck_accepts_right_gradients_on_many_seeds, .timeout = 30)
{
    float x[64], c[64], g[64];
    for (int kind = 0; kind < 3; kind++)
        for (uint64_t seed = 0; seed < 50; seed++) {
            fn_ctx s;
            random_setup(&s, x, c, 64, kind, seed * 3 + (uint64_t)kind);
            fn_grad(&s, g);
            cr_assert_not(gradcheck_fails(&s, g, DK_SHAPE(64), "x"), "seed %llu kind %d: %s",
                          (unsigned long long)seed, kind, caught);
        }
}

Test(grader, gradcheck_rejects_one_wrong_element, .timeout = 30)
{
    float x[64], c[64], g[64];
    for (int kind = 0; kind < 3; kind++)
        for (size_t bad = 0; bad < 64; bad += 7) {
            fn_ctx s;
            random_setup(&s, x, c, 64, kind, 1000 + bad);
            if (kind == 1 && !(x[bad] > 0.1f))
                x[bad] = 1.5f; /* a point where relu has a slope */
            fn_grad(&s, g);
            /* Wrong by 5% + 0.02: beyond the 1% tolerance at any size. */
            g[bad] += copysignf(0.05f * fabsf(g[bad]) + 0.02f, g[bad]);
            cr_assert(gradcheck_fails(&s, g, DK_SHAPE(8, 8), "W"),
                      "kind %d: a wrong element %zu passed", kind, bad);
            char where[64];
            snprintf(where, sizeof where, "element [%zu, %zu] of shape (8, 8)", bad / 8, bad % 8);
            cr_assert(strstr(caught, "dW") && strstr(caught, where) && strstr(caught, "<- wrong"),
                      "kind %d element %zu: %s", kind, bad, caught);
        }
}

Test(grader, gradcheck_restores_parameters, .timeout = 10)
{
    float x[16], c[16], g[16], copy[16];
    fn_ctx s;
    random_setup(&s, x, c, 16, 2, 5);
    fn_grad(&s, g);
    memcpy(copy, x, sizeof x);
    dk_grad_param p = {"x", x, g, DK_SHAPE(16)};
    dk_grad_report r;
    cr_assert(dk_gradcheck(fn_loss, &s, &p, 1, DK_GRADCHECK_FLOAT32, &r));
    cr_assert_eq(memcmp(copy, x, sizeof x), 0, "dk_gradcheck left a parameter perturbed");
    cr_assert_eq(r.checked, 16);
}

Test(grader, gradcheck_skips_kinks_but_not_everywhere, .timeout = 10)
{
    /* Inputs at relu's kink: the central difference there is 1/2 whatever
     * the analytic value; such points prove nothing and are skipped, but a
     * loss with kinks at half its points proves nothing at all. */
    float x[20], c[20], g[20];
    for (int i = 0; i < 20; i++) {
        x[i] = i < 10 ? (i % 2 ? 1e-4f : 0.0f) : 1.0f + (float)i;
        c[i] = 1;
    }
    fn_ctx s = {x, c, 20, 1};
    fn_grad(&s, g);
    dk_grad_param p = {"x", x, g, DK_SHAPE(20)};
    dk_grad_report r;
    cr_assert_not(dk_gradcheck(fn_loss, &s, &p, 1, DK_GRADCHECK_FLOAT32, &r),
                  "half the points at a kink must not pass as checked");
    cr_assert_eq(r.skipped, 10);
    for (int i = 0; i < 4; i++) /* a few kinks pass */
        x[i] = 3;
    for (int i = 4; i < 10; i++)
        x[i] = -3;
    x[0] = 0, x[1] = 0;
    fn_grad(&s, g);
    cr_assert(dk_gradcheck(fn_loss, &s, &p, 1, DK_GRADCHECK_FLOAT32, &r));
    cr_assert_eq(r.skipped, 2);
}
