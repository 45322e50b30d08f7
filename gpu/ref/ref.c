/* The CUDA track's CPU references (see ref.h). */
#include "ref.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float *alloc_floats(size_t n)
{
    float *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        dk_fatal("out of memory for %zu floats in a CPU reference", n);
    return p;
}

/* src (rows, cols) transposed into a new (cols, rows) array. */
static float *transposed(const float *src, int rows, int cols)
{
    float *t = alloc_floats((size_t)rows * (size_t)cols);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            t[(size_t)c * (size_t)rows + (size_t)r] = src[(size_t)r * (size_t)cols + (size_t)c];
    return t;
}

void cpu_gemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float *A,
              const float *B, float beta, float *C)
{
    /* op(A) as (M, K) and op(B) as (K, N), so that the inner loop runs
     * along rows of both (it vectorizes, in double). */
    float *At = trans_a ? transposed(A, K, M) : NULL, *Bt = trans_b ? transposed(B, N, K) : NULL;
    const float *a = At ? At : A, *b = Bt ? Bt : B;
    double *acc = malloc((size_t)N * sizeof *acc);
    if (!acc)
        dk_fatal("out of memory in cpu_gemm");
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < N; j++)
            acc[j] = 0;
        for (int k = 0; k < K; k++) {
            const double aik = a[(size_t)i * (size_t)K + (size_t)k];
            const float *brow = b + (size_t)k * (size_t)N;
            for (int j = 0; j < N; j++)
                acc[j] += aik * brow[j];
        }
        float *crow = C + (size_t)i * (size_t)N;
        for (int j = 0; j < N; j++)
            crow[j] = (float)(alpha * acc[j] + (beta == 0.0f ? 0.0 : (double)beta * crow[j]));
    }
    free(acc);
    free(At);
    free(Bt);
}

/* The row's largest value and log sum_j exp(row[j] - max), in double. */
static void row_logsumexp(const float *row, int C, double *max, double *log_sum)
{
    double m = row[0], sum = 0;
    for (int j = 1; j < C; j++)
        m = row[j] > m ? row[j] : m;
    for (int j = 0; j < C; j++)
        sum += exp(row[j] - m);
    *max = m;
    *log_sum = log(sum);
}

void cpu_softmax(const float *logits, int B, int C, float *p)
{
    for (int i = 0; i < B; i++) {
        const float *row = logits + (size_t)i * (size_t)C;
        double m, log_sum;
        row_logsumexp(row, C, &m, &log_sum);
        for (int j = 0; j < C; j++)
            p[(size_t)i * (size_t)C + (size_t)j] = (float)exp(row[j] - m - log_sum);
    }
}

void cpu_cross_entropy(const float *logits, const int *labels, int B, int C, float *losses,
                       float *dlogits)
{
    for (int i = 0; i < B; i++) {
        const float *row = logits + (size_t)i * (size_t)C;
        double m, log_sum;
        row_logsumexp(row, C, &m, &log_sum);
        losses[i] = (float)(m + log_sum - row[labels[i]]);
        if (!dlogits)
            continue;
        float *d = dlogits + (size_t)i * (size_t)C;
        for (int j = 0; j < C; j++)
            d[j] = (float)((exp(row[j] - m - log_sum) - (j == labels[i])) / B);
    }
}

/* x[n, h, w, c], or 0 outside the image. */
static float pixel(const float *x, const conv2d_dims *d, int n, int h, int w, int c)
{
    if (h < 0 || h >= d->H || w < 0 || w >= d->W)
        return 0.0f;
    return x[(((size_t)n * (size_t)d->H + (size_t)h) * (size_t)d->W + (size_t)w) * (size_t)d->C +
             (size_t)c];
}

void cpu_im2col(const float *x, const conv2d_dims *d, float *cols)
{
    const int OH = conv2d_out_dim(d->H, d->kh, d->stride, d->pad);
    const int OW = conv2d_out_dim(d->W, d->kw, d->stride, d->pad);
    for (int n = 0; n < d->N; n++)
        for (int oh = 0; oh < OH; oh++)
            for (int ow = 0; ow < OW; ow++)
                for (int i = 0; i < d->kh; i++)
                    for (int j = 0; j < d->kw; j++)
                        for (int c = 0; c < d->C; c++)
                            *cols++ = pixel(x, d, n, oh * d->stride + i - d->pad,
                                            ow * d->stride + j - d->pad, c);
}

void cpu_conv2d(const float *x, const float *Wt, const float *b, const conv2d_dims *d, float *y)
{
    const int OH = conv2d_out_dim(d->H, d->kh, d->stride, d->pad);
    const int OW = conv2d_out_dim(d->W, d->kw, d->stride, d->pad);
    for (int n = 0; n < d->N; n++)
        for (int oh = 0; oh < OH; oh++)
            for (int ow = 0; ow < OW; ow++)
                for (int k = 0; k < d->K; k++) {
                    const float *w = Wt + (size_t)k * (size_t)(d->kh * d->kw * d->C);
                    double sum = b[k];
                    for (int i = 0; i < d->kh; i++)
                        for (int j = 0; j < d->kw; j++)
                            for (int c = 0; c < d->C; c++)
                                sum += (double)*w++ * pixel(x, d, n, oh * d->stride + i - d->pad,
                                                            ow * d->stride + j - d->pad, c);
                    *y++ = (float)sum;
                }
}

/* One query row against keys 0 .. i of its head, in double: the scores,
 * their max, then the weighted sum of V's rows. s holds i + 1 doubles. */
