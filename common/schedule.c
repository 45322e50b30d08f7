/* Learning-rate schedules of the kit's drivers (schedule.h). */
#include "schedule.h"

#include <math.h>

float dk_one_cycle_lr(float lr_max, size_t step, size_t total)
{
    const double pi = 3.14159265358979323846; /* M_PI is not C11 */
    const double start = lr_max / 25.0, end = start / 1e4, warm = 0.3 * (double)total;
    const double t = (double)step;
    if (t < warm) /* cosine up from start to lr_max */
        return (float)(lr_max + (start - lr_max) * 0.5 * (1 + cos(pi * t / warm)));
    const double frac = fmin(1.0, (t - warm) / fmax(1.0, (double)total - warm));
    return (float)(end + (lr_max - end) * 0.5 * (1 + cos(pi * frac)));
}
