# Accuracy against parameters, one line per depth (chapter 02's study):
#   gnuplot -c plots/depth-width.gp STUDY.csv OUT
# STUDY.csv: depth,width,params,test_acc,seconds. OUT is a .png file, or
# "-" for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
set datafile separator ","
eval padded
set logscale x
set key bottom right
set xlabel "parameters (log scale)"
eval ylabel(out, "test accuracy (%)")
set title "MNIST: depth and width (8 epochs)"
eval output(out, 720, 480, 78, 22)
line(d) = sprintf("'%s' using ($1 == %d ? $3 : NaN):(100 * $4) %s title '%d hidden'", csv, d, curve_style(out, d), d)
eval "plot " . line(1) . ", " . line(2) . ", " . line(3)
eval record(out)
