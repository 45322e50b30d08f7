/* Chapter 05 reference: the sentiment of a sentence, from its words. */
#include "rnn.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sent_init(const sent_config *cfg, float *params, dk_rng *rng)
{
    const sent_layout l = sent_layout_of(cfg);
    for (size_t i = 0; i < cfg->V * cfg->embed; i++)
        params[l.C + i] = dk_rng_normal(rng);
    cell_init(CELL_LSTM, cfg->embed, cfg->hidden, params + l.lstm, rng);
    const float k = 1.0f / sqrtf((float)cfg->hidden);
    for (size_t i = 0; i < SENT_CLASSES * cfg->hidden; i++)
        params[l.Wo + i] = dk_rng_range(rng, -k, k);
    memset(params + l.bo, 0, SENT_CLASSES * sizeof *params);
}

static float *alloc_floats(size_t n, const char *who)
{
    float *p = calloc(n ? n : 1, sizeof *p);
    if (!p)
        dk_fatal("%s: out of memory", who);
    return p;
}

/* last (B, H): each sentence's state after its last word, from hs (T, B, H). */
static void last_states(const float *hs, const size_t *lengths, size_t B, size_t H, float *last)
{
    for (size_t b = 0; b < B; b++)
        memcpy(last + b * H, hs + ((lengths[b] - 1) * B + b) * H, H * sizeof *last);
}

void sent_forward(const sent_config *cfg, const float *params, const int *X,
                  const size_t *lengths, size_t T, size_t B, float *acts, float *logits)
{
    const sent_layout l = sent_layout_of(cfg);
    const size_t E = cfg->embed, H = cfg->hidden;
    float *lstm_acts = acts + T * B * E;
    float *zeros = alloc_floats(B * H, "sent_forward"), *last = alloc_floats(B * H, "sent_forward");
    embedding_forward(params + l.C, cfg->V, E, X, T * B, acts);
    lstm_forward(params + l.lstm, E, H, acts, T, B, zeros, zeros, lstm_acts);
    /* Padding comes after each sentence's last word, so the steps it
     * touches are never read: what it holds cannot reach the logits. */
    last_states(lstm_hs(lstm_acts, H, T, B), lengths, B, H, last);
    linear_forward(last, params + l.Wo, params + l.bo, B, H, SENT_CLASSES, logits);
    free(zeros), free(last);
}

void sent_backward(const sent_config *cfg, const float *params, const int *X,
                   const size_t *lengths, size_t T, size_t B, const float *acts,
                   const float *dlogits, float *grads)
{
    const sent_layout l = sent_layout_of(cfg);
    const size_t E = cfg->embed, H = cfg->hidden;
    const float *lstm_acts = acts + T * B * E;
    /* dhs (T, B, H), zero but at each sentence's last step; last, dlast,
     * zeros (B, H); demb (T, B, E) */
    float *dhs = alloc_floats(T * B * H + 3 * B * H + T * B * E, "sent_backward");
    float *last = dhs + T * B * H, *dlast = last + B * H, *zeros = dlast + B * H;
    float *demb = zeros + B * H;
    last_states(lstm_hs((float *)lstm_acts, H, T, B), lengths, B, H, last);
    linear_backward(last, params + l.Wo, dlogits, B, H, SENT_CLASSES, dlast, grads + l.Wo,
                    grads + l.bo);
    for (size_t b = 0; b < B; b++)
        memcpy(dhs + ((lengths[b] - 1) * B + b) * H, dlast + b * H, H * sizeof *dhs);
    lstm_backward(params + l.lstm, E, H, acts, T, B, zeros, zeros, lstm_acts, dhs, demb, NULL,
                  NULL, grads + l.lstm);
    embedding_backward(demb, X, T * B, cfg->V, E, grads + l.C);
    free(dhs);
}
