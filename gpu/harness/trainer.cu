/* Chapter 02's recipe on MNIST, on the GPU or the CPU (trainer.h). */
#include "trainer.h"

#include "cuda_check.h" /* (kernels.h brings error.h's dk_fatal) */
#include "ref.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

enum { CLASSES = 10, EVAL_BATCH = 256 };

/* ---- Data ------------------------------------------------------------------------ */

static uint32_t big_endian32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The bytes of an IDX file of unsigned bytes with `ndim` dimensions, after
 * its header; dims gets the sizes. */
static bool read_idx(const char *path, int ndim, std::vector<unsigned char> &data, int *dims,
                     char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open it (`make gpu` unpacks it from datasets/data/)",
                 path);
        return false;
    }
    unsigned char head[4 + 4 * 3];
    size_t head_len = 4 + 4 * (size_t)ndim;
    bool ok = fread(head, 1, head_len, f) == head_len && head[0] == 0 && head[1] == 0 &&
              head[2] == 0x08 && head[3] == ndim;
    size_t count = 1;
    for (int i = 0; ok && i < ndim; i++) {
        dims[i] = (int)big_endian32(head + 4 + 4 * i);
        count *= (size_t)dims[i];
    }
    if (ok) {
        data.resize(count);
        ok = fread(data.data(), 1, count, f) == count && fgetc(f) == EOF;
    }
    fclose(f);
    if (!ok)
        snprintf(err, errlen, "%s: not an IDX file of unsigned bytes in %d dimensions, or "
                 "truncated", path, ndim);
    return ok;
}

bool gpu_mnist_load(const char *dir, const char *split, gpu_dataset *out, char *err,
                    size_t errlen)
{
    char images[4096], labels[4096];
    snprintf(images, sizeof images, "%s/mnist10k-%s-images-idx3-ubyte", dir, split);
    snprintf(labels, sizeof labels, "%s/mnist10k-%s-labels-idx1-ubyte", dir, split);
    std::vector<unsigned char> im, lb;
    int idims[3], ldims[1];
    if (!read_idx(images, 3, im, idims, err, errlen) || !read_idx(labels, 1, lb, ldims, err, errlen))
        return false;
    if (idims[0] != ldims[0]) {
        snprintf(err, errlen, "%s has %d images, %s %d labels", images, idims[0], labels, ldims[0]);
        return false;
    }
    *out = gpu_dataset{idims[0], idims[1], idims[2], idims[1] * idims[2], nullptr, nullptr};
    out->x = static_cast<float *>(malloc(im.size() * sizeof(float)));
    out->y = static_cast<int *>(malloc(lb.size() * sizeof(int)));
    if (!out->x || !out->y) {
        gpu_dataset_free(out);
        snprintf(err, errlen, "out of memory for %s", images);
        return false;
    }
    for (size_t i = 0; i < im.size(); i++)
        out->x[i] = (float)im[i] / 255.0f; /* as datasets/idx.c */
    for (size_t i = 0; i < lb.size(); i++) {
        if (lb[i] >= CLASSES) {
            gpu_dataset_free(out);
            snprintf(err, errlen, "%s: label %d at %zu is not a digit", labels, lb[i], i);
            return false;
        }
        out->y[i] = lb[i];
    }
    return true;
}

void gpu_dataset_free(gpu_dataset *ds)
{
    free(ds->x);
    free(ds->y);
    ds->x = nullptr;
    ds->y = nullptr;
}

/* ---- One epoch ------------------------------------------------------------------- */

/* What an epoch draws from the generator (gpu_plan_epoch). */
struct epoch_plan {
    std::vector<int> order, shifts;
    std::vector<float> lr;
};

static void plan_epoch(const gpu_recipe *r, const gpu_dataset *train, size_t first_step,
                       size_t total_steps, dk_rng *rng, epoch_plan *plan)
{
    plan->order.resize((size_t)train->n);
    plan->shifts.resize(2 * (size_t)train->n);
    plan->lr.resize((size_t)(train->n + r->batch - 1) / (size_t)r->batch);
    if (!gpu_plan_epoch(r, train->n, train->h > 0, first_step, total_steps, rng,
                        plan->order.data(), plan->shifts.data(), plan->lr.data()))
        dk_fatal("trainer: out of memory");
}

