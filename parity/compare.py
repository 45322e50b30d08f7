"""make parity, PyTorch's side: recomputes every output that parity/layers
wrote, in float64 from the same float32 inputs, and prints one table.

    python compare.py DIR [FROM]

DIR holds index.tsv and the tensors (parity/README.md has the format);
FROM says where this PyTorch comes from, for the table's first line.
A tensor passes when every element does by the grader's one policy
(grader/core/grade.h): |got - expected| <= atol + rtol * |expected|. Exits
1 when any tensor fails, 2 when the files cannot be read or a layer has no
PyTorch counterpart here.
"""

import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)  # small shapes; the machine may be busy
F64 = torch.float64

# The grader's tolerances (rtol, atol): DK_TOL_EXACT, DK_TOL_ELEMENTWISE
# (one operation or library call per element) and DK_TOL_REDUCTION (sums).
TOLS = {"exact": (0.0, 0.0), "elementwise": (1e-5, 1e-6), "reduction": (1e-4, 1e-5)}


# ---- Reading what the kit wrote ----------------------------------------


class Case:
    """One case of one layer: its parameters, inputs and the kit's outputs."""

    def __init__(self, layer, number):
        self.layer, self.number = layer, number
        self.params, self.ins, self.outs = {}, {}, {}

    def p(self, name):
        return self.params[name]

    def n(self, name):
        return int(self.params[name])

    def t(self, name, grad=False):
        """Input `name` as a float64 tensor (a leaf that collects gradients
        when grad is set)."""
        a = torch.from_numpy(self.ins[name].astype(np.float64))
        return a.requires_grad_() if grad else a


def read_tensor(folder, kind, shape, file):
    dtype = {"f32": "<f4", "i32": "<i4"}[kind]
    dims = [int(d) for d in shape.split("x")]
    return np.fromfile(os.path.join(folder, file), dtype=dtype).reshape(dims)


def read_cases(folder):
    cases = {}
    with open(os.path.join(folder, "index.tsv")) as index:
        for line in index:
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            kind, layer, number, name = f[:4]
            case = cases.setdefault(int(number), Case(layer, int(number)))
            if kind == "param":
                # the float32 the kit used, exactly (not the decimal's double)
                case.params[name] = float(np.float32(f[4]))
            else:
                tensors = case.ins if kind == "in" else case.outs
                tensors[name] = read_tensor(folder, *f[4:7])
    return [cases[k] for k in sorted(cases)]


# ---- The layers, in PyTorch ----------------------------------------------
# Each takes a case and returns {output name: expected tensor}; LAYERS maps
# the kit's layer to it and to each output's tolerance. A layer may also
# return, under CONTRAST, what a convention other than the kit's would give
# for one of its outputs: the table's notes say how far off that would be.

LAYERS = {}
CONTRAST = "contrast"


def layer(name, **tols):
    def register(fn):
        LAYERS[name] = (fn, tols)
        return fn

    return register


E, R, X = "elementwise", "reduction", "exact"


@layer("act (01)", heaviside=X, sigmoid=E, sigmoid_grad=E, tanh=E, tanh_grad=E, relu=X,
       relu_grad=X)
