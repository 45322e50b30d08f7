"""make bench, the MLP row, PyTorch's side: bench/mlp_epoch.c's training in
PyTorch, as a student would write it.

    torch_mlp.py THREADS EPOCHS TRAIN_IMAGES TRAIN_LABELS TEST_IMAGES TEST_LABELS

The same 784-256-10 ReLU MLP (nn.Linear's default init draws from the same
distribution as mlp_create), CrossEntropyLoss, SGD with momentum 0.9 and a
constant learning rate, batch 64, reshuffled every epoch, on the IDX files
that our side read. Prints, for the harness, lines as mlp_epoch does:
    torch VERSION BLAS FOLDER
    epoch I SECONDS LOSS
    test_acc A
Only the training loop is timed: not loading, not evaluating.
"""
import gzip
import os
import re
import sys
import time

import numpy as np
import torch
from torch import nn

HIDDEN, BATCH, LR, MOMENTUM, SEED = 256, 64, 0.01, 0.9, 1


def read_idx(path, header):
    """The unsigned bytes of a gzipped IDX file after its header."""
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def load(images, labels, shape):
    """Images as (N, *shape), scaled to [0, 1]; labels as int64."""
    x = read_idx(images, 16).reshape(-1, *shape).astype(np.float32) / 255
    y = read_idx(labels, 8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def train_epoch(model, opt, loss_fn, x, y):
    """One shuffled epoch; the mean training loss."""
    order = torch.randperm(len(x))
    total = 0.0
    for start in range(0, len(x), BATCH):
        idx = order[start:start + BATCH]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    return total / len(x)


def blas():
    """The BLAS PyTorch was built with (mkl, openblas...), as it says."""
    found = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return found.group(1) if found else "unknown"


def run(make_model, shape, threads, epochs, files):
    """Trains make_model() on the IDX files (train images, labels, test
    images, labels) read as images of the given shape, printing the
    harness's lines. bench/torch_cnn.py runs its network through this too."""
    torch.set_num_threads(threads)
    torch.manual_seed(SEED)
    print("torch", torch.__version__, blas(), os.path.dirname(torch.__file__))
    x, y = load(files[0], files[1], shape)
    xt, yt = load(files[2], files[3], shape)

    model = make_model()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = nn.CrossEntropyLoss()
    for e in range(1, epochs + 1):
        t0 = time.perf_counter()
        loss = train_epoch(model, opt, loss_fn, x, y)
        print(f"epoch {e} {time.perf_counter() - t0:.4f} {loss:.4f}", flush=True)

    with torch.no_grad():
        acc = (model(xt).argmax(1) == yt).float().mean().item()
    print(f"test_acc {acc:.4f}")


def main():
    run(lambda: nn.Sequential(nn.Linear(28 * 28, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 10)),
        (28 * 28,), int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:7])


if __name__ == "__main__":
    main()
