/* Chapter 01, part 2: the perceptron, its learning rule, training, logic
 * gates and the decision boundary (64 points). */
#include "datasets.h"
#include "grade.h"
#include "perceptron.h"
#include "ref_api.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const float TRUTH_X[8] = {0, 0, 0, 1, 1, 0, 1, 1};
static const int AND_Y[4] = {0, 0, 0, 1}, OR_Y[4] = {0, 1, 1, 1}, XOR_Y[4] = {0, 1, 1, 0};

/* Integer features and weights: every sum the perceptron takes is exact in
 * float32, so two correct implementations agree bit for bit whatever order
 * they add in, and a training run can be compared update by update. */
static void fill_integers(dk_rng *rng, float *v, size_t n, int lo, int hi)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (float)lo + (float)dk_rng_below(rng, (size_t)(hi - lo + 1));
}

/* n points in d dimensions, labelled by a random integer hyperplane; points
 * on the plane are dropped so the set is strictly separable. */
static size_t separable_integers(dk_rng *rng, float *X, int *y, size_t n, size_t d)
{
    float w[8], b = (float)dk_rng_below(rng, 5) - 2.0f;
    fill_integers(rng, w, d, -3, 3);
    w[0] = w[0] == 0 ? 1 : w[0];
    size_t kept = 0;
    while (kept < n) {
        fill_integers(rng, X + kept * d, d, -5, 5);
        float z = b;
        for (size_t j = 0; j < d; j++)
            z += w[j] * X[kept * d + j];
        if (z != 0)
            y[kept++] = z > 0;
    }
    return kept;
}

GRADED_TEST(predict_one, 4, 10,
            "The perceptron fires (1) when w . x + b >= 0: a weighted sum, a bias, "
            "then the step function.")
{
    dk_rng rng = dk_test_rng(11);
    static const size_t dims[] = {1, 2, 3, 7, 64};
    float w[64], x[64];
    for (int trial = 0; trial < 200; trial++) {
        size_t d = dims[trial % 5];
        dk_fill_uniform(&rng, w, d, -1, 1);
        dk_fill_uniform(&rng, x, d, -1, 1);
        float b = dk_rng_range(&rng, -0.5f, 0.5f);
        dk_expect_int(ref_perceptron_predict(w, b, x, d), perceptron_predict(w, b, x, d),
                      "perceptron_predict with d = %zu, b = %g (trial %d)", d, b, trial);
    }
    /* w . x + b exactly 0: the step's value at 0 decides. */
    const float w0[2] = {1, 2}, x0[2] = {1, 1};
    dk_expect_int(1, perceptron_predict(w0, -3.0f, x0, 2),
                  "perceptron_predict(w = {1, 2}, b = -3, x = {1, 1}), where w . x + b = 0");
}

GRADED_TEST(predict_batch, 6, 10,
            "Sample i of X starts at X + i*d; out has exactly n elements.")
{
    dk_rng rng = dk_test_rng(12);
    static const size_t shapes[][2] = {{1, 1}, {1, 5}, {7, 3}, {64, 2}, {33, 17}, {2, 100}};
    for (size_t s = 0; s < 6; s++) {
        size_t n = shapes[s][0], d = shapes[s][1];
        float X[3300], w[100], b = dk_rng_range(&rng, -0.5f, 0.5f);
        dk_fill_uniform(&rng, X, n * d, -1, 1);
        dk_fill_uniform(&rng, w, d, -1, 1);
        int want[64];
        ref_perceptron_predict_batch(w, b, X, n, d, want);
        int *out = dk_guard_ints(n);
        perceptron_predict_batch(w, b, X, n, d, out);
        dk_guard_check(out, DK_SHAPE(n), "perceptron_predict_batch with n = %zu, d = %zu", n, d);
        dk_expect_ints(want, out, DK_SHAPE(n), "perceptron_predict_batch with n = %zu, d = %zu",
                       n, d);
        dk_guard_free(out);
    }
}

