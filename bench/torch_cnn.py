"""make bench, the CNN row, PyTorch's side: bench/cnn_epoch.c's training in
PyTorch, as a student would write it.

    torch_cnn.py THREADS EPOCHS C1 C2 HIDDEN TRAIN_IMAGES TRAIN_LABELS TEST_IMAGES TEST_LABELS

The same LeNet-style network (Conv2d and Linear's default initialisation
draws from the same distribution as lenet_create): conv 5x5 padding 2,
ReLU, 2x2 max pool, conv 5x5, ReLU, 2x2 max pool, flatten, linear, ReLU,
linear; CrossEntropyLoss, SGD with momentum 0.9 and a constant learning
rate, batch 64, reshuffled every epoch, on the IDX files that our side
read. Prints, for the harness, lines as cnn_epoch does:
    torch VERSION BLAS FOLDER
    epoch I SECONDS LOSS
    test_acc A
Only the training loop is timed: not loading, not evaluating. Images are
read as (N, 1, 28, 28): PyTorch's layout, NCHW.
"""
import sys

from torch import nn

from torch_mlp import run  # the loading, the loop and the printing


def lenet(c1, c2, hidden):
    return nn.Sequential(
        nn.Conv2d(1, c1, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * 5 * 5, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def main():
    c1, c2, hidden = (int(a) for a in sys.argv[3:6])
    run(lambda: lenet(c1, c2, hidden), (1, 28, 28), int(sys.argv[1]), int(sys.argv[2]),
        sys.argv[6:10])


if __name__ == "__main__":
    main()
