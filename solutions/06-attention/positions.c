/* Chapter 06 reference: the fixed sinusoidal positions. */
#include "attention.h"

#include <math.h>

void sinusoidal_positions(size_t T, size_t D, float *P)
{
    for (size_t t = 0; t < T; t++)
        for (size_t j = 0; j < D; j++) {
            /* features 2k and 2k + 1 share the frequency 1 / 10000^(2k/D) */
            const double angle = (double)t / pow(10000.0, (double)(j & ~(size_t)1) / (double)D);
            P[t * D + j] = (float)(j % 2 ? cos(angle) : sin(angle));
        }
}
