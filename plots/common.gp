# What the kit's pictures share; every script in plots/ starts with
#   load system("dirname '".ARG0."'")."/common.gp"
# and then uses what it needs of: the output (a PNG or the terminal), padded
# ranges, integer epoch tics, human labels for the logs' columns, plain
# glyphs in the terminal, and the record that tests/check-plots reads.

plots_dir = system("dirname '".ARG0."'")

# OUT "-": a rendering in the terminal (set terminal dumb) of TW x TH
# characters, else a PNG of W x H pixels. `eval output(out, ...)`.
output(out, w, h, tw, th) = out eq "-" ? sprintf("set terminal dumb size %d,%d", tw, th) : \
    sprintf("set terminal pngcairo size %d,%d font 'sans,10'; set output '%s'", w, h, out)

# The y axis's label: the terminal cannot turn text, so there it stands
# level above the axis's top left (label 99), the title a line higher.
# `eval ylabel(out, text)`.
ylabel(out, text) = out eq "-" ? \
    sprintf("set label 99 '%s' at screen 0, graph 1 offset 1,1 left; set tmargin 4; set title offset 0,1", \
            text) : sprintf("set ylabel '%s'", text)

# Autoscaled ranges get a margin: nothing drawn on the frame. `eval padded`.
# (gnuplot pads only an axis autoscaled at both ends, and then extends it to
# the next tics; where that is too loose, or the data may be constant,
# which leaves an empty range, a script sets the range: padded_range.)
padded = "set offsets graph 0.04, graph 0.04, graph 0.08, graph 0.08"

# "set yrange" (AXIS "y") from LO to HI plus a margin of 8% of the span, or
# of the value where the data is constant. `eval padded_range("y", lo, hi)`.
margin(lo, hi) = hi > lo ? 0.08 * (hi - lo) : (abs(hi) > 0 ? 0.1 * abs(hi) : 1)
padded_range(axis, lo, hi) = sprintf("set %srange [%g:%g]", axis, lo - margin(lo, hi), hi + margin(lo, hi))
# "LO HI N" of the named columns (words) of CSV logs (files, words), times
# SCALE, N the number of values: nan and columns a log lacks are left out.
column_span(logs, cols, scale) = system(sprintf("awk -F, -v want='%s' -v s=%g -f '%s/column-span.awk' %s", \
                                                 cols, scale, plots_dir, logs))
# A file name quoted for the shell, as column_span and last_epoch take them.
quoted(file) = sprintf("'%s'", file)
# Whether a log holds any value in column COL.
has_values(log, col) = int(word(column_span(quoted(log), col, 1), 3)) > 0
# The same for the y axis straight away. `eval padded_columns(logs, cols, scale)`.
padded_columns(logs, cols, scale) = padded_range("y", real(word(column_span(logs, cols, scale), 1)), \
                                                 real(word(column_span(logs, cols, scale), 2)))

# Epochs are whole numbers: tics at whole epochs, about ten of them at
# most, and half an epoch (or 3% of the run) of margin, for a run of LAST
# epochs. `eval epoch_axis(last)`.
epoch_step(last) = last <= 12 ? 1 : last <= 25 ? 2 : last <= 60 ? 5 : 10 * ceil(last / 100.0)
epoch_pad(last) = last > 16 ? 0.03 * (last - 1) : 0.5
epoch_axis(last) = sprintf("set xlabel 'epoch'; set xtics %d; set mxtics 1; set xrange [%g:%g]", \
                           epoch_step(last), 1 - epoch_pad(last), last + epoch_pad(last))
# The last epoch of logs (quoted files, words): their "epoch" column's largest value.
last_epoch(logs) = real(word(column_span(logs, "epoch", 1), 2))

# The training logs' columns as a reader names them; accuracies, logged as
# fractions, are drawn in percent (column_scale).
column_label(c) = \
    c eq "train_acc" ? "training accuracy (%)" : c eq "test_acc" ? "test accuracy (%)" : \
    c eq "val_acc" ? "validation accuracy (%)" : \
    c eq "train_loss" ? "training loss (cross-entropy, nats)" : \
    c eq "test_loss" ? "test loss (cross-entropy, nats)" : \
    c eq "val_loss" ? "validation loss (cross-entropy, nats)" : \
    c eq "grad_norm" ? "gradient norm (L2)" : c eq "loss" ? "training loss (cross-entropy, nats)" : \
    c eq "step" ? "step (batches)" : c
column_scale(c) = strstrt(c, "_acc") ? 100 : 1

# The style of a data set's I-th curve (1, 2, 3...): points and lines in a
# PNG; in the terminal, points drawn as o, x, +, *, # (gnuplot's own point glyphs
# there are letters, and its line glyphs $, %, @).
curve_style(out, i) = out eq "-" ? sprintf("with points pt \"%s\" lc %d", word("o x + * #", i), i) : \
    sprintf("with linespoints pt 7 ps 0.5 lw 1.5 lc %d", i)

# tests/check-plots reads back what each panel was drawn with: with
# DLKIT_PLOT_SAVE naming a folder, `eval record(out)` after a plot saves the
# settings and the plot command there (gnuplot's save), one file a panel,
# numbered in the order drawn: NNN-OUTNAME.gp, OUTNAME "terminal" for "-".
record_dir = system("printf %s \"${DLKIT_PLOT_SAVE:-}\"")
record_name(out) = out eq "-" ? "terminal" : system(sprintf("basename '%s' .png", out))
record_next(dir) = int(system(sprintf("ls '%s' | wc -l", dir))) + 1
record(out) = record_dir eq "" ? "" : \
    sprintf("save '%s/%03d-%s.gp'", record_dir, record_next(record_dir), record_name(out))
