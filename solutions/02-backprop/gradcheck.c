/* Chapter 02 reference: a gradient checker by central differences. */
#include "backprop.h"

#include <math.h>

bool gradient_check(loss_fn loss, void *ctx, float *params, const float *grad, size_t n,
                    float eps, double tol, gradcheck_result *result)
{
    *result = (gradcheck_result){0};
    for (size_t i = 0; i < n; i++) {
        const float v = params[i];
        params[i] = v + eps;
        double up = loss(ctx);
        params[i] = v - eps;
        double down = loss(ctx);
        params[i] = v;
        double numeric = (up - down) / (2.0 * eps), a = grad[i];
        double err = fabs(a - numeric) / fmax(1e-6, fmax(fabs(a), fabs(numeric)));
        if (i == 0 || err > result->worst)
            *result = (gradcheck_result){err, i, a, numeric};
    }
    return result->worst <= tol;
}
