/* Learning-rate schedules the kit's training drivers share (kit code: the
 * schedules students write are chapter 03's). Plain C with no other
 * dependency, so that the CUDA track links it too. */
#ifndef DLKIT_SCHEDULE_H
#define DLKIT_SCHEDULE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The one-cycle schedule (PyTorch's OneCycleLR, cosine annealing): the rate
 * of step `step` (counted from 0) of `total`, from lr_max/25 up to lr_max
 * over the first 30% of the steps, then down to lr_max/25e4. */
float dk_one_cycle_lr(float lr_max, size_t step, size_t total);

#ifdef __cplusplus
}
#endif

#endif
