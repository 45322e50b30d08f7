/* Chapter 06: the fixed sinusoidal positions. See attention.h for what each
 * function must compute and README.md for the ideas. Replace each
 * NOT_IMPLEMENTED() (and the (void) lines) with your code; `make grade
 * CH=06` tells you how you are doing. */
#include "attention.h"

#include "blas.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sinusoidal_positions(size_t T, size_t D, float *P)
{
    (void)T, (void)D, (void)P;
    NOT_IMPLEMENTED();
}
