/* CUDA errors in the kit's own GPU code (cuda_check.h). */
#include "cuda_check.h"

#include <cstdio>
#include <cstdlib>

void (*cuda_error_handler)(const char *message);

void cuda_check(cudaError_t err, const char *what, const char *file, int line)
{
    if (err == cudaSuccess)
        return;
    char message[1024];
    snprintf(message, sizeof message, "CUDA error %s (%s) in %s at %s:%d", cudaGetErrorName(err),
             cudaGetErrorString(err), what, file, line);
    if (cuda_error_handler)
        cuda_error_handler(message);
    fprintf(stderr, "dlkit: %s\n", message);
    exit(1);
}
