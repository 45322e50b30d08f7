#!/usr/bin/env bash
# Chapter 04's pictures, from the logs of exercises/04-cnn/train.c:
#   plots/04-cnn.sh plot LOGDIR OUTDIR
#       for each data set trained (fashion-mnist, cifar10): learning curves,
#       conv1's filters, one test image's feature maps and the test set's
#       confusion matrix (PNG); the curves and the confusion matrix in the
#       terminal
#   plots/04-cnn.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
#   plots/04-cnn.sh study NAME CSV OUTDIR
set -euo pipefail
here=$(dirname "$0")
sets=(fashion-mnist cifar10)

no_log() {
    echo "dlkit: no training log in $1 yet: run \`make train CH=04$2\` first." >&2
    exit 1
}

# The data sets trained in LOGDIR, one a line.
trained() {
    for set in "${sets[@]}"; do
        [[ -f $1/$set.csv ]] && echo "$set"
    done
    return 0
}

# gnuplot warns about each NaN in a matrix; the blanks between maps are
# meant, so that warning is left out.
images() {
    gnuplot "$@" 2> >(grep -v 'matrix contains missing or undefined values' >&2)
}

# conv1's filters: one small image per filter, black to white.
filters_png() {
    images -e "set terminal pngcairo size 720,$((120 + $(wc -l < "$1") * 12)); set output '$2';
        unset key; unset tics; unset colorbox; set title \"$3\"; set size ratio -1;
        set yrange [*:*] reverse; set palette gray; set cbrange [0:1];
        plot '$1' matrix with image"
}

# gnuplot's tic list of the class names in FILE: ("name" 0, "name" 1, ...).
class_tics() {
    awk '{gsub(/"/, ""); printf "%s\"%s\" %d", (NR > 1 ? ", " : "("), $0, NR - 1} END {print ")"}' "$1"
}

# The confusion matrix in the terminal: counts, then each class's accuracy.
confusion_text() {
    awk 'NR == FNR {name[FNR - 1] = substr($0, 1, 11); next}
         FNR == 1 {printf "%-12s", "true \\ pred"; for (j = 0; j < NF; j++) printf "%6d", j
                   printf "   right\n"}
         {printf "%-12s", name[FNR - 1]; right = 0; total = 0
          for (j = 1; j <= NF; j++) {printf "%6d", $j; total += $j; if (j == FNR) right = $j}
          printf "  %5.1f%%\n", total ? 100 * right / total : 0}' "$1" "$2"
}

plot() {
    local logs=$1 out=$2 drawn="" set found
    mapfile -t found < <(trained "$logs")
    ((${#found[@]})) || no_log "$logs" ""
    mkdir -p "$out"
    for set in "${found[@]}"; do
        gnuplot -c "$here/learning-curves.gp" "$logs/$set.csv" "$out/$set-curves.png" "LeNet on $set" \
            cross-entropy
        drawn+=" $out/$set-curves.png"
        if [[ -f $logs/$set-filters.txt ]]; then
            filters_png "$logs/$set-filters.txt" "$out/$set-filters.png" "conv1's filters on $set"
            images -c "$here/cnn-maps.gp" "$logs/$set-image.txt" "$logs/$set-maps1.txt" \
                "$logs/$set-maps2.txt" "$out/$set-maps.png" "$set: the first test image's feature maps"
            gnuplot -c "$here/cnn-confusion.gp" "$logs/$set-confusion.txt" \
                "$(class_tics "$logs/$set-classes.txt")" "$out/$set-confusion.png" \
                "$set: confusion matrix of the test set"
            drawn+=" $out/$set-filters.png $out/$set-maps.png $out/$set-confusion.png"
        fi
    done
    set=${found[0]}
    gnuplot -c "$here/learning-curves.gp" "$logs/$set.csv" - "LeNet on $set" cross-entropy
    if [[ -f $logs/$set-confusion.txt ]]; then
        echo "Confusion matrix of $set's test set (rows: true class, columns: predicted):"
        confusion_text "$logs/$set-classes.txt" "$logs/$set-confusion.txt"
    fi
    echo "Pictures:$drawn"
}

compare() {
    local yours=$1 ref=$2 out=$3 set found
    mapfile -t found < <(trained "$yours")
    ((${#found[@]})) || no_log "$yours" ""
    set=${found[0]}
    [[ -f $ref/$set.csv ]] || no_log "$ref" " SRC=solutions"
    mkdir -p "$out"
    awk -F, -v set="$set" 'NR == FNR {if (FNR > 1) r = $5; next} FNR > 1 {y = $5}
         END {printf "final test accuracy on %s: yours %.2f%%, reference %.2f%%\n", set, 100 * y, 100 * r}' \
        "$ref/$set.csv" "$yours/$set.csv"
    gnuplot -c "$here/compare.gp" "$yours/$set.csv" "$ref/$set.csv" test_acc \
        "$out/$set-compare.png" "$set: test accuracy per epoch"
    gnuplot -c "$here/compare.gp" "$yours/$set.csv" "$ref/$set.csv" test_acc - \
        "$set: test accuracy per epoch"
    echo "Picture: $out/$set-compare.png"
}

# widths: accuracy against time; loops-vs-im2col: milliseconds per call.
study() {
    local name=$1 csv=$2 out=$3 gp
    case $name in
        widths) gp=cnn-widths.gp ;;
        loops-vs-im2col) gp=cnn-loops.gp ;;
        *) echo "dlkit: no plot for study $name" >&2; exit 1 ;;
    esac
    mkdir -p "$out"
    gnuplot -c "$here/$gp" "$csv" "$out/$name.png"
    gnuplot -c "$here/$gp" "$csv" -
    echo "Picture: $out/$name.png"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    study) study "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR | study NAME CSV OUTDIR" >&2
       exit 2 ;;
esac