/* Row i of the batch: sample order[i], shifted by shifts[2i], shifts[2i+1]
 * (blockIdx.y is i; the threads cover its pixels). */
static __global__ void gather_kernel(const float *X, const int *Y, const int *order,
                                     const int *shifts, int dim, int h, int w, float *xb, int *yb)
{
    const int i = blockIdx.y, sample = order[i];
    for (int p = blockIdx.x * blockDim.x + threadIdx.x; p < dim; p += gridDim.x * blockDim.x)
        xb[i * dim + p] = gpu_shifted_pixel(X + (size_t)sample * dim, h, w, shifts[2 * i],
                                            shifts[2 * i + 1], p);
    if (blockIdx.x == 0 && threadIdx.x == 0)
        yb[i] = Y[sample];
}

/* (right answers, summed loss) of logits (B, 10) against labels, the first
 * largest logit being the answer, as chapter 02's mlp_evaluate. */
static void score(const float *logits, const int *labels, int B, int *right, double *loss)
{
    std::vector<float> losses((size_t)B);
    cpu_cross_entropy(logits, labels, B, CLASSES, losses.data(), nullptr);
    for (int i = 0; i < B; i++) {
        const float *row = logits + (size_t)i * CLASSES;
        int best = 0;
        for (int j = 1; j < CLASSES; j++)
            best = row[j] > row[best] ? j : best;
        *right += best == labels[i];
        *loss += losses[i];
    }
}

static double seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/* ---- The two sides ------------------------------------------------------------------- */

/* What a side does: set up, train one planned epoch (returning the summed
 * loss), evaluate (summed loss and right answers over the test set). */
struct side {
    virtual ~side() = default;
    virtual double train_epoch(const epoch_plan &plan) = 0;
    virtual void evaluate(const gpu_dataset *test, int *right, double *loss) = 0;
};

struct cpu_side : side {
    const gpu_recipe *r;
    const gpu_dataset *train;
    gpu_mlp net;
    std::vector<float> params, grads, velocity, acts, dacts, logits, dlogits, xb, losses;
    std::vector<int> yb;

    cpu_side(const gpu_recipe *r_, const gpu_dataset *train_, const gpu_mlp &shape,
             std::vector<float> init)
        : r(r_), train(train_), net(shape), params(std::move(init))
    {
        const size_t n = (size_t)net.nparams, B = (size_t)std::max(r->batch, (int)EVAL_BATCH);
        grads.assign(n, 0.0f);
        velocity.assign(n, 0.0f);
        acts.resize((size_t)gpu_mlp_acts_size(&net, (int)B) + 1);
        dacts.resize(acts.size());
        logits.resize(B * CLASSES);
        dlogits.resize(B * CLASSES);
        xb.resize(B * (size_t)train->dim);
        yb.resize(B);
        losses.resize(B);
        net.params = params.data(), net.grads = grads.data(), net.velocity = velocity.data();
    }

    double train_epoch(const epoch_plan &plan) override
    {
        const int n = train->n, dim = train->dim;
        const gpu_mlp_scratch s{acts.data(), dacts.data(), logits.data(), dlogits.data()};
        double total = 0;
        for (int start = 0, step = 0; start < n; start += r->batch, step++) {
            const int B = std::min(r->batch, n - start);
            for (int i = 0; i < B; i++) {
                const int k = start + i, sample = plan.order[k];
                for (int p = 0; p < dim; p++)
                    xb[(size_t)i * dim + p] =
                        gpu_shifted_pixel(train->x + (size_t)sample * dim, train->h, train->w,
                                          plan.shifts[2 * k], plan.shifts[2 * k + 1], p);
                yb[i] = train->y[sample];
            }
            cpu_mlp_train_step(&net, xb.data(), yb.data(), B, plan.lr[step], r->momentum, &s,
                               losses.data());
            for (int i = 0; i < B; i++)
                total += losses[i];
        }
        return total;
    }

