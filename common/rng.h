/* The kit's one random number generator: xoshiro256** seeded through
 * splitmix64. Its whole state is the struct, so a run is reproducible bit
 * for bit from its seed, and two generators never interfere. */
#ifndef DLKIT_RNG_H
#define DLKIT_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct dk_rng {
    uint64_t s[4];
} dk_rng;

void dk_rng_seed(dk_rng *rng, uint64_t seed);
uint64_t dk_rng_u64(dk_rng *rng);
/* Uniform in [0, 1), 24 random bits. */
float dk_rng_uniform(dk_rng *rng);
/* Uniform in [lo, hi). */
float dk_rng_range(dk_rng *rng, float lo, float hi);
/* Standard normal N(0, 1) (Box-Muller, one value per call). */
float dk_rng_normal(dk_rng *rng);
/* Uniform integer in [0, n), without modulo bias; n > 0. */
size_t dk_rng_below(dk_rng *rng, size_t n);
/* idx = a uniformly random permutation of 0..n-1 (Fisher-Yates). */
void dk_rng_permutation(dk_rng *rng, size_t *idx, size_t n);
/* Shuffle idx[0..n) in place (Fisher-Yates). */
void dk_rng_shuffle(dk_rng *rng, size_t *idx, size_t n);

#endif
