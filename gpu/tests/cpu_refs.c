/* make check, the CUDA track's CPU side: its references (gpu/ref/) and
 * recipe (gpu/harness/recipe.c) against the kit's chapters, where they
 * overlap, on a machine without a GPU:
 *   - the tolerance policy is the CPU grader's (this file includes both
 *     headers: a different definition does not compile);
 *   - cpu_gemm agrees with dk_sgemm (OpenBLAS) in every transpose case;
 *   - softmax, cross-entropy, the layers, the network and the training
 *     step agree with chapter 02's reference solution;
 *   - im2col and the convolution agree with chapter 04's, when it is there,
 *     and with each other;
 *   - causal attention agrees with its three steps done by OpenBLAS and
 *     chapter 02's softmax, and the future does not reach the past;
 *   - the trainer's recipe draws what chapter 02's draws, bit for bit.
 * Prints one line per check; exits 1 at the first disagreement. */
#include "backprop.h"
#include "blas.h"
#include "grade.h" /* before tolerance.h: its definitions must be the same */
#include "mlp_recipe.h"
#include "recipe.h"
#include "ref.h"
#include "tolerance.h"
#ifdef HAVE_CH04
#include "cnn.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks;

static void fail(const char *what, size_t index, double want, double got)
{
    fprintf(stderr, "FAIL  %s: element %zu: expected %.9g, got %.9g\n", what, index, want, got);
    exit(1);
}

static void pass(const char *what)
{
    printf("ok    %s\n", what);
    checks++;
}

/* Every element of got against want, with the grader's policy. */
static void expect(const char *what, const float *want, const float *got, size_t n, dk_tol tol)
{
    for (size_t i = 0; i < n; i++)
        if (!dkg_close(want[i], got[i], tol))
            fail(what, i, want[i], got[i]);
}

static void expect_bits(const char *what, const void *want, const void *got, size_t bytes)
{
    if (memcmp(want, got, bytes) != 0) {
        fprintf(stderr, "FAIL  %s: not the same bits\n", what);
        exit(1);
    }
}

static float *random_floats(dk_rng *rng, size_t n, float lo, float hi)
{
    float *a = malloc((n ? n : 1) * sizeof *a);
    if (!a)
        dk_fatal("out of memory");
    for (size_t i = 0; i < n; i++)
        a[i] = dk_rng_range(rng, lo, hi);
    return a;
}

/* Multiples of 1/8 in [-1, 1], times scale. */
static float *grid_floats(dk_rng *rng, size_t n, float scale)
{
    float *a = malloc((n ? n : 1) * sizeof *a);
    if (!a)
        dk_fatal("out of memory");
    for (size_t i = 0; i < n; i++)
        a[i] = scale * (float)((int)dk_rng_below(rng, 17) - 8) / 8.0f;
    return a;
}

static float *copy_of(const float *a, size_t n)
{
    float *c = malloc((n ? n : 1) * sizeof *c);
    if (!c)
        dk_fatal("out of memory");
    memcpy(c, a, n * sizeof *c);
    return c;
}

/* ---- The tolerance policy -------------------------------------------------- */

static void tolerance_policy(void)
{
    const dk_tol tols[] = {DK_TOL_EXACT, DK_TOL_ELEMENTWISE, DK_TOL_REDUCTION, {0.5, 0.25}};
    const double values[] = {0.0, -0.0, 1.0, -1.0, 1e-6, 1.00001, 1.0001, 1e30, -3.5,
                             INFINITY, -INFINITY, NAN};
    const size_t nv = sizeof values / sizeof values[0];
    for (size_t t = 0; t < sizeof tols / sizeof tols[0]; t++)
        for (size_t i = 0; i < nv; i++)
            for (size_t j = 0; j < nv; j++)
                if (dkg_close(values[i], values[j], tols[t]) !=
                    dk_close(values[i], values[j], tols[t]))
                    fail("dkg_close against the grader's dk_close", i * nv + j, values[i],
                         values[j]);
    pass("the GPU grader's tolerance policy is the CPU grader's (definitions and dk_close)");
}

