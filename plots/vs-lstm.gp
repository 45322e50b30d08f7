# Chapter 06's vs-lstm study: the GPT's and the LSTM's validation loss
# against wall-clock time, on one plot:
#   gnuplot -c plots/vs-lstm.gp VS-LSTM.csv OUT
# VS-LSTM.csv: seconds,gpt_val_loss,lstm_val_loss (the other model's nan).
# OUT is a .png file, or "-" for a rendering in the terminal.
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
set datafile separator ","
set datafile missing "nan"
eval output(out, 900, 520, 78, 24)
set key below
set title "tiny Shakespeare: a GPT and an LSTM of about the same size, the same time"
set xlabel "seconds of training (one core)"
eval ylabel(out, "validation loss (nats per character)")
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05
curve(col, name, i) = sprintf('"%s" using "seconds":"%s" %s title "%s"', csv, col, \
                              curve_style(out, i), name)
eval "plot " . curve("gpt_val_loss", "GPT", 1) . ", " . curve("lstm_val_loss", "LSTM", 2)
eval record(out)
