"""make bench, the training row, PyTorch's side: bench/training_epoch.c's
training (chapter 03's full recipe) in PyTorch, as a student would write it.

    torch_training.py THREADS EPOCHS TRAIN_IMAGES TRAIN_LABELS TEST_IMAGES TEST_LABELS

784-512-512-10, each hidden layer Linear -> BatchNorm1d -> ReLU -> Dropout(0.2),
He (Kaiming normal) weights and zero biases, CrossEntropyLoss, AdamW (lr 2e-3,
weight decay 1e-4) with a linear warm-up over the first epoch then cosine to
lr/100 over the run, each image of a batch mirrored left to right with
probability 0.5, batch 128, reshuffled every epoch, on the first 55,000 of
the training images that our side read. Prints, for the harness, lines as
training_epoch does:
    torch VERSION BLAS FOLDER
    epoch I SECONDS LOSS
    test_acc A
Only the training loop is timed: not loading, not evaluating.
"""
import gzip
import math
import os
import re
import sys
import time

import numpy as np
import torch
from torch import nn

# TRAINING_RECIPE_FULL (drivers/03-training/training_recipe.c); training_epoch
# stops when that recipe no longer matches these.
DEPTH, HIDDEN, DROPOUT, BATCH = 2, 512, 0.2, 128
LR, WEIGHT_DECAY, BETAS, EPS = 2e-3, 1e-4, (0.9, 0.999), 1e-8
MIN_LR = 0.01  # the cosine ends at LR / 100
FLIP = 0.5
# training_recipe.c's batch norm follows PyTorch's defaults; spelt out so
# that a change of default cannot part the two sides silently.
BN_MOMENTUM, BN_EPS = 0.1, 1e-5
HOLDOUT = 5000  # chapter 03's validation images, left out as our side does
SEED = 1


def read_idx(path):
    """The dimensions and the unsigned bytes of a gzipped IDX file."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return dims, np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)


def load(images, labels):
    """Images (n, height, width) in [0, 1], labels (n,)."""
    dims, pixels = read_idx(images)
    x = pixels.reshape(dims).astype(np.float32) / 255
    y = read_idx(labels)[1].astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def make_model(inputs, classes):
    layers, width = [], inputs
    for _ in range(DEPTH):
        layers += [nn.Linear(width, HIDDEN),
                   nn.BatchNorm1d(HIDDEN, eps=BN_EPS, momentum=BN_MOMENTUM),
                   nn.ReLU(), nn.Dropout(DROPOUT)]
        width = HIDDEN
    layers.append(nn.Linear(width, classes))
    model = nn.Sequential(*layers)
    # Our init_he: normal, standard deviation sqrt(2 / fan_in), on every
    # layer, the output one too; biases start at 0. nn.Linear's default
    # (uniform, a sixth of that variance) would train differently.
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return model


def warmup_cosine(warmup, total):
    """The factor of LR at step s (from 0), as lr_warmup_cosine: linear
    warm-up over `warmup` steps, then cosine to MIN_LR over the rest."""
    def factor(s):
        if s < warmup:
            return (s + 1) / warmup
        if s >= total:
            return MIN_LR
        t = (s - warmup) / (total - warmup)
        return MIN_LR + (1 - MIN_LR) * 0.5 * (1 + math.cos(math.pi * t))
    return factor


def train_epoch(model, opt, sched, loss_fn, x, y):
    """One shuffled epoch with flips; the mean training loss."""
    model.train()
    order = torch.randperm(len(x))
    total = 0.0
    for start in range(0, len(x), BATCH):
        idx = order[start:start + BATCH]
        xb = x[idx]  # a copy: flipping it leaves the data set alone
        flip = torch.rand(len(idx)) < FLIP
        xb[flip] = torch.flip(xb[flip], dims=[2])  # (B, height, width): width
        opt.zero_grad()
        loss = loss_fn(model(xb.flatten(1)), y[idx])
        loss.backward()
        opt.step()
        sched.step()  # per step, as our side's schedule
        total += loss.item() * len(idx)
    return total / len(x)


def blas():
    """The BLAS PyTorch was built with (mkl, openblas...), as it says."""
    found = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return found.group(1) if found else "unknown"


def main():
    threads, epochs = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(SEED)
    print("torch", torch.__version__, blas(), os.path.dirname(torch.__file__))
    x, y = load(sys.argv[3], sys.argv[4])
    x, y = x[:len(x) - HOLDOUT], y[:len(y) - HOLDOUT]
    xt, yt = load(sys.argv[5], sys.argv[6])

    model = make_model(x[0].numel(), 10)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=BETAS, eps=EPS,
                            weight_decay=WEIGHT_DECAY)
    steps = math.ceil(len(x) / BATCH)  # one epoch of warm-up
    sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup_cosine(steps, epochs * steps))
    loss_fn = nn.CrossEntropyLoss()
    for e in range(1, epochs + 1):
        t0 = time.perf_counter()
        loss = train_epoch(model, opt, sched, loss_fn, x, y)
        print(f"epoch {e} {time.perf_counter() - t0:.4f} {loss:.4f}", flush=True)

    model.eval()  # the running statistics, no dropout
    with torch.no_grad():
        acc = (model(xt.flatten(1)).argmax(1) == yt).float().mean().item()
    print(f"test_acc {acc:.4f}")


if __name__ == "__main__":
    main()
