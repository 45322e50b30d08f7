#!/usr/bin/env bash
# Chapter 06's pictures, from the logs of drivers/06-attention/train.c:
#   plots/06-attention.sh plot LOGDIR OUTDIR
#       the look-back task's learning curves (PNG and the terminal) and
#       each head's attention weights on a held-out sequence (PNG); the
#       GPT's curves on tiny Shakespeare (PNG and the terminal): those of
#       the tasks trained
#   plots/06-attention.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
#   plots/06-attention.sh study NAME CSV OUTDIR
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
    local logs=$1 out=$2 drawn=""
    [[ -f $logs/lookback.csv || -f $logs/shakespeare-gpt.csv ]] || need_log "$logs/lookback.csv" ""
    mkdir -p "$out"
    if [[ -f $logs/lookback.csv ]]; then
        gnuplot -c "$here/step-curves.gp" "$out/lookback-curves.png" \
            "look-back: one causal attention layer" "$logs/lookback.csv" "attention"
        gnuplot -c "$here/step-curves.gp" - "look-back: one causal attention layer" \
            "$logs/lookback.csv" "attention"
        drawn+=" $out/lookback-curves.png"
    fi
    if [[ -f $logs/attention-maps.txt ]]; then
        gnuplot -c "$here/attention-maps.gp" "$logs/attention-maps.txt" "$heads" \
            "look-back: where each head looks (a held-out sequence)" "$out/attention-maps.png"
        drawn+=" $out/attention-maps.png"
    fi
    if [[ -f $logs/shakespeare-gpt.csv ]]; then
        gnuplot -c "$here/step-curves.gp" "$out/shakespeare-gpt-curves.png" \
            "tiny Shakespeare: the GPT" "$logs/shakespeare-gpt.csv" "GPT"
        gnuplot -c "$here/step-curves.gp" - "tiny Shakespeare: the GPT" \
            "$logs/shakespeare-gpt.csv" "GPT"
        drawn+=" $out/shakespeare-gpt-curves.png"
    fi
    echo "Pictures:$drawn"
}

# One task's final held-out loss, yours and the reference's, and their
# curves: compare_task LOG TITLE YOURS REF OUT.
compare_task() {
    local log=$1 title=$2 yours=$3 ref=$4 out=$5
    awk -F, 'FNR == 1 {for (i = 1; i <= NF; i++) if ($i == "val_loss") c = i; next}
             NR == FNR {r = $c; next} {y = $c}
             END {printf "%s, final held-out loss: yours %.4f, reference %.4f\n", what, y, r}' \
        what="$title" "$ref/$log.csv" "$yours/$log.csv"
    gnuplot -c "$here/step-curves.gp" "$out/$log-compare.png" "$title: yours and the reference" \
        "$yours/$log.csv" "yours" "$ref/$log.csv" "reference"
    gnuplot -c "$here/step-curves.gp" - "$title: yours and the reference" \
        "$yours/$log.csv" "yours" "$ref/$log.csv" "reference"
    echo "Picture: $out/$log-compare.png"
}

compare() {
    local yours=$1 ref=$2 out=$3 any=""
    mkdir -p "$out"
    if [[ -f $yours/lookback.csv ]]; then
        need_log "$ref/lookback.csv" " TASK=lookback SRC=solutions"
        compare_task lookback "look-back" "$yours" "$ref" "$out"
        any=1
    fi
    if [[ -f $yours/shakespeare-gpt.csv ]]; then
        need_log "$ref/shakespeare-gpt.csv" " TASK=shakespeare SRC=solutions"
        compare_task shakespeare-gpt "tiny Shakespeare, the GPT" "$yours" "$ref" "$out"
        any=1
    fi
    [[ -n $any ]] || need_log "$yours/lookback.csv" ""
}

# vs-lstm: both models' validation loss against time, and the table.
study() {
    local name=$1 csv=$2 out=$3
    [[ $name == vs-lstm ]] || { echo "dlkit: no plot for study $name" >&2; exit 1; }
    mkdir -p "$out"
    gnuplot -c "$here/vs-lstm.gp" "$csv" "$out/vs-lstm.png"
    gnuplot -c "$here/vs-lstm.gp" "$csv" -
    [[ ! -f ${csv%.csv}.txt ]] || cat "${csv%.csv}.txt"
    echo "Picture: $out/vs-lstm.png"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    study) study "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR | study NAME CSV OUTDIR" >&2
       exit 2 ;;
esac