/* ---- GEMM ----------------------------------------------------------------------- */

static void gemm_against_openblas(void)
{
    static const int shapes[][3] = {{1, 1, 1}, {7, 13, 5}, {33, 65, 17}, {64, 10, 784}, {129, 127, 131}};
    dk_rng rng;
    dk_rng_seed(&rng, 1);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int t = 0; t < 4; t++) {
            const int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
            const bool ta = t & 1, tb = t & 2;
            float *A = random_floats(&rng, (size_t)M * K, -1, 1);
            float *B = random_floats(&rng, (size_t)K * N, -1, 1);
            float *C = random_floats(&rng, (size_t)M * N, -1, 1), *want = copy_of(C, (size_t)M * N);
            dk_sgemm(ta, tb, (size_t)M, (size_t)N, (size_t)K, 0.5f, A, B, -1.5f, want);
            cpu_gemm(ta, tb, M, N, K, 0.5f, A, B, -1.5f, C);
            expect("cpu_gemm against dk_sgemm", want, C, (size_t)M * N, DK_TOL_REDUCTION);
            for (int i = 0; i < M * N; i++)
                C[i] = NAN; /* beta = 0: C is not read */
            dk_sgemm(ta, tb, (size_t)M, (size_t)N, (size_t)K, 1.0f, A, B, 0.0f, want);
            cpu_gemm(ta, tb, M, N, K, 1.0f, A, B, 0.0f, C);
            expect("cpu_gemm with beta = 0 over NaN", want, C, (size_t)M * N, DK_TOL_REDUCTION);
            free(A), free(B), free(C), free(want);
        }
    pass("cpu_gemm agrees with dk_sgemm (OpenBLAS): 4 transpose cases, alpha and beta, odd shapes");
}

/* ---- Chapter 02 ----------------------------------------------------------------------- */

static void softmax_and_cross_entropy(void)
{
    static const int shapes[][2] = {{1, 1}, {4, 10}, {64, 10}, {3, 1000}};
    dk_rng rng;
    dk_rng_seed(&rng, 2);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int big = 0; big < 2; big++) {
            const int B = shapes[s][0], C = shapes[s][1];
            const size_t n = (size_t)B * C;
            float *x = random_floats(&rng, n, big ? 990 : -5, big ? 1010 : 5);
            float *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
            float *losses = malloc((size_t)B * sizeof *losses);
            int *labels = malloc((size_t)B * sizeof *labels);
            for (int i = 0; i < B; i++)
                labels[i] = (int)dk_rng_below(&rng, (size_t)C);
            softmax(x, (size_t)B, (size_t)C, want);
            cpu_softmax(x, B, C, got);
            expect("cpu_softmax against chapter 02's softmax", want, got, n, DK_TOL_REDUCTION);
            const float mean = softmax_cross_entropy(x, labels, (size_t)B, (size_t)C, want);
            cpu_cross_entropy(x, labels, B, C, losses, got);
            expect("cpu_cross_entropy's dlogits against chapter 02's", want, got, n,
                   DK_TOL_REDUCTION);
            double sum = 0;
            for (int i = 0; i < B; i++)
                sum += losses[i];
            const float ours = (float)(sum / B);
            expect("cpu_cross_entropy's mean loss against chapter 02's", &mean, &ours, 1,
                   DK_TOL_REDUCTION);
            free(x), free(want), free(got), free(losses), free(labels);
        }
    pass("cpu_softmax and cpu_cross_entropy agree with chapter 02's (logits near 0 and near 1000)");
}

