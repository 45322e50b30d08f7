#!/usr/bin/env bash
# Chapter 01's pictures, from the logs of exercises/01-perceptron/train.c:
#   plots/01-perceptron.sh plot LOGDIR OUTDIR
#       a decision boundary per data set and learning curves (PNG), and the
#       Iris boundary and learning curve in the terminal
#   plots/01-perceptron.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
#       per data set, epochs and accuracies side by side; Iris's curves
set -euo pipefail
shopt -s extglob
here=$(dirname "$0")
sets=(and or xor blobs iris)

need_logs() {
    if [[ ! -f $1/iris.csv ]]; then
        echo "dlkit: no training log in $1/ yet: run \`make train CH=01$2\` first." >&2
        exit 1
    fi
}

plot() {
    local logs=$1 out=$2
    need_logs "$logs" ""
    mkdir -p "$out"
    for s in "${sets[@]}"; do
        gnuplot -c "$here/decision-boundary.gp" "$logs/$s-points.csv" "$logs/$s-boundary.csv" \
            "$out/$s-boundary.png" "perceptron on $s"
        # The logic gates have no held-out samples.
        gnuplot -c "$here/learning-curves.gp" "$logs/$s.csv" "$out/$s-curves.png" \
            "perceptron on $s" "$([[ $s == @(and|or|xor) ]] && echo train-only)"
    done
    gnuplot -c "$here/decision-boundary.gp" "$logs/iris-points.csv" "$logs/iris-boundary.csv" - \
        "Iris setosa (0) vs versicolor (1): petal length x0, width x1"
    gnuplot -c "$here/learning-curves.gp" "$logs/iris.csv" - "perceptron on iris"
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
    gnuplot -c "$here/compare.gp" "$yours/iris.csv" "$ref/iris.csv" train_acc \
        "$out/iris-compare.png" "Iris: training accuracy per epoch"
    gnuplot -c "$here/compare.gp" "$yours/iris.csv" "$ref/iris.csv" train_acc - \
        "Iris: training accuracy per epoch"
    echo "Picture: $out/iris-compare.png"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR" >&2; exit 2 ;;
esac
