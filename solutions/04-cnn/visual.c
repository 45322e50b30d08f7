/* Chapter 04 reference: feature maps and filters as one picture. */
#include "cnn.h"

#include <math.h>

/* n maps of (h, w), read through the strides -> grid (rows*(h+1) - 1, cols*(w+1) - 1) */
void tile_maps(const float *x, size_t n, size_t h, size_t w, size_t map_stride,
               size_t pixel_stride, size_t cols, float *grid)
{
    const size_t rows = (n + cols - 1) / cols, gw = cols * (w + 1) - 1;
    for (size_t i = 0; i < (rows * (h + 1) - 1) * gw; i++)
        grid[i] = NAN; /* the lines between maps, and empty cells */
    for (size_t m = 0; m < n; m++) {
        const float *map = x + m * map_stride;
        float lo = map[0], hi = map[0];
        for (size_t p = 1; p < h * w; p++) {
            lo = fminf(lo, map[p * pixel_stride]);
            hi = fmaxf(hi, map[p * pixel_stride]);
        }
        float *cell = grid + (m / cols) * (h + 1) * gw + (m % cols) * (w + 1);
        for (size_t i = 0; i < h; i++)
            for (size_t j = 0; j < w; j++) {
                const float v = map[(i * w + j) * pixel_stride];
                cell[i * gw + j] = hi > lo ? (v - lo) / (hi - lo) : 0.5f;
            }
    }
}
