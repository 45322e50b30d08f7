/* Chapter 01 reference: the perceptron, its learning rule, logic gates and
 * the decision boundary. */
#include "perceptron.h"

#include <math.h>

int perceptron_predict(const float *w, float b, const float *x, size_t d)
{
    float z = b;
    for (size_t j = 0; j < d; j++)
        z += w[j] * x[j];
    return (int)act_heaviside(z);
}

void perceptron_predict_batch(const float *w, float b, const float *X,
                              size_t n, size_t d, int *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = perceptron_predict(w, b, X + i * d, d);
}

int perceptron_update(float *w, float *b, const float *x, size_t d, int y,
                      float lr)
{
    int err = y - perceptron_predict(w, *b, x, d);
    if (err == 0)
        return 0;
    for (size_t j = 0; j < d; j++)
        w[j] += lr * (float)err * x[j];
    *b += lr * (float)err;
    return 1;
}

perceptron_result perceptron_train(float *w, float *b, const float *X,
                                   const int *y, size_t n, size_t d, float lr,
                                   size_t max_epochs, perceptron_epoch_fn on_epoch,
                                   void *ctx)
{
    perceptron_result r = {0, 0, 0};
    while (r.epochs < max_epochs) {
        r.mistakes = 0;
        for (size_t i = 0; i < n; i++)
            r.mistakes += (size_t)perceptron_update(w, b, X + i * d, d, y[i], lr);
        r.epochs++;
        if (on_epoch)
            on_epoch(r.epochs, r.mistakes, ctx);
        if (r.mistakes == 0) {
            r.converged = 1;
            break;
        }
    }
    return r;
}

/* AND fires only when both inputs do: x0 + x1 - 1.5 >= 0. */
void and_gate(float *w, float *b)
{
    w[0] = 1.0f, w[1] = 1.0f, *b = -1.5f;
}

/* OR fires when either does: x0 + x1 - 0.5 >= 0. */
void or_gate(float *w, float *b)
{
    w[0] = 1.0f, w[1] = 1.0f, *b = -0.5f;
}

/* XOR = AND(OR(x0, x1), NAND(x0, x1)). */
void xor_network(float *W1, float *b1, float *w2, float *b2)
{
    W1[0] = 1.0f, W1[1] = 1.0f, b1[0] = -0.5f;   /* OR */
    W1[2] = -1.0f, W1[3] = -1.0f, b1[1] = 1.5f;  /* NAND */
    w2[0] = 1.0f, w2[1] = 1.0f, *b2 = -1.5f;     /* AND */
}

/* Adds the point of the line on the box edge x = const (vertical edge) or
 * y = const, when it lies within the edge and is not already in seg. */
static void add_crossing(float px, float py, const float *box, float *pts, int *count)
{
    const float eps = 1e-6f * (1.0f + fabsf(box[1] - box[0]) + fabsf(box[3] - box[2]));
    if (px < box[0] - eps || px > box[1] + eps || py < box[2] - eps || py > box[3] + eps)
        return;
    for (int k = 0; k < *count; k++)
        if (fabsf(pts[2 * k] - px) <= eps && fabsf(pts[2 * k + 1] - py) <= eps)
            return;
    if (*count < 2) {
        pts[2 * *count] = px, pts[2 * *count + 1] = py;
        (*count)++;
    }
}

int decision_boundary(const float *w, float b, const float *box, float *seg)
{
    float pts[4];
    int count = 0;
    if (w[1] != 0.0f) { /* crossings of the left and right edges */
        add_crossing(box[0], -(w[0] * box[0] + b) / w[1], box, pts, &count);
        add_crossing(box[1], -(w[0] * box[1] + b) / w[1], box, pts, &count);
    }
    if (w[0] != 0.0f) { /* of the bottom and top edges */
        add_crossing(-(w[1] * box[2] + b) / w[0], box[2], box, pts, &count);
        add_crossing(-(w[1] * box[3] + b) / w[0], box[3], box, pts, &count);
    }
    if (count < 2)
        return 0;
    for (int k = 0; k < 4; k++)
        seg[k] = pts[k];
    return 1;
}
