# Learning curves from a training log (one row per epoch):
#   gnuplot -c plots/learning-curves.gp LOG.csv OUT TITLE LOSS
# OUT is a .png file (loss and accuracy side by side), or "-" for a
# rendering in the terminal (accuracy only). The log's header names the
# columns; used here: epoch, train_loss, train_acc and, where the log has
# values in them (not only nan), test_loss, test_acc, val_loss, val_acc.
# LOSS says what the loss columns hold: "cross-entropy", or "error" (the
# fraction misclassified: chapter 01's perceptron has no other loss).
load system("dirname '".ARG0."'")."/common.gp"
log = ARG1; out = ARG2; title = ARG3; loss = ARG4
with_test = has_values(log, "test_acc")
with_val = has_values(log, "val_acc")
# SCALE: 100 for the columns of fractions, drawn in percent.
curve(col, name, i, scale) = sprintf('"%s" using "epoch":(%g * column("%s")) %s title "%s"', \
                                     log, scale, col, curve_style(out, i), name)
curves(kind, train_name, scale) = curve("train_".kind, train_name, 1, scale) . \
    (with_test ? ", " . curve("test_".kind, "test", 2, scale) : "") . \
    (with_val ? ", " . curve("val_".kind, "validation", 3, scale) : "")
set datafile separator ","
set datafile missing "nan"
eval epoch_axis(last_epoch(quoted(log)))
# The columns of a panel, as with_test and with_val choose.
columns(kind) = "train_".kind . (with_test ? " test_".kind : "") . (with_val ? " val_".kind : "")
eval output(out, 1100, 440, 78, 22)
# Under the plot, where no curve can hide it.
set key below
if (out ne "-") {
    set multiplot layout 1,2 title title
    if (loss eq "error") {
        # Not a cross-entropy: the share of samples misclassified.
        set title "error rate"
        eval ylabel(out, "misclassified samples (%)")
        eval padded_columns(quoted(log), columns("loss"), 100)
        eval "plot " . curves("loss", "training (during the epoch)", 100)
    } else {
        set title "loss"
        eval ylabel(out, "cross-entropy loss (nats per sample)")
        eval padded_columns(quoted(log), columns("loss"), 1)
        eval "plot " . curves("loss", "training", 1)
    }
    eval record(out)
    set title "accuracy"
} else {
    set title title." (accuracy)"
}
eval ylabel(out, "accuracy (%)")
eval padded_columns(quoted(log), columns("acc"), 100)
eval "plot " . curves("acc", "training", 100)
eval record(out)
if (out ne "-") { unset multiplot }
