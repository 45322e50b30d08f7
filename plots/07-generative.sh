#!/usr/bin/env bash
# Chapter 07's pictures, from the logs of drivers/07-generative/train.c:
#   plots/07-generative.sh plot LOGDIR OUTDIR
#       the VAEs' curves (PNG and the terminal), their reconstructions,
#       samples and 2-D latent walk; the GAN's losses and classifier score
#       (PNG and the terminal), its samples after some epochs and at the
#       end; each digit's share of the samples: those of the tasks trained
#   plots/07-generative.sh compare YOUR_LOGDIR REFERENCE_LOGDIR OUTDIR
#   plots/07-generative.sh study NAME CSV OUTDIR
set -euo pipefail
here=$(dirname "$0")

need_log() {
    if [[ ! -f $1 ]]; then
        echo "dlkit: no training log $1 yet: run \`make train CH=07$2\` first." >&2
        exit 1
    fi
}

plot() {
    local logs=$1 out=$2 drawn=""
    [[ -f $logs/vae.csv || -f $logs/gan.csv ]] || need_log "$logs/vae.csv" ""
    mkdir -p "$out"
    if [[ -f $logs/vae.csv ]]; then
        local both=("$logs/vae.csv" "20-D latent")
        [[ -f $logs/vae-2d.csv ]] && both+=("$logs/vae-2d.csv" "2-D latent")
        gnuplot -c "$here/generative-curves.gp" vae "$out/vae-curves.png" \
            "the VAE on the MNIST digits" "${both[@]}"
        gnuplot -c "$here/generative-curves.gp" vae - "the VAE on the MNIST digits" "${both[@]}"
        gnuplot -c "$here/digit-grids.gp" "$out/vae-digits.png" "the VAE" \
            "$logs/vae-reconstructions.txt" "test digits above their reconstructions" \
            "$logs/vae-samples.txt" "decoded from the prior N(0, I)"
        drawn+=" $out/vae-curves.png $out/vae-digits.png"
        if [[ -f $logs/vae-manifold.txt ]]; then
            gnuplot -c "$here/digit-grids.gp" "$out/vae-manifold.png" \
                "the 2-D latent space: the decoder on a grid of codes" \
                "$logs/vae-manifold.txt" "z from the normal's 2.5% to 97.5% quantiles"
            drawn+=" $out/vae-manifold.png"
        fi
    fi
    if [[ -f $logs/gan.csv ]]; then
        gnuplot -c "$here/generative-curves.gp" gan "$out/gan-curves.png" \
            "the GAN on the MNIST digits" "$logs/gan.csv" "GAN"
        gnuplot -c "$here/generative-curves.gp" gan - "the GAN" "$logs/gan.csv" "GAN"
        gnuplot -c "$here/digit-grids.gp" "$out/gan-epochs.png" \
            "the GAN's samples of the same noise as it trains" "$logs/gan-epochs.txt" "after"
        gnuplot -c "$here/digit-grids.gp" "$out/gan-digits.png" "the GAN" \
            "$logs/gan-samples.txt" "100 samples after the last epoch"
        drawn+=" $out/gan-curves.png $out/gan-epochs.png $out/gan-digits.png"
    fi
    if [[ -f $logs/scores.csv ]]; then
        shares "$logs/scores.csv" > "$out/class-shares.csv"
        gnuplot -c "$here/class-shares.gp" "$out/class-shares.csv" "$out/class-shares.png" \
            "which digits the models draw (5,000 samples each)"
        drawn+=" $out/class-shares.png"
    fi
    echo "Pictures:$drawn"
}

# scores.csv (a row a set of samples: model, score, share_0..share_9)
# turned for plots/class-shares.gp: a row a digit, a column a set.
shares() {
    awk -F, 'NR > 1 {m = $1; sets[++n] = m; name[m] = (m == 0 ? "test digits" : m == 1 ? "VAE" : "GAN") \
                       sprintf(" (score %.2f)", $2); for (c = 0; c < 10; c++) v[m, c] = 100 * $(c + 3)}
             END {printf "digit"; for (i = 1; i <= n; i++) printf ",%s", name[sets[i]]; print ""
                  for (c = 0; c < 10; c++) {printf "%d", c
                      for (i = 1; i <= n; i++) printf ",%.2f", v[sets[i], c]; print ""}}' "$1"
}

# A column's last value in a log.
last() {
    awk -F, -v col="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == col) c = i; next}
                         {v = $c} END {print v}' "$1"
}

compare() {
    local yours=$1 ref=$2 out=$3 any=""
    mkdir -p "$out"
    if [[ -f $yours/vae.csv ]]; then
        need_log "$ref/vae.csv" " TASK=vae SRC=solutions"
        printf 'the VAE, test negative ELBO (nats per image): yours %s, reference %s\n' \
            "$(last "$yours/vae.csv" test_nelbo)" "$(last "$ref/vae.csv" test_nelbo)"
        gnuplot -c "$here/generative-curves.gp" vae "$out/vae-compare-curves.png" \
            "the VAE: yours and the reference" "$yours/vae.csv" "yours" "$ref/vae.csv" "reference"
        gnuplot -c "$here/generative-curves.gp" vae - "the VAE: yours and the reference" \
            "$yours/vae.csv" "yours" "$ref/vae.csv" "reference"
        gnuplot -c "$here/digit-grids.gp" "$out/vae-compare-digits.png" \
            "the VAE's samples from the prior" "$yours/vae-samples.txt" "yours" \
            "$ref/vae-samples.txt" "the reference's"
        echo "Pictures: $out/vae-compare-curves.png $out/vae-compare-digits.png"
        any=1
    fi
    if [[ -f $yours/gan.csv ]]; then
        need_log "$ref/gan.csv" " TASK=gan SRC=solutions"
        printf 'the GAN, classifier score of 1,000 samples after the last epoch: yours %s, reference %s\n' \
            "$(last "$yours/gan.csv" score)" "$(last "$ref/gan.csv" score)"
        gnuplot -c "$here/generative-curves.gp" gan "$out/gan-compare-curves.png" \
            "the GAN: yours and the reference" "$yours/gan.csv" "yours" "$ref/gan.csv" "reference"
        gnuplot -c "$here/generative-curves.gp" gan - "the GAN: yours and the reference" \
            "$yours/gan.csv" "yours" "$ref/gan.csv" "reference"
        gnuplot -c "$here/digit-grids.gp" "$out/gan-compare-digits.png" "the GAN's samples" \
            "$yours/gan-samples.txt" "yours" "$ref/gan-samples.txt" "the reference's"
        echo "Pictures: $out/gan-compare-curves.png $out/gan-compare-digits.png"
        any=1
    fi
    [[ -n $any ]] || need_log "$yours/vae.csv" ""
}

# latent-size: the negative ELBO and its two terms against the code's size.
study() {
    local name=$1 csv=$2 out=$3
    [[ $name == latent-size ]] || { echo "dlkit: no plot for study $name" >&2; exit 1; }
    mkdir -p "$out"
    gnuplot -c "$here/latent-size.gp" "$csv" "$out/latent-size.png"
    gnuplot -c "$here/latent-size.gp" "$csv" -
    echo "Picture: $out/latent-size.png"
}

case ${1:-} in
    plot) plot "$2" "$3" ;;
    compare) compare "$2" "$3" "$4" ;;
    study) study "$2" "$3" "$4" ;;
    *) echo "usage: $0 plot LOGDIR OUTDIR | compare YOURS REFERENCE OUTDIR | study NAME CSV OUTDIR" >&2
       exit 2 ;;
esac