GRADED_TEST(update_rule, 8, 10,
            "err = y - prediction is -1, 0 or +1. A wrong answer moves w by lr * err * x "
            "and b by lr * err, towards the right answer; a right answer changes nothing.")
{
    dk_rng rng = dk_test_rng(13);
    for (int trial = 0; trial < 300; trial++) {
        size_t d = 1 + dk_rng_below(&rng, 9);
        float x[9], w_ref[9], b = dk_rng_range(&rng, -1, 1), b_ref = b;
        float lr = dk_rng_range(&rng, 0.01f, 1.0f);
        dk_fill_uniform(&rng, x, d, -2, 2);
        float *w = dk_guard_floats_prefilled(d, &rng);
        memcpy(w_ref, w, d * sizeof *w);
        /* Half the samples misclassified, half right. */
        int pred = ref_perceptron_predict(w, b, x, d);
        int y = trial % 2 ? 1 - pred : pred;
        int moved_ref = ref_perceptron_update(w_ref, &b_ref, x, d, y, lr);
        int moved = perceptron_update(w, &b, x, d, y, lr);
        const char *what = y == pred ? "a correctly classified sample" : "a misclassified sample";
        dk_expect_int(moved_ref, moved, "perceptron_update's return value for %s", what);
        dk_guard_check(w, DK_SHAPE(d), "perceptron_update (w)");
        dk_expect_floats(w_ref, w, DK_SHAPE(d), DK_TOL_ELEMENTWISE,
                         "w after perceptron_update on %s (y = %d, lr = %g)", what, y, lr);
        dk_expect_near(b_ref, b, DK_TOL_ELEMENTWISE,
                       "b after perceptron_update on %s (y = %d, lr = %g)", what, y, lr);
        dk_guard_free(w);
    }
}

/* Both trainings from zero weights on one separable set; epochs recorded. */
typedef struct epoch_log {
    size_t count, epoch[64], mistakes[64];
} epoch_log;

static void record_epoch(size_t epoch, size_t mistakes, void *ctx)
{
    epoch_log *log = ctx;
    if (log->count < 64) {
        log->epoch[log->count] = epoch;
        log->mistakes[log->count] = mistakes;
    }
    log->count++;
}

GRADED_TEST(train_matches_reference, 6, 10,
            "Training starts from the w and b it is given. One epoch is one "
            "perceptron_update per sample, in order, with the given lr; stop after the "
            "first epoch with no mistake, or after max_epochs.")
{
    dk_rng rng = dk_test_rng(14);
    static const float rates[] = {1.0f, 0.5f, 0.25f}; /* powers of 2 keep it exact */
    for (int trial = 0; trial < 60; trial++) {
        size_t d = 1 + (size_t)trial % 4, n = 5 + dk_rng_below(&rng, 40);
        float X[45 * 4], w_ref[4], b, b_ref, lr = rates[trial % 3];
        int y[45];
        separable_integers(&rng, X, y, n, d);
        size_t max_epochs = trial % 5 ? 60 : 2; /* some runs stop unconverged */
        float *w = dk_guard_floats_prefilled(d, &rng);
        fill_integers(&rng, w, d, -2, 2);
        memcpy(w_ref, w, d * sizeof *w);
        b = b_ref = (float)dk_rng_below(&rng, 5) - 2.0f;
        perceptron_result want = ref_perceptron_train(w_ref, &b_ref, X, y, n, d, lr,
                                                      max_epochs, NULL, NULL);
        perceptron_result got = perceptron_train(w, &b, X, y, n, d, lr, max_epochs, NULL, NULL);
        const char *run = "perceptron_train(n = %zu, d = %zu, lr = %g, max_epochs = %zu)";
        char what[160];
        snprintf(what, sizeof what, run, n, d, lr, max_epochs);
        dk_guard_check(w, DK_SHAPE(d), "%s (w)", what);
        dk_expect_int(want.converged, got.converged, "%s.converged", what);
        dk_expect_int((long)want.epochs, (long)got.epochs, "%s.epochs", what);
        dk_expect_int((long)want.mistakes, (long)got.mistakes, "%s.mistakes", what);
        dk_expect_floats(w_ref, w, DK_SHAPE(d), DK_TOL_EXACT, "w after %s", what);
        dk_expect_near(b_ref, b, DK_TOL_EXACT, "b after %s", what);
        dk_guard_free(w);
    }
}

