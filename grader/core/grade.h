/* The grader's API for chapter tests.
 *
 * A chapter's tests are Criterion tests declared with GRADED_TEST, each with
 * its points, its timeout and a hint beside it:
 *
 *     GRADED_TEST(sigmoid_values, 5, 10, "sigmoid(x) = 1 / (1 + e^-x)")
 *     {
 *         dk_expect_near(ref_sigmoid(x), sigmoid(x), DK_TOL_ELEMENTWISE,
 *                        "sigmoid(%g)", x);
 *     }
 *
 * A test is all-or-nothing: its points are earned only when its body returns
 * (the runner sees it reach its end, see worker.c). Checks fail through the
 * functions below, never through raw cr_assert, so that a failure reads the
 * same under the runner, under `make debug` and in results.json:
 * "<kind>: <what> <where>: expected <x>, got <y>". Expected values come from
 * the reference solution, linked in under ref_ names (ref_api.h). */
#ifndef DLKIT_GRADE_H
#define DLKIT_GRADE_H

#include "error.h"
#include "results.h"
#include "rng.h"

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Declaring tests ------------------------------------------------- */

typedef struct dk_graded {
    const char *name;
    int points;
    double timeout;      /* seconds */
    const char *hint;    /* the concept to revisit, not the answer */
    void (*body)(void);
    const char *file;    /* where it is declared: the order of the report */
    int line;
    struct dk_graded *next;
} dk_graded;

/* Runs in the test's own process before the body (worker.c). */
void dk_test_init(void);
/* Evidence that the body returned (worker.c). */
void dk_test_reached_end(void);
/* Adds a test to the runner's list (runner.c). GRADED_TEST registers its
 * own tests, so the runner never walks Criterion's private structures. */
void dk_register_graded(dk_graded *test);

/* The sanitizers' builds (make debug SAN=1, the long checks' check-san) run
 * several times slower: their tests get DK_TIMEOUT_SCALE times longer. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define DK_TIMEOUT_SCALE 5
#else
#define DK_TIMEOUT_SCALE 1
#endif

#define GRADED_TEST(test_name, test_points, timeout_s, hint_text)             \
    static void dk_body_##test_name(void);                                     \
    static dk_graded dk_meta_##test_name = {#test_name, test_points, timeout_s, \
                                            hint_text, dk_body_##test_name,    \
                                            __FILE__, __LINE__, NULL};         \
    __attribute__((constructor)) static void dk_register_##test_name(void)    \
    {                                                                          \
        dk_register_graded(&dk_meta_##test_name);                              \
    }                                                                          \
    /* (Criterion's timeout backs up the kit's own, which fires first) */     \
    Test(graded, test_name, .timeout = DK_TIMEOUT_SCALE * (timeout_s) + 10,   \
         .init = dk_test_init)                                                 \
    {                                                                          \
        dk_body_##test_name();                                                 \
        dk_test_reached_end();                                                 \
    }                                                                          \
    static void dk_body_##test_name(void)

/* The base seed of this run (DLKIT_SEED, default 1); tests derive theirs
 * from it so that `make debug ... SEED=n` replays another draw. */
uint64_t dk_test_seed(void);
/* A generator seeded from the base seed and a per-use salt. */
dk_rng dk_test_rng(uint64_t salt);
/* The path of one of the files the student hands in besides the C code
 * (an answer file, a configuration), as the chapter's MANIFEST names it:
 * from the staged copy that grade-chapter makes (DK_STAGE). */
const char *dk_student_file(const char *name);

/* x[i] uniform in [lo, hi), i < n. */
void dk_fill_uniform(dk_rng *rng, float *x, size_t n, float lo, float hi);
/* n floats uniform in [lo, hi), malloc'd; the test frees them. */
float *dk_random_array(dk_rng *rng, size_t n, float lo, float hi);

/* ---- Failing ----------------------------------------------------------- */

/* Ends the test as failed with "<kind>: <message>", kind one of the
 * failure kinds of results.h (DK_WRONG_VALUE, DK_KIT_ERROR...). */
