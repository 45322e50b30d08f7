/* Chapter 07 reference: the classifier score of a set of samples. */
#include "generative.h"

#include <math.h>

float classifier_score(const float *probs, size_t n, size_t C, float *shares)
{
    for (size_t c = 0; c < C; c++) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += probs[i * C + c];
        shares[c] = (float)(sum / (double)n);
    }
    double kl = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < C; c++) {
            const double p = probs[i * C + c];
            if (p > 0) /* 0 log 0 = 0; and p > 0 makes shares[c] > 0 */
                kl += p * log(p / shares[c]);
        }
    return (float)exp(kl / (double)n);
}
