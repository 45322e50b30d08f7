# Learning curves of chapter 07, one row per epoch:
#   gnuplot -c plots/generative-curves.gp KIND OUT TITLE LOG1 NAME1 [LOG2 NAME2]
# KIND "vae": the negative ELBO per image (train_nelbo, test_nelbo), in
# nats. KIND "gan": in a PNG the two players' losses (d_loss, g_loss) beside
# the classifier score of the samples (score); in the terminal the score
# alone. OUT is a .png file, or "-" for a rendering in the terminal. A
# second log (make compare) is drawn beside the first.
load system("dirname '".ARG0."'")."/common.gp"
kind = ARG1; out = ARG2; title = ARG3
logs = quoted(ARG4) . (ARGC >= 7 ? " " . quoted(ARG6) : "")
set datafile separator ","
set datafile missing "nan"
set key below
eval epoch_axis(last_epoch(logs))
curve(log, col, name, i) = sprintf('"%s" using "epoch":"%s" %s title "%s"', log, col, \
                                   curve_style(out, i), name)
# The columns COLS (words) of both logs, their names NAMES (words), each
# log's name before them when there are two.
curves(cols, names) = ""
both(cols, names) = ARGC >= 7 ? \
    two(ARG4, ARG5 . ", ", cols, names, 0) . ", " . two(ARG6, ARG7 . ", ", cols, names, words(cols)) : \
    two(ARG4, "", cols, names, 0)
two(log, prefix, cols, names, first) = words(cols) == 1 ? \
    curve(log, word(cols, 1), prefix . word(names, 1), first + 1) : \
    curve(log, word(cols, 1), prefix . word(names, 1), first + 1) . ", " . \
    curve(log, word(cols, 2), prefix . word(names, 2), first + 2)
score_panel(out) = sprintf("set title '%s'; %s; %s", "the classifier score of 1,000 samples", \
    ylabel(out, "classifier score (1 to 10)"), padded_range("y", 1, 10))
if (kind eq "vae") {
    eval output(out, 900, 520, 78, 24)
    set title title
    eval ylabel(out, "loss: negative ELBO (nats per image)")
    eval padded_columns(logs, "train_nelbo test_nelbo", 1)
    eval "plot " . both("train_nelbo test_nelbo", "training test")
    eval record(out)
} else {
    if (out ne "-") {
        eval output(out, 1200, 480, 78, 24)
        set multiplot layout 1,2 title title
        set title "the players' losses (binary cross-entropy)"
        eval ylabel(out, "loss (nats)")
        eval padded_columns(logs, "d_loss g_loss", 1)
        eval "plot " . both("d_loss g_loss", "discriminator generator")
        eval record(out)
        eval score_panel(out)
        eval "plot " . both("score", "score")
        eval record(out)
        unset multiplot
    } else {
        eval output(out, 900, 520, 78, 24)
        eval score_panel(out)
        set title title . ": classifier score (loss curves in the PNG)"
        eval "plot " . both("score", "score")
        eval record(out)
    }
}
