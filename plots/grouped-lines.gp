# One line per group of a CSV's rows (an optimizer, a set-up, a layer):
#   gnuplot -c plots/grouped-lines.gp CSV GROUP X Y LABELS OUT TITLE SCALE FIRST
# GROUP, X and Y are column numbers; the rows whose GROUP column is FIRST,
# FIRST+1, ... are labelled by the words of LABELS. SCALE: "", "logx",
# "logy" or "logxy". OUT is a .png file, or "-" for the terminal.
csv = ARG1; group = int(ARG2); xcol = int(ARG3); ycol = int(ARG4); labels = ARG5
out = ARG6; title = ARG7; scale = ARG8; first = int(ARG9)
set datafile separator ","
set datafile missing "nan"
set key autotitle columnheader
set termoption noenhanced
set title title
set key outside right
if (strstrt(scale, "x")) { set logscale x }
if (strstrt(scale, "y")) { set logscale y }
stats csv using xcol nooutput
set xlabel system(sprintf("head -1 '%s' | cut -d, -f%d", csv, xcol))
set ylabel system(sprintf("head -1 '%s' | cut -d, -f%d", csv, ycol))
if (out eq "-") {
    set terminal dumb size 90,24
} else {
    set terminal pngcairo size 820,480 font "sans,10"
    set output out
}
# smooth unique: a group's rows are interleaved with the others'
plot for [g=1:words(labels)] csv using (column(group) == first + g - 1 ? column(xcol) : NaN):ycol \
     smooth unique with linespoints pt 7 ps 0.4 title word(labels, g)
