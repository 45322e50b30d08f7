# shellcheck shell=bash
# Shared by the class checks (sourced): submissions made from the kit's
# reference solution, class runs, gradebook comparisons. Needs kit (the
# kit's root) and DK_BUILD (make's BUILD, which make exports).
: "${kit:?}" "${DK_BUILD:?}"

# The files of CHAPTER's MANIFEST, from FROM (a folder laid out like
# exercises/), as a student's folder: DIR/exercises/CHAPTER.
chapter_submission() {
    local from=$1 dir=$2 chapter=$3
    mkdir -p "$dir/exercises/$chapter"
    grep -v -e '^#' -e '^[[:space:]]*$' "$kit/exercises/$chapter/MANIFEST" |
        (cd "$from/$chapter" && xargs cp --parents -t "$dir/exercises/$chapter/")
}

reference_submission() { chapter_submission "$kit/solutions" "$@"; }
# The stubs as committed (make stubs), not the working files.
stubs_submission() { chapter_submission "$DK_BUILD/stubs" "$@"; }

# The reference with a patch applied (grader/mutants' and cheats' format),
# its @NAME@ placeholders first replaced from the environment's
# PLACEHOLDER_NAME (paths a hostile submission aims at).
patched_submission() {
    local dir=$1 chapter=$2 patch=$3
    reference_submission "$dir" "$chapter"
    substituted "$patch" | patch -s -p1 -d "$dir/exercises/$chapter"
}

substituted() {
    sed -e "s|@OUT@|${PLACEHOLDER_OUT:-}|g" -e "s|@KIT@|$kit|g" \
        -e "s|@HIDDEN@|${PLACEHOLDER_HIDDEN:-}|g" -e "s|@CANARY@|${PLACEHOLDER_CANARY:-}|g" "$1"
}

# A header field of a patch ("" when absent), placeholders replaced.
header() {
    substituted "$1" | sed -n "/^\(---\|diff \)/q; s/^$2: *//p" | sed -n 1p
}

# make class with the kit's build folder; the rest of the arguments are
# make's variables.
class_run() {
    make -C "$kit" -s --no-print-directory BUILD="$DK_BUILD" class "$@"
}

# A gradebook.csv without its last three columns (seconds, CPU seconds,
# peak memory: they differ from run to run).
without_timing() {
    sed 's/,[^,]*,[^,]*,[^,]*$//' "$1"
}

# The CSV row of a student id.
row_of() {
    grep "^$2," "$1"
}

failures=0
fail() {
    echo "FAIL  $*"
    failures=$((failures + 1))
}
