/* Chapter 01: the perceptron, its learning rule, logic gates and the
 * decision boundary. See perceptron.h for what each function must do, and
 * README.md for the ideas. Replace each NOT_IMPLEMENTED() (and the (void)
 * lines) with your code; `make grade CH=01` tells you how you are doing. */
#include "perceptron.h"

#include "error.h"

#include <math.h>

int perceptron_predict(const float *w, float b, const float *x, size_t d)
{
    (void)w, (void)b, (void)x, (void)d;
    NOT_IMPLEMENTED();
}

void perceptron_predict_batch(const float *w, float b, const float *X,
                              size_t n, size_t d, int *out)
{
    (void)w, (void)b, (void)X, (void)n, (void)d, (void)out;
    NOT_IMPLEMENTED();
}

int perceptron_update(float *w, float *b, const float *x, size_t d, int y,
                      float lr)
{
    (void)w, (void)b, (void)x, (void)d, (void)y, (void)lr;
    NOT_IMPLEMENTED();
}

perceptron_result perceptron_train(float *w, float *b, const float *X,
                                   const int *y, size_t n, size_t d, float lr,
                                   size_t max_epochs, perceptron_epoch_fn on_epoch,
                                   void *ctx)
{
    (void)w, (void)b, (void)X, (void)y, (void)n, (void)d, (void)lr;
    (void)max_epochs, (void)on_epoch, (void)ctx;
    NOT_IMPLEMENTED();
}

void and_gate(float *w, float *b)
{
    (void)w, (void)b;
    NOT_IMPLEMENTED();
}

void or_gate(float *w, float *b)
{
    (void)w, (void)b;
    NOT_IMPLEMENTED();
}

void xor_network(float *W1, float *b1, float *w2, float *b2)
{
    (void)W1, (void)b1, (void)w2, (void)b2;
    NOT_IMPLEMENTED();
}

int decision_boundary(const float *w, float b, const float *box, float *seg)
{
    (void)w, (void)b, (void)box, (void)seg;
    NOT_IMPLEMENTED();
}
