/* The CPU emulator of CUDA (see include/cuda_runtime.h): the scheduler of
 * a block's threads, and the host API over host memory. */
#include "cuda_runtime.h"

#include <sys/mman.h>
#include <ucontext.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <dlfcn.h>
#include <sanitizer/common_interface_defs.h>
#define FIBER_SWITCH_START(save, bottom, size) __sanitizer_start_switch_fiber(save, bottom, size)
#define FIBER_SWITCH_FINISH(save, bottom, size) __sanitizer_finish_switch_fiber(save, bottom, size)
#define swapcontext libc_swapcontext
/* AddressSanitizer's own swapcontext clears the shadow of the whole target
 * stack at every switch (tens of kilobytes, millions of times) and warns
 * that it cannot follow fibers. These fibers tell it about their stacks
 * themselves (the two macros above), so they switch with the C library's. */
static int libc_swapcontext(ucontext_t *from, const ucontext_t *to)
{
    using swap_fn = int (*)(ucontext_t *, const ucontext_t *);
    static swap_fn real;
    if (!real) {
        void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
        real = libc ? reinterpret_cast<swap_fn>(dlsym(libc, "swapcontext")) : nullptr;
        if (!real) {
            fprintf(stderr, "emulator: cannot find the C library's swapcontext\n");
            abort();
        }
    }
    return real(from, to);
}
#else
#define FIBER_SWITCH_START(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#define FIBER_SWITCH_FINISH(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#endif

uint3 threadIdx, blockIdx;
dim3 blockDim, gridDim;