GRADED_TEST(train_epoch_callback, 4, 10,
            "Call on_epoch once after every epoch, with the epoch's number (from 1) and "
            "its count of mistakes; on_epoch may be NULL.")
{
    dk_rng rng = dk_test_rng(15);
    for (int trial = 0; trial < 20; trial++) {
        float X[30 * 3], w[3] = {0}, w_ref[3] = {0}, b = 0, b_ref = 0;
        int y[30];
        separable_integers(&rng, X, y, 30, 3);
        epoch_log want = {0}, got = {0};
        ref_perceptron_train(w_ref, &b_ref, X, y, 30, 3, 1.0f, 50, record_epoch, &want);
        perceptron_train(w, &b, X, y, 30, 3, 1.0f, 50, record_epoch, &got);
        dk_expect_int((long)want.count, (long)got.count, "calls of on_epoch");
        for (size_t e = 0; e < want.count && e < 64; e++) {
            dk_expect_int((long)want.epoch[e], (long)got.epoch[e],
                          "the epoch number passed to on_epoch on call %zu", e + 1);
            dk_expect_int((long)want.mistakes[e], (long)got.mistakes[e],
                          "mistakes passed to on_epoch for epoch %zu", e + 1);
        }
    }
}

static void expect_learns(const float *X, const int *y, size_t n, size_t d, float lr,
                          size_t max_epochs, const char *set)
{
    float w[8] = {0}, b = 0;
    perceptron_result r = perceptron_train(w, &b, X, y, n, d, lr, max_epochs, NULL, NULL);
    dk_expect_int(1, r.converged, "perceptron_train on %s (separable).converged", set);
    int pred[128];
    ref_perceptron_predict_batch(w, b, X, n, d, pred);
    dk_expect_ints(y, pred, DK_SHAPE(n), "predictions after training on %s", set);
}

GRADED_TEST(converges_and_or, 5, 10,
            "AND and OR are linearly separable, so the perceptron convergence theorem "
            "promises a solution. Without a bias, can any line through the origin "
            "separate AND's (0,0) from (1,1)?")
{
    expect_learns(TRUTH_X, AND_Y, 4, 2, 1.0f, 100, "AND");
    expect_learns(TRUTH_X, OR_Y, 4, 2, 1.0f, 100, "OR");
    expect_learns(TRUTH_X, AND_Y, 4, 2, 0.1f, 100, "AND with lr = 0.1");
}

GRADED_TEST(converges_blobs, 5, 10,
            "Two clouds of points that a line separates: training must end with every "
            "point on its side.")
{
    dk_rng rng = dk_test_rng(16);
    dk_dataset ds;
    dk_err err;
    for (int trial = 0; trial < 5; trial++) {
        if (!dk_make_separable(&rng, 100, 2, 0.2f, &ds, &err))
            dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
        expect_learns(ds.x, ds.y, ds.n, 2, 0.1f, 1000, "separable blobs");
        dk_dataset_free(&ds);
    }
}

GRADED_TEST(converges_iris, 5, 20,
            "Iris setosa and versicolor differ clearly in their petals: a perceptron "
            "separates them from the 4 raw measurements.")
{
    dk_dataset iris;
    dk_err err;
    if (!dk_dataset_load("iris", "all", &iris, &err))
        dk_test_fail(DK_KIT_ERROR, "%s", err.msg);
    float X[100 * 4];
    int y[100];
    size_t n = 0;
    for (size_t i = 0; i < iris.n && n < 100; i++)
        if (iris.y[i] <= 1) {
            memcpy(X + n * 4, iris.x + i * 4, 4 * sizeof *X);
            y[n++] = iris.y[i];
        }
    dk_dataset_free(&iris);
    expect_learns(X, y, n, 4, 0.1f, 1000, "iris setosa vs versicolor");
}

