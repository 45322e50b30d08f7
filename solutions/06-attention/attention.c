/* Chapter 06 reference: scaled dot-product attention with causal and
 * padding masks, forward and backward. */
#include "attention.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How many keys query i of a sequence of valid length len sees (0 for a
 * padded query). */
static size_t visible(const attn_shape *s, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    return s->causal ? i + 1 : len;
}

static size_t length_of(const attn_shape *s, const int *lens, size_t bh)
{
    return lens ? (size_t)lens[bh / s->H] : s->T;
}

/* p (n) = softmax(p), the row's largest score subtracted first. */
static void softmax_row(float *p, size_t n)
{
    float max = p[0], sum = 0;
    for (size_t j = 1; j < n; j++)
        max = fmaxf(max, p[j]);
    for (size_t j = 0; j < n; j++)
        sum += p[j] = expf(p[j] - max);
    for (size_t j = 0; j < n; j++)
        p[j] /= sum;
}

void attn_forward(const attn_shape *s, const float *Q, const float *K, const float *V,
                  const int *lens, float *P, float *O)
{
    const size_t T = s->T, dh = s->dh;
    const float scale = 1.0f / sqrtf((float)dh);
    for (size_t bh = 0; bh < s->B * s->H; bh++) {
        const float *q = Q + bh * T * dh, *k = K + bh * T * dh, *v = V + bh * T * dh;
        float *p = P + bh * T * T, *o = O + bh * T * dh;
        const size_t len = length_of(s, lens, bh);
        /* every score at once (one product), then each row's visible part */
        dk_sgemm(false, true, T, T, dh, scale, q, k, 0.0f, p);
        for (size_t i = 0; i < T; i++) {
            const size_t n = visible(s, len, i);
            if (n)
                softmax_row(p + i * T, n);
            memset(p + i * T + n, 0, (T - n) * sizeof *p);
        }
        dk_sgemm(false, false, T, dh, T, 1.0f, p, v, 0.0f, o);
    }
}

/* dS = P * (dP - rowsum(dP * P)): the softmax's backward, row by row. */
static void softmax_backward_rows(const float *p, float *dp, size_t T)
{
    for (size_t i = 0; i < T; i++) {
        float dot = 0;
        for (size_t j = 0; j < T; j++)
            dot += dp[i * T + j] * p[i * T + j];
        for (size_t j = 0; j < T; j++)
            dp[i * T + j] = p[i * T + j] * (dp[i * T + j] - dot);
    }
}

void attn_backward(const attn_shape *s, const float *Q, const float *K, const float *V,
                   const int *lens, const float *P, const float *dO, float *dQ, float *dK,
                   float *dV)
{
    (void)lens; /* P's zeros hold both masks */
    const size_t T = s->T, dh = s->dh;
    const float scale = 1.0f / sqrtf((float)dh);
    float *dS = malloc(T * T * sizeof *dS);
    if (!dS)
        dk_fatal("attn_backward: out of memory");
    for (size_t bh = 0; bh < s->B * s->H; bh++) {
        const size_t at = bh * T * dh;
        const float *p = P + bh * T * T;
        /* dV = P^T dO; dP = dO V^T; masked entries of P are 0, so they
         * pass no gradient on */
        dk_sgemm(true, false, T, dh, T, 1.0f, p, dO + at, 0.0f, dV + at);
        dk_sgemm(false, true, T, T, dh, 1.0f, dO + at, V + at, 0.0f, dS);
        softmax_backward_rows(p, dS, T);
        /* S = scale Q K^T: dQ = scale dS K, dK = scale dS^T Q */
        dk_sgemm(false, false, T, dh, T, scale, dS, K + at, 0.0f, dQ + at);
        dk_sgemm(true, false, T, dh, T, scale, dS, Q + at, 0.0f, dK + at);
    }
    free(dS);
}
