/* Chapter 07's tests: shared shapes and helpers (see cases.h). */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>

const vae_case VAE_CASES[] = {
    /*   D  H  Z   B */
    {{12, 7, 3}, 4},
    {{9, 5, 2}, 3},
    {{1, 3, 1}, 1},     /* one pixel, one image */
    {{50, 20, 6}, 16},
    {{784, 40, 10}, 8}, /* digits' size */
};
const size_t NVAE_CASES = sizeof VAE_CASES / sizeof VAE_CASES[0];

const gan_case GAN_CASES[] = {
    /*  Z  H1  H2   D    B */
    {{3, 5, 6, 10}, 4},
    {{2, 4, 3, 7}, 3},
    {{8, 16, 32, 50}, 16},
    {{16, 32, 64, 784}, 8}, /* digits' size */
};
const size_t NGAN_CASES = sizeof GAN_CASES / sizeof GAN_CASES[0];

const char *describe_vae(const vae_case *c)
{
    static char text[96];
    snprintf(text, sizeof text, "D %zu, H %zu, Z %zu, B %zu", c->cfg.D, c->cfg.H, c->cfg.Z, c->B);
    return text;
}

const char *describe_gan(const gan_case *c)
{
    static char text[96];
    snprintf(text, sizeof text, "Z %zu, H1 %zu, H2 %zu, D %zu, B %zu", c->cfg.Z, c->cfg.H1,
             c->cfg.H2, c->cfg.D, c->B);
    return text;
}

float *pixels(dk_rng *rng, size_t n)
{
    float *x = dk_random_array(rng, n, 0, 1);
    for (size_t i = 0; i < n; i++)
        if (i % 3 == 0)
            x[i] = x[i] < 0.5f ? 0.0f : 1.0f;
    return x;
}

void expect_parts(const part *parts, size_t n, const float *want, const float *grads,
                         size_t total, const char *what)
{
    const float *prefill = dk_guard_prefill(grads);
    for (size_t k = 0; k < n; k++) {
        const size_t count = dk_shape_count(parts[k].shape), at = parts[k].at;
        float *expect = alloc_or_die(count, sizeof *expect);
        for (size_t i = 0; i < count; i++)
            expect[i] = prefill[at + i] + want[at + i];
        dk_expect_floats(expect, grads + at, parts[k].shape, DK_TOL_REDUCTION,
                         "%s: the gradient of %s (what grads held there plus the gradient)", what,
                         parts[k].name);
        free(expect);
    }
    dk_guard_check(grads, DK_SHAPE(total), "%s: grads", what);
}

void grad_params(const part *parts, size_t n, float *values, const float *grads,
                      dk_grad_param *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (dk_grad_param){parts[i].name, values + parts[i].at, grads + parts[i].at,
                                 parts[i].shape};
}

void *alloc_or_die(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        dk_fatal("grader: out of memory");
    return p;
}

double weighted_sum(const float *R, const float *Y, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)R[i] * Y[i];
    return sum;
}
