/* Chapter 03's network and recipes (kit code; see training_recipe.h). */
#include "training_recipe.h"

#include "backprop.h"
#include "metrics.h"
#include "workspace.h"


#include <math.h>
#include <stdlib.h>
#include <string.h>

const training_recipe TRAINING_RECIPE_FULL = {
    .depth = 2, .hidden = 512, .batchnorm = true, .dropout = 0.2f, .init = INIT_HE,
    .optimizer = OPT_ADAMW, .lr = 2e-3f, .weight_decay = 1e-4f, .cosine = true,
    .flip = 0.5f, .epochs = 30, .batch = 128, .patience = 8};

const training_recipe TRAINING_RECIPE_PLAIN = {
    .depth = 2, .hidden = 512, .init = INIT_HE, .optimizer = OPT_SGD, .lr = 0.05f,
    .epochs = 30, .batch = 128};

enum { BN_MOMENTUM_PERCENT = 10 }; /* PyTorch's default momentum, 0.1 */
static const float BN_EPS = 1e-5f;

/* ---- The network ---------------------------------------------------------- */

/* All that training changes lives in `state`: the parameters (first
 * nparams floats), then the batch norms' running means and variances, so
 * that early stopping keeps and restores them together. Hidden layer l
 * holds W (hidden, in_l), b, gamma, beta (hidden each); the output layer W
 * (classes, hidden) and b. */
typedef struct net {
    const training_recipe *r;
    size_t in, classes, nparams, nstate;
    float *state, *grads, *m, *v;
} net;

static size_t layer_in(const net *n, size_t l)
{
    return l ? n->r->hidden : n->in;
}

static size_t layer_offset(const net *n, size_t l)
{
    size_t off = 0;
    for (size_t k = 0; k < l; k++)
        off += n->r->hidden * (layer_in(n, k) + 3);
    return off;
}

static float *running_mean(const net *n, size_t l)
{
    return n->state + n->nparams + l * n->r->hidden;
}

static float *running_var(const net *n, size_t l)
{
    return n->state + n->nparams + (n->r->depth + l) * n->r->hidden;
}

static void init_weights(const training_recipe *r, float *W, size_t fan_in, size_t fan_out, dk_rng *rng)
{
    switch (r->init) {
    case INIT_HE: init_he(W, fan_in, fan_out, rng); break;
    case INIT_XAVIER: init_xavier(W, fan_in, fan_out, rng); break;
    case INIT_NORMAL: init_normal(W, fan_in, fan_out, r->init_std, rng); break;
    case INIT_ZEROS: init_zeros(W, fan_in, fan_out); break;
    }
}

static void fill(float *x, size_t n, float value)
{
    for (size_t i = 0; i < n; i++)
        x[i] = value;
}

static bool net_create(net *n, const training_recipe *r, size_t in, size_t classes, dk_rng *rng)
{
    *n = (net){.r = r, .in = in, .classes = classes};
    const size_t h = r->hidden, top = r->depth ? h : in;
    n->nparams = layer_offset(n, r->depth) + classes * (top + 1);
    n->nstate = n->nparams + 2 * r->depth * h;
    n->state = dk_workspace_alloc(n->nstate, sizeof(float));
    n->grads = dk_workspace_alloc(n->nparams, sizeof(float));
    n->m = dk_workspace_alloc(n->nparams, sizeof(float));
    n->v = dk_workspace_alloc(n->nparams, sizeof(float));
    if (!n->state || !n->grads || !n->m || !n->v)
        return false;
    for (size_t l = 0; l < r->depth; l++) {
        float *W = n->state + layer_offset(n, l);
        init_weights(r, W, layer_in(n, l), h, rng);
        fill(W + h * layer_in(n, l), h, r->bias_init);    /* b */
        fill(W + h * layer_in(n, l) + h, h, 1.0f);        /* gamma */
        fill(running_var(n, l), h, 1.0f);
    }
    init_weights(r, n->state + layer_offset(n, r->depth), top, classes, rng);
    return true;
}

static void net_free(net *n)
{
    dk_workspace_free(n->state), dk_workspace_free(n->grads);
    dk_workspace_free(n->m), dk_workspace_free(n->v);
}

/* One batch's activations, for each hidden layer (B, hidden) each: the
 * linear output z, the batch norm's output, ReLU's, dropout's (the next
 * layer's input) and the dropout mask; the batch norms' statistics. All in
 * a workspace but the logits that are scored and the labels. */