namespace {

/* ---- The threads of one block, as fibers ------------------------------------- */

enum { MAX_THREADS = 1024, STACK_BYTES = 256 * 1024 };

enum fiber_state { RUNNABLE, AT_BARRIER, AT_WARP_SYNC, DONE };

struct fiber {
    ucontext_t context;
    fiber_state state;
    unsigned shuffles;       /* how many this thread did: picks the exchange buffer */
    void *asan_fake_stack;
};

struct block_run {
    fiber threads[MAX_THREADS];
    int count, current;
    ucontext_t scheduler;
    void *scheduler_fake_stack;
    const void *main_stack_bottom;
    size_t main_stack_size;
    char *stacks; /* MAX_THREADS stacks, mapped once */
    /* Two exchange buffers for shuffles: a lane may run on to its next
     * shuffle (the other buffer) while its neighbours still read this one. */
    uint32_t exchange[2][MAX_THREADS];
    const std::function<void()> *body;
};

block_run run;

char *stack_of(int t)
{
    if (!run.stacks) {
        void *p = mmap(nullptr, (size_t)MAX_THREADS * STACK_BYTES, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            fprintf(stderr, "emulator: cannot map the threads' stacks\n");
            abort();
        }
        run.stacks = static_cast<char *>(p);
    }
    return run.stacks + (size_t)t * STACK_BYTES;
}

void set_thread_index(int t)
{
    threadIdx.x = (unsigned)t % blockDim.x;
    threadIdx.y = (unsigned)t / blockDim.x % blockDim.y;
    threadIdx.z = (unsigned)t / (blockDim.x * blockDim.y);
}

void fiber_main()
{
    FIBER_SWITCH_FINISH(nullptr, &run.main_stack_bottom, &run.main_stack_size);
    (*run.body)();
    run.threads[run.current].state = DONE;
    FIBER_SWITCH_START(nullptr, run.main_stack_bottom, run.main_stack_size);
    /* returning resumes uc_link: the scheduler */
}

void switch_to(int t)
{
    run.current = t;
    set_thread_index(t);
    FIBER_SWITCH_START(&run.scheduler_fake_stack, stack_of(t), STACK_BYTES);
    swapcontext(&run.scheduler, &run.threads[t].context);
    FIBER_SWITCH_FINISH(run.scheduler_fake_stack, nullptr, nullptr);
}

/* Called by the running thread: waits in `state` until released. */
void yield(fiber_state state)
{
    fiber &f = run.threads[run.current];
    f.state = state;
    FIBER_SWITCH_START(&f.asan_fake_stack, run.main_stack_bottom, run.main_stack_size);
    swapcontext(&f.context, &run.scheduler);
    FIBER_SWITCH_FINISH(f.asan_fake_stack, nullptr, nullptr);
}

/* Releases the waits that every thread concerned has reached: a warp's
 * sync when all its live lanes wait there, the block's barrier when all
 * its live threads do. False when nothing can run any more. */
bool release_waits()
{
    bool runnable = false, barrier = true, any_live = false;
    for (int w = 0; w < run.count; w += 32) {
        bool warp_waits = true, warp_live = false;
        for (int t = w; t < w + 32 && t < run.count; t++) {
            fiber_state s = run.threads[t].state;
            warp_live |= s != DONE;
            warp_waits &= s == AT_WARP_SYNC || s == DONE;
        }
        for (int t = w; warp_live && warp_waits && t < w + 32 && t < run.count; t++)
            if (run.threads[t].state == AT_WARP_SYNC)
                run.threads[t].state = RUNNABLE, runnable = true;
    }
    for (int t = 0; t < run.count; t++) {
        fiber_state s = run.threads[t].state;
        any_live |= s != DONE;
        barrier &= s == AT_BARRIER || s == DONE;
        runnable |= s == RUNNABLE;
    }
    for (int t = 0; any_live && barrier && t < run.count; t++)
        if (run.threads[t].state == AT_BARRIER)
            run.threads[t].state = RUNNABLE, runnable = true;
    return runnable;
}

[[noreturn]] void deadlock()
{
    int barrier = 0, warp = 0, done = 0;
    for (int t = 0; t < run.count; t++) {
        fiber_state s = run.threads[t].state;
        barrier += s == AT_BARRIER, warp += s == AT_WARP_SYNC, done += s == DONE;
    }
    fprintf(stderr, "emulator: deadlock in block (%u, %u, %u): %d threads wait at "
            "__syncthreads, %d at a warp shuffle or __syncwarp, %d have returned (a barrier "
            "that not every thread reaches?)\n", blockIdx.x, blockIdx.y, blockIdx.z, barrier,
            warp, done);
    abort();
}

/* (A function of its own: getcontext, like setjmp, may clobber the
 * variables of its caller.) */
__attribute__((noinline)) void make_fiber(int t)
{
    fiber &f = run.threads[t];
    f.state = RUNNABLE;
    f.shuffles = 0;
    getcontext(&f.context);
    f.context.uc_stack.ss_sp = stack_of(t);
    f.context.uc_stack.ss_size = STACK_BYTES;
    f.context.uc_link = &run.scheduler;
    makecontext(&f.context, fiber_main, 0);
}

void run_block()
{
    run.count = (int)(blockDim.x * blockDim.y * blockDim.z);
    for (int t = 0; t < run.count; t++)
        make_fiber(t);
    for (;;) {
        for (int t = 0; t < run.count; t++)
            if (run.threads[t].state == RUNNABLE)
                switch_to(t);
        if (!release_waits()) {
            for (int t = 0; t < run.count; t++)
                if (run.threads[t].state != DONE)
                    deadlock();
            return;
        }
    }
}

void run_grid(const emu_launch_config &config, const std::function<void()> &body)
{
    gridDim = config.grid;
    blockDim = config.block;
    run.body = &body;
    for (unsigned z = 0; z < gridDim.z; z++)
        for (unsigned y = 0; y < gridDim.y; y++)
            for (unsigned x = 0; x < gridDim.x; x++) {
                blockIdx = uint3(x, y, z);
                run_block();
            }
}

/* ---- Errors, streams and graphs ---------------------------------------------- */

cudaError_t last_error = cudaSuccess;

cudaError_t fail(cudaError_t error)
{
    last_error = error;
    return error;
}

} // namespace

struct CUgraph_st {
    std::vector<std::function<void()>> work;
};
struct CUgraphExec_st {
    std::vector<std::function<void()>> work;
};
struct CUstream_st {
    CUgraph_st *capture; /* the graph being recorded, or NULL */
};
struct CUevent_st {
    std::chrono::steady_clock::time_point at;
};

/* Runs work now, or records it when stream is being captured. */
static void submit(cudaStream_t stream, std::function<void()> work)
{
    if (stream && stream->capture)
        stream->capture->work.push_back(std::move(work));
    else
        work();
}

void emu_launch(const emu_launch_config &config, std::function<void()> body)
{
    const dim3 g = config.grid, b = config.block;
    const unsigned long threads = (unsigned long)b.x * b.y * b.z;
    if (threads == 0 || threads > MAX_THREADS || b.z > 64 || g.x == 0 || g.y == 0 ||
        g.z == 0 || g.y > 65535 || g.z > 65535) {
        fail(cudaErrorInvalidConfiguration);
        return;
    }
    submit(config.stream, [config, body] { run_grid(config, body); });
}

void __syncthreads()
{
    yield(AT_BARRIER);
}

