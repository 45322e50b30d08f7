/* Chapter 02 reference: the linear layer and the activations. */
#include "backprop.h"

#include "blas.h"

#include <math.h>
#include <string.h>

void linear_forward(const float *x, const float *W, const float *b, size_t B,
                    size_t in, size_t out, float *y)
{
    for (size_t i = 0; i < B; i++)
        memcpy(y + i * out, b, out * sizeof *y);
    dk_sgemm(false, true, B, out, in, 1.0f, x, W, 1.0f, y); /* y += x W^T */
}

void linear_backward(const float *x, const float *W, const float *dy, size_t B,
                     size_t in, size_t out, float *dx, float *dW, float *db)
{
    if (dx)
        dk_sgemm(false, false, B, in, out, 1.0f, dy, W, 0.0f, dx); /* dx = dy W */
    dk_sgemm(true, false, out, in, B, 1.0f, dy, x, 1.0f, dW);      /* dW += dy^T x */
    for (size_t i = 0; i < B; i++)
        for (size_t j = 0; j < out; j++)
            db[j] += dy[i * out + j];
}

void relu_forward(const float *x, size_t n, float *y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void relu_backward(const float *x, const float *dy, size_t n, float *dx)
{
    for (size_t i = 0; i < n; i++) {
        float g = dy[i]; /* read whatever x says: then the loop vectorizes */
        dx[i] = x[i] > 0.0f ? g : 0.0f;
    }
}

void sigmoid_forward(const float *x, size_t n, float *y)
{
    for (size_t i = 0; i < n; i++) {
        /* e^-|x| never overflows */
        float e = expf(-fabsf(x[i]));
        y[i] = x[i] >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
    }
}

void sigmoid_backward(const float *y, const float *dy, size_t n, float *dx)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

void tanh_forward(const float *x, size_t n, float *y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = tanhf(x[i]);
}

void tanh_backward(const float *y, const float *dy, size_t n, float *dx)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}
