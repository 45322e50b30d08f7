/* Convolution on the GPU, llm.c's dev/cuda style: the CPU reference
 * (cpu_conv2d), the two versions of conv2d.cu, a validation of each, then
 * both timed on layers of a ResNet, next to cuDNN's best FP32 algorithm
 * (no tensor cores) where the build found cuDNN.
 *
 *   conv2d [VERSION]      (default: both)
 * Prints, besides device and valid lines:
 *   conv LAYER NAME TFLOPS MS     (NAME a version's function, or cudnn)
 *   note TEXT */
#include "dev.h"

#ifdef HAVE_CUDNN
#include <cudnn.h>
#endif

#include <cmath>

struct version {
    const char *name;
    int number;
};
static const version VERSIONS[] = {{"conv2d1_im2col", 1}, {"conv2d2_implicit", 2}};

static int out_h(const conv2d_dims &d) { return conv2d_out_dim(d.H, d.kh, d.stride, d.pad); }
static int out_w(const conv2d_dims &d) { return conv2d_out_dim(d.W, d.kw, d.stride, d.pad); }

/* Device buffers for one layer. */
struct layer {
    conv2d_dims d;
    size_t nx, nw, ny, ncols;
    float *x, *w, *b, *y, *cols;
};

static layer make_layer(const conv2d_dims &d, dk_rng *rng, bool with_cols,
                        std::vector<float> *hx = nullptr, std::vector<float> *hw = nullptr,
                        std::vector<float> *hb = nullptr)
{
    layer l{d, (size_t)d.N * d.H * d.W * d.C, (size_t)d.K * d.kh * d.kw * d.C,
            (size_t)d.N * out_h(d) * out_w(d) * d.K, 0, nullptr, nullptr, nullptr, nullptr, nullptr};
    l.ncols = with_cols ? (size_t)d.N * out_h(d) * out_w(d) * d.kh * d.kw * d.C : 0;
    std::vector<float> x = grid(rng, l.nx), w = grid(rng, l.nw), b = grid(rng, (size_t)d.K);
    l.x = to_device(x.data(), l.nx), l.w = to_device(w.data(), l.nw), l.b = to_device(b.data(), b.size());
    l.y = device_array<float>(l.ny), l.cols = device_array<float>(l.ncols);
    if (hx)
        *hx = x, *hw = w, *hb = b;
    return l;
}

static void free_layer(layer &l)
{
    cudaFree(l.x), cudaFree(l.w), cudaFree(l.b), cudaFree(l.y), cudaFree(l.cols);
}

static void run(int number, const layer &l)
{
    if (number == 1)
        conv2d1_im2col(l.x, l.w, l.b, &l.d, l.cols, l.y, 0);
    else
        conv2d2_implicit(l.x, l.w, l.b, &l.d, l.y, 0);
}

static bool validate_small(const version &v, dk_rng *rng)
{
    static const conv2d_dims shapes[] = {{2, 7, 9, 3, 5, 3, 3, 2, 1}, {2, 13, 11, 4, 6, 3, 5, 3, 2},
                                         {2, 14, 14, 16, 130, 3, 3, 1, 1}, {1, 28, 28, 1, 6, 5, 5, 1, 2}};
    bool ok = true;
    for (const conv2d_dims &d : shapes) {
        std::vector<float> x, w, b;
        layer l = make_layer(d, rng, v.number == 1, &x, &w, &b);
        std::vector<float> want(l.ny);
        cpu_conv2d(x.data(), w.data(), b.data(), &d, want.data());
        run(v.number, l);
        std::vector<float> got = from_device(l.y, l.ny);
        char what[160];
        snprintf(what, sizeof what, "%s N=%d H=%d W=%d C=%d K=%d %dx%d stride %d pad %d", v.name,
                 d.N, d.H, d.W, d.C, d.K, d.kh, d.kw, d.stride, d.pad);
        ok &= validate(what, want.data(), got.data(), got.size(), DK_TOL_REDUCTION);
        free_layer(l);
    }
    return ok;
}

#ifdef HAVE_CUDNN
static void cudnn_check(cudnnStatus_t s, const char *what)
{
    if (s != CUDNN_STATUS_SUCCESS) {
        fprintf(stderr, "dlkit: cuDNN error in %s: %s\n", what, cudnnGetErrorString(s));
        exit(1);
    }
}

/* cuDNN's fastest FP32 (FMA) algorithm for the layer, timed, with the bias
 * added as ours does; its output is left in y. */
