/* Small synthetic sets made in code; each is a pure function of the rng's
 * state, so the same seed gives the same set. */
#include "datasets.h"

#include <math.h>
#include <stdlib.h>

static bool start(dk_dataset *out, size_t n, size_t dim, size_t classes,
                  dk_err *err)
{
    *out = (dk_dataset){0};
    if (!dk_dataset_alloc(out, n, dim, err))
        return false;
    out->classes = classes;
    return true;
}

bool dk_make_blobs(dk_rng *rng, size_t n, size_t dim, size_t k, float spread,
                   dk_dataset *out, dk_err *err)
{
    *out = (dk_dataset){0};
    if (n == 0 || dim == 0 || k == 0 || !(spread >= 0))
        return dk_fail(err, "dk_make_blobs: n, dim and k must be positive and "
                       "spread >= 0 (got n=%zu dim=%zu k=%zu spread=%g)", n, dim,
                       k, (double)spread);
    float *centres = malloc(k * dim * sizeof *centres);
    if (!centres)
        return dk_fail(err, "dk_make_blobs: out of memory");
    for (size_t i = 0; i < k * dim; i++)
        centres[i] = dk_rng_range(rng, -5.0f, 5.0f);
    bool ok = start(out, n, dim, k, err);
    for (size_t i = 0; ok && i < n; i++) {
        out->y[i] = (int)(i % k);
        for (size_t j = 0; j < dim; j++)
            out->x[i * dim + j] =
                centres[(i % k) * dim + j] + spread * dk_rng_normal(rng);
    }
    free(centres);
    return ok;
}

bool dk_make_xor(dk_rng *rng, size_t n, float noise, dk_dataset *out, dk_err *err)
{
    *out = (dk_dataset){0};
    if (n == 0 || !(noise >= 0))
        return dk_fail(err, "dk_make_xor: n must be positive and noise >= 0");
    if (!start(out, n, 2, 2, err))
        return false;
    for (size_t i = 0; i < n; i++) {
        float *x = out->x + 2 * i;
        x[0] = dk_rng_range(rng, -1.0f, 1.0f);
        x[1] = dk_rng_range(rng, -1.0f, 1.0f);
        out->y[i] = x[0] * x[1] < 0;
        x[0] += noise * dk_rng_normal(rng);
        x[1] += noise * dk_rng_normal(rng);
    }
    return true;
}

bool dk_make_spirals(dk_rng *rng, size_t n, float noise, dk_dataset *out,
                     dk_err *err)
{
    *out = (dk_dataset){0};
    if (n == 0 || !(noise >= 0))
        return dk_fail(err, "dk_make_spirals: n must be positive and noise >= 0");
    if (!start(out, n, 2, 2, err))
        return false;
    for (size_t i = 0; i < n; i++) {
        float t = dk_rng_uniform(rng);
        /* 1.5 turns; the second spiral is the first turned by half a turn. */
        double angle = 3.0 * M_PI * t + (double)(i % 2) * M_PI;
        out->y[i] = (int)(i % 2);
        out->x[2 * i] = t * (float)cos(angle) + noise * dk_rng_normal(rng);
        out->x[2 * i + 1] = t * (float)sin(angle) + noise * dk_rng_normal(rng);
    }
    return true;
}

/* A uniformly random unit vector. */
static void random_direction(dk_rng *rng, double *w, size_t dim)
{
    double norm;
    do {
        norm = 0;
        for (size_t j = 0; j < dim; j++) {
            w[j] = dk_rng_normal(rng);
            norm += w[j] * w[j];
        }
    } while (norm < 1e-12);
    for (size_t j = 0; j < dim; j++)
        w[j] /= sqrt(norm);
}

bool dk_make_separable(dk_rng *rng, size_t n, size_t dim, float margin,
                       dk_dataset *out, dk_err *err)
{
    *out = (dk_dataset){0};
    if (n == 0 || dim == 0 || !(margin >= 0))
        return dk_fail(err, "dk_make_separable: n and dim must be positive and "
                       "margin >= 0");
    double *w = malloc(dim * sizeof *w);
    if (!w)
        return dk_fail(err, "dk_make_separable: out of memory");
    random_direction(rng, w, dim);
    double b = dk_rng_range(rng, -0.25f, 0.25f);
    bool ok = start(out, n, dim, 2, err);
    for (size_t i = 0; ok && i < n; i++) {
        float *x = out->x + i * dim;
        double d = b;
        for (size_t j = 0; j < dim; j++) {
            x[j] = dk_rng_range(rng, -1.0f, 1.0f);
            d += w[j] * x[j];
        }
        /* Pushing every point away from the plane by margin keeps its side
         * and leaves none closer than margin. */
        double side = d >= 0 ? 1.0 : -1.0;
        for (size_t j = 0; j < dim; j++)
            x[j] += (float)(side * margin * w[j]);
        out->y[i] = d >= 0;
    }
    free(w);
    return ok;
}
