/* Scores from a model's outputs (metrics.h). */
#include "metrics.h"

size_t dk_count_correct(const float *logits, size_t B, size_t C, const int *labels, int *pred)
{
    size_t right = 0;
    for (size_t i = 0; i < B; i++) {
        const float *row = logits + i * C;
        size_t best = 0;
        for (size_t j = 1; j < C; j++)
            best = row[j] > row[best] ? j : best; /* the first on ties */
        right += (int)best == labels[i];
        if (pred)
            pred[i] = (int)best;
    }
    return right;
}
