# What the rows of make bench share (sourced by bench/rows/*).
#
# A row prints its progress on stderr as it goes, and on stdout, for
# bench/run to gather, lines of tab-separated fields:
#   row    NAME OURS BASELINE RATIO NOTE   a line of the table
#   header TEXT                            what ran ("PyTorch 2.5 (PyPI)")
#   note   TEXT                            printed under the table
# It may rely on these variables, which bench/run sets:
#   KIT            the kit's folder
#   BENCH_BIN      the folder of the bench programs (make bench builds them)
#   BENCH_THREADS  threads of every side (OpenBLAS, PyTorch, the peak)
#   TORCH_PYTHON   a python that imports torch and numpy, or empty, and then
#   TORCH_MISSING  says why
#   TORCH_FROM     where that PyTorch comes from

say() { printf '%s\n' "$*" >&2; }
row() { printf 'row\t%s\t%s\t%s\t%s\t%s\n' "$@"; }
header() { printf 'header\t%s\n' "$*"; }
note() { printf 'note\t%s\n' "$*"; }

# Repetitions of each side in a row (alternate); 5 at least for a verdict.
REPS=${BENCH_REPS:-5}

# The median of the numbers on stdin, one a line.
median() {
    sort -g | awk '{v[NR] = $1} END {
        if (NR == 0) exit 1
        print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# "3.1x faster" or "1.04x slower": ours against a baseline, both in seconds
# (or both in throughput, with "rate" as third argument); two decimals
# below 2x, where one would round 1.04 to 1.0.
speedup() {
    awk -v ours="$1" -v base="$2" -v rate="${3:-}" 'BEGIN {
        r = rate ? ours / base : base / ours
        word = r >= 1 ? "faster" : "slower"
        if (r < 1) r = 1 / r
        printf(r < 2 ? "%.2fx %s" : "%.1fx %s", r, word) }'
}

# "0.48 s (0.46-0.51)": the median of the numbers on stdin and, in
# brackets, the smallest and largest, each printed with FORMAT, then UNIT.
median_range() {
    sort -g | awk -v f="$1" -v unit="$2" '{v[NR] = $1} END {
        if (NR == 0) exit 1
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf(f " %s (" f "-" f ")", m, unit, v[1], v[NR]) }'
}

# The verdict on two sides' samples (one number a line in each argument):
# the ratio of their medians (speedup), or "not separable" when their
# ranges overlap, when some repetition of the slower side beat one of the
# faster. Fewer than 5 samples a side (BENCH_REPS set lower, to try a row
# out) give no verdict. With "rate" as third argument, the samples are
# throughputs.
verdict() {
    local ours=$1 theirs=$2 rate=${3:-}
    if (( $(wc -l <<<"$ours") < 5 || $(wc -l <<<"$theirs") < 5 )); then
        echo "too few runs"
    elif awk -v a="$ours" -v b="$theirs" 'BEGIN {
           n = split(a, x, "\n"); m = split(b, y, "\n")
           alo = ahi = x[1]; blo = bhi = y[1]
           for (i = 2; i <= n; i++) { if (x[i] < alo) alo = x[i]; if (x[i] > ahi) ahi = x[i] }
           for (i = 2; i <= m; i++) { if (y[i] < blo) blo = y[i]; if (y[i] > bhi) bhi = y[i] }
           exit !(alo <= bhi && blo <= ahi) }'; then
        echo "not separable"
    else
        speedup "$(median <<<"$ours")" "$(median <<<"$theirs")" "$rate"
    fi
}

# Runs the row's functions OURS_FN and THEIRS_FN (each runs one program:
# one repetition of its side) REPS times in turn, ours first, each time in a
# fresh process: a machine that grows busier or a CPU that clocks down then
# slows both sides alike, and each side's range shows how steady the
# machine was. Their stdout lines gather in OURS and THEIRS (run_shown,
# through the row's function pretty); THEIRS stays empty, and WHY says why,
# when there is no PyTorch or its side fails. The header names PyTorch.
#   alternate OURS_FN THEIRS_FN
alternate() {
    local ours_fn=$1 theirs_fn=$2 i out version blas
    OURS="" THEIRS="" WHY=""
    [[ -n ${TORCH_PYTHON:-} ]] || WHY=${TORCH_MISSING:-no PyTorch}
    for ((i = 1; i <= REPS; i++)); do
        say "  repetition $i of $REPS"
        side=ours
        out=$(run_shown pretty "$ours_fn") || return 1
        OURS+=$out$'\n'
        [[ -z $WHY ]] || continue
        side=PyTorch
        if out=$(run_shown pretty "$theirs_fn"); then
            THEIRS+=$out$'\n'
        else
            WHY="the PyTorch side failed (above)" THEIRS=""
        fi
    done
    [[ -n $THEIRS ]] || return 0
    read -r version blas _ <<<"$(field torch <<<"$THEIRS" | head -1)"
    header "PyTorch $version ($TORCH_FROM; BLAS: $blas)"
}

# The column COL of a side's lines KEY whose second field is at least
# FROM: an epoch's or round's seconds, leaving out each process's first
# (its start-up costs: page faults, thread pools, lazy initialisation).
samples() {
    field "$1" <<<"$4" | awk -v col="$2" -v from="$3" '$1 >= from {print $col}'
}

