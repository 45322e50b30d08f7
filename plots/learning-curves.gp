# Learning curves from a training log (one row per epoch or step):
#   gnuplot -c plots/learning-curves.gp LOG.csv OUT TITLE [train-only]
# OUT is a .png file, or "-" for a rendering in the terminal (accuracy only).
# The log's header names the columns; used here: epoch, train_loss,
# test_loss, train_acc, test_acc (nan where a value is missing). With
# "train-only" (a run without held-out data) the test columns are left out.
log = ARG1; out = ARG2; title = ARG3
with_test = ARGC < 4 || ARG4 ne "train-only"
curve(col, name) = sprintf('"%s" using "epoch":"%s" with linespoints pt 7 ps 0.4 title "%s"', log, col, name)
losses = curve("train_loss", "train") . (with_test ? ", " . curve("test_loss", "test") : "")
accuracies = curve("train_acc", "train") . (with_test ? ", " . curve("test_acc", "test") : "")
set datafile separator ","
set datafile missing "nan"
set xlabel "epoch"
if (out eq "-") {
    set terminal dumb size 78,20
    set title title." (accuracy)"
    set key bottom right
    set yrange [0:1.05]
    plot @accuracies
} else {
    set terminal pngcairo size 1100,420 font "sans,10"
    set output out
    set multiplot layout 1,2 title title
    set title "loss"
    set key top right
    plot @losses
    set title "accuracy"
    set key bottom right
    set yrange [0:1.05]
    plot @accuracies
    unset multiplot
}
