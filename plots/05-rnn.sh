#!/usr/bin/env bash
# Chapter 05's pictures, from the logs of drivers/05-rnn/train.c:
#   plots/05-rnn.sh plot LOGDIR OUTDIR
#       makemore's learning curves, without and with batch norm (PNG and
#       the terminal), and the characters' embeddings (PNG)
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
    local logs=$1 out=$2
    need_log "$logs/makemore-mlp.csv" ""
    need_log "$logs/makemore-batchnorm.csv" ""
    mkdir -p "$out"
    gnuplot -c "$here/step-curves.gp" "$out/makemore-curves.png" "makemore: the MLP language model" \
        "$logs/makemore-mlp.csv" "MLP" "$logs/makemore-batchnorm.csv" "with batch norm"
    gnuplot -c "$here/step-curves.gp" - "makemore: the MLP with batch norm" \
        "$logs/makemore-batchnorm.csv" "with batch norm"
    local drawn=" $out/makemore-curves.png"
    if [[ -f $logs/embeddings.csv ]]; then
        gnuplot -c "$here/embeddings.gp" "$logs/embeddings.csv" "$out/embeddings.png" \
            "characters' embeddings (batch-norm model), first two principal axes"
        drawn+=" $out/embeddings.png"
    fi
    echo "Pictures:$drawn"
}

compare() {
    local yours=$1 ref=$2 out=$3
    need_log "$yours/makemore-batchnorm.csv" ""
    need_log "$ref/makemore-batchnorm.csv" " SRC=solutions"
    mkdir -p "$out"
    awk -F, 'NR == FNR {if (FNR > 1) r = $3; next} FNR > 1 {y = $3}
             END {printf "final dev loss with batch norm: yours %.4f, reference %.4f\n", y, r}' \
        "$ref/makemore-batchnorm.csv" "$yours/makemore-batchnorm.csv"
    gnuplot -c "$here/step-curves.gp" "$out/makemore-compare.png" \
        "makemore with batch norm: yours and the reference" \
        "$yours/makemore-batchnorm.csv" "yours" "$ref/makemore-batchnorm.csv" "reference"
    gnuplot -c "$here/step-curves.gp" - "makemore with batch norm: yours and the reference" \
        "$yours/makemore-batchnorm.csv" "yours" "$ref/makemore-batchnorm.csv" "reference"
    echo "Picture: $out/makemore-compare.png"
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
