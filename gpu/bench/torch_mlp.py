"""The CUDA track's MLP row, PyTorch's side: gpu/dev/mlp.cu's --bench
training in PyTorch on the same GPU, as a student would write it.

    torch_mlp.py EPOCHS DATA

The same 784-256-10 ReLU MLP (nn.Linear's default init draws from the same
distribution as ours), CrossEntropyLoss, SGD with momentum 0.9 at a
constant learning rate of 0.01, batch 64, reshuffled every epoch, on the
unpacked IDX files of the in-kit MNIST subset in DATA, all of it on the GPU
from the start (as ours). Eager mode: no torch.compile, no CUDA graphs.
Prints, for gpu/bench/run:
    torch VERSION
    epoch I SECONDS LOSS
    test_acc A
Only the training loop is timed, synchronised at both ends.
"""
import os
import sys
import time

import numpy as np
import torch
from torch import nn

HIDDEN, BATCH, LR, MOMENTUM, SEED = 256, 64, 0.01, 0.9, 1


def read_idx(path, header):
    """The unsigned bytes of an IDX file after its header."""
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def load(data, split, device):
    x = read_idx(os.path.join(data, f"mnist10k-{split}-images-idx3-ubyte"), 16)
    y = read_idx(os.path.join(data, f"mnist10k-{split}-labels-idx1-ubyte"), 8)
    x = torch.from_numpy(x.reshape(-1, 28 * 28).astype(np.float32) / 255)
    return x.to(device), torch.from_numpy(y.astype(np.int64)).to(device)


def train_epoch(model, opt, loss_fn, x, y):
    """One shuffled epoch; the mean training loss."""
    order = torch.randperm(len(x), device=x.device)
    total = torch.zeros((), device=x.device)
    for start in range(0, len(x), BATCH):
        idx = order[start:start + BATCH]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        total += loss.detach() * len(idx)
    return total.item() / len(x)


def main():
    epochs, data = int(sys.argv[1]), sys.argv[2]
    device = torch.device("cuda")
    torch.manual_seed(SEED)
    torch.backends.cuda.matmul.allow_tf32 = False  # FP32, as ours
    print("torch", torch.__version__)
    x, y = load(data, "train", device)
    xt, yt = load(data, "t10k", device)
    model = nn.Sequential(nn.Linear(x.shape[1], HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 10)).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    loss_fn = nn.CrossEntropyLoss()
    for e in range(1, epochs + 1):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        loss = train_epoch(model, opt, loss_fn, x, y)
        torch.cuda.synchronize()
        print(f"epoch {e} {time.perf_counter() - t0:.4f} {loss:.4f}", flush=True)
    with torch.no_grad():
        acc = (model(xt).argmax(1) == yt).float().mean().item()
    print(f"test_acc {acc:.4f}")


if __name__ == "__main__":
    main()