# Runs a program whose stdout lines start with a key, passing the lines
# through unchanged and showing them, as pretty (a function named by the
# first argument) words them, on stderr as they come.
run_shown() {
    local pretty=$1 line
    shift
    "$@" | while IFS= read -r line; do
        printf '%s\n' "$line"
        "$pretty" "$line" >&2
    done
}

# The value(s) after key in lines "key value...".
field() {
    awk -v key="$1" '$1 == key {$1 = ""; sub(/^ /, ""); print}'
}

# The epoch rows (chapters 02-04): epoch_runs alternates our PROGRAM and
# PyTorch's SCRIPT, each training 2 epochs from the same seed, of which
# the second is timed; SCRIPT gets THREADS 2, what the row's function
# script_args prints (it may read OURS), and the data files our side read.
#   epoch_runs PROGRAM SCRIPT
epoch_runs() {
    EPOCH_PROGRAM=$1 EPOCH_SCRIPT=$2
    alternate epoch_ours epoch_theirs
}
epoch_ours() { "$EPOCH_PROGRAM" "$BENCH_THREADS" 2; }
epoch_theirs() {
    local -a files args
    mapfile -t files < <(field file <<<"$OURS" | awk '!seen[$0]++')
    read -r -a args <<<"$(script_args)"
    "$TORCH_PYTHON" "$EPOCH_SCRIPT" "$BENCH_THREADS" 2 "${args[@]}" "${files[@]}"
}
script_args() { :; }

# Then epoch_row prints the row: the second epochs' seconds on each side,
# the verdict, and the test accuracies after the last run. The row is void
# when they differ by more than one point: the sides did not do the same
# work.
#   epoch_row NAME
epoch_row() {
    local name=$1 ours_t theirs_t ours_acc theirs_acc ratio
    ours_t=$(samples epoch 2 2 "$OURS")
    ours_acc=$(field test_acc <<<"$OURS" | tail -1)
    if [[ -z $THEIRS ]]; then
        row "$name" "$(median_range %.2f s <<<"$ours_t")" "-" "-" "test acc $(percent "$ours_acc")"
        note "$name: $WHY."
        return
    fi
    theirs_t=$(samples epoch 2 2 "$THEIRS")
    theirs_acc=$(field test_acc <<<"$THEIRS" | tail -1)
    ratio=$(verdict "$ours_t" "$theirs_t")
    # In hundredths of a point, as printed: exactly one point apart is not void.
    if awk -v a="$ours_acc" -v b="$theirs_acc" \
           'BEGIN {d = int(10000 * a + 0.5) - int(10000 * b + 0.5); exit !(d > 100 || d < -100)}'; then
        ratio="void"
        note "$name: void, the test accuracies differ by more than one point" \
             "($(percent "$ours_acc") vs $(percent "$theirs_acc")): the two sides did not train alike."
    fi
    row "$name" "$(median_range %.2f s <<<"$ours_t")" "$(median_range %.2f s <<<"$theirs_t")" \
        "$ratio" "test acc $(percent "$ours_acc") vs $(percent "$theirs_acc")"
}

percent() { awk -v a="$1" 'BEGIN {printf "%.1f%%", 100 * a}'; }

# How run_shown words an epoch program's lines on stderr; a row whose
# programs print other lines defines its own pretty after sourcing this.
pretty() {
    local -a w
    read -r -a w <<<"$1"
    case ${w[0]} in
        epoch)    say "  $side: epoch ${w[1]}: ${w[2]} s, training loss ${w[3]}" ;;
        test_acc) say "  $side: test accuracy $(percent "${w[1]}")" ;;
        torch)    say "  $side: version ${w[1]} (BLAS: ${w[2]}) in ${w[3]}" ;;
    esac
}

# A training-throughput row (chapters 05 and 06): in characters a second,
# each side's rounds of CHARS characters after its first (round lines
# "round I SECONDS LOSS" of REPS alternating runs, two rounds each), with
# the training loss after the last run's two rounds (2 STEPS) beside.
#   throughput_row NAME CHARS STEPS
throughput_row() {
    local name=$1 chars=$2 steps=$3 ours_r theirs_r loss
    ours_r=$(samples round 2 2 "$OURS" | awk -v n="$chars" '{print n / $1}')
    loss="loss after $((2 * steps)) steps $(last_loss "$OURS")"
    if [[ -z $THEIRS ]]; then
        row "$name" "$(median_range %.0f char/s <<<"$ours_r")" "-" "-" "$loss"
        note "$name: $WHY."
        return
    fi
    theirs_r=$(samples round 2 2 "$THEIRS" | awk -v n="$chars" '{print n / $1}')
    row "$name" "$(median_range %.0f char/s <<<"$ours_r")" \
        "$(median_range %.0f char/s <<<"$theirs_r")" "$(verdict "$ours_r" "$theirs_r" rate)" \
        "$loss vs $(last_loss "$THEIRS")"
}

# The training loss at the end of a side's last run.
last_loss() {
    field round <<<"$1" | awk 'END {print $3}'
}
