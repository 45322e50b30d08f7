/* Chapter 05 tests: the embedding table (6 points). */
#include "grade.h"
#include "ref_api.h"
#include "rnn.h"

#include <stdlib.h>

GRADED_TEST(embedding_forward_values, 2, 10,
            "Row i of out is a copy of row idx[i] of the table: E floats from table + idx[i] * E.")
{
    dk_rng rng = dk_test_rng(511);
    for (int trial = 0; trial < 30; trial++) {
        const size_t V = 1 + dk_rng_below(&rng, 30), E = 1 + dk_rng_below(&rng, 12);
        const size_t n = 1 + dk_rng_below(&rng, 60);
        float *table = dk_random_array(&rng, V * E, -2, 2), *want = malloc(n * E * sizeof *want);
        int idx[60];
        for (size_t i = 0; i < n; i++)
            idx[i] = (int)dk_rng_below(&rng, V);
        if (!want)
            dk_fatal("grader: out of memory");
        ref_embedding_forward(table, V, E, idx, n, want);
        float *out = dk_guard_floats(n * E);
        embedding_forward(table, V, E, idx, n, out);
        dk_guard_check(out, DK_SHAPE(n, E), "embedding_forward(V = %zu, E = %zu, n = %zu)", V, E, n);
        dk_expect_floats(want, out, DK_SHAPE(n, E), DK_TOL_EXACT,
                         "embedding_forward(V = %zu, E = %zu, n = %zu)", V, E, n);
        dk_guard_free(out);
        free(table), free(want);
    }
}

GRADED_TEST(embedding_backward_scatter_add, 4, 10,
            "Add row i of dout into row idx[i] of dtable: a token used three times in the batch "
            "gets all three gradients, and the rows of other tokens keep what they had.")
{
    dk_rng rng = dk_test_rng(512);
    for (int trial = 0; trial < 30; trial++) {
        /* few tokens, many uses: most rows are hit several times */
        const size_t V = 1 + dk_rng_below(&rng, trial % 2 ? 4 : 30), E = 1 + dk_rng_below(&rng, 12);
        const size_t n = 1 + dk_rng_below(&rng, 60);
        float *dout = dk_random_array(&rng, n * E, -1, 1), *want = calloc(V * E, sizeof *want);
        int idx[60];
        for (size_t i = 0; i < n; i++)
            idx[i] = (int)dk_rng_below(&rng, V);
        if (!want)
            dk_fatal("grader: out of memory");
        ref_embedding_backward(dout, idx, n, V, E, want);
        float *dtable = dk_guard_floats_prefilled(V * E, &rng);
        embedding_backward(dout, idx, n, V, E, dtable);
        dk_expect_accumulated(want, dtable, DK_SHAPE(V, E), DK_TOL_REDUCTION,
                              "dtable after embedding_backward of %zu rows into %zu tokens "
                              "(E = %zu)", n, V, E);
        dk_guard_free(dtable);
        free(dout), free(want);
    }
}
