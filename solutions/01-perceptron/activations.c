/* Chapter 01 reference: activations and their derivatives. */
#include "perceptron.h"

#include <math.h>

float act_heaviside(float x)
{
    return x >= 0.0f ? 1.0f : 0.0f;
}

float act_sigmoid(float x)
{
    /* e^-|x| never overflows: 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below. */
    if (x >= 0.0f)
        return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

float act_sigmoid_grad(float x)
{
    float s = act_sigmoid(x);
    return s * (1.0f - s);
}

float act_tanh(float x)
{
    /* tanh(x) = (e^2x - 1) / (e^2x + 1); expm1 keeps it accurate near 0,
     * and the sign trick keeps e^2|x| from being needed for x < 0. */
    float ax = fabsf(x);
    if (ax > 20.0f)
        return copysignf(1.0f, x);
    float e = expm1f(2.0f * ax);
    return copysignf(e / (e + 2.0f), x);
}

float act_tanh_grad(float x)
{
    float t = act_tanh(x);
    return 1.0f - t * t;
}

float act_relu(float x)
{
    return x > 0.0f ? x : 0.0f;
}

float act_relu_grad(float x)
{
    return x > 0.0f ? 1.0f : 0.0f;
}