static void layers(void)
{
    static const int shapes[][3] = {{1, 1, 1}, {5, 1, 9}, {3, 17, 200}, {64, 784, 10}};
    dk_rng rng;
    dk_rng_seed(&rng, 3);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        const int B = shapes[s][0], in = shapes[s][1], out = shapes[s][2];
        const size_t nx = (size_t)B * in, nw = (size_t)out * in, ny = (size_t)B * out;
        float *x = random_floats(&rng, nx, -1, 1), *W = random_floats(&rng, nw, -1, 1);
        float *b = random_floats(&rng, (size_t)out, -1, 1), *dy = random_floats(&rng, ny, -1, 1);
        float *y1 = malloc(ny * sizeof *y1), *y2 = malloc(ny * sizeof *y2);
        float *dx1 = malloc(nx * sizeof *dx1), *dx2 = malloc(nx * sizeof *dx2);
        float *dW1 = random_floats(&rng, nw, -1, 1), *dW2 = copy_of(dW1, nw);
        float *db1 = random_floats(&rng, (size_t)out, -1, 1), *db2 = copy_of(db1, (size_t)out);
        linear_forward(x, W, b, (size_t)B, (size_t)in, (size_t)out, y1);
        cpu_linear_forward(x, W, b, B, in, out, y2);
        expect("cpu_linear_forward against chapter 02's", y1, y2, ny, DK_TOL_REDUCTION);
        linear_backward(x, W, dy, (size_t)B, (size_t)in, (size_t)out, dx1, dW1, db1);
        cpu_linear_backward(x, W, dy, B, in, out, dx2, dW2, db2);
        expect("cpu_linear_backward's dx against chapter 02's", dx1, dx2, nx, DK_TOL_REDUCTION);
        expect("cpu_linear_backward's dW against chapter 02's", dW1, dW2, nw, DK_TOL_REDUCTION);
        expect("cpu_linear_backward's db against chapter 02's", db1, db2, (size_t)out,
               DK_TOL_REDUCTION);
        relu_forward(x, nx, dx1);
        cpu_relu_forward(x, (int)nx, dx2);
        expect_bits("cpu_relu_forward against chapter 02's", dx1, dx2, nx * sizeof *dx1);
        relu_backward(x, x, nx, dx1);
        cpu_relu_backward(x, x, (int)nx, dx2);
        expect_bits("cpu_relu_backward against chapter 02's", dx1, dx2, nx * sizeof *dx1);
        free(x), free(W), free(b), free(dy), free(y1), free(y2), free(dx1), free(dx2);
        free(dW1), free(dW2), free(db1), free(db2);
    }
    pass("cpu_linear_forward/backward and cpu_relu_forward/backward agree with chapter 02's");
}

/* Chapter 02's network and ours on the same parameters: forward, backward
 * and a whole training step. */