GRADED_TEST(xor_not_converging, 5, 10,
            "No line separates XOR's classes, so training never has an error-free "
            "epoch: report converged = 0 after max_epochs epochs.")
{
    float w[2] = {0}, b = 0;
    perceptron_result r = perceptron_train(w, &b, TRUTH_X, XOR_Y, 4, 2, 1.0f, 50, NULL, NULL);
    dk_expect_int(0, r.converged, "perceptron_train on XOR.converged");
    dk_expect_int(50, (long)r.epochs, "perceptron_train on XOR (max_epochs = 50).epochs");
    DK_CHECK(r.mistakes > 0, "perceptron_train on XOR: mistakes in the last epoch: "
             "expected more than 0, got 0");
}

/* The hand-set weights come in guarded buffers: a weight left unset is
 * caught, not read from whatever the stack held. */
static void expect_gate(void (*gate)(float *, float *), const int *truth, const char *name)
{
    float *w = dk_guard_floats(2), *b = dk_guard_floats(1);
    gate(w, b);
    dk_guard_check(w, DK_SHAPE(2), "%s_gate (w)", name);
    dk_guard_check(b, DK_SHAPE(1), "%s_gate (b)", name);
    for (int i = 0; i < 4; i++)
        dk_expect_int(truth[i], ref_perceptron_predict(w, *b, TRUTH_X + 2 * i, 2),
                      "the %s perceptron (w = {%g, %g}, b = %g) on (%g, %g)", name, w[0], w[1],
                      *b, TRUTH_X[2 * i], TRUTH_X[2 * i + 1]);
    dk_guard_free(w);
    dk_guard_free(b);
}

GRADED_TEST(logic_gates, 5, 10,
            "Draw the four inputs on paper: AND needs a line with only (1,1) on its "
            "positive side, OR one with only (0,0) on its negative side.")
{
    expect_gate(and_gate, AND_Y, "and");
    expect_gate(or_gate, OR_Y, "or");
}

GRADED_TEST(xor_network, 5, 10,
            "XOR(a, b) = AND(OR(a, b), NAND(a, b)): two hidden perceptrons and one "
            "that combines them.")
{
    float *W1 = dk_guard_floats(4), *b1 = dk_guard_floats(2), *w2 = dk_guard_floats(2);
    float *b2 = dk_guard_floats(1);
    xor_network(W1, b1, w2, b2);
    dk_guard_check(W1, DK_SHAPE(2, 2), "xor_network (W1)");
    dk_guard_check(b1, DK_SHAPE(2), "xor_network (b1)");
    dk_guard_check(w2, DK_SHAPE(2), "xor_network (w2)");
    dk_guard_check(b2, DK_SHAPE(1), "xor_network (b2)");
    for (int i = 0; i < 4; i++) {
        const float *x = TRUTH_X + 2 * i;
        float h[2];
        for (int k = 0; k < 2; k++)
            h[k] = ref_act_heaviside(W1[2 * k] * x[0] + W1[2 * k + 1] * x[1] + b1[k]);
        float out = ref_act_heaviside(w2[0] * h[0] + w2[1] * h[1] + *b2);
        dk_expect_int(XOR_Y[i], (long)out, "your XOR network on (%g, %g)", x[0], x[1]);
    }
    dk_guard_free(W1), dk_guard_free(b1), dk_guard_free(w2), dk_guard_free(b2);
}

/* Distance from p to the nearest edge of box, and whether p is inside. */
static float edge_distance(const float *box, float x, float y)
{
    return fminf(fminf(fabsf(x - box[0]), fabsf(x - box[1])),
                 fminf(fabsf(y - box[2]), fabsf(y - box[3])));
}

