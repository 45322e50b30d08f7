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

# A training-throughput row: "ours" (our program's output, rounds of
# "round I SECONDS LOSS" lines) against a PyTorch script run on the same
# rounds, in characters a second, each side's median round of CHARS
# characters; the last training losses beside. PRETTY words the lines as
# they come (run_shown); side is "PyTorch" while the script runs.
#   throughput_row NAME "$ours" CHARS STEPS PRETTY SCRIPT ARG...
throughput_row() {
    local name=$1 ours=$2 chars=$3 steps=$4 pretty=$5 theirs version blas
    shift 5
    local ours_rate ours_cell
    ours_rate=$(field round <<<"$ours" | awk -v n="$chars" '{print n / $2}' | median)
    ours_cell=$(printf '%.0f char/s' "$ours_rate")
    if [[ -z ${TORCH_PYTHON:-} ]]; then
        row "$name" "$ours_cell" "-" "-" "loss after $steps steps $(last_loss "$ours")"
        note "$name: $TORCH_MISSING."
        return
    fi
    side=PyTorch
    if ! theirs=$(run_shown "$pretty" "$TORCH_PYTHON" "$@"); then
        row "$name" "$ours_cell" "-" "-" "loss after $steps steps $(last_loss "$ours")"
        note "$name: the PyTorch side failed (above)."
        return
    fi
    read -r version blas _ <<<"$(field torch <<<"$theirs")"
    header "PyTorch $version ($TORCH_FROM; BLAS: $blas)"
    local theirs_rate
    theirs_rate=$(field round <<<"$theirs" | awk -v n="$chars" '{print n / $2}' | median)
    row "$name" "$ours_cell" "$(printf '%.0f char/s' "$theirs_rate")" \
        "$(speedup "$ours_rate" "$theirs_rate" rate)" \
        "loss after $steps steps $(last_loss "$ours") vs $(last_loss "$theirs")"
}

# The last round's training loss in a side's output.
last_loss() {
    field round <<<"$1" | awk 'END {print $3}'
}
