/* Chapter 05's studies (kit code: you need not edit it).
 *
 *   study OUTDIR            lists the studies
 *   study OUTDIR NAME       runs one; writes OUTDIR/NAME.csv
 *
 * gradient-flow: how much of a loss's gradient reaches the steps before
 * it. A layer runs 100 steps over random inputs; the loss looks at the
 * last step only (its gradient there a fixed random direction), and your
 * backward pass sends it back through time. The CSV has, for each lag
 * (steps back from the loss), the norm of the gradient reaching that
 * step's input, relative to the last step's, for the vanilla RNN at three
 * scales of Wh and for the LSTM with and without its forget-gate bias. */
#include "blas.h"
#include "csvlog.h"
#include "rnn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D = 16, H = 64, T = 100, B = 16, RUNS = 5 };

/* A layer and how its initialisation is changed. */
typedef struct flow_run {
    const char *name;
    cell_kind kind;
    float wh_gain;       /* Wh times this after cell_init */
    float forget_bias;   /* the LSTM's, after cell_init */
} flow_run;

static const flow_run RUNS_OF[RUNS] = {
    {"rnn_wh_x1", CELL_RNN, 1.0f, 0.0f},
    {"rnn_wh_x3", CELL_RNN, 3.0f, 0.0f},
    {"rnn_wh_x6", CELL_RNN, 6.0f, 0.0f},
    {"lstm", CELL_LSTM, 1.0f, 1.0f},
    {"lstm_forget_bias_0", CELL_LSTM, 1.0f, 0.0f},
};

static void *alloc_or_exit(size_t n)
{
    void *p = calloc(n, sizeof(float));
    if (!p)
        dk_fatal("out of memory");
    return p;
}

/* One layer's curve: grad[lag] = ||dX_{T-1-lag}|| / ||dX_{T-1}||. */
static void flow(const flow_run *r, dk_rng *rng, double *grad)
{
    const cell_layout l = cell_layout_of(r->kind, D, H);
    const size_t acts_n = r->kind == CELL_LSTM ? lstm_acts_size(H, T, B) : (size_t)T * B * H;
    float *params = alloc_or_exit(l.n), *X = alloc_or_exit(T * B * D);
    float *h0 = alloc_or_exit(2 * B * H), *acts = alloc_or_exit(acts_n);
    float *dhs = alloc_or_exit(T * B * H), *dX = alloc_or_exit(T * B * D);
    float *grads = alloc_or_exit(l.n);
    cell_init(r->kind, D, H, params, rng);
    for (size_t i = l.Wh; i < l.b; i++)
        params[i] *= r->wh_gain;
    if (r->kind == CELL_LSTM)
        for (size_t j = H; j < 2 * H; j++)
            params[l.b + j] = r->forget_bias;
    for (size_t i = 0; i < (size_t)T * B * D; i++)
        X[i] = dk_rng_range(rng, -1, 1);
    for (size_t i = 0; i < (size_t)B * H; i++) /* the loss's gradient: the last step only */
        dhs[(size_t)(T - 1) * B * H + i] = dk_rng_normal(rng);
    if (r->kind == CELL_LSTM) {
        lstm_forward(params, D, H, X, T, B, h0, h0 + B * H, acts);
        lstm_backward(params, D, H, X, T, B, h0, h0 + B * H, acts, dhs, dX, NULL, NULL, grads);
    } else {
        rnn_forward(params, D, H, X, T, B, h0, acts);
        rnn_backward(params, D, H, X, T, B, h0, acts, dhs, dX, NULL, grads);
    }
    for (size_t lag = 0; lag < T; lag++) {
        const float *dx = dX + (T - 1 - lag) * B * D;
        double sum = 0;
        for (size_t i = 0; i < (size_t)B * D; i++)
            sum += (double)dx[i] * dx[i];
        grad[lag] = sqrt(sum);
    }
    const double last = grad[0];
    for (size_t lag = 0; lag < T; lag++)
        grad[lag] = last > 0 ? grad[lag] / last : 0;
    free(params), free(X), free(h0), free(acts), free(dhs), free(dX), free(grads);
}

static void gradient_flow(const char *dir, uint64_t seed)
{
    static double grad[RUNS][T];
    for (int r = 0; r < RUNS; r++) {
        dk_rng rng;
        dk_rng_seed(&rng, seed + (uint64_t)r);
        flow(&RUNS_OF[r], &rng, grad[r]);
    }
    char path[4096], header[256] = "lag";
    snprintf(path, sizeof path, "%s/gradient-flow.csv", dir);
    for (int r = 0; r < RUNS; r++)
        strcat(strcat(header, ","), RUNS_OF[r].name);
    dk_csvlog *log = dk_csvlog_open_or_exit(path, header);
    for (size_t lag = 0; lag < T; lag++) {
        double row[RUNS + 1] = {(double)lag};
        for (int r = 0; r < RUNS; r++)
            row[r + 1] = grad[r][lag];
        dk_csvlog_row(log, row);
    }
    dk_csvlog_close_or_exit(log);
    printf("the gradient reaching the input 10, 30 and 90 steps before the loss, relative to "
           "the last step's:\n");
    for (int r = 0; r < RUNS; r++)
        printf("  %-20s %10.3g %10.3g %10.3g\n", RUNS_OF[r].name, grad[r][10], grad[r][30],
               grad[r][90]);
}

int main(int argc, char **argv)
{
    dk_blas_init(argv, 0);
    if (argc == 2) {
        puts("gradient-flow  the gradient reaching each of 100 steps back, RNN and LSTM "
             "(seconds)");
        return 0;
    }
    if (argc != 3 || strcmp(argv[2], "gradient-flow") != 0)
        dk_fatal("usage: %s OUTDIR [gradient-flow]", argv[0]);
    const char *seed = getenv("DLKIT_SEED");
    gradient_flow(argv[1], seed && *seed ? strtoull(seed, NULL, 10) : 1);
    return 0;
}
