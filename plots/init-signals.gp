# Chapter 03's init study: each layer's spread of activations and of
# gradients, per initialisation, for tanh and ReLU (init.csv):
#   gnuplot -c plots/init-signals.gp INIT.csv OUT
# INIT.csv: relu,init,layer,act_mean,act_std,grad_std. OUT: .png or "-".
csv = ARG1; out = ARG2
inits = "normal-0.01 normal-1 Xavier He"
set datafile separator ","
set logscale y
set format y "%.0e"
set xlabel "layer"
set key outside right
if (out eq "-") {
    set terminal dumb size 90,24
    set title "ReLU: standard deviation of each layer's activations"
    plot for [i=0:3] csv using ($1 == 1 && $2 == i ? $3 : NaN):5 with linespoints title word(inits, i + 1)
} else {
    set terminal pngcairo size 1200,800 font "sans,10"
    set output out
    set multiplot layout 2,2
    do for [act=0:1] {
        name = act ? "ReLU" : "tanh"
        set title name.": standard deviation of each layer's activations"
        plot for [i=0:3] csv using ($1 == act && $2 == i ? $3 : NaN):5 with linespoints pt 7 title word(inits, i + 1)
        set title name.": standard deviation of each layer's gradients"
        plot for [i=0:3] csv using ($1 == act && $2 == i ? $3 : NaN):6 with linespoints pt 7 title word(inits, i + 1)
    }
    unset multiplot
}
