# The learning-rate finder: the loss of each step as the rate grows:
#   gnuplot -c plots/lr-finder.gp LR-FINDER.csv OUT
# LR-FINDER.csv: lr,loss. OUT: .png or "-". Pick a rate a little below the
# one where the loss falls fastest, well before it shoots up.
csv = ARG1; out = ARG2
set datafile separator ","
set logscale x
set format x "%.0e"
set xlabel "learning rate"
set ylabel "training loss"
set title "learning-rate finder (momentum 0.9)"
set yrange [0:*]
if (out eq "-") {
    set terminal dumb size 78,20
} else {
    set terminal pngcairo size 720,480 font "sans,10"
    set output out
}
plot csv using 1:2 with lines lw 2 notitle
