# A grid search as a heat map: validation accuracy per learning rate and
# weight decay (grid.csv, written lr outer, weight decay inner):
#   gnuplot -c plots/grid-heatmap.gp GRID.csv N_LR N_WD OUT
# GRID.csv: lr,weight_decay,val_acc. OUT: .png or "-".
csv = ARG1; nl = int(ARG2); nw = int(ARG3); out = ARG4
set datafile separator ","
set xlabel "learning rate (index)"
set ylabel "weight decay (index)"
set title "validation accuracy over the grid"
set xrange [-0.5:nl - 0.5]
set yrange [-0.5:nw - 0.5]
set xtics 1
set ytics 1
if (out eq "-") {
    set terminal dumb size 78,24
    plot csv using (int($0) / nw):(int($0) % nw):(sprintf("%.1f", 100 * $3)) every ::1 with labels notitle
} else {
    set terminal pngcairo size 720,560 font "sans,10"
    set output out
    set palette defined (0 "#f7fbff", 1 "#08306b")
    plot csv using (int($0) / nw):(int($0) % nw):3 every ::1 with image notitle, \
         "" using (int($0) / nw):(int($0) % nw):(sprintf("%.1f", 100 * $3)) every ::1 with labels tc rgb "#e6550d" notitle
}
