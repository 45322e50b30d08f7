#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void dk_rng_seed(dk_rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&seed);
}

uint64_t dk_rng_u64(dk_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

float dk_rng_uniform(dk_rng *rng)
{
    return (float)(dk_rng_u64(rng) >> 40) * 0x1.0p-24f;
}

float dk_rng_range(dk_rng *rng, float lo, float hi)
{
    return lo + (hi - lo) * dk_rng_uniform(rng);
}

float dk_rng_normal(dk_rng *rng)
{
    /* u1 in (0, 1] so that log(u1) is finite; 53-bit doubles. */
    double u1 = ((double)(dk_rng_u64(rng) >> 11) + 1.0) * 0x1.0p-53;
    double u2 = (double)(dk_rng_u64(rng) >> 11) * 0x1.0p-53;
    return (float)(sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));
}

size_t dk_rng_below(dk_rng *rng, size_t n)
{
    /* Rejection sampling: draw from the largest multiple of n below 2^64. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t r;
    do
        r = dk_rng_u64(rng);
    while (r >= limit);
    return (size_t)(r % n);
}

void dk_rng_shuffle(dk_rng *rng, size_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = dk_rng_below(rng, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

void dk_rng_permutation(dk_rng *rng, size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    dk_rng_shuffle(rng, idx, n);
}