static void network(void)
{
    const size_t sizes[] = {20, 16, 12, 5};
    const int isizes[] = {20, 16, 12, 5};
    const size_t B = 7;
    dk_rng rng;
    dk_rng_seed(&rng, 4);
    mlp net;
    if (!mlp_create(&net, sizes, 3, MLP_RELU, &rng))
        dk_fatal("out of memory");
    gpu_mlp ours = {.nlayers = 3, .nparams = 0};
    memcpy(ours.sizes, isizes, sizeof isizes);
    ours.nparams = mlp_weight_offset(&ours, 3);
    if ((size_t)ours.nparams != net.nparams)
        fail("mlp_weight_offset(net, nlayers) against chapter 02's nparams", 0, (double)net.nparams,
             ours.nparams);
    const size_t n = net.nparams, nacts = mlp_acts_size(&net, B);
    ours.params = copy_of(net.params, n);
    ours.grads = calloc(n, sizeof(float));
    ours.velocity = calloc(n, sizeof(float));
    float *velocity = calloc(n, sizeof(float));
    float *x = random_floats(&rng, B * 20, -1, 1);
    int labels[7];
    for (size_t i = 0; i < B; i++)
        labels[i] = (int)dk_rng_below(&rng, 5);
    float *acts1 = malloc(nacts * sizeof(float)), *acts2 = malloc(nacts * sizeof(float));
    float *dacts1 = malloc(nacts * sizeof(float)), *dacts2 = malloc(nacts * sizeof(float));
    float logits1[35], logits2[35], dlogits1[35], dlogits2[35], losses[7];
    for (int step = 0; step < 3; step++) {
        mlp_zero_grad(&net);
        mlp_forward(&net, x, B, acts1, logits1);
        softmax_cross_entropy(logits1, labels, B, 5, dlogits1);
        mlp_backward(&net, x, B, acts1, dlogits1, dacts1);
        const gpu_mlp_scratch s = {acts2, dacts2, logits2, dlogits2};
        cpu_mlp_train_step(&ours, x, labels, (int)B, 0.1f, 0.9f, &s, losses);
        expect("cpu_mlp_forward's acts against chapter 02's", acts1, acts2, nacts, DK_TOL_REDUCTION);
        expect("cpu_mlp_forward's logits against chapter 02's", logits1, logits2, B * 5,
               DK_TOL_REDUCTION);
        expect("cpu_mlp_backward's grads against chapter 02's", net.grads, ours.grads, n,
               DK_TOL_REDUCTION);
        mlp_sgd_step(&net, velocity, 0.1f, 0.9f);
        expect("cpu_mlp_train_step's velocity against chapter 02's mlp_sgd_step", velocity,
               ours.velocity, n, DK_TOL_REDUCTION);
        expect("cpu_mlp_train_step's params against chapter 02's", net.params, ours.params, n,
               DK_TOL_REDUCTION);
    }
    mlp_free(&net);
    free(ours.params), free(ours.grads), free(ours.velocity), free(velocity), free(x);
    free(acts1), free(acts2), free(dacts1), free(dacts2);
    pass("cpu_mlp_forward/backward/train_step agree with chapter 02's network, 3 steps of SGD");
}

/* ---- Convolution ------------------------------------------------------------------------ */

static const conv2d_dims CONV_SHAPES[] = {{1, 5, 5, 1, 1, 3, 3, 1, 0}, {2, 7, 9, 3, 5, 3, 3, 2, 1},
                                          {2, 13, 11, 4, 6, 3, 5, 3, 2}, {1, 4, 6, 2, 3, 3, 3, 5, 1}};

static void convolution(void)
{
    dk_rng rng;
    dk_rng_seed(&rng, 5);
    for (size_t s = 0; s < sizeof CONV_SHAPES / sizeof CONV_SHAPES[0]; s++) {
        const conv2d_dims *d = &CONV_SHAPES[s];
        const int OH = conv2d_out_dim(d->H, d->kh, d->stride, d->pad);
        const int OW = conv2d_out_dim(d->W, d->kw, d->stride, d->pad);
        const size_t rows = (size_t)d->N * OH * OW, patch = (size_t)d->kh * d->kw * d->C;
        float *x = random_floats(&rng, (size_t)d->N * d->H * d->W * d->C, -1, 1);
        float *w = random_floats(&rng, (size_t)d->K * patch, -1, 1);
        float *b = random_floats(&rng, (size_t)d->K, -1, 1);
        float *cols = malloc(rows * patch * sizeof *cols), *y1 = malloc(rows * d->K * sizeof *y1);
        float *y2 = malloc(rows * d->K * sizeof *y2);
        cpu_conv2d(x, w, b, d, y1);
        cpu_im2col(x, d, cols);
        cpu_linear_forward(cols, w, b, (int)rows, (int)patch, d->K, y2);
        expect("cpu_conv2d against cpu_im2col and a product", y1, y2, rows * d->K,
               DK_TOL_REDUCTION);
#ifdef HAVE_CH04
        const conv2d_shape cs = {(size_t)d->N, (size_t)d->H, (size_t)d->W, (size_t)d->C,
                                 (size_t)d->K, (size_t)d->kh, (size_t)d->kw,
                                 (size_t)d->stride, (size_t)d->pad};
        if (conv2d_out_size((size_t)d->H, (size_t)d->kh, (size_t)d->stride, (size_t)d->pad) !=
            (size_t)OH)
            fail("conv2d_out_dim against chapter 04's conv2d_out_size", s, OH, 0);
        float *cols4 = malloc(rows * patch * sizeof *cols4);
        im2col(x, &cs, cols4);
        expect_bits("cpu_im2col against chapter 04's im2col", cols4, cols, rows * patch * sizeof *cols);
        conv2d_forward_direct(x, w, b, &cs, y2);
        expect("cpu_conv2d against chapter 04's conv2d_forward_direct", y2, y1, rows * d->K,
               DK_TOL_REDUCTION);
        free(cols4);
#endif
        free(x), free(w), free(b), free(cols), free(y1), free(y2);
    }
#ifdef HAVE_CH04
    pass("cpu_im2col and cpu_conv2d agree with chapter 04's and with each other (strides, padding)");
#else
    pass("cpu_im2col and cpu_conv2d agree with each other (chapter 04 is not there yet)");
#endif
}

