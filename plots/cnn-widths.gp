# Test accuracy against seconds per epoch, one point per width (chapter
# 04's study):
#   gnuplot -c plots/cnn-widths.gp WIDTHS.csv OUT
# WIDTHS.csv: c1,c2,params,test_acc,seconds_per_epoch. OUT is a .png file,
# or "-" for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
set datafile separator ","
unset key
set xlabel "seconds per epoch"
eval ylabel(out, "test accuracy (%)")
set title "Fashion-MNIST: LeNet's widths (4 epochs)"
set offsets graph 0.1, graph 0.15, graph 0.1, graph 0.1
eval output(out, 720, 480, 78, 22)
eval sprintf("plot '%s' using 5:(100 * $4) %s, '%s' using 5:(100 * $4):(sprintf('%%d/%%d filters', $1, $2)) with labels offset 0,1", \
             csv, curve_style(out, 1), csv)
eval record(out)