typedef struct acts {
    size_t B;
    float *z, *bn, *relu, *out, *mask, *mean, *invstd, *logits, *dlogits, *d1, *d2, *x;
    int *labels;
} acts;

static bool acts_alloc(acts *a, const net *n, size_t B)
{
    const size_t h = n->r->hidden, L = n->r->depth, layers = L * B * h;
    *a = (acts){.B = B};
    float **bufs[] = {&a->z, &a->bn, &a->relu, &a->out, &a->mask};
    for (size_t i = 0; i < 5; i++)
        *bufs[i] = dk_workspace_alloc(layers + 1, sizeof(float));
    a->mean = dk_workspace_alloc(L * h + 1, sizeof(float));
    a->invstd = dk_workspace_alloc(L * h + 1, sizeof(float));
    a->logits = malloc(B * n->classes * sizeof(float));
    a->dlogits = dk_workspace_alloc(B * n->classes, sizeof(float));
    a->d1 = dk_workspace_alloc(B * (h > n->in ? h : n->in) + 1, sizeof(float));
    a->d2 = dk_workspace_alloc(B * (h > n->in ? h : n->in) + 1, sizeof(float));
    a->x = dk_workspace_alloc(B * n->in, sizeof(float));
    a->labels = malloc(B * sizeof(int));
    return a->z && a->bn && a->relu && a->out && a->mask && a->mean && a->invstd &&
           a->logits && a->dlogits && a->d1 && a->d2 && a->x && a->labels;
}

static void acts_free(acts *a)
{
    float *shared[] = {a->z, a->bn, a->relu, a->out, a->mask, a->mean, a->invstd,
                       a->dlogits, a->d1, a->d2, a->x};
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        dk_workspace_free(shared[i]);
    free(a->logits), free(a->labels);
}

/* Forward pass of x (B, in) into a->logits; in training, batch statistics
 * and dropout (drawn from rng), else the running statistics. */
static void forward(const net *n, const float *x, size_t B, bool training, dk_rng *rng, acts *a)
{
    const training_recipe *r = n->r;
    const size_t h = r->hidden;
    const float *in = x;
    for (size_t l = 0; l < r->depth; l++) {
        const float *W = n->state + layer_offset(n, l), *b = W + h * layer_in(n, l);
        const float *gamma = b + h, *beta = gamma + h;
        float *z = a->z + l * B * h, *bn = a->bn + l * B * h, *relu = a->relu + l * B * h;
        float *out = a->out + l * B * h;
        linear_forward(in, W, b, B, layer_in(n, l), h, z);
        if (r->batchnorm && training)
            batchnorm_forward_train(z, B, h, gamma, beta, BN_EPS, BN_MOMENTUM_PERCENT / 100.0f,
                                    running_mean(n, l), running_var(n, l), a->mean + l * h,
                                    a->invstd + l * h, bn);
        else if (r->batchnorm)
            batchnorm_forward_eval(z, B, h, gamma, beta, BN_EPS, running_mean(n, l),
                                   running_var(n, l), bn);
        else
            memcpy(bn, z, B * h * sizeof(float));
        relu_forward(bn, B * h, relu);
        if (training && r->dropout > 0)
            dropout_forward(relu, B * h, r->dropout, true, rng, a->mask + l * B * h, out);
        else
            memcpy(out, relu, B * h * sizeof(float));
        in = out;
    }
    const float *W = n->state + layer_offset(n, r->depth);
    size_t top = r->depth ? h : n->in;
    linear_forward(in, W, W + n->classes * top, B, top, n->classes, a->logits);
}

/* Backward from a->dlogits, accumulating into n->grads. */
static void backward(const net *n, const float *x, acts *a)
{
    const training_recipe *r = n->r;
    const size_t h = r->hidden, B = a->B, L = r->depth, top = L ? h : n->in;
    const size_t out_off = layer_offset(n, L);
    const float *top_in = L ? a->out + (L - 1) * B * h : x;
    linear_backward(top_in, n->state + out_off, a->dlogits, B, top, n->classes,
                    L ? a->d1 : NULL, n->grads + out_off, n->grads + out_off + n->classes * top);
    for (size_t l = L; l-- > 0;) {
        size_t off = layer_offset(n, l), nin = layer_in(n, l);
        float *d = a->d1, *dz = a->d2;
        if (r->dropout > 0)
            dropout_backward(d, a->mask + l * B * h, B * h, d);
        relu_backward(a->bn + l * B * h, d, B * h, d);
        if (r->batchnorm) {
            const float *gamma = n->state + off + h * nin + h;
            float *dgamma = n->grads + off + h * nin + h;
            batchnorm_backward(d, a->z + l * B * h, B, h, gamma, a->mean + l * h,
                               a->invstd + l * h, dz, dgamma, dgamma + h);
        } else {
            memcpy(dz, d, B * h * sizeof(float));
        }
        const float *in = l ? a->out + (l - 1) * B * h : x;
        linear_backward(in, n->state + off, dz, B, nin, h, l ? a->d1 : NULL, n->grads + off,
                        n->grads + off + h * nin);
    }
}

