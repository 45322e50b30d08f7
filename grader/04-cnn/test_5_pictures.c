/* Chapter 04, part 5: the pictures (3 points): maps tiled into one grid,
 * each scaled to [0, 1]. */
#include "cases.h"
#include "ref_api.h"

#include <math.h>
#include <stdlib.h>

/* n, h, w, map_stride, pixel_stride, cols: the feature maps of an (h, w, n)
 * activation, the filters of a (n, h, w, C) bank, a short last row, one
 * map, one column, a constant map. */
static const size_t CASES[][6] = {
    {6, 5, 4, 1, 6, 3}, {8, 5, 5, 75, 3, 4}, {7, 3, 3, 1, 7, 4},
    {1, 28, 28, 0, 1, 1}, {4, 2, 6, 1, 4, 1}, {3, 4, 4, 16, 1, 3},
};

GRADED_TEST(tile_maps_values, 3, 10,
            "Map m goes to grid cell (m / cols, m % cols), each cell h x w plus a one-pixel "
            "NAN line; read its pixel (i, j) at x[m*map_stride + (i*w + j)*pixel_stride] and "
            "scale the map by its own min and max.")
{
    dk_rng rng = dk_test_rng(501);
    for (size_t t = 0; t < sizeof CASES / sizeof CASES[0]; t++) {
        const size_t *c = CASES[t], n = c[0], h = c[1], w = c[2], cols = c[5];
        const size_t rows = (n + cols - 1) / cols, gh = rows * (h + 1) - 1, gw = cols * (w + 1) - 1;
        const size_t span = (n - 1) * c[3] + (h * w - 1) * c[4] + 1;
        float *x = dk_random_array(&rng, span, -2, 3);
        if (t == 5) /* map 1 constant: 0.5 everywhere */
            for (size_t p = 0; p < h * w; p++)
                x[16 + p] = 0.25f;
        float *want = malloc(gh * gw * sizeof *want), *grid = dk_guard_floats(gh * gw);
        ref_tile_maps(x, n, h, w, c[3], c[4], cols, want);
        tile_maps(x, n, h, w, c[3], c[4], cols, grid);
        dk_guard_check(grid, DK_SHAPE(gh, gw), "tile_maps's grid (n = %zu maps of %zux%zu, %zu "
                       "to a row)", n, h, w, cols);
        for (size_t i = 0; i < gh * gw; i++) { /* NAN never matches: compare where it is */
            DK_CHECK(isnan(want[i]) == isnan(grid[i]),
                     "tile_maps (n = %zu maps of %zux%zu, %zu to a row) at grid element (%zu, "
                     "%zu): expected %s, got %g", n, h, w, cols, i / gw, i % gw,
                     isnan(want[i]) ? "NAN (a line between maps, or an empty cell)" : "a pixel",
                     (double)grid[i]);
            if (isnan(want[i]))
                want[i] = grid[i] = -1;
        }
        dk_expect_floats(want, grid, DK_SHAPE(gh, gw), DK_TOL_ELEMENTWISE,
                         "tile_maps (n = %zu maps of %zux%zu, strides %zu and %zu, %zu to a row)",
                         n, h, w, c[3], c[4], cols);
        free(x), free(want);
        dk_guard_free(grid);
    }
}
