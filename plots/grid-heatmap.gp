# A grid search as a heat map: validation accuracy per learning rate and
# weight decay (grid.csv, written lr outer, weight decay inner):
#   gnuplot -c plots/grid-heatmap.gp GRID.csv N_LR N_WD OUT
# GRID.csv: lr,weight_decay,val_acc. OUT: .png or "-".
load system("dirname '".ARG0."'")."/common.gp"
csv = ARG1; nl = int(ARG2); nw = int(ARG3); out = ARG4
set datafile separator ","
set xlabel "learning rate"
eval ylabel(out, "weight decay")
set title "validation accuracy (%) over the grid"
set cblabel "validation accuracy (%)"
set xrange [-0.5:nl - 0.5]
set yrange [-0.5:nw - 0.5]
# Each cell's learning rate and weight decay as the tics (xtic, ytic).
set format x ""
set format y ""
eval output(out, 720, 560, 78, 24)
if (out eq "-") {
    plot csv using (int($0) / nw):(int($0) % nw):(sprintf("%.1f", 100 * $3)):xtic(sprintf("%.0e", $1)):ytic(sprintf("%.0e", $2)) every ::1 with labels notitle
} else {
    set palette defined (0 "#f7fbff", 1 "#08306b")
    plot csv using (int($0) / nw):(int($0) % nw):(100 * $3) every ::1 with image notitle, \
         "" using (int($0) / nw):(int($0) % nw):(sprintf("%.1f", 100 * $3)):xtic(sprintf("%.0e", $1)):ytic(sprintf("%.0e", $2)) \
            every ::1 with labels tc rgb "#e6550d" notitle
}
eval record(out)
