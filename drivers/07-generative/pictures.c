/* Chapter 07's pictures (see pictures.h). */
#include "pictures.h"

void write_grid(FILE *f, const float *images, size_t n, size_t side, size_t cols)
{
    const size_t rows = (n + cols - 1) / cols, h = rows * (side + 1) - 1;
    const size_t w = cols * (side + 1) - 1;
    for (size_t i = 0; i < h; i++)
        for (size_t j = 0; j < w; j++) {
            const size_t m = i / (side + 1) * cols + j / (side + 1);
            const size_t y = i % (side + 1), x = j % (side + 1);
            if (y == side || x == side || m >= n)
                fputs("-1", f);
            else
                fprintf(f, "%.3f", images[m * side * side + y * side + x]);
            fputc(j + 1 < w ? ' ' : '\n', f);
        }
}