static void attention_row(const float *q, const float *K, const float *V, int i, int d,
                          double *s, float *o)
{
    const double scale = 1.0 / sqrt((double)d);
    double m = -INFINITY, sum = 0;
    for (int j = 0; j <= i; j++) {
        double dot = 0;
        for (int k = 0; k < d; k++)
            dot += (double)q[k] * K[(size_t)j * (size_t)d + (size_t)k];
        s[j] = dot * scale;
        m = s[j] > m ? s[j] : m;
    }
    for (int j = 0; j <= i; j++)
        sum += s[j] = exp(s[j] - m);
    for (int k = 0; k < d; k++) {
        double acc = 0;
        for (int j = 0; j <= i; j++)
            acc += s[j] * V[(size_t)j * (size_t)d + (size_t)k];
        o[k] = (float)(acc / sum);
    }
}

void cpu_attention(const float *Q, const float *K, const float *V, int BH, int T, int d,
                   float *O)
{
    double *s = malloc((size_t)T * sizeof *s);
    if (!s)
        dk_fatal("out of memory in cpu_attention");
    for (int h = 0; h < BH; h++) {
        const size_t head = (size_t)h * (size_t)T * (size_t)d;
        for (int i = 0; i < T; i++)
            attention_row(Q + head + (size_t)i * (size_t)d, K + head, V + head, i, d, s,
                          O + head + (size_t)i * (size_t)d);
    }
    free(s);
}

void cpu_linear_forward(const float *x, const float *W, const float *b, int B, int in, int out,
                        float *y)
{
    for (int i = 0; i < B; i++)
        memcpy(y + (size_t)i * (size_t)out, b, (size_t)out * sizeof *y);
    cpu_gemm(false, true, B, out, in, 1.0f, x, W, 1.0f, y); /* y += x W^T */
}

void cpu_linear_backward(const float *x, const float *W, const float *dy, int B, int in,
                         int out, float *dx, float *dW, float *db)
{
    if (dx)
        cpu_gemm(false, false, B, in, out, 1.0f, dy, W, 0.0f, dx); /* dx = dy W */
    cpu_gemm(true, false, out, in, B, 1.0f, dy, x, 1.0f, dW);      /* dW += dy^T x */
    for (int j = 0; j < out; j++) {
        double sum = db[j];
        for (int i = 0; i < B; i++)
            sum += dy[(size_t)i * (size_t)out + (size_t)j];
        db[j] = (float)sum;
    }
}

void cpu_relu_forward(const float *x, int n, float *y)
{
    for (int i = 0; i < n; i++)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void cpu_relu_backward(const float *x, const float *dy, int n, float *dx)
{
    for (int i = 0; i < n; i++)
        dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

void cpu_sgd_momentum(float *params, const float *grads, float *velocity, int n, float lr,
                      float momentum)
{
    for (int i = 0; i < n; i++) {
        velocity[i] = momentum * velocity[i] + grads[i];
        params[i] -= lr * velocity[i];
    }
}

int mlp_weight_offset(const gpu_mlp *net, int l)
{
    int off = 0;
    for (int k = 0; k < l; k++)
        off += net->sizes[k + 1] * (net->sizes[k] + 1);
    return off;
}

void cpu_mlp_forward(const gpu_mlp *net, const float *x, int B, float *acts, float *logits)
{
    const float *in = x;
    for (int l = 0; l < net->nlayers; l++) {
        const float *W = net->params + mlp_weight_offset(net, l);
        const int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        const float *b = W + (size_t)n_out * (size_t)n_in;
        if (l + 1 == net->nlayers) {
            cpu_linear_forward(in, W, b, B, n_in, n_out, logits);
            break;
        }
        float *z = acts, *h = acts + (size_t)B * (size_t)n_out;
        cpu_linear_forward(in, W, b, B, n_in, n_out, z);
        cpu_relu_forward(z, B * n_out, h);
        in = h;
        acts += 2 * (size_t)B * (size_t)n_out;
    }
}

/* Where hidden layer k's z starts in acts (its h follows, B*sizes[k+1]
 * floats later). */
static size_t hidden_offset(const gpu_mlp *net, int B, int k)
{
    size_t off = 0;
    for (int j = 0; j < k; j++)
        off += 2 * (size_t)B * (size_t)net->sizes[j + 1];
    return off;
}

void cpu_mlp_backward(const gpu_mlp *net, const float *x, int B, const float *acts,
                      const float *dlogits, float *dacts)
{
    const float *dout = dlogits;
    for (int l = net->nlayers - 1; l >= 0; l--) {
        const int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        const int w = mlp_weight_offset(net, l);
        /* The layer's input: x, or hidden layer l-1's h. */
        const size_t h = l ? hidden_offset(net, B, l - 1) : 0;
        const float *in = l ? acts + h + (size_t)B * (size_t)n_in : x;
        float *din = l ? dacts + h + (size_t)B * (size_t)n_in : NULL;
        cpu_linear_backward(in, net->params + w, dout, B, n_in, n_out, din, net->grads + w,
                            net->grads + w + (size_t)n_out * (size_t)n_in);
        if (l == 0)
            break;
        cpu_relu_backward(acts + h, din, B * n_in, dacts + h);
        dout = dacts + h;
    }
}

void cpu_mlp_train_step(const gpu_mlp *net, const float *x, const int *labels, int B,
                        float lr, float momentum, const gpu_mlp_scratch *s, float *losses)
{
    const int C = net->sizes[net->nlayers];
    memset(net->grads, 0, (size_t)net->nparams * sizeof *net->grads);
    cpu_mlp_forward(net, x, B, s->acts, s->logits);
    cpu_cross_entropy(s->logits, labels, B, C, losses, s->dlogits);
    cpu_mlp_backward(net, x, B, s->acts, s->dlogits, s->dacts);
    cpu_sgd_momentum(net->params, net->grads, net->velocity, net->nparams, lr, momentum);
}
