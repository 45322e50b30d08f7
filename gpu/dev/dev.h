/* What the gpu/dev programs share. Each is llm.c's dev/cuda file for one
 * of the CUDA track's kernel files: a CPU reference (gpu/ref/), the
 * numbered versions (the student's file, or the reference solution's),
 * a validation of every version against the CPU, then a benchmark against
 * the library a student would otherwise call.
 *
 * They print one result a line, "KEY fields...", for people and for
 * gpu/bench/run alike:
 *   device NAME...
 *   valid WHAT ok          or   valid WHAT FAIL: where and what
 * and their own timing lines. The exit status is 1 when a validation
 * failed. */
#ifndef DLKIT_GPU_DEV_H
#define DLKIT_GPU_DEV_H

#include "cuda_check.h"
#include "kernels.h"
#include "ref.h"
#include "tolerance.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern "C" {
#include "rng.h" /* C, with no extern "C" of its own */
}

/* The GPU's name, and its multiprocessors. */
inline void print_device()
{
    cudaDeviceProp p;
    CUDA_CHECK(cudaGetDeviceProperties(&p, 0));
    printf("device %s (sm_%d%d, %d multiprocessors)\n", p.name, p.major, p.minor,
           p.multiProcessorCount);
}

template <typename T> T *to_device(const T *host, size_t n)
{
    void *d = nullptr;
    CUDA_CHECK(cudaMalloc(&d, (n ? n : 1) * sizeof(T)));
    CUDA_CHECK(cudaMemcpy(d, host, n * sizeof(T), cudaMemcpyHostToDevice));
    return static_cast<T *>(d);
}

template <typename T> T *device_array(size_t n)
{
    void *d = nullptr;
    CUDA_CHECK(cudaMalloc(&d, (n ? n : 1) * sizeof(T)));
    return static_cast<T *>(d);
}

template <typename T> std::vector<T> from_device(const T *dev, size_t n)
{
    std::vector<T> host(n);
    CUDA_SYNC_CHECK();
    CUDA_CHECK(cudaMemcpy(host.data(), dev, n * sizeof(T), cudaMemcpyDeviceToHost));
    return host;
}

/* n values uniform in [lo, hi), or multiples of 1/8 in [-1, 1] (exact
 * products and sums: results do not depend on the order of additions). */
inline std::vector<float> uniform(dk_rng *rng, size_t n, float lo, float hi)
{
    std::vector<float> v(n);
    for (float &x : v)
        x = dk_rng_range(rng, lo, hi);
    return v;
}

inline std::vector<float> grid(dk_rng *rng, size_t n)
{
    std::vector<float> v(n);
    for (float &x : v)
        x = (float)((int)dk_rng_below(rng, 17) - 8) / 8.0f;
    return v;
}

/* Prints "valid WHAT ok", or the first element out of tolerance; false then. */
inline bool validate(const char *what, const float *want, const float *got, size_t n, dk_tol tol)
{
    size_t wrong = 0, first = 0;
    for (size_t i = 0; i < n; i++)
        if (!dkg_close(want[i], got[i], tol) && wrong++ == 0)
            first = i;
    if (wrong)
        printf("valid %s FAIL: element %zu: expected %.9g, got %.9g (%zu of %zu wrong)\n", what,
               first, want[first], got[first], wrong, n);
    else
        printf("valid %s ok\n", what);
    fflush(stdout);
    return wrong == 0;
}

/* Milliseconds per call of run() (it launches on the default stream): the
 * median of at least 5 timed calls and about 0.3 s of them, after two
 * warm-up calls. */
template <typename Run> double time_ms(Run run)
{
    cudaEvent_t start, end;
    CUDA_CHECK(cudaEventCreate(&start));
    CUDA_CHECK(cudaEventCreate(&end));
    run();
    run();
    CUDA_SYNC_CHECK();
    std::vector<float> ms;
    float total = 0;
    while (ms.size() < 5 || (total < 300 && ms.size() < 1000)) {
        float t = 0;
        CUDA_CHECK(cudaEventRecord(start, 0));
        run();
        CUDA_CHECK(cudaEventRecord(end, 0));
        CUDA_CHECK(cudaEventSynchronize(end));
        CUDA_CHECK(cudaGetLastError());
        CUDA_CHECK(cudaEventElapsedTime(&t, start, end));
        ms.push_back(t);
        total += t;
    }
    CUDA_CHECK(cudaEventDestroy(start));
    CUDA_CHECK(cudaEventDestroy(end));
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

/* The number after `flag` in argv, or fallback. */
inline long arg_after(int argc, char **argv, const char *flag, long fallback)
{
    for (int i = 1; i + 1 < argc; i++)
        if (std::string(argv[i]) == flag)
            return strtol(argv[i + 1], nullptr, 10);
    return fallback;
}

#endif
