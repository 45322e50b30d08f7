#!/usr/bin/env bash
# Chapter 02's pictures, from the logs of exercises/02-backprop/train.c:
#   plots/02-backprop.sh plot LOGDIR OUTDIR
#       learning curves of each data set trained (PNG), the first layer's
#       weights as images (PNG), and MNIST's curves in the terminal
#   plots/02-backprop.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
#   plots/02-backprop.sh study NAME CSV OUTDIR
set -euo pipefail
here=$(dirname "$0")

need_log() {
    if [[ ! -f $1 ]]; then
        echo "dlkit: no training log $1 yet: run \`make train CH=02$2\` first." >&2
        exit 1
    fi
}

# The first layer's weights, 64 units as an 8x8 grid of 28x28 images.
weights_png() {
    gnuplot -e "set terminal pngcairo size 640,640; set output '$2'; unset key; unset tics;
        set title '$3'; set size ratio -1; set yrange [*:*] reverse;
        set palette defined (-1 '#2166ac', 0 'white', 1 '#b2182b'); set cbrange [-0.15:0.15];
        plot '$1' matrix with image"
}

plot() {
    local logs=$1 out=$2 drawn=""
    need_log "$logs/mnist.csv" ""
    mkdir -p "$out"
    for set in mnist fashion-mnist; do
        [[ -f $logs/$set.csv ]] || continue
        gnuplot -c "$here/learning-curves.gp" "$logs/$set.csv" "$out/$set-curves.png" "MLP on $set" \
            cross-entropy
        drawn+=" $out/$set-curves.png"
        if [[ -f $logs/$set-weights.txt ]]; then
            weights_png "$logs/$set-weights.txt" "$out/$set-weights.png" \
                "first layer on $set: weights of 64 units"
            drawn+=" $out/$set-weights.png"
        fi
    done
    gnuplot -c "$here/learning-curves.gp" "$logs/mnist.csv" - "MLP on mnist" cross-entropy
    echo "Pictures:$drawn"
}

compare() {
    local yours=$1 ref=$2 out=$3
    need_log "$yours/mnist.csv" ""
    need_log "$ref/mnist.csv" " SRC=solutions"
    mkdir -p "$out"
    awk -F, 'NR == FNR {if (FNR > 1) r = $5; next} FNR > 1 {y = $5}
             END {printf "final test accuracy on mnist: yours %.2f%%, reference %.2f%%\n", 100 * y, 100 * r}' \
        "$ref/mnist.csv" "$yours/mnist.csv"
    gnuplot -c "$here/compare.gp" "$yours/mnist.csv" "$ref/mnist.csv" test_acc \
        "$out/mnist-compare.png" "MNIST: test accuracy per epoch"
    gnuplot -c "$here/compare.gp" "$yours/mnist.csv" "$ref/mnist.csv" test_acc - \
        "MNIST: test accuracy per epoch"
    echo "Picture: $out/mnist-compare.png"
}

# depth-width: accuracy against parameters, one line per depth.
study() {
    local name=$1 csv=$2 out=$3
    [[ $name == depth-width ]] || { echo "dlkit: no plot for study $name" >&2; exit 1; }
    mkdir -p "$out"
    gnuplot -c "$here/depth-width.gp" "$csv" "$out/depth-width.png"
    gnuplot -c "$here/depth-width.gp" "$csv" -
    echo "Picture: $out/depth-width.png"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    study) study "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR | study NAME CSV OUTDIR" >&2
       exit 2 ;;
esac
