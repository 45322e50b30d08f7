/* Chapter 07: the classifier score. See generative.h for what each function
 * must compute and README.md for the ideas. Replace each NOT_IMPLEMENTED()
 * (and the (void) lines) with your code; `make grade CH=07` tells you how
 * you are doing. */
#include "generative.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

float classifier_score(const float *probs, size_t n, size_t C, float *shares)
{
    (void)probs, (void)n, (void)C, (void)shares;
    NOT_IMPLEMENTED();
}
