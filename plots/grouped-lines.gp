# One line per group of a CSV's rows (an optimizer, a set-up, a layer):
#   gnuplot -c plots/grouped-lines.gp CSV GROUP X Y LABELS OUT TITLE SCALE FIRST
# GROUP, X and Y are column numbers; the rows whose GROUP column is FIRST,
# FIRST+1, ... are labelled by the words of LABELS. SCALE: "", "logx",
# "logy" or "logxy". OUT is a .png file, or "-" for the terminal. The axes
# are labelled from the header's column names (plots/common.gp).
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; group = int(ARG2); xcol = int(ARG3); ycol = int(ARG4); labels = ARG5
out = ARG6; title = ARG7; scale = ARG8; first = int(ARG9)
set datafile separator ","
set datafile missing "nan"
set termoption noenhanced
header(i) = system(sprintf("head -1 '%s' | cut -d, -f%d", csv, i))
xname = header(xcol); yname = header(ycol)
yscale = column_scale(yname)
set title title
set key outside right title header(group)
eval padded
# A log axis is padded to the next decade by gnuplot itself.
if (strstrt(scale, "x")) { set logscale x; set offsets 0, 0, graph 0.08, graph 0.08 }
if (strstrt(scale, "y")) { set logscale y; set offsets graph 0.04, graph 0.04, 0, 0 }
if (xname eq "epoch") { eval epoch_axis(last_epoch(quoted(csv))) } else { set xlabel column_label(xname) }
eval ylabel(out, column_label(yname) . (strstrt(scale, "y") ? ", log scale" : ""))
eval output(out, 820, 480, 90, 24)
# A group's rows alone (awk picks them: the groups' rows are interleaved,
# and a line through NaN-filtered rows would break at every other row).
line(g) = sprintf("'< awk -F, \"\\$%d == %d\" %s' using %d:(%g * $%d) %s title '%s'", \
                  group, first + g - 1, csv, xcol, yscale, ycol, curve_style(out, g), word(labels, g))
lines = line(1)
do for [g=2:words(labels)] { lines = lines . ", " . line(g) }
eval "plot " . lines
eval record(out)