    void evaluate(const gpu_dataset *test, int *right, double *loss) override
    {
        for (int start = 0; start < test->n; start += EVAL_BATCH) {
            const int B = std::min((int)EVAL_BATCH, test->n - start);
            cpu_mlp_forward(&net, test->x + (size_t)start * test->dim, B, acts.data(),
                            logits.data());
            score(logits.data(), test->y + start, B, right, loss);
        }
    }
};

template <typename T> static T *device_array(size_t n)
{
    void *p = nullptr;
    CUDA_CHECK(cudaMalloc(&p, (n ? n : 1) * sizeof(T)));
    return static_cast<T *>(p);
}

template <typename T> static T *device_copy(const T *host, size_t n)
{
    T *d = device_array<T>(n);
    CUDA_CHECK(cudaMemcpy(d, host, n * sizeof(T), cudaMemcpyHostToDevice));
    return d;
}

struct gpu_side : side {
    const gpu_recipe *r;
    const gpu_dataset *train;
    gpu_mlp net;
    gpu_mlp_scratch s;
    cudaStream_t stream;
    float *X, *test_x = nullptr, *xb, *lr, *losses;
    int *Y, *order, *shifts, *yb;
    cudaGraphExec_t epoch_graph = nullptr;
    int steps;

    gpu_side(const gpu_recipe *r_, const gpu_dataset *train_, const gpu_mlp &shape,
             const std::vector<float> &init, bool use_graph)
        : r(r_), train(train_), net(shape)
    {
        const size_t n = (size_t)train->n, B = (size_t)std::max(r->batch, (int)EVAL_BATCH);
        const size_t acts = (size_t)gpu_mlp_acts_size(&net, (int)B) + 1;
        steps = (train->n + r->batch - 1) / r->batch;
        CUDA_CHECK(cudaStreamCreate(&stream));
        net.params = device_copy(init.data(), init.size());
        net.grads = device_array<float>(init.size());
        net.velocity = device_array<float>(init.size());
        CUDA_CHECK(cudaMemset(net.velocity, 0, init.size() * sizeof(float)));
        s = gpu_mlp_scratch{device_array<float>(acts), device_array<float>(acts),
                            device_array<float>(B * CLASSES), device_array<float>(B * CLASSES)};
        X = device_copy(train->x, n * (size_t)train->dim);
        Y = device_copy(train->y, n);
        order = device_array<int>(n);
        shifts = device_array<int>(2 * n);
        lr = device_array<float>((size_t)steps);
        losses = device_array<float>(n);
        xb = device_array<float>((size_t)r->batch * (size_t)train->dim);
        yb = device_array<int>((size_t)r->batch);
        if (use_graph)
            capture_epoch();
    }

    ~gpu_side() override
    {
        if (epoch_graph)
            cudaGraphExecDestroy(epoch_graph);
        for (void *p : {(void *)net.params, (void *)net.grads, (void *)net.velocity,
                        (void *)s.acts, (void *)s.dacts, (void *)s.logits, (void *)s.dlogits,
                        (void *)X, (void *)Y, (void *)order, (void *)shifts, (void *)lr,
                        (void *)losses, (void *)xb, (void *)yb, (void *)test_x})
            cudaFree(p);
        cudaStreamDestroy(stream);
    }

    /* The epoch's launches: for each step, the batch's gather and the
     * student's training step, each step reading its own entries of the
     * order, shifts and lr arrays, which change between epochs. */
    void launch_epoch()
    {
        const int n = train->n, dim = train->dim;
        for (int step = 0; step < steps; step++) {
            const int start = step * r->batch, B = std::min(r->batch, n - start);
            gather_kernel<<<dim3((dim + 255) / 256, B), 256, 0, stream>>>(
                X, Y, order + start, shifts + 2 * start, dim, train->h, train->w, xb, yb);
            mlp_train_step_gpu(&net, xb, yb, B, lr + step, r->momentum, &s, losses + start,
                               stream);
        }
    }

