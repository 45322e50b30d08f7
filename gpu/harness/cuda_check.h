/* CUDA errors in the kit's own GPU code (the trainer, the gpu/dev
 * programs): one clear message naming the call, then exit, unless a
 * handler takes over (the grader turns them into a failed test). */
#ifndef DLKIT_GPU_CUDA_CHECK_H
#define DLKIT_GPU_CUDA_CHECK_H

#include <cuda_runtime_api.h>

/* Called with the message instead of exiting, when set; must not return. */
extern void (*cuda_error_handler)(const char *message);

void cuda_check(cudaError_t err, const char *what, const char *file, int line);

#define CUDA_CHECK(call) cuda_check((call), #call, __FILE__, __LINE__)

/* Waits for the GPU and checks every launch since the last check. */
#define CUDA_SYNC_CHECK() (CUDA_CHECK(cudaGetLastError()), CUDA_CHECK(cudaDeviceSynchronize()))

#endif
