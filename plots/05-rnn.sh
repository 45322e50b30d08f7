#!/usr/bin/env bash
# Chapter 05's pictures, from the logs of drivers/05-rnn/train.c:
#   plots/05-rnn.sh plot LOGDIR OUTDIR
#       makemore's learning curves, without and with batch norm (PNG and
#       the terminal), the characters' embeddings (PNG), the Shakespeare
#       model's learning curves (PNG and the terminal) and its gates over a
#       line of text (PNG), the sentiment
#       models' accuracies per epoch (PNG and the terminal): those of the
#       tasks trained
#   plots/05-rnn.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
#   plots/05-rnn.sh study NAME CSV OUTDIR
set -euo pipefail
here=$(dirname "$0")

need_log() {
    if [[ ! -f $1 ]]; then
        echo "dlkit: no training log $1 yet: run \`make train CH=05$2\` first." >&2
        exit 1
    fi
}

plot() {
    local logs=$1 out=$2 drawn=""
    [[ -f $logs/makemore-batchnorm.csv || -f $logs/shakespeare.csv || -f $logs/sentiment-lstm.csv ]] ||
        need_log "$logs/makemore-batchnorm.csv" ""
    mkdir -p "$out"
    if [[ -f $logs/makemore-mlp.csv && -f $logs/makemore-batchnorm.csv ]]; then
        gnuplot -c "$here/step-curves.gp" "$out/makemore-curves.png" "makemore: the MLP language model" \
            "$logs/makemore-mlp.csv" "MLP" "$logs/makemore-batchnorm.csv" "with batch norm"
        gnuplot -c "$here/step-curves.gp" - "makemore: the MLP with batch norm" \
            "$logs/makemore-batchnorm.csv" "with batch norm"
        drawn+=" $out/makemore-curves.png"
    fi
    if [[ -f $logs/embeddings.csv ]]; then
        gnuplot -c "$here/embeddings.gp" "$logs/embeddings.csv" "$out/embeddings.png" \
            "characters' embeddings (batch-norm model), first two principal axes"
        drawn+=" $out/embeddings.png"
    fi
    if [[ -f $logs/shakespeare.csv ]]; then
        gnuplot -c "$here/step-curves.gp" "$out/shakespeare-curves.png" \
            "tiny Shakespeare: the LSTM character model" "$logs/shakespeare.csv" "LSTM"
        gnuplot -c "$here/step-curves.gp" - "tiny Shakespeare: the LSTM" "$logs/shakespeare.csv" "LSTM"
        drawn+=" $out/shakespeare-curves.png"
    fi
    if [[ -f $logs/lstm-gates.txt && -f $logs/lstm-gates-text.txt ]]; then
        gnuplot -c "$here/lstm-gates.gp" "$logs/lstm-gates.txt" "$logs/lstm-gates-text.txt" \
            "$out/lstm-gates.png"
        drawn+=" $out/lstm-gates.png"
    fi
    if [[ -f $logs/sentiment-lstm.csv && -f $logs/sentiment-bow.csv ]]; then
        gnuplot -c "$here/learning-curves.gp" "$logs/sentiment-lstm.csv" "$out/sentiment-lstm.png" \
            "movie reviews: the LSTM" cross-entropy
        gnuplot -c "$here/learning-curves.gp" "$logs/sentiment-bow.csv" "$out/sentiment-bow.png" \
            "movie reviews: the bag of words" cross-entropy
        gnuplot -c "$here/learning-curves.gp" "$logs/sentiment-lstm.csv" - "movie reviews: the LSTM" \
            cross-entropy
        drawn+=" $out/sentiment-lstm.png $out/sentiment-bow.png"
    fi
    echo "Pictures:$drawn"
}

# One task's final held-out loss, yours and the reference's, and their
# curves: compare_task LOG TITLE COLUMN YOURS REF OUT.
compare_task() {
    local log=$1 title=$2 col=$3 yours=$4 ref=$5 out=$6
    awk -F, -v col="$col" -v what="$title" '
        FNR == 1 {for (i = 1; i <= NF; i++) if ($i == col) c = i; next}
        NR == FNR {r = $c; next} {y = $c}
        END {printf "%s, final %s: yours %.4f, reference %.4f\n", what, col, y, r}' \
        "$ref/$log.csv" "$yours/$log.csv"
    gnuplot -c "$here/step-curves.gp" "$out/$log-compare.png" "$title: yours and the reference" \
        "$yours/$log.csv" "yours" "$ref/$log.csv" "reference"
    gnuplot -c "$here/step-curves.gp" - "$title: yours and the reference" \
        "$yours/$log.csv" "yours" "$ref/$log.csv" "reference"
    echo "Picture: $out/$log-compare.png"
}

compare() {
    local yours=$1 ref=$2 out=$3 any=""
    mkdir -p "$out"
    if [[ -f $yours/makemore-batchnorm.csv ]]; then
        need_log "$ref/makemore-batchnorm.csv" " SRC=solutions"
        compare_task makemore-batchnorm "makemore with batch norm" dev_loss "$yours" "$ref" "$out"
        any=1
    fi
    if [[ -f $yours/shakespeare.csv ]]; then
        need_log "$ref/shakespeare.csv" " TASK=shakespeare SRC=solutions"
        compare_task shakespeare "tiny Shakespeare" val_loss "$yours" "$ref" "$out"
        any=1
    fi
    if [[ -f $yours/sentiment-lstm.csv ]]; then
        need_log "$ref/sentiment-lstm.csv" " TASK=sentiment SRC=solutions"
        awk -F, 'FNR == 1 {next} NR == FNR {if ($5 > r) r = $5; next} {if ($5 > y) y = $5}
                 END {printf "movie reviews, best validation accuracy: yours %.1f%%, reference %.1f%%\n",
                      100 * y, 100 * r}' "$ref/sentiment-lstm.csv" "$yours/sentiment-lstm.csv"
        any=1
    fi
    [[ -n $any ]] || need_log "$yours/makemore-batchnorm.csv" ""
}

# gradient-flow: the gradient reaching each step back, one line per layer.
study() {
    local name=$1 csv=$2 out=$3
    [[ $name == gradient-flow ]] || { echo "dlkit: no plot for study $name" >&2; exit 1; }
    mkdir -p "$out"
    gnuplot -c "$here/gradient-flow.gp" "$csv" "$out/gradient-flow.png"
    gnuplot -c "$here/gradient-flow.gp" "$csv" -
    echo "Picture: $out/gradient-flow.png"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    study) study "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR | study NAME CSV OUTDIR" >&2
       exit 2 ;;
esac
