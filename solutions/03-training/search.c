/* Chapter 03 reference: a grid search over two hyperparameters. */
#include "training.h"

size_t grid_search(const float *lrs, size_t nl, const float *wds, size_t nw, score_fn score,
                   void *ctx, float *scores)
{
    size_t best = 0;
    for (size_t i = 0; i < nl; i++)
        for (size_t j = 0; j < nw; j++) {
            size_t k = i * nw + j;
            scores[k] = score(lrs[i], wds[j], ctx);
            if (scores[k] > scores[best])
                best = k;
        }
    return best;
}
