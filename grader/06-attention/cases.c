/* Chapter 06's tests: shared shapes and helpers (see cases.h). */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>

const attn_case ATTN_CASES[] = {
    /*  B  H   T  dh  causal  padded */
    {{1, 1, 5, 4, true}, false},
    {{2, 1, 7, 5, true}, true},
    {{1, 3, 6, 3, false}, true},
    {{1, 1, 1, 8, true}, false},    /* one position */
    {{2, 4, 16, 8, true}, false},
    {{3, 2, 13, 12, false}, true},
    {{2, 3, 33, 7, true}, true},
};
const size_t NATTN_CASES = sizeof ATTN_CASES / sizeof ATTN_CASES[0];

const char *describe_attn(const attn_case *c)
{
    static char text[96];
    snprintf(text, sizeof text, "B %zu, H %zu, T %zu, dh %zu%s%s", c->s.B, c->s.H, c->s.T,
             c->s.dh, c->s.causal ? ", causal" : "", c->padded ? ", padded" : "");
    return text;
}

/* Sequence b is T - 1 - b*(T/2) long, at least 1: every one padded. */
static int *lengths(size_t B, size_t T, bool padded)
{
    if (!padded)
        return NULL;
    int *lens = alloc_or_die(B, sizeof *lens);
    for (size_t b = 0; b < B; b++) {
        const long len = (long)T - 1 - (long)(b * (T / 2));
        lens[b] = len > 1 ? (int)len : 1;
    }
    return lens;
}

int *attn_lengths(const attn_case *c)
{
    return lengths(c->s.B, c->s.T, c->padded);
}

const mha_case MHA_CASES[] = {
    /*  D  H  causal   B  T  padded */
    {{6, 2, true}, 2, 5, false},
    {{4, 1, false}, 1, 4, true},   /* one head */
    {{12, 4, true}, 2, 9, true},   /* dh = 3 */
    {{10, 2, false}, 3, 7, false}, /* dh = 5 */
    {{32, 4, true}, 2, 16, true},
};
const size_t NMHA_CASES = sizeof MHA_CASES / sizeof MHA_CASES[0];

const char *describe_mha(const mha_case *c)
{
    static char text[96];
    snprintf(text, sizeof text, "D %zu, H %zu, B %zu, T %zu%s%s", c->cfg.D, c->cfg.H, c->B,
             c->T, c->cfg.causal ? ", causal" : "", c->padded ? ", padded" : "");
    return text;
}

int *mha_lengths(const mha_case *c)
{
    return lengths(c->B, c->T, c->padded);
}

void *alloc_or_die(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        dk_fatal("grader: out of memory");
    return p;
}

double weighted_sum(const float *R, const float *Y, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)R[i] * Y[i];
    return sum;
}
