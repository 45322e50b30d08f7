# Each digit's share of the samples, by the kit's digit classifier
# (chapter 07), one bar per set of samples:
#   gnuplot -c plots/class-shares.gp SHARES.csv OUT TITLE
# SHARES.csv: a header "digit,NAME1,NAME2..." (each name with its set's
# classifier score), then a row per digit of the sets' shares in percent
# (plots/07-generative.sh makes it from scores.csv). OUT is a .png file, or
# "-" for the terminal.
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; out = ARG2; title = ARG3
set datafile separator ","
set termoption noenhanced
eval output(out, 900, 480, 78, 24)
set title title
set xlabel "digit (by the classifier)"
eval ylabel(out, "share of the samples (%)")
set xrange [-0.6:9.6]
set xtics 1
set key below
sets = int(system(sprintf("head -1 '%s' | awk -F, '{print NF - 1}'", csv)))
top = real(system(sprintf("awk -F, 'NR > 1 {for (i = 2; i <= NF; i++) if ($i > m) m = $i} END {print m}' '%s'", csv)))
eval padded_range("y", 0, top)
set style fill solid 0.8 noborder
width = 0.8 / sets
bar(i) = sprintf("'%s' using ($1 + %g):%d:(%g) %s title columnheader(%d)", csv, \
    (i - (sets + 1) / 2.0) * width, i + 1, width, \
    out eq "-" ? sprintf("with points pt \"%s\" lc %d", word("o x + *", i), i) : sprintf("with boxes lc %d", i), i + 1)
plots = bar(1)
do for [i = 2:sets] { plots = plots . ", " . bar(i) }
eval "plot " . plots
eval record(out)