def act01(c):
    x = c.t("x", grad=True)
    out = {"heaviside": torch.heaviside(x, torch.ones((), dtype=F64))}  # 1 at 0, as the kit
    for name, fn in (("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu)):
        y = fn(x)
        out[name] = y
        out[name + "_grad"] = torch.autograd.grad(y.sum(), x)[0]
    return out


@layer("perceptron", pred=X)
def perceptron(c):
    z = c.t("X") @ c.t("w") + c.t("b")
    return {"pred": torch.heaviside(z, torch.ones((), dtype=F64))}


@layer("linear", y=R, dx=R, dW=R, db=R)
def linear(c):
    x, W, b = c.t("x", True), c.t("W", True), c.t("b", True)
    W.grad, b.grad = c.t("dW0"), c.t("db0")  # the kit accumulates, as .grad does
    y = F.linear(x, W, b)
    y.backward(c.t("dy"))
    return {"y": y, "dx": x.grad, "dW": W.grad, "db": b.grad}


def activation(fn):
    def run(c):
        x = c.t("x", True)
        y = fn(x)
        y.backward(c.t("dy"))
        return {"y": y, "dx": x.grad}

    return run


# The kit's sigmoid and tanh backward passes read the output y; autograd
# differentiates at x, from the same x.
layer("relu", y=E, dx=E)(activation(torch.relu))
layer("sigmoid", y=E, dx=E)(activation(torch.sigmoid))
layer("tanh", y=E, dx=E)(activation(torch.tanh))


@layer("mse_loss", loss=R, dy=E)
def mse(c):
    y = c.t("y", True)
    loss = F.mse_loss(y, c.t("t"))
    loss.backward()
    return {"loss": loss, "dy": y.grad}


@layer("softmax", p=E)
def softmax(c):
    return {"p": torch.softmax(c.t("logits"), dim=1)}


@layer("softmax_cross_entropy", loss=R, dlogits=E)
def cross_entropy(c):
    z = c.t("logits", True)
    loss = F.cross_entropy(z, torch.from_numpy(c.ins["labels"]).long())
    loss.backward()
    return {"loss": loss, "dlogits": z.grad}


def param_views(flat, shapes):
    """The parameters of a network's flat buffer, in its layout order, as
    views that send their gradients to the buffer."""
    views, at = [], 0
    for shape in shapes:
        n = math.prod(shape)
        views.append(flat[at:at + n].view(*shape))
        at += n
    if at != flat.numel():
        raise ValueError(f"the parameter layout has {at} floats, the buffer {flat.numel()}")
    return views


@layer("mlp", logits=R, loss=R, grads=R)
def mlp(c):
    sizes = [c.n(f"size{l}") for l in range(c.n("nlayers") + 1)]
    act = [torch.relu, torch.sigmoid, torch.tanh][c.n("act")]  # mlp_activation's order
    params = c.t("params", True)
    shapes = [s for i, o in zip(sizes, sizes[1:]) for s in ((o, i), (o,))]
    views = param_views(params, shapes)
    h = c.t("x")
    for l in range(len(sizes) - 1):
        h = F.linear(h, views[2 * l], views[2 * l + 1])
        if l + 2 < len(sizes):
            h = act(h)
    loss = F.cross_entropy(h, torch.from_numpy(c.ins["labels"]).long())
    params.grad = c.t("grads0")
    loss.backward()
    return {"logits": h, "loss": loss, "grads": params.grad}


def optimizer_steps(c, make, state_names):
    """make(p) builds a torch.optim optimizer; it takes the case's steps from
    p0, one gradient each, and returns p and the named state."""
    p = c.t("p0").clone().requires_grad_()
    opt = make([p])
    for g in c.t("g"):
        p.grad = g.clone()
        opt.step()
    out = {"p": p.detach()}
    for kit_name, torch_name in state_names.items():
        # momentum 0 keeps no buffer: the kit's v is then the last gradient
        out[kit_name] = opt.state[p].get(torch_name, c.t("g")[-1])
    return out


@layer("mlp_sgd_step", p=E, v=E)
def mlp_sgd(c):
    sgd = lambda ps: torch.optim.SGD(ps, lr=c.p("lr"), momentum=c.p("momentum"))
    return optimizer_steps(c, sgd, {"v": "momentum_buffer"})


@layer("sgd_step", p=E)
def sgd(c):
    sgd = lambda ps: torch.optim.SGD(ps, lr=c.p("lr"), weight_decay=c.p("weight_decay"))
    return optimizer_steps(c, sgd, {})


def momentum(c):
    sgd = lambda ps: torch.optim.SGD(ps, lr=c.p("lr"), momentum=c.p("momentum"),
                                     weight_decay=c.p("weight_decay"),
                                     nesterov=bool(c.n("nesterov")))
    return optimizer_steps(c, sgd, {"v": "momentum_buffer"})


layer("momentum_step", p=E, v=E)(momentum)
layer("momentum_step (nesterov)", p=E, v=E)(momentum)


def adam(c):
    Opt = torch.optim.AdamW if c.n("decoupled") else torch.optim.Adam
    make = lambda ps: Opt(ps, lr=c.p("lr"), betas=(c.p("beta1"), c.p("beta2")),
                          eps=c.p("eps"), weight_decay=c.p("weight_decay"), foreach=False)
    return optimizer_steps(c, make, {"m": "exp_avg", "v": "exp_avg_sq"})


layer("adam_step (Adam)", p=E, m=E, v=E)(adam)
layer("adam_step (AdamW)", p=E, m=E, v=E)(adam)


def schedule_lrs(c, make):
    """The learning rate of steps 0..total under the scheduler make builds."""
    opt = torch.optim.SGD([torch.zeros(1, dtype=F64, requires_grad=True)], lr=c.p("base"))
    sched, lrs = make(opt), []
    for _ in range(c.n("total") + 1):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return {"lr": torch.tensor(lrs, dtype=F64)}


S = torch.optim.lr_scheduler


@layer("lr_step_decay", lr=E)
def step_decay(c):
    return schedule_lrs(c, lambda o: S.StepLR(o, c.n("step_size"), gamma=c.p("gamma")))


@layer("lr_exponential", lr=E)
def exponential(c):
    return schedule_lrs(c, lambda o: S.ExponentialLR(o, gamma=c.p("gamma")))


# PyTorch's cosine rises again after T_max; steps 0..total are compared,
# the kit's plateau at min_lr beyond is not.
@layer("lr_cosine", lr=E)
def cosine(c):
    return schedule_lrs(c, lambda o: S.CosineAnnealingLR(o, c.n("total"), c.p("min_lr")))


# The kit's warm-up reaches base at step warmup - 1, which LinearLR does
# in warmup - 1 steps from base/warmup; then the cosine, counted afresh.
@layer("lr_warmup_cosine", lr=E)
def warmup_cosine(c):
    w, total = c.n("warmup"), c.n("total")

    def make(o):
        warm = S.LinearLR(o, start_factor=1.0 / w, end_factor=1.0, total_iters=w - 1)
        cos = S.CosineAnnealingLR(o, total - w, c.p("min_lr"))
        return S.SequentialLR(o, [warm, cos], milestones=[w])

    return schedule_lrs(c, make)


@layer("dropout", mask=E, y=E, dx=E, y_eval=X)
def dropout(c):
    """The kit's mask holds 0 or 1/(1-p); PyTorch gets the same draws as a
    keep mask, mask != 0, and scales by 1/(1-p) itself."""
    p, x = c.p("p"), c.t("x", True)
    keep = torch.from_numpy(c.outs["mask"] != 0).to(F64)
    y = x * keep / (1 - p)
    y.backward(c.t("dy"))
    return {"mask": keep / (1 - p), "y": y, "dx": x.grad,
            "y_eval": F.dropout(x, p, training=False)}


@layer("batchnorm", y=R, mean=R, invstd=R, running_mean=R, running_var=R, dx=R, dgamma=R,
       dbeta=R, y_eval=E)
def batchnorm(c):
    x, gamma, beta = c.t("x", True), c.t("gamma", True), c.t("beta", True)
    eps, mom = c.p("eps"), c.p("momentum")
    rm, rv = c.t("running_mean0").clone(), c.t("running_var0").clone()
    # F.batch_norm moves rm and rv in place, by the unbiased variance
    y = F.batch_norm(x, rm, rv, gamma, beta, training=True, momentum=mom, eps=eps)
    gamma.grad, beta.grad = c.t("dgamma0"), c.t("dbeta0")
    y.backward(c.t("dy"))
    # the batch statistics PyTorch keeps for its backward pass
    _, mean, invstd = torch.native_batch_norm(x.detach(), gamma.detach(), beta.detach(),
                                              None, None, True, mom, eps)
    # evaluation on the running statistics the kit left
    kit_rm, kit_rv = (torch.from_numpy(c.outs[k].astype(np.float64))
                      for k in ("running_mean", "running_var"))
    y_eval = F.batch_norm(c.t("x_eval"), kit_rm, kit_rv, gamma.detach(), beta.detach(),
                          training=False, eps=eps)
    biased = x.detach().var(dim=0, unbiased=False)
    return {"y": y, "mean": mean, "invstd": invstd, "running_mean": rm, "running_var": rv,
            "dx": x.grad, "dgamma": gamma.grad, "dbeta": beta.grad, "y_eval": y_eval,
            CONTRAST: {"running_var": (
                "both sides move it by the unbiased batch variance (B-1) and normalise "
                "by the biased one (the invstd row)", "the biased variance",
                (1 - mom) * c.t("running_var0") + mom * biased)}}


# The kit is NHWC with filters (K, kh, kw, C); PyTorch is NCHW with
# filters (K, C, kh, kw): the leaves keep the kit's layouts, permuted views
# go in, and the outputs come back permuted.
def nchw(t):
    return t.permute(0, 3, 1, 2)


def nhwc(t):
    return t.permute(0, 2, 3, 1)


def conv(c):
    x, W, b = c.t("x", True), c.t("W", True), c.t("b", True)
    W.grad, b.grad = c.t("dW0"), c.t("db0")
    stride, pad = c.n("stride"), c.n("pad")
    y = nhwc(F.conv2d(nchw(x), nchw(W), b, stride=stride, padding=pad))
    y.backward(c.t("dy"))
    out = {"y": y, "dx": x.grad, "dW": W.grad, "db": b.grad}
    if "cols" in c.outs:
        out["cols"] = im2col(x.detach(), W.shape[1], W.shape[2], stride, pad)
    return out


# The kit's patch matrix has a row per output pixel (n, oh, ow) and columns
# (i, j, c); F.unfold's is (N, C*kh*kw, OH*OW), columns (c, i, j).
def im2col(x, kh, kw, stride, pad):
    N, C = x.shape[0], x.shape[3]
    u = F.unfold(nchw(x), (kh, kw), padding=pad, stride=stride)
    return u.view(N, C, kh, kw, -1).permute(0, 4, 2, 3, 1).reshape(-1, kh * kw * C)


layer("conv2d_direct", y=R, dx=R, dW=R, db=R)(conv)
layer("conv2d", cols=X, y=R, dx=R, dW=R, db=R)(conv)


@layer("col2im", dx=R)
def col2im(c):
    N, H, W, C = c.outs["dx"].shape
    kh, kw = c.n("kh"), c.n("kw")
    cols = c.t("cols").view(N, -1, kh, kw, C).permute(0, 4, 2, 3, 1).reshape(N, C * kh * kw, -1)
    dx = F.fold(cols, (H, W), (kh, kw), padding=c.n("pad"), stride=c.n("stride"))
    return {"dx": nhwc(dx)}


def pool(fn):
    def run(c):
        x = c.t("x", True)
        y = nhwc(fn(nchw(x), c.n("size"), c.n("stride")))
        y.backward(c.t("dy"))
        return {"y": y, "dx": x.grad}

    return run


# PyTorch's CPU max pooling, like the kit, gives a tie's gradient to the
# first maximum in the window's row-major order.
layer("maxpool", y=E, dx=R)(pool(F.max_pool2d))
layer("maxpool (ties)", y=E, dx=R)(pool(F.max_pool2d))
layer("avgpool", y=E, dx=R)(pool(F.avg_pool2d))


@layer("lenet", logits=R, loss=R, grads=R)
def lenet(c):
    x = c.t("x")
    B, H, W, C = x.shape
    c1, c2, hidden = c.n("c1"), c.n("c2"), c.n("hidden")
    classes = c.outs["logits"].shape[1]
    p, q = ((H // 2) - 4) // 2, ((W // 2) - 4) // 2  # conv1 keeps H, pool halves, conv2 -4
    flat = p * q * c2
    params = c.t("params", True)
    W1, b1, W2, b2, W3, b3, W4, b4 = param_views(params, [
        (c1, 5, 5, C), (c1,), (c2, 5, 5, c1), (c2,), (hidden, flat), (hidden,),
        (classes, hidden), (classes,)])
    h = F.max_pool2d(torch.relu(F.conv2d(nchw(x), nchw(W1), b1, padding=2)), 2, 2)
    h = F.max_pool2d(torch.relu(F.conv2d(h, nchw(W2), b2)), 2, 2)
    h = nhwc(h).reshape(B, flat)  # flattened in the kit's (p, q, c) order
    z = F.linear(torch.relu(F.linear(h, W3, b3)), W4, b4)
    loss = F.cross_entropy(z, torch.from_numpy(c.ins["labels"]).long())
    params.grad = c.t("grads0")
    loss.backward()
    return {"logits": z, "loss": loss, "grads": params.grad}


@layer("embedding", out=X, dtable=R)
def embedding(c):
    table = c.t("table", True)
    table.grad = c.t("dtable0")
    out = F.embedding(torch.from_numpy(c.ins["idx"]).long(), table)
    out.backward(c.t("dout"))
    return {"out": out, "dtable": table.grad}


@layer("rnn", hs=R, dX=R, dh0=R, grads=R)
def rnn(c):
    """nn.RNN (tanh) on the kit's weights; its second bias 0."""
    D, H = c.n("D"), c.n("H")
    params = c.t("params", True)
    Wx, Wh, b = param_views(params, [(H, D), (H, H), (H,)])
    X, h0 = c.t("X", True), c.t("h0", True)
    weights = {"weight_ih_l0": Wx, "weight_hh_l0": Wh, "bias_ih_l0": b,
               "bias_hh_l0": torch.zeros_like(b)}
    hs, _ = torch.func.functional_call(torch.nn.RNN(D, H).double(), weights, (X, h0[None]))
    params.grad = c.t("grads0")
    hs.backward(c.t("dhs"))
    return {"hs": hs, "dX": X.grad, "dh0": h0.grad, "grads": params.grad}


@layer("clip_grad_norm", norm=R, grads=E)
def clip(c):
    p = torch.nn.Parameter(torch.zeros_like(c.t("grads0")))
    p.grad = c.t("grads0").clone()
    norm = torch.nn.utils.clip_grad_norm_([p], c.p("max_norm"))
    return {"norm": norm, "grads": p.grad}


@layer("lstm", hs=R, dX=R, dh0=R, dc0=R, grads=R)
def lstm(c):
    """nn.LSTM: its gates are the kit's (i, f, g, o) in the same rows; its two
    biases get the kit's one and zeros."""
    D, H = c.n("D"), c.n("H")
    params = c.t("params", True)
    Wx, Wh, b = param_views(params, [(4 * H, D), (4 * H, H), (4 * H,)])
    X, h0, c0 = c.t("X", True), c.t("h0", True), c.t("c0", True)
    weights = {"weight_ih_l0": Wx, "weight_hh_l0": Wh, "bias_ih_l0": b,
               "bias_hh_l0": torch.zeros_like(b)}
    hs, _ = torch.func.functional_call(torch.nn.LSTM(D, H).double(), weights,
                                       (X, (h0[None], c0[None])))
    params.grad = c.t("grads0")
    hs.backward(c.t("dhs"))
    return {"hs": hs, "dX": X.grad, "dh0": h0.grad, "dc0": c0.grad, "grads": params.grad}


@layer("layernorm", Y=R, mean=R, rstd=R, dX=R, dgamma=R, dbeta=R)
def layernorm(c):
    X, gamma, beta = c.t("X", True), c.t("gamma", True), c.t("beta", True)
    gamma.grad, beta.grad = c.t("dgamma0"), c.t("dbeta0")
    Y = F.layer_norm(X, X.shape[1:], gamma, beta, eps=1e-5)
    Y.backward(c.t("dY"))
    var, mean = torch.var_mean(X.detach(), dim=1, unbiased=False)
    return {"Y": Y, "mean": mean, "rstd": (var + 1e-5).rsqrt(), "dX": X.grad,
            "dgamma": gamma.grad, "dbeta": beta.grad}


layer("gelu", y=E, dx=E)(activation(lambda x: F.gelu(x, approximate="tanh")))


@layer("attention", P=R, O=R, dQ=R, dK=R, dV=R)
def attention(c):
    """softmax(Q K^T / sqrt(dh)) V with the kit's masks (causal; keys at
    j >= lens[b] hidden), and the padded queries' rows of P multiplied by
    0, which the kit zeroes. F.scaled_dot_product_attention gives no P."""
    Q, K, V = c.t("Q", True), c.t("K", True), c.t("V", True)
    BH, T, dh = Q.shape
    lens = c.ins.get("lens")
    B = len(lens) if lens is not None else BH
    seen = torch.ones(BH, T, T, dtype=torch.bool)
    if c.p("causal"):
        seen &= torch.ones(T, T, dtype=torch.bool).tril()
    query = torch.ones(BH, T, 1, dtype=F64)
    if lens is not None:
        valid = torch.arange(T)[None, :] < torch.from_numpy(lens).long()[:, None]  # (B, T)
        valid = valid.repeat_interleave(BH // B, dim=0)
        seen &= valid[:, None, :]
        query = valid[:, :, None].to(F64)
    scores = (Q @ K.transpose(1, 2) / math.sqrt(dh)).masked_fill(~seen, -math.inf)
    P = torch.softmax(scores, dim=-1) * query
    O = P @ V
    O.backward(c.t("dO"))
    return {"P": P, "O": O, "dQ": Q.grad, "dK": K.grad, "dV": V.grad}


def mha_of(x, Wqkv, bqkv, Wo, bo, heads, causal):
    """nn.MultiheadAttention on the kit's weights: its in_proj is the kit's
    Wqkv (queries, keys, values in the same rows, heads in the same
    features); its attn_mask is True where a query may not look."""
    B, T, D = x.shape
    weights = {"in_proj_weight": Wqkv, "in_proj_bias": bqkv, "out_proj.weight": Wo,
               "out_proj.bias": bo}
    mha = torch.nn.MultiheadAttention(D, heads, batch_first=True, dtype=F64)
    mask = torch.ones(T, T, dtype=torch.bool).triu(1) if causal else None
    y, _ = torch.func.functional_call(mha, weights, (x, x, x),
                                      {"attn_mask": mask, "need_weights": False})
    return y


def block_shapes(D):
    return [(D,), (D,), (3 * D, D), (3 * D,), (D, D), (D,), (D,), (D,), (4 * D, D), (4 * D,),
            (D, 4 * D), (D,)]


def block_of(x, params, heads):
    """GPT-2's pre-norm block from F.layer_norm, the attention above,
    F.linear and F.gelu (tanh form)."""
    D = x.shape[-1]
    g1, b1, Wqkv, bqkv, Wo, bo, g2, b2, W1, c1, W2, c2 = param_views(params, block_shapes(D))
    x1 = x + mha_of(F.layer_norm(x, (D,), g1, b1, eps=1e-5), Wqkv, bqkv, Wo, bo, heads, True)
    hidden = F.gelu(F.linear(F.layer_norm(x1, (D,), g2, b2, eps=1e-5), W1, c1),
                    approximate="tanh")
    return x1 + F.linear(hidden, W2, c2)


@layer("mha", Y=R, dX=R, grads=R)
def mha(c):
    params, X = c.t("params", True), c.t("X", True)
    D = X.shape[-1]
    Wqkv, bqkv, Wo, bo = param_views(params, [(3 * D, D), (3 * D,), (D, D), (D,)])
    params.grad = c.t("grads0")
    Y = mha_of(X, Wqkv, bqkv, Wo, bo, c.n("H"), bool(c.p("causal")))
    Y.backward(c.t("dY"))
    return {"Y": Y, "dX": X.grad, "grads": params.grad}


@layer("block", Y=R, dX=R, grads=R)
def block(c):
    params, X = c.t("params", True), c.t("X", True)
    params.grad = c.t("grads0")
    Y = block_of(X, params, c.n("H"))
    Y.backward(c.t("dY"))
    return {"Y": Y, "dX": X.grad, "grads": params.grad}


@layer("gpt", logits=R, grads=R)
def gpt(c):
    """Token and position embeddings, the blocks, the final layer norm, a
    head without bias (not tied to the embeddings)."""
    V, Tc, D, H, layers = (c.n(k) for k in ("V", "T", "D", "H", "layers"))
    block_n = sum(math.prod(s) for s in block_shapes(D))
    params = c.t("params", True)
    wte, wpe, blocks, g, b, head = param_views(params, [
        (V, D), (Tc, D), (layers * block_n,), (D,), (D,), (V, D)])
    X = torch.from_numpy(c.ins["X"]).long()
    x = F.embedding(X, wte) + wpe[:X.shape[1]]
    for l in range(layers):
        x = block_of(x, blocks[l * block_n:(l + 1) * block_n], H)
    logits = F.linear(F.layer_norm(x, (D,), g, b, eps=1e-5), head)
    params.grad = c.t("grads0")
    logits.backward(c.t("dlogits"))
    return {"logits": logits, "grads": params.grad}


# ---- Chapter 07 ---------------------------------------------------------------


@layer("bce_with_logits", loss=R, dlogits=E)
def bce(c):
    l = c.t("logits", True)
    loss = F.binary_cross_entropy_with_logits(l, c.t("x"), reduction="sum")
    loss.backward()
    return {"loss": loss, "dlogits": l.grad}


@layer("kl_standard_normal", kl=R, dmu=E, dlogvar=E)
def kl(c):
    mu, lv = c.t("mu", True), c.t("logvar", True)
    normal = torch.distributions.Normal
    kl = torch.distributions.kl_divergence(normal(mu, (lv / 2).exp()),
                                           normal(torch.zeros_like(mu), 1.0)).sum()
    kl.backward()
    return {"kl": kl, "dmu": mu.grad, "dlogvar": lv.grad}


@layer("reparameterize", z=E, dmu=E, dlogvar=E)
def reparameterize(c):
    mu, lv = c.t("mu", True), c.t("logvar", True)
    mu.grad, lv.grad = c.t("dmu0"), c.t("dlogvar0")
    z = mu + (lv / 2).exp() * c.t("eps")
    z.backward(c.t("dz"))
    return {"z": z, "dmu": mu.grad, "dlogvar": lv.grad}


@layer("leaky_relu", y=E, dx=E)
def leaky_relu(c):
    """F.leaky_relu's gradient at 0 is the slope; the kit's contract says 1."""
    x, dy = c.t("x", True), c.t("dy")
    y = F.leaky_relu(x, 0.2)
    y.backward(dy)
    torch_dx = x.grad
    return {"y": y, "dx": torch.where(x.detach() == 0, dy, torch_dx),
            CONTRAST: {"dx": ("the slope at 0 is 1 (the kit's contract)",
                              "F.leaky_relu's slope 0.2 at 0", torch_dx)}}


@layer("gan_losses", d_loss=R, dreal=E, dfake=E, g_loss=R, g_dfake=E)
def gan_losses(c):
    """Each batch's binary cross-entropy averaged on its own, then added."""
    real, fake = c.t("real", True), c.t("fake", True)
    bce = F.binary_cross_entropy_with_logits
    d = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
    d.backward()
    fake_g = c.t("fake", True)
    g = bce(fake_g, torch.ones_like(fake_g))
    g.backward()
    return {"d_loss": d, "dreal": real.grad, "dfake": fake.grad, "g_loss": g,
            "g_dfake": fake_g.grad}


@layer("vae", mu=R, logvar=R, z=R, logits=R, terms=R, grads=R)
def vae(c):
    """PyTorch's example VAE (pytorch/examples, vae/main.py) on the kit's
    parameters and noise: BCE summed, the KL in closed form."""
    D, H, Z = c.n("D"), c.n("H"), c.n("Z")
    params = c.t("params", True)
    W1, b1, Wmu, bmu, Wlv, blv, W3, b3, W4, b4 = param_views(params, [
        (H, D), (H,), (Z, H), (Z,), (Z, H), (Z,), (H, Z), (H,), (D, H), (D,)])
    X = c.t("X")
    h1 = torch.relu(F.linear(X, W1, b1))
    mu, logvar = F.linear(h1, Wmu, bmu), F.linear(h1, Wlv, blv)
    z = mu + (logvar / 2).exp() * c.t("eps")
    logits = F.linear(torch.relu(F.linear(z, W3, b3)), W4, b4)
    bce = F.binary_cross_entropy_with_logits(logits, X, reduction="sum")
    kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum()
    params.grad = c.t("grads0")
    (bce + kl).backward()
    return {"mu": mu, "logvar": logvar, "z": z, "logits": logits,
            "terms": torch.stack([bce, kl]), "grads": params.grad}


# ---- Comparing and the table ----------------------------------------------


def errors(got, want, tol):
    """Per element: |got - want| / (atol + rtol |want|), inf where they
    disagree beyond any scale (NaN, another infinity, any difference under
    an exact tolerance); and |got - want| where both are finite."""
    rtol, atol = TOLS[tol]
    same = got == want  # the same infinity too; NaN never matches
    finite = np.isfinite(got) & np.isfinite(want)
    diff = np.where(finite, np.abs(finite_part(got, finite) - finite_part(want, finite)), np.inf)
    scale = atol + rtol * np.abs(finite_part(want, finite))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(same, 0.0, np.where(scale > 0, diff / scale, np.inf))
    return ratio, np.where(same, 0.0, diff), finite


def finite_part(a, finite):
    """a where finite holds, 0 elsewhere (so that inf - inf never runs)."""
    return np.where(finite, a, 0.0)


class Row:
    """One (layer, tensor) line of the table, over all its cases."""

    def __init__(self, layer, tensor, tol):
        self.layer, self.tensor, self.tol = layer, tensor, tol
        self.cases, self.worst, self.max_abs = 0, 0.0, 0.0
        self.diff2, self.want2 = 0.0, 0.0
        self.contrast = None  # (the convention, the other one, its worst ratio)

    def add(self, got, want):
        got = np.asarray(got, dtype=np.float64).ravel()
        want = np.asarray(want, dtype=np.float64).ravel()
        self.cases += 1
        if got.shape != want.shape:
            self.fail()
            return f"{self.layer} {self.tensor}: {got.size} values, PyTorch's has {want.size}"
        ratio, diff, finite = errors(got, want, self.tol)
        if ratio.size:
            self.worst = max(self.worst, float(ratio.max()))
            self.max_abs = max(self.max_abs, float(diff.max()))
        self.diff2 += float(np.sum((finite_part(got, finite) - finite_part(want, finite)) ** 2))
        self.want2 += float(np.sum(finite_part(want, finite) ** 2))
        return None

    def fail(self):
        """A case that could not be compared at all."""
        self.worst = self.max_abs = self.diff2 = math.inf

    def add_contrast(self, convention, other, got, want):
        ratio, _, _ = errors(np.asarray(got, np.float64).ravel(),
                             np.asarray(want, np.float64).ravel(), self.tol)
        worst = float(ratio.max()) if ratio.size else 0.0
        self.contrast = (convention, other, max(worst, self.contrast[2] if self.contrast else 0))

    def norm_rel(self):
        if self.want2 == 0:
            return 0.0 if self.diff2 == 0 else math.inf
        return math.sqrt(self.diff2 / self.want2)

    def passed(self):
        return self.worst <= 1.0


def numpy_of(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)


def compare(cases):
    """The table's rows, in the order of LAYERS (then of each layer's
    outputs), and what went wrong beyond a value: the first problem of each
    row, for the notes."""
    rows, problems = {}, {}
    for c in cases:
        if c.layer not in LAYERS:
            raise KeyError(f"no PyTorch counterpart for the layer '{c.layer}'")
        fn, tols = LAYERS[c.layer]
        for name in c.outs:
            if name not in tols:
                raise KeyError(f"{c.layer}: PyTorch computes no '{name}'")
            rows.setdefault((c.layer, name), Row(c.layer, name, tols[name]))
        try:
            want = fn(c)
        except (RuntimeError, ValueError, IndexError) as e:
            # shapes the kit's outputs imply but PyTorch refuses: its rows fail
            for name in c.outs:
                rows[(c.layer, name)].cases += 1
                rows[(c.layer, name)].fail()
            problems.setdefault(c.layer, f"{c.layer}, case {c.number}: PyTorch stopped: {e}")
            continue
        for name, got in c.outs.items():
            problem = rows[(c.layer, name)].add(got, numpy_of(want[name]))
            if problem:
                problems.setdefault((c.layer, name), problem)
        for name, (convention, other, alt) in want.get(CONTRAST, {}).items():
            rows[(c.layer, name)].add_contrast(convention, other, c.outs[name], numpy_of(alt))
    order = {name: i for i, name in enumerate(LAYERS)}
    # sorted is stable: a layer's outputs keep the kit's order
    return sorted(rows.values(), key=lambda r: order[r.layer]), list(problems.values())


def tol_text(tol):
    """ "reduction 1e-4+1e-5": the class, then rtol+atol (powers of ten)."""
    if tol == "exact":
        return "exact"
    rtol, atol = (f"1e{round(math.log10(v))}" for v in TOLS[tol])
    return f"{tol} {rtol}+{atol}"


def table(rows):
    head = ("layer", "tensor", "cases", "tolerance (rtol+atol)", "worst", "max abs",
            "norm rel", "")
    cells = [head] + [(r.layer, r.tensor, str(r.cases), tol_text(r.tol), f"{r.worst:.3g}",
                       f"{r.max_abs:.2g}", f"{r.norm_rel():.2g}",
                       "PASS" if r.passed() else "FAIL") for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(head))]
    for line in cells:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())


NOTES = [
    "worst: the largest |kit - PyTorch| / (atol + rtol |PyTorch|) over the row's elements "
    "(PASS when <= 1); norm rel: ||kit - PyTorch|| / ||PyTorch|| over all its cases.",
    "conv2d, col2im, pooling, lenet: the kit is NHWC with filters (K, kh, kw, C), PyTorch "
    "NCHW with (K, C, kh, kw): PyTorch gets permuted views of the same values.",
    "conv2d cols: the kit's patch matrix is (N*OH*OW, kh*kw*C), columns (i, j, c); "
    "F.unfold's (N, C*kh*kw, OH*OW) is permuted to it (col2im: F.fold, the other way).",
    "dropout: the kit's mask holds 0 or 1/(1-p); PyTorch gets the same draws as "
    "keep = mask != 0 and computes x * keep / (1-p); the mask row checks the kit's scale.",
    "sigmoid, tanh: the kit's backward passes read the output y; PyTorch's autograd "
    "differentiates at x. act (01) heaviside: 1 at 0 (torch.heaviside's values=1).",
    "linear, batchnorm, conv2d, mlp, lenet: parameter gradients accumulate, as .grad does: "
    "both sides start from the same random gradients.",
    "clip_grad_norm: torch scales by max_norm / (norm + 1e-6), the kit by max_norm / norm "
    "(its contract): a relative 1e-6 / norm, far inside the tolerance.",
    "rnn, lstm: nn.RNN and nn.LSTM have two biases; the kit's one goes in the first, the "
    "second is 0. mha: nn.MultiheadAttention's in_proj is the kit's Wqkv row for row.",
    "lr_warmup_cosine: SequentialLR of LinearLR (base/warmup to base over warmup-1 steps) "
    "and CosineAnnealingLR (T_max total-warmup); lr_cosine: steps 0..total only.",
]


def contrast_notes(rows):
    """A line per convention checked against another: what the other would
    score, to show that the row tells them apart."""
    for r in rows:
        if r.contrast:
            convention, other, worst = r.contrast
            verdict = "FAIL" if worst > 1 else "PASS: this row cannot tell them apart"
            yield (f"{r.layer} {r.tensor}: {convention}; {other} would score a worst ratio "
                   f"of {worst:.3g} ({verdict}).")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: compare.py DIR [FROM]")
    folder, where = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    try:
        cases = read_cases(folder)
        rows, problems = compare(cases)
    except (OSError, KeyError, ValueError) as e:
        print(f"parity: {e}", file=sys.stderr)
        sys.exit(2)
    layers = len({r.layer for r in rows})
    print(f"dlkit parity: {len(cases)} cases of {layers} layers, the reference of chapters "
          f"01-07 against PyTorch {torch.__version__} in float64"
          f"{f' ({where})' if where else ''}")
    table(rows)
    for note in NOTES + list(contrast_notes(rows)) + problems:
        print("- " + note)
    failed = [f"{r.layer} {r.tensor}" for r in rows if not r.passed()]
    if failed:
        print("- FAIL: " + ", ".join(failed))
    print(f"{len(rows) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
