/* Finite-difference gradient checks in double precision. */
#include "grade.h"
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The loss with value[i] moved to x, then restored. */
static double loss_at(dk_loss_fn loss, void *ctx, float *value, size_t i, float x)
{
    const float v = value[i];
    value[i] = x;
    double l = loss(ctx);
    value[i] = v;
    return l;
}

static double relative_error(double a, double n, double floor)
{
    return fabs(a - n) / fmax(floor, fmax(fabs(a), fabs(n)));
}

/* The loss at v +- s (s relative to max(1, |v|)), after rounding both
 * points to float32, and the differences they give. */
typedef struct probe {
    double central;  /* (L(v+s) - L(v-s)) / step taken */
    double gap;      /* forward minus backward difference */
} probe;

static probe probe_at(dk_loss_fn loss, void *ctx, float *value, size_t i, double s,
                      double l_mid)
{
    const float v = value[i];
    const double step = s * fmax(1.0, fabs((double)v));
    const float up = (float)(v + step), down = (float)(v - step);
    double l_up = loss_at(loss, ctx, value, i, up);
    double l_down = loss_at(loss, ctx, value, i, down);
    return (probe){(l_up - l_down) / ((double)up - (double)down),
                   (l_up - l_mid) / ((double)up - v) - (l_mid - l_down) / ((double)v - down)};
}

/* One element's relative error, or -1 when the loss has a kink there.
 *
 * The central difference D(s) is off by about s^2 f'''/6, and by a blend
 * of two slopes when a kink (ReLU at 0) lies within s. Where D(h) misses,
 * D(h/2) and D(h/4) get their chance, each also through Richardson's
 * R(s) = (4 D(s) - D(2s)) / 3, which removes the s^2 term: a right
 * gradient matches one of them unless a kink lies within h/4. When none
 * matches, two signs tell such a kink from a bug: R still moving from h/2
 * to h/4 (a smooth loss gives the same R twice), or one-sided differences
 * that disagree as much at h/4 as at h (a smooth loss shrinks their gap
 * with the step). A kink proves nothing: the element is skipped. */
static double element_error(dk_loss_fn loss, void *ctx, const dk_grad_param *p,
                            size_t i, dk_gradcheck_opts o, double *numeric)
{
    const double a = p->grad[i], l_mid = loss(ctx);
    probe d[3];
    double r[3] = {0}, best = INFINITY;
    *numeric = NAN;
    for (int k = 0; k < 3 && best > o.rtol; k++) {
        d[k] = probe_at(loss, ctx, p->value, i, o.step / (1 << k), l_mid);
        double candidates[2] = {d[k].central, k ? (4 * d[k].central - d[k - 1].central) / 3 : NAN};
        r[k] = candidates[1];
        for (int c = 0; c < 1 + (k > 0); c++)
            if (relative_error(a, candidates[c], o.floor) < best) {
                best = relative_error(a, candidates[c], o.floor);
                *numeric = candidates[c];
            }
    }
    if (best <= o.rtol)
        return best;
    double tol = o.rtol * fmax(o.floor, fabs(a));
    bool moving = fabs(r[2] - r[1]) > tol / 2;
    bool gap_stays = fabs(d[2].gap) > 0.5 * fabs(d[0].gap) && fabs(d[2].gap) > tol;
    return moving || gap_stays ? -1 : best;
}

/* A loss with kinks at more than a quarter of the points (and more than a
 * few: a tiny ReLU net has some) proves nothing about its gradient. */
static bool too_rough(const dk_grad_report *r, size_t n)
{
    return r->skipped > 4 && r->skipped * 4 > n;
}

bool dk_gradcheck(dk_loss_fn loss, void *ctx, const dk_grad_param *params,
                  size_t nparams, dk_gradcheck_opts opts, dk_grad_report *reports)
{
    bool ok = true;
    for (size_t p = 0; p < nparams; p++) {
        dk_grad_report r = {0};
        size_t n = dk_shape_count(params[p].shape);
        for (size_t i = 0; i < n; i++) {
            double numeric, err = element_error(loss, ctx, &params[p], i, opts, &numeric);
            if (err < 0) {
                r.skipped++;
                continue;
            }
            r.checked++;
            if (err > r.worst || r.checked == 1)
                r = (dk_grad_report){err, i, params[p].grad[i], numeric, r.checked, r.skipped};
        }
        ok = ok && r.worst <= opts.rtol && !too_rough(&r, n);
        reports[p] = r;
    }
    return ok;
}

void dk_expect_gradients(dk_loss_fn loss, void *ctx, const dk_grad_param *params,
                         size_t nparams, dk_gradcheck_opts opts,
                         const char *what_fmt, ...)
{
    dk_grad_report reports[16];
    if (nparams > 16)
        dk_fatal("grader: dk_expect_gradients takes at most 16 parameters");
    if (dk_gradcheck(loss, ctx, params, nparams, opts, reports))
        return;
    char msg[1536], where[160];
    va_list ap;
    va_start(ap, what_fmt);
    int len = vsnprintf(msg, sizeof msg, what_fmt, ap);
    va_end(ap);
    len += snprintf(msg + len, sizeof msg - (size_t)len,
                    " disagrees with finite differences (tolerance %g, relative):", opts.rtol);
    for (size_t p = 0; p < nparams && (size_t)len < sizeof msg; p++) {
        const dk_grad_report *r = &reports[p];
        dk_describe_element(params[p].shape, r->worst_index, where, sizeof where);
        bool bad = r->worst > opts.rtol;
        len += snprintf(msg + len, sizeof msg - (size_t)len,
                        "\n  d%s: worst relative error %.3g at %s: yours %.7g, "
                        "finite differences %.7g%s",
                        params[p].name, r->worst, where, r->analytic, r->numeric,
                        bad ? "  <- wrong" : "");
        if (too_rough(r, dk_shape_count(params[p].shape)))
            len += snprintf(msg + len, sizeof msg - (size_t)len,
                            "\n  d%s: the loss is not smooth at %zu of %zu points",
                            params[p].name, r->skipped, dk_shape_count(params[p].shape));
    }
    dk_test_fail(DK_WRONG_VALUE, "%s", msg);
}
