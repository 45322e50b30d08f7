/* Chapter 03 reference: early stopping that keeps the best weights. */
#include "training.h"

#include <math.h>
#include <string.h>

void early_stopping_init(early_stopping *es, size_t patience, float *best_params, size_t n)
{
    *es = (early_stopping){.patience = patience, .n = n, .best_params = best_params,
                           .best_loss = INFINITY};
}

bool early_stopping_update(early_stopping *es, size_t epoch, float val_loss,
                           const float *params)
{
    if (val_loss < es->best_loss) {
        es->best_loss = val_loss;
        es->best_epoch = epoch;
        es->bad_epochs = 0;
        memcpy(es->best_params, params, es->n * sizeof *params);
        return false;
    }
    return ++es->bad_epochs >= es->patience;
}

void early_stopping_restore(const early_stopping *es, float *params)
{
    memcpy(params, es->best_params, es->n * sizeof *params);
}