/* ---- Attention -------------------------------------------------------------------------- */

/* cpu_attention's three steps done by others, head by head: S = Q K^T /
 * sqrt(d) by dk_sgemm, chapter 02's softmax of each row's first i + 1
 * scores, O = P V by dk_sgemm (P zero past the diagonal). */
static void attention_by_steps(const float *Q, const float *K, const float *V, int BH, int T,
                               int d, float *O)
{
    float *S = malloc((size_t)T * T * sizeof *S), *P = calloc((size_t)T * T, sizeof *P);
    if (!S || !P)
        dk_fatal("out of memory");
    for (int h = 0; h < BH; h++) {
        const size_t head = (size_t)h * T * d;
        dk_sgemm(false, true, (size_t)T, (size_t)T, (size_t)d, 1.0f / sqrtf((float)d), Q + head,
                 K + head, 0.0f, S);
        for (int i = 0; i < T; i++)
            softmax(S + (size_t)i * T, 1, (size_t)i + 1, P + (size_t)i * T);
        dk_sgemm(false, false, (size_t)T, (size_t)d, (size_t)T, 1.0f, P, V + head, 0.0f, O + head);
    }
    free(S), free(P);
}

static void attention(void)
{
    static const int shapes[][3] = {{1, 1, 16}, {1, 7, 32}, {3, 33, 64}, {2, 100, 16}};
    dk_rng rng;
    dk_rng_seed(&rng, 6);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int big = 0; big < 2; big++) {
            const int BH = shapes[s][0], T = shapes[s][1], d = shapes[s][2];
            const size_t n = (size_t)BH * T * d;
            if (big && d == 32)
                continue; /* 1/sqrt(32) is inexact: float scores in the hundreds would differ */
            /* Multiples of 1/8, Q times 4 or 256: the scores are exact in
             * float32 too, of a few units or of hundreds (the max subtracted). */
            float *Q = grid_floats(&rng, n, big ? 256 : 4), *K = grid_floats(&rng, n, 1);
            float *V = grid_floats(&rng, n, 1);
            float *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
            attention_by_steps(Q, K, V, BH, T, d, want);
            cpu_attention(Q, K, V, BH, T, d, got);
            expect("cpu_attention against dk_sgemm, chapter 02's softmax, dk_sgemm", want, got, n,
                   DK_TOL_REDUCTION);
            /* The last position's key and value changed: no earlier output moves. */
            for (int h = 0; h < BH; h++)
                for (int k = 0; k < d; k++) {
                    const size_t last = ((size_t)h * T + (size_t)T - 1) * d + (size_t)k;
                    K[last] = -K[last] + 1, V[last] = 1000;
                }
            cpu_attention(Q, K, V, BH, T, d, want);
            for (int h = 0; h < BH; h++)
                expect_bits("cpu_attention: the last key and value reach an earlier position",
                            got + (size_t)h * T * d, want + (size_t)h * T * d,
                            (size_t)(T - 1) * d * sizeof *got);
            free(Q), free(K), free(V), free(want), free(got);
        }
    pass("cpu_attention agrees with its steps by dk_sgemm and chapter 02's softmax (scores near 0 "
         "and in the hundreds); the future never reaches the past");
}

