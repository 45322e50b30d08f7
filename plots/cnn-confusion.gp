# A confusion matrix as a heat map with the count in each cell (chapter 04):
#   gnuplot -c plots/cnn-confusion.gp CONFUSION.txt TICS OUT TITLE
# CONFUSION.txt: one line per true class, one count per predicted class.
# TICS: gnuplot's tic list of the class names, '("T-shirt/top" 0, ...)'.
# OUT: a .png file.
load system("dirname '".ARG0."'")."/common.gp"
matrix = ARG1; tics = ARG2; out = ARG3; title = ARG4
eval output(out, 820, 720, 78, 22)
set title title
set size ratio -1
unset key
set xlabel "predicted class"
set ylabel "true class"
set xtics @tics rotate by 45 right
set ytics @tics
set yrange [*:*] reverse
set tics scale 0
set palette defined (0 "white", 1 "#c6dbef", 2 "#2171b5", 3 "#08306b")
set cbrange [0:*]
set cblabel "test images (count)"
plot matrix matrix with image, \
     matrix matrix using 1:2:($3 > 0 ? sprintf("%d", $3) : "") with labels font "sans,8"
eval record(out)
