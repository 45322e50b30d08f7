# Chapter 03's init study: each layer's spread of activations and of
# gradients, per initialisation, for tanh and ReLU (init.csv):
#   gnuplot -c plots/init-signals.gp INIT.csv OUT
# INIT.csv: relu,init,layer,act_mean,act_std,grad_std. OUT: .png or "-".
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
inits = "normal-0.01 normal-1 Xavier He"
set datafile separator ","
eval padded
set logscale y
set format y "%.0e"
set xlabel "layer"
set xtics 1
set key outside right
# One line per initialisation: activation ACT (0 tanh, 1 ReLU), column COL.
line(act, col, i) = sprintf("'%s' using ($1 == %d && $2 == %d ? $3 : NaN):%d %s title '%s'", \
                            csv, act, i, col, curve_style(out, i + 1), word(inits, i + 1))
lines(act, col) = line(act, col, 0) . ", " . line(act, col, 1) . ", " . line(act, col, 2) . ", " . \
                  line(act, col, 3)
if (out eq "-") {
    eval output(out, 0, 0, 90, 24)
    set title "ReLU: standard deviation of each layer's activations"
    eval ylabel(out, "standard deviation (log scale)")
    eval "plot " . lines(1, 5)
    eval record(out)
} else {
    eval output(out, 1200, 800, 0, 0)
    eval ylabel(out, "standard deviation (log scale)")
    set multiplot layout 2,2
    do for [act=0:1] {
        name = act ? "ReLU" : "tanh"
        set title name.": standard deviation of each layer's activations"
        eval "plot " . lines(act, 5)
        eval record(out)
        set title name.": standard deviation of each layer's gradients"
        eval "plot " . lines(act, 6)
        eval record(out)
    }
    unset multiplot
}
