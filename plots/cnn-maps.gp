# One test image and the feature maps it gives after conv1 and conv2
# (chapter 04), side by side:
#   gnuplot -c plots/cnn-maps.gp IMAGE.txt MAPS1.txt MAPS2.txt OUT TITLE
# Each file is a matrix (a grid of maps from tile_maps, scaled to [0, 1],
# NaN between maps, which is left blank). OUT: a .png file.
image = ARG1; maps1 = ARG2; maps2 = ARG3; out = ARG4; title = ARG5
set terminal pngcairo size 1500,560 font "sans,10"
set output out
set multiplot layout 1,3 title title
unset key
unset tics
unset colorbox
set size ratio -1
set yrange [*:*] reverse
set palette gray
set cbrange [0:1]
set title "the image"
plot image matrix with image
set title "conv1: after ReLU"
plot maps1 matrix with image
set title "conv2: after ReLU"
plot maps2 matrix with image
unset multiplot