static void optimizer_step(net *n, float lr, size_t t)
{
    const training_recipe *r = n->r;
    switch (r->optimizer) {
    case OPT_SGD: sgd_step(n->state, n->grads, n->nparams, lr, r->weight_decay); break;
    case OPT_MOMENTUM:
    case OPT_NESTEROV:
        momentum_step(n->state, n->grads, n->m, n->nparams, lr, r->momentum, r->weight_decay,
                      r->optimizer == OPT_NESTEROV);
        break;
    case OPT_ADAM:
    case OPT_ADAMW:
        adam_step(n->state, n->grads, n->m, n->v, n->nparams, t, lr, 0.9f, 0.999f, 1e-8f,
                  r->weight_decay, r->optimizer == OPT_ADAMW);
        break;
    }
}

/* ---- Training ------------------------------------------------------------- */

static dk_scores evaluate(const net *n, const dk_dataset *ds, acts *a)
{
    double loss = 0;
    size_t right = 0;
    for (size_t start = 0; start < ds->n; start += a->B) {
        size_t B = ds->n - start < a->B ? ds->n - start : a->B;
        forward(n, ds->x + start * ds->dim, B, false, NULL, a);
        loss += (double)B * softmax_cross_entropy(a->logits, ds->y + start, B, n->classes, NULL);
        right += dk_count_correct(a->logits, B, n->classes, ds->y + start, NULL);
    }
    return (dk_scores){(float)(loss / (double)ds->n), (float)right / (float)ds->n};
}

static void augment(const training_recipe *r, const dk_dataset *ds, acts *a, size_t B, dk_rng *rng)
{
    if (!ds->h)
        return;
    if (r->shift)
        augment_shift(a->x, B, ds->h, ds->w, ds->c, r->shift, rng);
    if (r->flip > 0)
        augment_flip(a->x, B, ds->h, ds->w, ds->c, r->flip, rng);
    if (r->noise > 0)
        augment_noise(a->x, B * ds->dim, r->noise, rng);
}

typedef struct run {
    const training_recipe *r;
    const dk_dataset *train;
    net n;
    acts a;
    size_t *order, step, total_steps;
    dk_rng rng;
    const dk_train_hooks *hooks;
} run;

/* The learning rate of the next step. */
static float learning_rate(const run *u)
{
    size_t warmup = (u->train->n + u->r->batch - 1) / u->r->batch;
    if (u->r->cosine)
        return lr_warmup_cosine(u->r->lr, u->r->lr / 100, u->step, warmup, u->total_steps);
    return u->r->lr_growth > 0 ? lr_exponential(u->r->lr, u->step, u->r->lr_growth) : u->r->lr;
}

/* One epoch; returns the mean training loss. */
static float train_epoch(run *u)
{
    const dk_dataset *ds = u->train;
    if (u->r->in_order)
        for (size_t i = 0; i < ds->n; i++)
            u->order[i] = i;
    else
        dk_rng_permutation(&u->rng, u->order, ds->n);
    double total = 0;
    for (size_t start = 0; start < ds->n; start += u->r->batch) {
        size_t B = ds->n - start < u->r->batch ? ds->n - start : u->r->batch;
        if (B < 2) /* batch norm needs two samples */
            break;
        for (size_t i = 0; i < B; i++) {
            memcpy(u->a.x + i * ds->dim, ds->x + u->order[start + i] * ds->dim,
                   ds->dim * sizeof(float));
            u->a.labels[i] = ds->y[u->order[start + i]];
        }
        augment(u->r, ds, &u->a, B, &u->rng);
        memset(u->n.grads, 0, u->n.nparams * sizeof(float));
        u->a.B = B;
        forward(&u->n, u->a.x, B, true, &u->rng, &u->a);
        float loss = softmax_cross_entropy(u->a.logits, u->a.labels, B, u->n.classes, u->a.dlogits);
        backward(&u->n, u->a.x, &u->a);
        float lr = learning_rate(u);
        optimizer_step(&u->n, lr, ++u->step);
        total += (double)B * loss;
        if (u->hooks && u->hooks->on_step)
            u->hooks->on_step(start + B, loss, u->hooks->ctx);
    }
    u->a.B = u->r->batch;
    return (float)(total / (double)ds->n);
}

