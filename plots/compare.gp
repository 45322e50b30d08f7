# Your learning curve over the reference solution's:
#   gnuplot -c plots/compare.gp YOURS.csv REFERENCE.csv COLUMN OUT TITLE
# COLUMN is the log column to compare (train_acc, test_acc, train_loss...).
# OUT is a .png file, or "-" for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
yours = ARG1; ref = ARG2; column = ARG3; out = ARG4; title = ARG5
both = quoted(yours) . " " . quoted(ref)
scale = column_scale(column)
set datafile separator ","
set datafile missing "nan"
set title title
eval epoch_axis(last_epoch(both))
eval ylabel(out, column_label(column))
eval padded_columns(both, column, scale)
set key below
eval output(out, 720, 500, 78, 22)
curve(file, i, name) = sprintf('"%s" using "epoch":(%g * column("%s")) %s title "%s"', \
                               file, scale, column, curve_style(out, i), name)
eval "plot " . curve(yours, 1, "yours") . ", " . curve(ref, 2, "reference")
eval record(out)
