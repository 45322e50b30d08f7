#!/usr/bin/env bash
# Chapter 03's pictures, from exercises/03-training/train.c's logs and
# study.c's CSV files:
#   plots/03-training.sh plot LOGDIR OUTDIR
#       learning curves of the full recipe (and of the plain one, when
#       trained: make train CH=03 PLAIN=1), and the full one in the terminal
#   plots/03-training.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
#   plots/03-training.sh study NAME CSV OUTDIR
set -euo pipefail
here=$(dirname "$0")

need_log() {
    if [[ ! -f $1 ]]; then
        echo "dlkit: no training log $1 yet: run \`make train CH=03$2\` first." >&2
        exit 1
    fi
}

plot() {
    local logs=$1 out=$2 drawn=""
    need_log "$logs/fashion-mnist.csv" ""
    mkdir -p "$out"
    for log in "$logs"/*.csv; do
        local name
        name=$(basename "$log" .csv)
        gnuplot -c "$here/learning-curves.gp" "$log" "$out/$name-curves.png" "chapter 03 on $name" \
            cross-entropy
        drawn+=" $out/$name-curves.png"
    done
    gnuplot -c "$here/learning-curves.gp" "$logs/fashion-mnist.csv" - "full recipe on fashion-mnist" \
        cross-entropy
    echo "Pictures:$drawn"
}

compare() {
    local yours=$1 ref=$2 out=$3
    need_log "$yours/fashion-mnist.csv" ""
    need_log "$ref/fashion-mnist.csv" " SRC=solutions"
    mkdir -p "$out"
    gnuplot -c "$here/compare.gp" "$yours/fashion-mnist.csv" "$ref/fashion-mnist.csv" test_acc \
        "$out/fashion-mnist-compare.png" "Fashion-MNIST: test accuracy per epoch"
    gnuplot -c "$here/compare.gp" "$yours/fashion-mnist.csv" "$ref/fashion-mnist.csv" test_acc - \
        "Fashion-MNIST: test accuracy per epoch"
    echo "Picture: $out/fashion-mnist-compare.png"
}

# Each study: PNG files, and its main picture in the terminal.
study() {
    local name=$1 csv=$2 out=$3 dir
    dir=$(dirname "$csv")
    mkdir -p "$out"
    local lines=(-c "$here/grouped-lines.gp")
    case $name in
        optimizers)
            for o in "$out/optimizers.png" -; do
                gnuplot "${lines[@]}" "$csv" 1 2 3 "SGD momentum Adam AdamW" "$o" \
                    "training loss per epoch" logy 0
            done ;;
        init)
            gnuplot -c "$here/init-signals.gp" "$csv" "$out/init-signals.png"
            gnuplot -c "$here/init-histograms.gp" "$dir/init-hist.csv" "$out/init-histograms.png"
            gnuplot "${lines[@]}" "$dir/init-gradnorms.csv" 2 1 3 "1 2 3 4 5 6 7 8 9 10" \
                "$out/init-gradnorms.png" "ReLU, He: each layer's gradient norm while training" logy 1
            gnuplot -c "$here/init-signals.gp" "$csv" - ;;
        lr-finder)
            for o in "$out/lr-finder.png" -; do gnuplot -c "$here/lr-finder.gp" "$csv" "$o"; done ;;
        grid)
            for o in "$out/grid.png" -; do gnuplot -c "$here/grid-heatmap.gp" "$csv" 5 5 "$o"; done ;;
        debug)
            for o in "$out/debug.png" -; do
                gnuplot "${lines[@]}" "$csv" 1 2 5 "setup1 setup2 setup3 setup4 setup5" "$o" \
                    "the debugging set-ups: test accuracy per epoch" "" 1
            done ;;
        *) echo "dlkit: no plot for study $name" >&2; exit 1 ;;
    esac
    echo "Pictures: $(cd "$out" && ls -1 "$name"*.png | sed "s|^|$out/|" | paste -sd' ' -)"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    study) study "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR | study NAME CSV OUTDIR" >&2
       exit 2 ;;
esac
