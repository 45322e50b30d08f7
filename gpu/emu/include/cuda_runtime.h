/* CUDA C++ on the CPU: what a kernel may use, for the emulator
 * (gpu/emu/emu.cpp; cuda_runtime_api.h has the host API).
 *
 * gpu/emu/rewrite turns every launch `k<<<grid, block, smem, stream>>>(args)`
 * into `emu_launch(emu_config(grid, block, smem, stream), [=] { k(args); })`;
 * emu_launch runs the lambda once per thread of the grid, block after block,
 * each block's threads as fibers that switch at __syncthreads and at warp
 * shuffles. __shared__ variables become static: the threads of a block
 * share them, and blocks run one after another.
 *
 * What it cannot show: races (the fibers take turns in a fixed order, as if
 * every access were synchronised) and speed. What it does show: wrong
 * indices, wrong values, barriers in divergent code (a deadlock, reported),
 * and, built with AddressSanitizer, every access outside an allocation. */
#ifndef DLKIT_EMU_CUDA_RUNTIME_H
#define DLKIT_EMU_CUDA_RUNTIME_H

#include "cuda_runtime_api.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))
#define __restrict__ __restrict

struct dim3 {
    unsigned x, y, z;
    dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
typedef dim3 uint3;

/* The running thread's coordinates, set by the scheduler at each switch. */
extern uint3 threadIdx, blockIdx;
extern dim3 blockDim, gridDim;
static const int warpSize = 32;

struct __attribute__((aligned(16))) float4 {
    float x, y, z, w;
};
struct __attribute__((aligned(8))) float2 {
    float x, y;
};
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
inline float2 make_float2(float x, float y) { return float2{x, y}; }

using std::max;
using std::min;

/* ---- Synchronisation: points where the running fiber yields ---------------- */

void __syncthreads();
void __syncwarp(unsigned mask = 0xffffffffu);

/* The 32-bit word each lane of the warp offers, and the one it gets back
 * from lane `from` (emu.cpp). */
uint32_t emu_shuffle(uint32_t mine, int from);

template <typename T> static inline uint32_t emu_bits(T v)
{
    static_assert(sizeof(T) == 4, "32-bit shuffles only");
    uint32_t u;
    __builtin_memcpy(&u, &v, 4);
    return u;
}
template <typename T> static inline T emu_value(uint32_t u)
{
    T v;
    __builtin_memcpy(&v, &u, 4);
    return v;
}
int emu_lane();

template <typename T> inline T __shfl_xor_sync(unsigned, T v, int lane_mask, int = 32)
{
    return emu_value<T>(emu_shuffle(emu_bits(v), emu_lane() ^ lane_mask));
}
template <typename T> inline T __shfl_down_sync(unsigned, T v, unsigned delta, int = 32)
{
    const int from = emu_lane() + (int)delta;
    return emu_value<T>(emu_shuffle(emu_bits(v), from < 32 ? from : emu_lane()));
}
template <typename T> inline T __shfl_sync(unsigned, T v, int src_lane, int = 32)
{
    return emu_value<T>(emu_shuffle(emu_bits(v), src_lane & 31));
}

/* One fiber runs at a time: read-modify-write is atomic by construction. */
template <typename T> inline T atomicAdd(T *address, T value)
{
    T old = *address;
    *address = old + value;
    return old;
}

/* ---- Launches ---------------------------------------------------------------- */

struct emu_launch_config {
    dim3 grid, block;
    cudaStream_t stream;
};

inline emu_launch_config emu_config(dim3 grid, dim3 block, size_t = 0, cudaStream_t stream = 0)
{
    return emu_launch_config{grid, block, stream};
}

/* Runs body once per thread of the grid now, or records it when the
 * stream is being captured into a graph. */
void emu_launch(const emu_launch_config &config, std::function<void()> body);

#endif
