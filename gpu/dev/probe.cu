/* Is there a GPU this build can use? Prints its name, compute capability,
 * multiprocessors and memory and exits 0; or says why not and exits 1.
 * make gpu asks it before running anything. */
#include <cuda_runtime.h>

#include <cstdio>

int main()
{
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err == cudaErrorInsufficientDriver) {
        printf("CUDA: no NVIDIA driver, or one too old for CUDA 13 (it needs 580 or newer)\n");
        return 1;
    }
    if (err != cudaSuccess || count == 0) {
        printf("CUDA: %s\n", err != cudaSuccess ? cudaGetErrorString(err) : "no device");
        return 1;
    }
    cudaDeviceProp p;
    if ((err = cudaGetDeviceProperties(&p, 0)) != cudaSuccess) {
        printf("CUDA: %s\n", cudaGetErrorString(err));
        return 1;
    }
    printf("GPU: %s, compute capability %d.%d, %d multiprocessors, %.0f GiB\n", p.name, p.major,
           p.minor, p.multiProcessorCount, (double)p.totalGlobalMem / (1 << 30));
    if (p.major * 10 + p.minor < 75) {
        printf("CUDA 13 needs a GPU of compute capability 7.5 (Turing) or newer\n");
        return 1;
    }
    return 0;
}
