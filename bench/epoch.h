/* What make bench's epoch programs (mlp_epoch, training_epoch, cnn_epoch,
 * generative_epochs) share: their arguments, and the IDX files they read. */
#ifndef DK_BENCH_EPOCH_H
#define DK_BENCH_EPOCH_H

#include <stddef.h>

/* ARG as a count from 1 to 1024 (THREADS, EPOCHS), or a clear exit. */
size_t bench_count(const char *arg, const char *what);

/* Prints "file PATH" for each of a set's four IDX files (train images and
 * labels, test images and labels; their names after prefix), where the
 * fetcher found it, so that PyTorch's side reads the very same files. */
void bench_print_idx_files(const char *set, const char *prefix);
/* The same for Fashion-MNIST. */
void bench_print_fashion_files(void);

#endif
