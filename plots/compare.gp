# Your learning curve over the reference solution's:
#   gnuplot -c plots/compare.gp YOURS.csv REFERENCE.csv COLUMN OUT TITLE
# COLUMN is the log column to compare (train_acc, test_acc, train_loss...).
# OUT is a .png file, or "-" for a rendering in the terminal.
yours = ARG1; ref = ARG2; column = ARG3; out = ARG4; title = ARG5
set datafile separator ","
set datafile missing "nan"
set title title
set xlabel "epoch"
set ylabel column noenhanced
set key bottom right
if (out eq "-") {
    set terminal dumb size 78,20
} else {
    set terminal pngcairo size 720,480 font "sans,10"
    set output out
}
plot yours using "epoch":column with linespoints pt 7 ps 0.5 title "yours", \
     ref using "epoch":column with linespoints pt 6 ps 0.5 dt 2 title "reference"
