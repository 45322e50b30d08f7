/* Matrix products through OpenBLAS, row-major, contiguous arrays. */
#ifndef DLKIT_BLAS_H
#define DLKIT_BLAS_H

#include <stdbool.h>
#include <stddef.h>

/* Call first in main(), with main's argv: picks OpenBLAS's kernels once for
 * every program of the kit (see blas.c) and sets its thread count (0 keeps
 * OpenBLAS's default). May re-execute the program. */
void dk_blas_init(char **argv, int threads);

/* Sets OpenBLAS's thread count for the whole process and returns the
 * count it had. Threads of the kit's own that call dk_sgemm at the same
 * time need it at 1: dk_sgemm then never changes it (see blas.c). */
int dk_blas_set_threads(int threads);
int dk_blas_threads(void);

/* C = alpha * op(A) op(B) + beta * C, row-major and contiguous.
 * op(A) is (M,K): A is stored (M,K), or (K,M) when trans_a.
 * op(B) is (K,N): B is stored (K,N), or (N,K) when trans_b.
 * C is (M,N). With beta = 0, C's old contents are ignored (even NaN). */
void dk_sgemm(bool trans_a, bool trans_b, size_t M, size_t N, size_t K,
              float alpha, const float *A, const float *B, float beta,
              float *C);

typedef void (*dk_sgemm_fn)(bool trans_a, bool trans_b, size_t M, size_t N,
                            size_t K, float alpha, const float *A,
                            const float *B, float beta, float *C);

/* Checks an sgemm (dk_sgemm, or any with its contract) against a
 * double-precision loop on odd shapes and all four transpose combinations.
 * True when every element agrees within float32 round-off; report then
 * names the OpenBLAS core, else the first disagreement. */
bool dk_sgemm_selftest(dk_sgemm_fn gemm, char *report, size_t report_len);

/* The name of the kernel set OpenBLAS runs (e.g. "SkylakeX"). */
const char *dk_blas_core(void);

#endif
