# The learning-rate finder: the loss of each step as the rate grows:
#   gnuplot -c plots/lr-finder.gp LR-FINDER.csv OUT
# LR-FINDER.csv: lr,loss. OUT: .png or "-". Pick a rate a little below the
# one where the loss falls fastest, well before it shoots up.
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
set datafile separator ","
eval padded
set logscale x
set format x "%.0e"
set xlabel "learning rate (log scale)"
eval ylabel(out, "training loss (cross-entropy, nats)")
set title "learning-rate finder (momentum 0.9)"
eval output(out, 720, 480, 78, 22)
plot csv using 1:2 with lines lt 1 lw 2 notitle
eval record(out)
