# Each character's learned embedding on its first two principal axes
# (columns char, pc1, pc2), the character written at its place:
#   gnuplot -c plots/embeddings.gp CSV OUT TITLE
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2
set datafile separator ","
eval output(out, 640, 600, 60, 30)
set title ARG3
set xlabel "first principal axis"
eval ylabel(out, "second principal axis")
set size ratio -1
eval padded
unset key
plot csv using "pc1":"pc2" with points pt 7 ps 3 lc rgb "#c6dbef", \
     csv using "pc1":"pc2":"char" with labels font ",12"
eval record(out)