_Noreturn void dk_test_fail(const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fails with kind DK_WRONG_VALUE and the message unless cond holds. */
#define DK_CHECK(cond, ...)                                                    \
    do {                                                                       \
        if (!(cond))                                                           \
            dk_test_fail(DK_WRONG_VALUE, __VA_ARGS__);                         \
    } while (0)

/* ---- Comparing values ------------------------------------------------ */

/* The one tolerance policy: got matches expected when
 *     |got - expected| <= atol + rtol * |expected|,
 * both finite, or both the same infinity. NaN never matches anything. */
typedef struct dk_tol {
    double rtol, atol;
} dk_tol;

/* Bit-for-bit results (integer-valued outputs, copies). */
#define DK_TOL_EXACT ((dk_tol){0.0, 0.0})
/* One float32 operation or a library call (exp, tanh) per element: a few
 * ulps, since the student's formula may differ from the reference's. */
#define DK_TOL_ELEMENTWISE ((dk_tol){1e-5, 1e-6})
/* Sums and products over many elements, where the order of float32
 * additions differs between two correct implementations. */
#define DK_TOL_REDUCTION ((dk_tol){1e-4, 1e-5})

bool dk_close(double expected, double got, dk_tol tol);

/* Shapes, for messages: "(4, 3)". */
typedef struct dk_shape {
    size_t ndim;
    size_t dim[4];
} dk_shape;

#define DK_SHAPE(...)                                                          \
    ((dk_shape){sizeof((size_t[]){__VA_ARGS__}) / sizeof(size_t), {__VA_ARGS__}})

size_t dk_shape_count(dk_shape shape);

/* One value; what_fmt names it, e.g. "sigmoid(%g)". */
void dk_expect_near(double expected, double got, dk_tol tol,
                    const char *what_fmt, ...)
    __attribute__((format(printf, 4, 5)));

void dk_expect_int(long expected, long got, const char *what_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Every element of got against expected; on failure names the first wrong
 * element by its index in shape and says how many are wrong. */
void dk_expect_floats(const float *expected, const float *got, dk_shape shape,
                      dk_tol tol, const char *what_fmt, ...)
    __attribute__((format(printf, 5, 6)));

void dk_expect_ints(const int *expected, const int *got, dk_shape shape,
                    const char *what_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- Guarded outputs ------------------------------------------------- */

/* Output buffers for the code under test, with guard zones on both sides.
 * dk_guard_floats/_ints fill the output with a marker that no correct
 * result contains, so dk_guard_check finds elements never written; the
 * guard zones catch writes just before or after the buffer. */
float *dk_guard_floats(size_t n);
int *dk_guard_ints(size_t n);
/* For outputs that accumulate (+=): prefilled with random values, which
 * dk_guard_prefill returns; expect prefill + result. */
float *dk_guard_floats_prefilled(size_t n, dk_rng *rng);
const float *dk_guard_prefill(const float *buf);

/* Fails (DK_WRONG_SHAPE) on a write outside buf or, for the marked kinds,
 * an element never written, naming the element and the expected shape. */
void dk_guard_check(const void *buf, dk_shape shape, const char *what_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* buf, from dk_guard_floats_prefilled, must hold its prefill plus grad
 * (shape), within tol: checks its guards, then its values. */
void dk_expect_accumulated(const float *grad, const float *buf, dk_shape shape, dk_tol tol,
                           const char *what_fmt, ...) __attribute__((format(printf, 5, 6)));
void dk_guard_free(void *buf);

/* ---- Gradients by finite differences --------------------------------- */

/* The loss at the current values of the parameters. */
typedef double (*dk_loss_fn)(void *ctx);

typedef struct dk_grad_param {
    const char *name;   /* "W", "b", "x" */
    float *value;       /* perturbed in place, always restored */
    const float *grad;  /* the gradient under test */
    dk_shape shape;
} dk_grad_param;

/* Per parameter: the worst relative error |a - n| / max(|a|, |n|, floor)
 * and where it is. Elements where the loss is not smooth within the step
 * (a ReLU or max-pool kink) are skipped and counted; more than a quarter of
 * them (and more than 4) fail the check. */
typedef struct dk_grad_report {
    double worst;
    size_t worst_index;
    double analytic, numeric;
    size_t checked, skipped;
} dk_grad_report;

typedef struct dk_gradcheck_opts {
    double step;    /* central-difference step h, relative to max(1, |v|) */
    double rtol;    /* accept when the relative error is below this */
    double floor;   /* denominator floor: gradients below it compare absolutely */
} dk_gradcheck_opts;

/* One float32 layer or loss. */
#define DK_GRADCHECK_FLOAT32 ((dk_gradcheck_opts){1e-2, 1e-2, 1e-3})
/* A whole float32 network: its round-off reaches the loss through every
 * layer, so gradients below 1e-2 compare absolutely, to 1e-4. */
#define DK_GRADCHECK_NETWORK ((dk_gradcheck_opts){2e-2, 1e-2, 1e-2})

/* Checks every element of every parameter; fills reports[i] for params[i]
 * and returns true when all pass. The differences are taken in double
 * precision around float32 values, with the step actually taken (after
 * float32 rounding) as the divisor. */
bool dk_gradcheck(dk_loss_fn loss, void *ctx, const dk_grad_param *params,
                  size_t nparams, dk_gradcheck_opts opts,
                  dk_grad_report *reports);

/* dk_gradcheck, then fails (DK_WRONG_VALUE) with one line per parameter:
 * worst relative error, index, analytic and numeric values. */
void dk_expect_gradients(dk_loss_fn loss, void *ctx, const dk_grad_param *params,
                         size_t nparams, dk_gradcheck_opts opts,
                         const char *what_fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