/* `kind` says which line this is, for the messages. */
static void expect_segment(const float *w, float b, const float *box, const char *kind)
{
    float want[4], scale = fmaxf(box[1] - box[0], box[3] - box[2]), tol = 1e-4f * scale;
    if (!ref_decision_boundary(w, b, box, want))
        dk_test_fail(DK_KIT_ERROR, "the reference's boundary misses the box");
    dk_rng rng = dk_test_rng(17);
    float *seg = dk_guard_floats_prefilled(4, &rng);
    int hit = decision_boundary(w, b, box, seg);
    const char *ctx = "decision_boundary(w = {%g, %g}, b = %g, box = {%g, %g, %g, %g}: %s)";
    char what[320];
    snprintf(what, sizeof what, ctx, w[0], w[1], b, box[0], box[1], box[2], box[3], kind);
    dk_expect_int(1, hit, "%s's return value (the line crosses the box)", what);
    dk_guard_check(seg, DK_SHAPE(4), "%s", what);
    for (int k = 0; k < 2; k++) {
        float x = seg[2 * k], y = seg[2 * k + 1], norm = hypotf(w[0], w[1]);
        DK_CHECK(fabsf(w[0] * x + w[1] * y + b) / norm <= tol,
                 "%s: end point (%g, %g) is not on the line", what, x, y);
        DK_CHECK(x >= box[0] - tol && x <= box[1] + tol && y >= box[2] - tol && y <= box[3] + tol
                 && edge_distance(box, x, y) <= tol,
                 "%s: end point (%g, %g) is not on the box's border", what, x, y);
    }
    float len = hypotf(seg[2] - seg[0], seg[3] - seg[1]);
    float want_len = hypotf(want[2] - want[0], want[3] - want[1]);
    dk_expect_near(want_len, len, (dk_tol){1e-4, tol}, "%s: the segment's length", what);
    dk_guard_free(seg);
}

/* A multiple of 1/4 in [lo, hi]: boxes and lines built from these have
 * exact float32 products and sums, so a line meant to pass through a
 * corner passes through it exactly, for the reference and for the code
 * under test alike. */
static float quarter(dk_rng *rng, float lo, float hi)
{
    return lo + 0.25f * (float)dk_rng_below(rng, (size_t)((hi - lo) * 4) + 1);
}

static void quarter_box(dk_rng *rng, float *box)
{
    box[0] = quarter(rng, -5, 0), box[1] = box[0] + quarter(rng, 0.5f, 10);
    box[2] = quarter(rng, -5, 0), box[3] = box[2] + quarter(rng, 0.5f, 10);
}

/* The line through (ax, ay) and (bx, by), as w and b. */
static void line_through(float ax, float ay, float bx, float by, float *w, float *b)
{
    w[0] = by - ay, w[1] = ax - bx;
    *b = -(w[0] * ax + w[1] * ay);
}

/* Lines whose crossings fall on corners, where two edges meet and each of
 * them finds the same point: the diagonals (two corners), a corner and a
 * point inside the opposite edges, and the edges themselves. */
static void expect_corner_segments(dk_rng *rng)
{
    float box[4], w[2], b;
    quarter_box(rng, box);
    const float x0 = box[0], x1 = box[1], y0 = box[2], y1 = box[3];
    line_through(x0, y0, x1, y1, w, &b);
    expect_segment(w, b, box, "a diagonal, through two corners");
    line_through(x0, y1, x1, y0, w, &b);
    expect_segment(w, b, box, "the other diagonal, through two corners");
    float xm = x0 + (x1 - x0) * quarter(rng, 0.25f, 0.75f);
    float ym = y0 + (y1 - y0) * quarter(rng, 0.25f, 0.75f);
    line_through(x0, y0, xm, y1, w, &b);
    expect_segment(w, b, box, "through the bottom-left corner and the top edge");
    line_through(x1, y1, x0, ym, w, &b);
    expect_segment(w, b, box, "through the top-right corner and the left edge");
    line_through(x1, y0, xm, y1, w, &b);
    expect_segment(w, b, box, "through the bottom-right corner and the top edge");
    line_through(x0, y1, x1, ym, w, &b);
    expect_segment(w, b, box, "through the top-left corner and the right edge");
    const float s = quarter(rng, 0.25f, 4);
    const float edges[4][3] = {{0, s, -s * y0}, {0, s, -s * y1}, {s, 0, -s * x0}, {s, 0, -s * x1}};
    for (int e = 0; e < 4; e++)
        expect_segment(edges[e], edges[e][2], box, "a line along an edge of the box");
}

