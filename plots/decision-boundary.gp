# Points coloured by class and a learned linear decision boundary:
#   gnuplot -c plots/decision-boundary.gp POINTS.csv BOUNDARY.csv OUT TITLE
# POINTS.csv: x0,x1,label,split (split 0 train, 1 test); BOUNDARY.csv: x0,x1
# with the segment's two end points (no rows: the line misses the plot).
# OUT is a .png file, or "-" for a rendering in the terminal.
points = ARG1; boundary = ARG2; out = ARG3; title = ARG4
set datafile separator ","
set title title
set xlabel "x0"
set ylabel "x1"
set key outside right
# The boundary's file has no rows when the line misses the plot.
stats boundary using 1 nooutput
has_line = exists("STATS_records") ? STATS_records > 0 : 0
line = has_line ? sprintf(', "%s" using 1:2 with lines lw 2 lc rgb "black" title "boundary"', boundary) \
                : ', NaN title "boundary (outside the plot)"'
if (out eq "-") {
    set terminal dumb size 78,24
    plot points using ($3 == 0 ? $1 : NaN):2 with points pt "o" title "class 0", \
         "" using ($3 == 1 ? $1 : NaN):2 with points pt "x" title "class 1" @line
} else {
    set terminal pngcairo size 720,560 font "sans,10"
    set output out
    plot points using ($3 == 0 && $4 == 0 ? $1 : NaN):2 with points pt 7 ps 0.9 lc rgb "#1f77b4" title "class 0 (train)", \
         "" using ($3 == 1 && $4 == 0 ? $1 : NaN):2 with points pt 5 ps 0.9 lc rgb "#d62728" title "class 1 (train)", \
         "" using ($3 == 0 && $4 == 1 ? $1 : NaN):2 with points pt 6 ps 1.2 lc rgb "#1f77b4" title "class 0 (test)", \
         "" using ($3 == 1 && $4 == 1 ? $1 : NaN):2 with points pt 4 ps 1.2 lc rgb "#d62728" title "class 1 (test)" @line
}
