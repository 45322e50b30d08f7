# Points coloured by class and a learned linear decision boundary:
#   gnuplot -c plots/decision-boundary.gp POINTS.csv BOX.csv BOUNDARY.csv OUT TITLE
# POINTS.csv: two features (the header's first two names label the axes),
# label, split (0 train, 1 test); BOX.csv: xmin,xmax,ymin,ymax, the box the
# plot shows (the points' range and a margin); BOUNDARY.csv: x0,x1, the
# boundary's two end points on that box's border (no rows: the line misses
# the box). OUT is a .png file, or "-" for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
points = ARG1; box = ARG2; boundary = ARG3; out = ARG4; title = ARG5
set datafile separator ","
header(file, i) = system(sprintf("head -1 '%s' | cut -d, -f%d", file, i))
boxed(i) = real(system(sprintf("awk -F, 'NR == 2 {print $%d}' '%s'", i, box)))
set title title
set xlabel header(points, 1)
eval ylabel(out, header(points, 2))
# Exactly the box: the boundary, which ends on its border, crosses the
# whole picture, and a boundary on a point (XOR's x0 = 0) is not the frame.
set xrange [boxed(1):boxed(2)]
set yrange [boxed(3):boxed(4)]
set key outside right
stats points using 4 nooutput
has_test = STATS_max > 0
stats boundary using 1 nooutput
has_line = exists("STATS_records") ? STATS_records > 0 : 0
line = has_line ? sprintf(', "%s" using 1:2 with lines lt 1 lw 2 lc rgb "black" title "boundary"', boundary) \
                : ', NaN title "boundary (outside the plot)"'
# Class C of split S (-1: both) in STYLE, titled TITLE.
class(c, s, style, name) = sprintf('"%s" using ($3 == %d && (%d < 0 || $4 == %d) ? $1 : NaN):2 %s title "%s"', \
                                  points, c, s, s, style, name)
if (out eq "-") {
    classes = class(0, -1, 'with points pt "o"', "class 0") . ", " . \
              class(1, -1, 'with points pt "x"', "class 1")
} else {
    dot(pt, size, colour) = sprintf('with points pt %d ps %g lc rgb "%s"', pt, size, colour)
    classes = has_test ? \
        class(0, 0, dot(7, 0.9, "#1f77b4"), "class 0 (train)") . ", " . \
        class(1, 0, dot(5, 0.9, "#d62728"), "class 1 (train)") . ", " . \
        class(0, 1, dot(6, 1.2, "#1f77b4"), "class 0 (test)") . ", " . \
        class(1, 1, dot(4, 1.2, "#d62728"), "class 1 (test)") \
      : class(0, 0, dot(7, 0.9, "#1f77b4"), "class 0") . ", " . \
        class(1, 0, dot(5, 0.9, "#d62728"), "class 1")
}
eval output(out, 720, 560, 78, 24)
eval "plot " . classes . line
eval record(out)