static double time_cudnn(cudnnHandle_t h, const layer &l)
{
    const conv2d_dims &d = l.d;
    cudnnTensorDescriptor_t xd, yd, bd;
    cudnnFilterDescriptor_t wd;
    cudnnConvolutionDescriptor_t cd;
    cudnn_check(cudnnCreateTensorDescriptor(&xd), "descriptors");
    cudnn_check(cudnnCreateTensorDescriptor(&yd), "descriptors");
    cudnn_check(cudnnCreateTensorDescriptor(&bd), "descriptors");
    cudnn_check(cudnnCreateFilterDescriptor(&wd), "descriptors");
    cudnn_check(cudnnCreateConvolutionDescriptor(&cd), "descriptors");
    cudnn_check(cudnnSetTensor4dDescriptor(xd, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, d.N, d.C, d.H, d.W), "x");
    cudnn_check(cudnnSetTensor4dDescriptor(yd, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, d.N, d.K, out_h(d),
                                           out_w(d)), "y");
    cudnn_check(cudnnSetTensor4dDescriptor(bd, CUDNN_TENSOR_NHWC, CUDNN_DATA_FLOAT, 1, d.K, 1, 1), "b");
    cudnn_check(cudnnSetFilter4dDescriptor(wd, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NHWC, d.K, d.C, d.kh, d.kw),
                "w");
    cudnn_check(cudnnSetConvolution2dDescriptor(cd, d.pad, d.pad, d.stride, d.stride, 1, 1,
                                                CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT), "conv");
    cudnn_check(cudnnSetConvolutionMathType(cd, CUDNN_FMA_MATH), "math type");
    cudnnConvolutionFwdAlgoPerf_t perf[8];
    int found = 0;
    cudnn_check(cudnnFindConvolutionForwardAlgorithm(h, xd, wd, cd, yd, 8, &found, perf), "find");
    int best = 0;
    while (best < found && perf[best].status != CUDNN_STATUS_SUCCESS)
        best++;
    if (best == found) {
        fprintf(stderr, "dlkit: cuDNN has no algorithm for this layer\n");
        exit(1);
    }
    void *ws = nullptr;
    CUDA_CHECK(cudaMalloc(&ws, perf[best].memory ? perf[best].memory : 1));
    const float one = 1.0f, zero = 0.0f;
    const double ms = time_ms([&] {
        cudnn_check(cudnnConvolutionForward(h, &one, xd, l.x, wd, l.w, cd, perf[best].algo, ws,
                                            perf[best].memory, &zero, yd, l.y), "forward");
        cudnn_check(cudnnAddTensor(h, &one, bd, l.b, &one, yd, l.y), "bias");
    });
    cudaFree(ws);
    cudnnDestroyTensorDescriptor(xd), cudnnDestroyTensorDescriptor(yd), cudnnDestroyTensorDescriptor(bd);
    cudnnDestroyFilterDescriptor(wd), cudnnDestroyConvolutionDescriptor(cd);
    return ms;
}
#endif

int main(int argc, char **argv)
{
    const int only = argc > 1 && argv[1][0] != '-' ? atoi(argv[1]) : 0;
    print_device();
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    bool ok = true;
    for (const version &v : VERSIONS)
        if (!only || only == v.number)
            ok &= validate_small(v, &rng);
    /* {N, H, W, C, K, kh, kw, stride, pad}: ResNet-50's stem, a bottleneck's
     * 1x1, and the 3x3 convolutions of three of its stages, batch 32. */
    static const struct {
        const char *name;
        conv2d_dims d;
    } LAYERS[] = {{"stem-224x224x3-7x7/2", {16, 224, 224, 3, 64, 7, 7, 2, 3}},
                  {"1x1-56x56x256", {32, 56, 56, 256, 64, 1, 1, 1, 0}},
                  {"3x3-56x56x64", {32, 56, 56, 64, 64, 3, 3, 1, 1}},
                  {"3x3-28x28x128", {32, 28, 28, 128, 128, 3, 3, 1, 1}},
                  {"3x3-14x14x256", {32, 14, 14, 256, 256, 3, 3, 1, 1}}};
#ifdef HAVE_CUDNN
    cudnnHandle_t handle;
    cudnn_check(cudnnCreate(&handle), "cudnnCreate");
    printf("note cuDNN %zu, the fastest of its FP32 (FMA) algorithms per layer\n", cudnnGetVersion());
#else
    printf("note cuDNN was not found when this was built: ours alone\n");
#endif
    for (const auto &L : LAYERS) {
        const conv2d_dims &d = L.d;
        layer l = make_layer(d, &rng, !only || only == 1);
        const double flop = 2.0 * d.N * out_h(d) * out_w(d) * (double)d.K * d.kh * d.kw * d.C;
        std::vector<float> first;
        for (const version &v : VERSIONS) {
            if (only && only != v.number)
                continue;
            CUDA_CHECK(cudaMemset(l.y, 0xff, l.ny * sizeof(float)));
            run(v.number, l);
            std::vector<float> got = from_device(l.y, l.ny);
            if (!first.empty()) { /* exact inputs: both versions agree to the bit */
                char what[96];
                snprintf(what, sizeof what, "%s %s against conv2d1_im2col", v.name, L.name);
                ok &= validate(what, first.data(), got.data(), got.size(), DK_TOL_EXACT);
            }
            first = got;
            const double ms = time_ms([&] { run(v.number, l); });
            printf("conv %s %s %.2f %.3f\n", L.name, v.name, flop / ms / 1e9, ms);
            fflush(stdout);
        }
#ifdef HAVE_CUDNN
        const double ms = time_cudnn(handle, l);
        std::vector<float> theirs = from_device(l.y, l.ny);
        double worst = 0;
        for (size_t i = 0; i < first.size(); i++)
            worst = std::max(worst, (double)std::fabs(theirs[i] - first[i]) / (1 + std::fabs(first[i])));
        printf("conv %s cudnn %.2f %.3f\n", L.name, flop / ms / 1e9, ms);
        printf("note %s: cuDNN's output differs from ours by at most %.2g (relative)\n", L.name, worst);
#endif
        free_layer(l);
    }
#ifdef HAVE_CUDNN
    cudnnDestroy(handle);
#endif
    return ok ? 0 : 1;
}
