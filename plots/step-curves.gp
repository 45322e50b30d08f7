# Losses per step of one or two training logs, a row every few hundred or
# thousand steps (columns step, train_loss, and dev_loss or val_loss):
#   gnuplot -c plots/step-curves.gp OUT TITLE LOG1 NAME1 [LOG2 NAME2]
# OUT is a .png file, or "-" for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
out = ARG1; title = ARG2
logs = quoted(ARG3) . (ARGC >= 5 ? " " . quoted(ARG5) : "")
set datafile separator ","
set datafile missing "nan"
eval output(out, 900, 520, 78, 24)
set key below
set title title
set xlabel "step (batches)"
eval ylabel(out, "cross-entropy loss (nats per character)")
# The held-out split's column, by the first log's header: makemore's dev
# split, Shakespeare's validation text.
held = system(sprintf("head -1 '%s' | tr , '\\n' | grep -x -m1 -e dev_loss -e val_loss", ARG3))
held_name = held eq "val_loss" ? "validation" : "dev"
eval padded_columns(logs, "train_loss " . held, 1)
set offsets graph 0.03, graph 0.03, 0, 0
curve(log, col, name, i) = sprintf('"%s" using "step":"%s" %s title "%s"', log, col, \
                                   curve_style(out, i), name)
curves = curve(ARG3, "train_loss", ARG4 . ", training", 1) . ", " . \
         curve(ARG3, held, ARG4 . ", " . held_name, 2)
if (ARGC >= 5) {
    curves = curves . ", " . curve(ARG5, "train_loss", ARG6 . ", training", 3) . ", " . \
             curve(ARG5, held, ARG6 . ", " . held_name, 4)
}
eval "plot " . curves
eval record(out)
