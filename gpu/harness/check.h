/* The CUDA track's grader: the API of its tests (gpu/grader/test_*.cu).
 *
 * The same checks as the CPU grader's (grader/core/grade.h), for code that
 * runs on the GPU and for a GPU machine that has no Criterion:
 *
 *     GPU_TEST(gemm1_naive, odd_shapes, 3, 20, GK_PLAIN, "the concept, not the answer")
 *     {
 *         float *C = gk_output(M * N);              // device, guarded
 *         gemm1_naive(..., C, 0);
 *         gk_sync("gemm1_naive (M=%d, ...)", M);    // a CUDA error fails here
 *         gk_expect_output(want, C, gk_dims(M, N), DK_TOL_REDUCTION, "...");
 *     }
 *
 * The first argument names the exercise: the function the student writes
 * (or "mlp" for the network). Each test is all-or-nothing and runs in its
 * own process (gpu/grader/grade runs them one by one, under
 * compute-sanitizer for the tools that ask for it); it earns its points
 * only when its body returns. Failures read like the CPU grader's:
 * "<kind>: <what> <where>: expected <x>, got <y>". */
#ifndef DLKIT_GPU_CHECK_H
#define DLKIT_GPU_CHECK_H

#include "kernels.h"
#include "ref.h"
#include "results.h" /* the failure kinds */
#include "tolerance.h"

extern "C" {
#include "rng.h" /* C, with no extern "C" of its own */
}

#include <cstddef>
#include <cstdint>

/* ---- Declaring tests ----------------------------------------------------- */

/* What gpu/grader/grade runs a test under, after a plain run passed. */
enum gk_tool { GK_PLAIN, GK_MEMCHECK, GK_RACECHECK };

struct gk_test {
    const char *exercise, *name;
    int points, timeout_s;
    gk_tool tool;
    const char *hint; /* the concept to revisit, not the answer */
    void (*body)();
};

/* Adds a test to the program's catalogue, in the order of declaration. */
bool gk_register(const gk_test *test);

#define GPU_TEST(exercise, test_name, points, timeout_s, tool, hint)                  \
    static void gk_body_##exercise##_##test_name();                                  \
    static const gk_test gk_meta_##exercise##_##test_name = {                        \
        #exercise, #test_name, points, timeout_s, tool, hint,                        \
        gk_body_##exercise##_##test_name};                                           \
    [[maybe_unused]] static const bool gk_registered_##exercise##_##test_name =      \
        gk_register(&gk_meta_##exercise##_##test_name);                              \
    static void gk_body_##exercise##_##test_name()

/* The base seed of this run (DLKIT_SEED, default 1), and a generator
 * seeded from it and a per-use salt, as the CPU grader's dk_test_rng. */
uint64_t gk_seed();
dk_rng gk_rng(uint64_t salt);

/* ---- Failing ------------------------------------------------------------- */

/* Ends the test as failed with "<kind>: <message>", kind one of the CPU
 * grader's failure kinds (grader/core/results.h). */
[[noreturn]] void gk_fail(const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Waits for the GPU; a CUDA error (an illegal address, a bad launch) fails
 * the test as a crash, naming what ran. */
void gk_sync(const char *what_fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- Host arrays --------------------------------------------------------- */

/* Shapes, for messages: "(4, 3)", and "element [2, 1] of shape (4, 3)". */
struct gk_shape {
    int ndim;
    size_t dim[4];
};

template <typename... Dims> gk_shape gk_dims(Dims... dims)
{
    static_assert(sizeof...(Dims) >= 1 && sizeof...(Dims) <= 4, "1 to 4 dimensions");
    return gk_shape{(int)sizeof...(Dims), {(size_t)dims...}};
}
size_t gk_count(gk_shape shape);

/* Host arrays freed when the test ends. gk_uniform draws from [lo, hi);
 * gk_grid draws multiples of 1/steps in [-1, 1]: products and sums of
 * these are exact in float32 (for K up to 2^24 / steps^2 terms), so a
 * matrix product's result does not depend on the order of its additions
 * and tests can compare GEMMs exactly. */
float *gk_host(size_t n);
float *gk_uniform(dk_rng *rng, size_t n, float lo, float hi);
float *gk_grid(dk_rng *rng, size_t n, int steps);
int *gk_labels(dk_rng *rng, size_t n, int classes);

/* ---- Device buffers with guard zones -------------------------------------- */

/* Every device buffer of a test has guard zones on both sides.
 * gk_input: a copy of host data; its guard zones hold NaN, so a kernel that
 *   reads outside its input and uses what it read gets NaN.
 * gk_output: filled with a NaN that no kernel computes, so elements never
 *   written are found; a write into a guard zone is found too.
 * gk_output_prefilled: for outputs that accumulate (+=): starts as a copy
 *   of host data. */
float *gk_input(const float *host, size_t n);
int *gk_input_ints(const int *host, size_t n);
float *gk_output(size_t n);
float *gk_output_prefilled(const float *host, size_t n);

/* Buffers allocated from now on start `elements` floats past a 16-byte
 * boundary (0 to 3): kernels must not assume that the pointers they get
 * are aligned for float4 loads. */
void gk_misalign(int elements);

/* Copies the output back into host (gk_count(shape) floats) and fails
 * (wrong shape) on a write outside it or an element never written. */
void gk_fetch_output(const float *dev, float *host, gk_shape shape, const char *what_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fails (wrong shape) when a kernel wrote into any input of the test. */
void gk_expect_inputs_untouched(const char *what_fmt, ...) __attribute__((format(printf, 1, 2)));

/* Releases every device buffer and host array of the test so far. */
void gk_free_all();

/* ---- Comparing values ---------------------------------------------------- */

/* Every element of got against expected with dkg_close; names the first
 * wrong one by its index in shape and says how many are wrong. */
void gk_expect_floats(const float *expected, const float *got, gk_shape shape, dk_tol tol,
                      const char *what_fmt, ...) __attribute__((format(printf, 5, 6)));

void gk_expect_near(double expected, double got, dk_tol tol, const char *what_fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* gk_fetch_output into a host array, then gk_expect_floats: the usual end
 * of a test of one output. */
void gk_expect_output(const float *expected, const float *dev, gk_shape shape, dk_tol tol,
                      const char *what_fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
