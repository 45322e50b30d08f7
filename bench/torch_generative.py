"""make bench, the chapter 07 rows, PyTorch's side: bench/generative_epochs.c's
training in PyTorch, as a student would write it.

    torch_generative.py THREADS EPOCHS TRAIN_IMAGES TRAIN_LABELS TEST_IMAGES TEST_LABELS

The VAE of PyTorch's example (pytorch/examples, vae/main.py): 784-400-20,
ReLU, Adam 1e-3, batches of 128, binary cross-entropy with logits summed
over pixels plus the KL term; each epoch followed by the test set's
negative ELBO. The GAN of the kit's recipe: a generator 64-256-512-784
(Linear, BatchNorm1d with the batch's statistics, LeakyReLU 0.2; tanh), a
discriminator 784-512-256-1 (Linear, LeakyReLU 0.2, Dropout 0.3), Adam
2e-4 with betas (0.5, 0.999), batches of 64, the non-saturating generator
loss, the generator's moving average updated after every step. Prints, for
the harness, lines as generative_epochs does:
    torch VERSION BLAS FOLDER
    vae I SECONDS NELBO
    gan I SECONDS D_LOSS G_LOSS
"""
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

from torch_mlp import blas, load


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def nelbo(logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


def vae_epochs(x, xt, epochs):
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for e in range(1, epochs + 1):
        t0 = time.perf_counter()
        order = torch.randperm(len(x))
        for start in range(0, len(x), 128):
            batch = x[order[start:start + 128]]
            opt.zero_grad()
            logits, mu, logvar = model(batch)
            loss = nelbo(logits, batch, mu, logvar)
            loss.backward()
            opt.step()
        with torch.no_grad():
            logits, mu, logvar = model(xt)
            test = nelbo(logits, xt, mu, logvar).item() / len(xt)
        print(f"vae {e} {time.perf_counter() - t0:.4f} {test:.2f}", flush=True)


def generator():
    return nn.Sequential(
        nn.Linear(64, 256), nn.BatchNorm1d(256), nn.LeakyReLU(0.2),
        nn.Linear(256, 512), nn.BatchNorm1d(512), nn.LeakyReLU(0.2),
        nn.Linear(512, 784), nn.Tanh())


def discriminator():
    return nn.Sequential(
        nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Linear(256, 1))


def gan_epochs(x, epochs):
    G, D = generator(), discriminator()
    average = [p.detach().clone() for p in G.parameters()]
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real_x = x * 2 - 1
    ones, zeros = torch.ones(64, 1), torch.zeros(64, 1)
    step = 0
    for e in range(1, epochs + 1):
        t0 = time.perf_counter()
        order = torch.randperm(len(x))
        losses = [0.0, 0.0]
        steps = 0
        for start in range(0, len(x) - 63, 64):
            real = real_x[order[start:start + 64]]
            fake = G(torch.randn(64, 64)).detach()
            d_loss = F.binary_cross_entropy_with_logits(D(real), ones) + \
                F.binary_cross_entropy_with_logits(D(fake), zeros)
            opt_d.zero_grad()
            d_loss.backward()
            opt_d.step()
            g_loss = F.binary_cross_entropy_with_logits(D(G(torch.randn(64, 64))), ones)
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
            step += 1
            rate = max(1e-3, 9 / (step + 10))
            with torch.no_grad():
                torch._foreach_lerp_(average, [p.detach() for p in G.parameters()], rate)
            losses[0] += d_loss.item()
            losses[1] += g_loss.item()
            steps += 1
        print(f"gan {e} {time.perf_counter() - t0:.4f} {losses[0] / steps:.4f} "
              f"{losses[1] / steps:.4f}", flush=True)


def main():
    threads, epochs = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    print("torch", torch.__version__, blas(), torch.__file__.rsplit("/", 1)[0], flush=True)
    x, _ = load(sys.argv[3], sys.argv[4], (784,))
    xt, _ = load(sys.argv[5], sys.argv[6], (784,))
    vae_epochs(x, xt, epochs)
    gan_epochs(x, epochs)


if __name__ == "__main__":
    main()
