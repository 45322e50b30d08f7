# The LSTM's gates over a line of text (chapter 05): each row a unit's
# input, forget or output gate, each column a character, 0 white to 1 dark.
#   gnuplot -c plots/lstm-gates.gp GATES.txt TEXT.txt OUT
# GATES.txt: 3 x U rows (the input gates of U units, then the forget
# gates, then the output gates), a column per character of TEXT.txt's
# line. OUT is a .png file.
load system("dirname '".ARG0."'")."/common.gp"
gates = ARG1; text = ARG2; out = ARG3
rows = int(system(sprintf("wc -l < '%s'", gates)))
units = rows / 3
# One tic per character, under its column (a quote or backslash as ?).
xtics_of(file) = system(sprintf("awk '{n = split($0, c, \"\"); s = \"\"; for (i = 1; i <= n; i++) { \
    ch = c[i]; if (ch == \"\\\\\" || ch == \"\\\"\") ch = \"?\"; \
    s = s (i > 1 ? \", \" : \"\") \"\\\"\" ch \"\\\" \" i - 1 } print s; exit}' '%s'", file))
eval output(out, 1100, 520, 78, 24)
set title "The LSTM's gates over a line of the validation text (".units." units each)"
set xlabel "the line, character by character"
set ylabel sprintf("gate, %d units each", units)
eval "set xtics (" . xtics_of(text) . ") scale 0 font ',8'"
set ytics ("input" units / 2 - 0.5, "forget" 3 * units / 2 - 0.5, "output" 5 * units / 2 - 0.5) scale 0
set yrange [rows - 0.5:-0.5]
set xrange [-0.5:*]
set cbrange [0:1]
set palette defined (0 'white', 1 '#08306b')
set arrow from graph 0, first units - 0.5 to graph 1, first units - 0.5 nohead front lc 'red'
set arrow from graph 0, first 2 * units - 0.5 to graph 1, first 2 * units - 0.5 nohead front lc 'red'
plot gates matrix with image notitle
eval record(out)
