#!/usr/bin/env bash
# Chapter 06's pictures, from the logs of drivers/06-attention/train.c:
#   plots/06-attention.sh plot LOGDIR OUTDIR
#       the look-back task's learning curves (PNG and the terminal) and
#       each head's attention weights on a held-out sequence (PNG)
#   plots/06-attention.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
set -euo pipefail
here=$(dirname "$0")
heads=2 # drivers/06-attention/lookback.h's LB_HEADS

need_log() {
    if [[ ! -f $1 ]]; then
        echo "dlkit: no training log $1 yet: run \`make train CH=06$2\` first." >&2
        exit 1
    fi
}

plot() {
    local logs=$1 out=$2
    need_log "$logs/lookback.csv" ""
    mkdir -p "$out"
    gnuplot -c "$here/step-curves.gp" "$out/lookback-curves.png" \
        "look-back: one causal attention layer" "$logs/lookback.csv" "attention"
    gnuplot -c "$here/step-curves.gp" - "look-back: one causal attention layer" \
        "$logs/lookback.csv" "attention"
    local drawn=" $out/lookback-curves.png"
    if [[ -f $logs/attention-maps.txt ]]; then
        gnuplot -c "$here/attention-maps.gp" "$logs/attention-maps.txt" "$heads" \
            "look-back: where each head looks (a held-out sequence)" "$out/attention-maps.png"
        drawn+=" $out/attention-maps.png"
    fi
    echo "Pictures:$drawn"
}

compare() {
    local yours=$1 ref=$2 out=$3
    need_log "$yours/lookback.csv" ""
    need_log "$ref/lookback.csv" " SRC=solutions"
    mkdir -p "$out"
    awk -F, 'FNR == 1 {next} NR == FNR {r = $3; ra = $4; next} {y = $3; ya = $4}
             END {printf "look-back, final held-out loss: yours %.4f, reference %.4f; accuracy %.1f%% and %.1f%%\n",
                  y, r, 100 * ya, 100 * ra}' "$ref/lookback.csv" "$yours/lookback.csv"
    gnuplot -c "$here/step-curves.gp" "$out/lookback-compare.png" "look-back: yours and the reference" \
        "$yours/lookback.csv" "yours" "$ref/lookback.csv" "reference"
    gnuplot -c "$here/step-curves.gp" - "look-back: yours and the reference" \
        "$yours/lookback.csv" "yours" "$ref/lookback.csv" "reference"
    echo "Picture: $out/lookback-compare.png"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR" >&2
       exit 2 ;;
esac
