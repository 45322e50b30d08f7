# Each head's attention weights on one sequence (chapter 06), side by side:
# row i is query position i, column j key position j, 0 white to 1 dark.
#   gnuplot -c plots/attention-maps.gp MAPS.txt HEADS TITLE OUT
# MAPS.txt: a T x T block per head, blocks two blank lines apart. OUT is a
# .png file.
load system("dirname '".ARG0."'")."/common.gp"
maps = ARG1; heads = int(ARG2); title = ARG3; out = ARG4
eval output(out, 460 * heads, 500, 78, 24)
set multiplot layout 1, heads title title
set size ratio -1
set xlabel "key position"
set ylabel "query position"
set yrange [*:*] reverse
set cbrange [0:1]
set palette defined (0 'white', 1 '#08306b')
do for [h = 1:heads] {
    set title sprintf("head %d", h)
    set autoscale xfix
    set autoscale yfix
    plot maps index (h - 1) matrix with image notitle
    eval record(out)
}
unset multiplot
