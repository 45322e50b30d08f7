# Accuracy against parameters, one line per depth (chapter 02's study):
#   gnuplot -c plots/depth-width.gp STUDY.csv OUT
# STUDY.csv: depth,width,params,test_acc,seconds. OUT is a .png file, or
# "-" for a rendering in the terminal.
csv = ARG1; out = ARG2
set datafile separator ","
set logscale x
set key bottom right
set xlabel "parameters"
set ylabel "test accuracy"
set title "MNIST: depth and width (8 epochs)"
if (out eq "-") {
    set terminal dumb size 78,20
} else {
    set terminal pngcairo size 720,480 font "sans,10"
    set output out
}
plot for [d=1:3] csv using ($1 == d ? $3 : NaN):4 with linespoints pt 7 title sprintf("%d hidden", d)
