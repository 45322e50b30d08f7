# Grids of digits (chapter 07), side by side: each file a matrix of pixels
# in [0, 1] with -1 between the digits (drivers/07-generative/pictures.c),
# or several such blocks two blank lines apart, each under "# epoch N":
#   gnuplot -c plots/digit-grids.gp OUT TITLE FILE1 NAME1 [FILE2 NAME2 ...]
# A file of blocks gives one panel per block (its NAME before the epoch).
# OUT is a .png file; white digits on black, as MNIST draws them, white
# lines between them.
load system("dirname '".ARG0."'")."/common.gp"
out = ARG1; title = ARG2
blocks(file) = int(system(sprintf("grep -c '^# epoch' '%s' || true", file)))
panels = 0
do for [i = 3:ARGC:2] { b = blocks(value("ARG".i)); panels = panels + (b > 0 ? b : 1) }
eval output(out, (panels > 1 ? 330 : 480) * panels, panels > 1 ? 390 : 540, 78, 24)
set multiplot layout 1, panels title title
unset key
unset tics
unset colorbox
unset border
set size ratio -1
set yrange [*:*] reverse
set cbrange [-1:1]
set palette defined (-1 "white", -0.001 "white", 0 "black", 1 "white")
do for [i = 3:ARGC:2] {
    file = value("ARG".i); name = value("ARG".(i + 1)); b = blocks(file)
    if (b == 0) {
        set title name
        plot file matrix with image
    } else {
        do for [k = 1:b] {
            set title name . " " . system(sprintf("grep '^# epoch' '%s' | sed -n %dp | cut -c3-", file, k))
            plot file index (k - 1) matrix with image
        }
    }
}
unset multiplot
