/* Chapter 04's network and sizes across the two processes of a test (the
 * call layer, calls.c, uses these; grader/core/remote.h says why). */
#ifndef DLKIT_MARSHAL_04_H
#define DLKIT_MARSHAL_04_H

#include "cnn.h"
#include "remote.h"

#ifdef DK_TEST_SIDE
/* Element counts of the contract's arrays, by the reference's sizes. */
size_t conv_x(const conv2d_shape *s);
size_t conv_w(const conv2d_shape *s);
size_t conv_y(const conv2d_shape *s);
size_t conv_cols(const conv2d_shape *s);
size_t pool_x(const pool_shape *s);
size_t pool_y(const pool_shape *s);
size_t image_of(const lenet *net);
size_t acts_of(const lenet *net, size_t B);
size_t maps_x(size_t n, size_t h, size_t w, size_t map_stride, size_t pixel_stride);
size_t maps_grid(size_t n, size_t h, size_t w, size_t cols);
/* The network's params and grads with it. */
lenet *dk_share_lenet(dk_call *c, const lenet *net);
/* After lenet_create: a network of the configuration asked for. */
void dk_check_created_lenet(bool made, const lenet *net, const lenet_config *cfg);
/* After lenet_acts_in: its pointers moved from the shared copy of buf to
 * buf itself (n floats), each checked to lie in it. */
void dk_after_lenet_acts_in(lenet_acts *acts, float *buf, const float *shared, size_t n);
#else
void dk_fix_lenet(void *net);
#endif

#endif