/* The training set as r wants it: a copy sorted by label, or with its
 * labels shuffled apart from the images (the debugging exercise's faults);
 * else train itself. */
static const dk_dataset *broken_copy(const training_recipe *r, const dk_dataset *train, dk_rng *rng,
                                     dk_dataset *copy)
{
    if (!r->sort_by_label && !r->shuffle_labels)
        return train;
    *copy = *train;
    copy->x = malloc(train->n * train->dim * sizeof(float));
    copy->y = malloc(train->n * sizeof(int));
    size_t *idx = malloc(train->n * sizeof *idx);
    if (!copy->x || !copy->y || !idx)
        dk_fatal("out of memory");
    for (size_t i = 0; i < train->n; i++)
        idx[i] = i;
    if (r->sort_by_label) { /* a counting sort, stable */
        size_t k = 0;
        for (int label = 0; label < (int)train->classes; label++)
            for (size_t i = 0; i < train->n; i++)
                if (train->y[i] == label)
                    idx[k++] = i;
    }
    for (size_t i = 0; i < train->n; i++) {
        memcpy(copy->x + i * train->dim, train->x + idx[i] * train->dim, train->dim * sizeof(float));
        copy->y[i] = train->y[idx[i]];
    }
    if (r->shuffle_labels)
        for (size_t i = train->n; i > 1; i--) {
            size_t j = dk_rng_below(rng, i);
            int t = copy->y[i - 1];
            copy->y[i - 1] = copy->y[j], copy->y[j] = t;
        }
    free(idx);
    return copy;
}

dk_scores training_recipe_train(const training_recipe *r, const dk_dataset *train_set, const dk_dataset *val,
                     const dk_dataset *test, uint64_t seed, const dk_train_hooks *hooks)
{
    dk_rng data_rng;
    dk_rng_seed(&data_rng, seed ^ 0x5eedULL);
    dk_dataset copy = {0};
    const dk_dataset *train = broken_copy(r, train_set, &data_rng, &copy);
    run u = {.r = r, .train = train, .hooks = hooks};
    dk_rng_seed(&u.rng, seed);
    u.total_steps = r->epochs * ((train->n + r->batch - 1) / r->batch);
    u.order = malloc(train->n * sizeof *u.order);
    dk_scores result = {NAN, NAN};
    float *best = NULL;
    if (!u.order || !net_create(&u.n, r, train->dim, train->classes, &u.rng) ||
        !acts_alloc(&u.a, &u.n, r->batch) || !(best = malloc(u.n.nstate * sizeof(float))))
        goto done;
    early_stopping es;
    early_stopping_init(&es, r->patience, best, u.n.nstate);
    for (size_t e = 1; e <= r->epochs; e++) {
        dk_epoch_report rep = {e, train_epoch(&u), {NAN, NAN}, {NAN, NAN}, {NAN, NAN}, 0, &u.n};
        rep.val = val ? evaluate(&u.n, val, &u.a) : rep.val;
        rep.test = result = evaluate(&u.n, test, &u.a);
        rep.lr = learning_rate(&u); /* the next epoch's first */
        if (hooks && hooks->on_epoch) {
            dk_dataset some = *train; /* the training set in evaluation mode */
            some.n = train->n < 10000 ? train->n : 10000;
            rep.train = evaluate(&u.n, &some, &u.a);
            hooks->on_epoch(&rep, hooks->ctx);
        }
        if (val && r->patience && early_stopping_update(&es, e, rep.val.loss, u.n.state))
            break;
    }
    if (val && r->patience && es.best_epoch) {
        early_stopping_restore(&es, u.n.state);
        result = evaluate(&u.n, test, &u.a);
    }
done:
    if (train != train_set)
        dk_dataset_free(&copy);
    free(best);
    acts_free(&u.a);
    net_free(&u.n);
    free(u.order);
    return result;
}
