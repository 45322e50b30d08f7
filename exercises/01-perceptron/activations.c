/* Chapter 01: activations and their derivatives. See perceptron.h for what
 * each function must compute, and README.md for the ideas behind them.
 * Replace each NOT_IMPLEMENTED() (and the (void) lines) with your code;
 * `make grade CH=01` tells you how you are doing. */
#include "perceptron.h"

#include "error.h"

#include <math.h>

float act_heaviside(float x)
{
    (void)x;
    NOT_IMPLEMENTED();
}

float act_sigmoid(float x)
{
    (void)x;
    NOT_IMPLEMENTED();
}

float act_sigmoid_grad(float x)
{
    (void)x;
    NOT_IMPLEMENTED();
}

float act_tanh(float x)
{
    (void)x;
    NOT_IMPLEMENTED();
}

float act_tanh_grad(float x)
{
    (void)x;
    NOT_IMPLEMENTED();
}

float act_relu(float x)
{
    (void)x;
    NOT_IMPLEMENTED();
}

float act_relu_grad(float x)
{
    (void)x;
    NOT_IMPLEMENTED();
}