void __syncwarp(unsigned)
{
    yield(AT_WARP_SYNC);
}

int emu_lane()
{
    return run.current % 32;
}

uint32_t emu_shuffle(uint32_t mine, int from)
{
    const int t = run.current, parity = (int)(run.threads[t].shuffles++ & 1);
    run.exchange[parity][t] = mine;
    yield(AT_WARP_SYNC);
    const int source = (t & ~31) + from;
    return source < run.count ? run.exchange[parity][source] : mine;
}

/* ---- The host API ----------------------------------------------------------------- */

extern "C" {

const char *cudaGetErrorString(cudaError_t error)
{
    switch (error) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    default: return "unknown error";
    }
}

const char *cudaGetErrorName(cudaError_t error)
{
    switch (error) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
    case cudaErrorNoDevice: return "cudaErrorNoDevice";
    default: return "cudaErrorUnknown";
    }
}

cudaError_t cudaGetLastError(void)
{
    cudaError_t e = last_error;
    last_error = cudaSuccess;
    return e;
}

cudaError_t cudaGetDeviceCount(int *count)
{
    *count = 1;
    return cudaSuccess;
}

cudaError_t cudaGetDevice(int *device)
{
    *device = 0;
    return cudaSuccess;
}

cudaError_t cudaSetDevice(int device)
{
    return device == 0 ? cudaSuccess : fail(cudaErrorInvalidValue);
}

cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int device)
{
    (void)device;
    *prop = cudaDeviceProp{};
    snprintf(prop->name, sizeof prop->name, "CPU emulator");
    prop->major = 7, prop->minor = 5;
    prop->multiProcessorCount = 4;
    return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int *value, cudaDeviceAttr attr, int device)
{
    (void)device;
    if (attr != cudaDevAttrMultiProcessorCount)
        return fail(cudaErrorInvalidValue);
    *value = 4; /* few: the tests' small products take the small-tile paths too */
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize(void)
{
    return cudaSuccess; /* everything ran already */
}

cudaError_t cudaMalloc(void **ptr, size_t bytes)
{
    /* exactly `bytes`: AddressSanitizer guards the very next byte */
    if (posix_memalign(ptr, 256, bytes ? bytes : 1) != 0)
        return fail(cudaErrorMemoryAllocation);
    return cudaSuccess;
}

cudaError_t cudaFree(void *ptr)
{
    free(ptr);
    return cudaSuccess;
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind)
{
    (void)kind;
    memmove(dst, src, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream)
{
    (void)kind;
    submit(stream, [=] { memmove(dst, src, bytes); });
    return cudaSuccess;
}

cudaError_t cudaMemset(void *ptr, int value, size_t bytes)
{
    memset(ptr, value, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemsetAsync(void *ptr, int value, size_t bytes, cudaStream_t stream)
{
    submit(stream, [=] { memset(ptr, value, bytes); });
    return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t *stream)
{
    *stream = new CUstream_st{nullptr};
    return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t stream)
{
    delete stream;
    return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream)
{
    (void)stream;
    return cudaSuccess;
}

cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode mode)
{
    (void)mode;
    if (!stream || stream->capture)
        return fail(cudaErrorStreamCaptureUnsupported);
    stream->capture = new CUgraph_st;
    return cudaSuccess;
}

cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t *graph)
{
    if (!stream || !stream->capture)
        return fail(cudaErrorInvalidValue);
    *graph = stream->capture;
    stream->capture = nullptr;
    return cudaSuccess;
}

cudaError_t cudaGraphInstantiate(cudaGraphExec_t *exec, cudaGraph_t graph,
                                 unsigned long long flags)
{
    (void)flags;
    *exec = new CUgraphExec_st{graph->work};
    return cudaSuccess;
}

cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream)
{
    for (const std::function<void()> &work : exec->work)
        submit(stream, work);
    return cudaSuccess;
}

cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec)
{
    delete exec;
    return cudaSuccess;
}

cudaError_t cudaGraphDestroy(cudaGraph_t graph)
{
    delete graph;
    return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t *event)
{
    *event = new CUevent_st{};
    return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event)
{
    delete event;
    return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream)
{
    submit(stream, [event] { event->at = std::chrono::steady_clock::now(); });
    return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t event)
{
    (void)event;
    return cudaSuccess;
}

cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end)
{
    *ms = std::chrono::duration<float, std::milli>(end->at - start->at).count();
    return cudaSuccess;
}

} // extern "C"