/* ---- The recipe ---------------------------------------------------------------------------- */

static void recipe_matches_chapter_02(void)
{
    const gpu_recipe *g = &GPU_RECIPE_MNIST;
    const mlp_recipe *r = &MLP_RECIPE_MNIST;
    if (r->depth != 1 || (size_t)g->hidden != r->hidden || (size_t)g->epochs != r->epochs ||
        (size_t)g->batch != r->batch || g->lr_max != r->lr_max || g->momentum != r->momentum ||
        g->shift != r->shift || !g->one_cycle)
        fail("GPU_RECIPE_MNIST against chapter 02's MLP_RECIPE_MNIST", 0, 0, 0);
    /* The first parameters: mlp_create's draws. */
    dk_rng a, b;
    dk_rng_seed(&a, 7), dk_rng_seed(&b, 7);
    const size_t sizes[] = {784, 512, 10};
    const int isizes[] = {784, 512, 10};
    mlp net;
    if (!mlp_create(&net, sizes, 2, MLP_RELU, &a))
        dk_fatal("out of memory");
    float *params = malloc(net.nparams * sizeof *params);
    gpu_init_params(isizes, 2, &b, params);
    expect_bits("gpu_init_params against chapter 02's mlp_create", net.params, params,
                net.nparams * sizeof *params);
    /* Two epochs of 300 images 28x28 in batches of 64: the order and the
     * shifted images, as mlp_train_epoch's copies and shift_images make them. */
    enum { N = 300, D = 784, BATCH = 64 };
    float *images = random_floats(&a, (size_t)N * D, 0, 1);
    float *want = malloc((size_t)BATCH * D * sizeof *want), *got = malloc((size_t)BATCH * D * sizeof *got);
    size_t order[N];
    int gorder[N], shifts[2 * N];
    float lr[(N + BATCH - 1) / BATCH];
    shift_aug aug = {28, 28, 2};
    const gpu_recipe small = {8, 2, BATCH, 0.1f, 0.9f, 2, true};
    dk_rng_seed(&a, 9), dk_rng_seed(&b, 9);
    for (int epoch = 0; epoch < 2; epoch++) {
        dk_rng_permutation(&a, order, N);
        if (!gpu_plan_epoch(&small, N, true, 0, 10, &b, gorder, shifts, lr))
            dk_fatal("out of memory");
        for (int start = 0; start < N; start += BATCH) {
            const int B = N - start < BATCH ? N - start : BATCH;
            for (int i = 0; i < B; i++) {
                if ((int)order[start + i] != gorder[start + i])
                    fail("gpu_plan_epoch's order against mlp_train_epoch's", (size_t)(start + i),
                         (double)order[start + i], gorder[start + i]);
                memcpy(want + (size_t)i * D, images + order[start + i] * D, D * sizeof *want);
                for (int p = 0; p < D; p++)
                    got[(size_t)i * D + p] =
                        gpu_shifted_pixel(images + (size_t)gorder[start + i] * D, 28, 28,
                                          shifts[2 * (start + i)], shifts[2 * (start + i) + 1], p);
            }
            shift_images(want, (size_t)B, &a, &aug);
            expect_bits("gpu_plan_epoch + gpu_shifted_pixel against shift_images", want, got,
                        (size_t)B * D * sizeof *want);
        }
    }
    mlp_free(&net);
    free(params), free(images), free(want), free(got);
    pass("the trainer's recipe is chapter 02's: MLP_RECIPE_MNIST, mlp_create's "
         "draws, each epoch's order and shifts, bit for bit");
}

int main(int argc, char **argv)
{
    (void)argc;
    dk_blas_init(argv, 1);
    tolerance_policy();
    gemm_against_openblas();
    softmax_and_cross_entropy();
    layers();
    network();
    convolution();
    attention();
    recipe_matches_chapter_02();
    printf("the CUDA track's CPU references: %d checks passed\n", checks);
    return 0;
}
