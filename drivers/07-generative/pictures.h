/* Chapter 07's pictures (kit code): grids of digits as matrices for
 * gnuplot's `matrix with image`. */
#ifndef DLKIT_PICTURES_H
#define DLKIT_PICTURES_H

#include <stdio.h>
#include <stddef.h>

/* n images (n, side*side), pixels in [0, 1], cols to a row, as one matrix:
 * a line of -1 between neighbours and in the last row's empty cells (which
 * plots/digit-grids.gp draws white). */
void write_grid(FILE *f, const float *images, size_t n, size_t side, size_t cols);

#endif