GRADED_TEST(decision_boundary_segment, 4, 10,
            "Solve w0*x + w1*y + b = 0 for y at the box's left and right edges and for x "
            "at its bottom and top; keep the two crossings that lie on the border. "
            "Mind w1 = 0 (a vertical line) and w0 = 0, and corners: a line through a "
            "corner crosses two edges at one point, which is one end, not two.")
{
    dk_rng rng = dk_test_rng(18);
    for (int trial = 0; trial < 300; trial++) {
        float box[4] = {dk_rng_range(&rng, -5, 0), 0, dk_rng_range(&rng, -5, 0), 0};
        box[1] = box[0] + dk_rng_range(&rng, 0.5f, 10);
        box[3] = box[2] + dk_rng_range(&rng, 0.5f, 10);
        float w[2] = {dk_rng_range(&rng, -1, 1), dk_rng_range(&rng, -1, 1)};
        if (trial % 10 == 0)
            w[trial % 20 ? 0 : 1] = 0; /* horizontal and vertical lines */
        /* Through a point well inside the box, so the crossing is clear. */
        float px = box[0] + (box[1] - box[0]) * dk_rng_range(&rng, 0.2f, 0.8f);
        float py = box[2] + (box[3] - box[2]) * dk_rng_range(&rng, 0.2f, 0.8f);
        expect_segment(w, -(w[0] * px + w[1] * py), box, "a line through the box");
    }
    for (int trial = 0; trial < 20; trial++)
        expect_corner_segments(&rng);
}

static void expect_miss(const float *w, float b, const float *box, const char *kind, dk_rng *rng)
{
    float want[4];
    if (ref_decision_boundary(w, b, box, want))
        dk_test_fail(DK_KIT_ERROR, "the reference's boundary crosses the box");
    float *seg = dk_guard_floats_prefilled(4, rng);
    int hit = decision_boundary(w, b, box, seg);
    dk_expect_int(0, hit, "decision_boundary(w = {%g, %g}, b = %g, box = {%g, %g, %g, %g}: %s)",
                  w[0], w[1], b, box[0], box[1], box[2], box[3], kind);
    dk_expect_floats(dk_guard_prefill(seg), seg, DK_SHAPE(4), DK_TOL_EXACT,
                     "seg after decision_boundary returned 0 (it must be left untouched)");
    dk_guard_free(seg);
}

/* A line that touches the box at one corner only, the box on one side of
 * it: two edges meet the line there, at the same point, and nothing else
 * does. One point is no segment. */
static void expect_corner_misses(dk_rng *rng)
{
    float box[4];
    quarter_box(rng, box);
    for (int corner = 0; corner < 4; corner++) {
        float sx = corner & 1 ? 1 : -1, sy = corner & 2 ? 1 : -1;
        float cx = box[corner & 1 ? 1 : 0], cy = box[corner & 2 ? 3 : 2];
        float w[2] = {sx * quarter(rng, 0.25f, 4), sy * quarter(rng, 0.25f, 4)};
        expect_miss(w, -(w[0] * cx + w[1] * cy), box, "touching one corner only", rng);
    }
}

GRADED_TEST(decision_boundary_misses, 2, 10,
            "A line can pass beside the box, or touch it at one corner only, and w = "
            "(0, 0) is no line at all: return 0 and leave seg alone.")
{
    const float box[4] = {-1, 1, -1, 1};
    const float cases[][3] = {{0, 0, 1}, {0, 0, 0}, {1, 1, 5}, {1, 0, -3}, {0, 2, 4}};
    dk_rng rng = dk_test_rng(19);
    for (int c = 0; c < 5; c++)
        expect_miss(cases[c], cases[c][2], box, "beside the box, or w = 0: no line", &rng);
    for (int trial = 0; trial < 10; trial++)
        expect_corner_misses(&rng);
}