    /* One graph for the whole epoch: one launch instead of thousands. When
     * the student's step does something a graph cannot hold (a
     * synchronisation, an allocation), the launches go one by one. */
    void capture_epoch()
    {
        cudaGraph_t graph = nullptr;
        CUDA_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
        launch_epoch();
        cudaError_t err = cudaStreamEndCapture(stream, &graph);
        if (err == cudaSuccess)
            err = cudaGraphInstantiate(&epoch_graph, graph, 0);
        if (graph)
            cudaGraphDestroy(graph);
        if (err != cudaSuccess) {
            fprintf(stderr, "trainer: the training step cannot be captured into a CUDA graph "
                    "(%s): launching its kernels one by one instead\n", cudaGetErrorString(err));
            epoch_graph = nullptr;
            cudaGetLastError(); /* the capture's error is handled */
        }
    }

    double train_epoch(const epoch_plan &plan) override
    {
        const size_t n = (size_t)train->n;
        CUDA_CHECK(cudaMemcpy(order, plan.order.data(), n * sizeof(int), cudaMemcpyHostToDevice));
        CUDA_CHECK(cudaMemcpy(shifts, plan.shifts.data(), 2 * n * sizeof(int),
                              cudaMemcpyHostToDevice));
        CUDA_CHECK(cudaMemcpy(lr, plan.lr.data(), plan.lr.size() * sizeof(float),
                              cudaMemcpyHostToDevice));
        if (epoch_graph)
            CUDA_CHECK(cudaGraphLaunch(epoch_graph, stream));
        else
            launch_epoch();
        CUDA_SYNC_CHECK();
        std::vector<float> host(n);
        CUDA_CHECK(cudaMemcpy(host.data(), losses, n * sizeof(float), cudaMemcpyDeviceToHost));
        double total = 0;
        for (float v : host)
            total += v;
        return total;
    }

    void evaluate(const gpu_dataset *test, int *right, double *loss) override
    {
        if (!test_x)
            test_x = device_copy(test->x, (size_t)test->n * test->dim);
        std::vector<float> logits((size_t)EVAL_BATCH * CLASSES);
        for (int start = 0; start < test->n; start += EVAL_BATCH) {
            const int B = std::min((int)EVAL_BATCH, test->n - start);
            mlp_forward_gpu(&net, test_x + (size_t)start * test->dim, B, s.acts, s.logits, stream);
            CUDA_SYNC_CHECK();
            CUDA_CHECK(cudaMemcpy(logits.data(), s.logits, (size_t)B * CLASSES * sizeof(float),
                                  cudaMemcpyDeviceToHost));
            score(logits.data(), test->y + start, B, right, loss);
        }
    }
};

float gpu_recipe_train(const gpu_recipe *r, const gpu_dataset *train, const gpu_dataset *test,
                       uint64_t seed, train_device device,
                       bool (*on_epoch)(const epoch_report *report, void *ctx), void *ctx)
{
    dk_rng rng;
    dk_rng_seed(&rng, seed);
    gpu_mlp shape{2, {train->dim, r->hidden, CLASSES}, 0, nullptr, nullptr, nullptr};
    shape.nparams = mlp_weight_offset(&shape, shape.nlayers);
    std::vector<float> init((size_t)shape.nparams);
    gpu_init_params(shape.sizes, shape.nlayers, &rng, init.data());
    side *run = device == TRAIN_CPU ? static_cast<side *>(new cpu_side(r, train, shape, init))
                                    : new gpu_side(r, train, shape, init, device == TRAIN_GPU);
    const size_t steps = (size_t)(train->n + r->batch - 1) / (size_t)r->batch;
    float acc = NAN;
    epoch_plan plan;
    for (int e = 1; e <= r->epochs; e++) {
        const double start = seconds();
        plan_epoch(r, train, (size_t)(e - 1) * steps, (size_t)r->epochs * steps, &rng, &plan);
        const double train_loss = run->train_epoch(plan);
        const double took = seconds() - start;
        int right = 0;
        double test_loss = 0;
        run->evaluate(test, &right, &test_loss);
        acc = (float)right / (float)test->n;
        const epoch_report report{e, (float)(train_loss / train->n), (float)(test_loss / test->n),
                                  acc, plan.lr.back(), took};
        if (on_epoch && !on_epoch(&report, ctx))
            break;
    }
    delete run;
    return acc;
}
