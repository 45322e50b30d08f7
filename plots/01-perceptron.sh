#!/usr/bin/env bash
# Chapter 01's pictures, from the logs of exercises/01-perceptron/train.c:
#   plots/01-perceptron.sh plot LOGDIR OUTDIR
#       a decision boundary per data set and learning curves (PNG), and the
#       Iris boundary and learning curve in the terminal
#   plots/01-perceptron.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
#       per data set, epochs and accuracies side by side; Iris's curves
set -euo pipefail
here=$(dirname "$0")
sets=(and or xor blobs iris)

need_logs() {
    if [[ ! -f $1/iris.csv ]]; then
        echo "dlkit: no training log in $1/ yet: run \`make train CH=01$2\` first." >&2
        exit 1
    fi
}

title_of() {
    case $1 in
        and | or | xor) echo "${1^^}" ;;
        iris) echo "Iris: setosa (class 0) vs versicolor (class 1)" ;;
        *) echo "$1" ;;
    esac
}

# boundary LOGDIR SET OUT TITLE: the set's points and learned boundary.
boundary() {
    gnuplot -c "$here/decision-boundary.gp" "$1/$2-points.csv" "$1/$2-box.csv" "$1/$2-boundary.csv" \
        "$3" "$4"
}

plot() {
    local logs=$1 out=$2
    need_logs "$logs" ""
    mkdir -p "$out"
    for s in "${sets[@]}"; do
        boundary "$logs" "$s" "$out/$s-boundary.png" "perceptron on $(title_of "$s")"
        # A perceptron's "loss" is the share of samples it got wrong.
        gnuplot -c "$here/learning-curves.gp" "$logs/$s.csv" "$out/$s-curves.png" \
            "perceptron on $(title_of "$s")" error
    done
    boundary "$logs" iris - "perceptron on Iris: setosa (class 0) vs versicolor (class 1)"
    gnuplot -c "$here/learning-curves.gp" "$logs/iris.csv" - "perceptron on Iris" error
    echo "Pictures: $out/{$(IFS=,; echo "${sets[*]}")}-{boundary,curves}.png"
}

# "epochs final-train-accuracy final-test-accuracy" of a log ("-": none).
last_row() {
    awk -F, 'NR > 1 {e = $1; tr = $3; te = $5}
             END {printf "%d %.3f %s", e, tr, te == "nan" ? "-" : sprintf("%.3f", te)}' "$1"
}

compare() {
    local yours=$1 ref=$2 out=$3
    need_logs "$yours" ""
    need_logs "$ref" " SRC=solutions"
    mkdir -p "$out"
    printf '%-6s  %-24s  %-24s\n' "" "yours: epochs train test" "reference: epochs train test"
    for s in "${sets[@]}"; do
        read -r ye ytr yte <<<"$(last_row "$yours/$s.csv")"
        read -r re rtr rte <<<"$(last_row "$ref/$s.csv")"
        printf '%-6s  %6d %8s %8s  %6d %8s %8s\n' "$s" "$ye" "$ytr" "$yte" "$re" "$rtr" "$rte"
    done
    for o in "$out/iris-compare.png" -; do
        gnuplot -c "$here/compare.gp" "$yours/iris.csv" "$ref/iris.csv" train_acc "$o" \
            "Iris: training accuracy per epoch"
    done
    echo "Picture: $out/iris-compare.png"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR" >&2; exit 2 ;;
esac
