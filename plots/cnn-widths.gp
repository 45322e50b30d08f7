# Test accuracy against seconds per epoch, one point per width (chapter
# 04's study):
#   gnuplot -c plots/cnn-widths.gp WIDTHS.csv OUT
# WIDTHS.csv: c1,c2,params,test_acc,seconds_per_epoch. OUT is a .png file,
# or "-" for a rendering in the terminal.
csv = ARG1; out = ARG2
set datafile separator ","
unset key
set xlabel "seconds per epoch"
set ylabel "test accuracy"
set title "Fashion-MNIST: LeNet's widths (4 epochs)"
set offsets graph 0.1, graph 0.15, graph 0.1, graph 0.1
if (out eq "-") {
    set terminal dumb size 78,20
} else {
    set terminal pngcairo size 720,480 font "sans,10"
    set output out
}
plot csv using 5:4 with linespoints pt 7, \
     csv using 5:4:(sprintf("%d/%d filters", $1, $2)) with labels offset 0,1
