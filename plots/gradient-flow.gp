# The gradient reaching each step before a loss, relative to the last
# step's, on a log scale (chapter 05's gradient-flow study):
#   gnuplot -c plots/gradient-flow.gp STUDY.csv OUT
# STUDY.csv: lag, then one column per layer. OUT is a .png file, or "-"
# for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
set datafile separator ","
eval output(out, 900, 520, 78, 24)
set logscale y
set format y out eq "-" ? "1e%T" : "10^{%T}"
set key below
set title "How far back the gradient reaches (100 steps, loss at the last)"
set xlabel "steps back from the loss"
eval ylabel(out, "gradient norm reaching the step, relative to the last")
set xrange [0:99]
names = "rnn_wh_x1 rnn_wh_x3 rnn_wh_x6 lstm lstm_forget_bias_0"
titles = "'RNN' 'RNN, Wh x 3' 'RNN, Wh x 6' 'LSTM' 'LSTM, forget bias 0'"
curve(i) = sprintf('"%s" using "lag":"%s" %s title "%s"', csv, word(names, i), curve_style(out, i), \
                   word(titles, i))
eval "plot " . curve(1) . ", " . curve(2) . ", " . curve(3) . ", " . curve(4) . ", " . curve(5)
eval record(out)
