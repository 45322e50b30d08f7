# Milliseconds per call of conv2d as loops and through im2col (chapter 04's
# study), one pair of bars per layer and pass:
#   gnuplot -c plots/cnn-loops.gp LOOPS.csv OUT
# LOOPS.csv: layer,pass,loops_ms,im2col_ms (layer 1 or 2, pass 0 forward or
# 1 backward). OUT is a .png file, or "-" for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
set datafile separator ","
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set xlabel "layer and pass (forward, backward)"
eval ylabel(out, "milliseconds per call (log scale)")
set title "conv2d on a batch of 64: loops against im2col + one product"
set key top right
eval output(out, 720, 480, 78, 22)
name(l, p) = sprintf("conv%d %s", int(l), p > 0 ? "bwd" : "fwd")
plot csv using 3:xtic(name($1, $2)) title "loops", '' using 4 title "im2col"
eval record(out)
