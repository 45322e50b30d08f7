# Chapter 03's init study: the distribution of activations at layers 1, 4,
# 7 and 10 of a 10-layer tanh network, per initialisation (init-hist.csv):
#   gnuplot -c plots/init-histograms.gp HIST.csv OUT.png
# HIST.csv: relu,init,layer,value,fraction (values clipped to [-1, 1]).
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
inits = "normal-0.01 normal-1 Xavier He"
set datafile separator ","
eval output(out, 1200, 800, 0, 0)
eval padded
set multiplot layout 2,2 title "tanh network: activations by layer"
set xlabel "activation (tanh output, clipped to [-1, 1])"
set ylabel "fraction of the layer's activations"
set key top right
do for [i=0:3] {
    set title word(inits, i + 1)
    plot for [l in "1 4 7 10"] csv using ($1 == 0 && $2 == i && $3 == l ? $4 : NaN):5 \
         with lines lw 2 title "layer ".l
    eval record(out)
}
unset multiplot
