# The PyTorch that make bench compares with (sourced by bench/run).
#
# find_torch sets TORCH_PYTHON (a python that imports torch and numpy) and
# TORCH_FROM (where that PyTorch comes from), or leaves TORCH_PYTHON empty
# and says why in TORCH_MISSING. It tries, in order:
#   1. the virtual environment in the kit's cache folder, made by an
#      earlier run;
#   2. a fresh `pip install torch numpy` from PyPI into it (the baseline
#      DESIGN.md names: current PyTorch, as a student would install it);
#   3. a python3 of the system that imports torch (Debian's python3-torch),
#      installed through tools/deps when missing.
# Messages go to stderr: stdout belongs to the table.
# shellcheck disable=SC2034 # the variables it sets are for bench/run

# The kit's cache folder, as the data fetcher finds it.
torch_venv() {
    echo "${DLKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dlkit}/torch-venv"
}

imports_torch() {
    "$1" -c 'import torch, numpy' 2>/dev/null
}

# pip into the venv; false when that fails (offline, no venv module...).
install_from_pypi() {
    local venv=$1 start=$SECONDS
    echo "bench: installing PyTorch from PyPI into $venv (pip install torch numpy)." >&2
    echo "bench: the first time, this downloads a few GB (PyPI's Linux wheel brings" \
         "CUDA libraries) and takes minutes; later runs reuse it." >&2
    "$KIT/tools/deps" bench >&2 || return 1
    if [[ ! -x $venv/bin/python ]]; then
        python3 -m venv "$venv" >&2 || return 1
    fi
    # pip's own progress, on the terminal (stdout holds the table).
    "$venv/bin/python" -m pip install torch numpy >&2 || return 1
    imports_torch "$venv/bin/python" || return 1
    local took=$((SECONDS - start))
    echo "bench: PyTorch installed in $((took / 60)) min $((took % 60)) s." >&2
}

# The first python3 of the system that imports torch: the one on PATH, or
# Debian's (apt installs python3-torch for /usr/bin/python3 only).
system_torch_python() {
    local py
    for py in "$(command -v python3)" /usr/bin/python3; do
        [[ -x $py ]] && imports_torch "$py" && { echo "$py"; return 0; }
    done
    return 1
}

find_torch() {
    local venv
    venv=$(torch_venv)
    TORCH_PYTHON="" TORCH_FROM="" TORCH_MISSING=""
    if imports_torch "$venv/bin/python" || install_from_pypi "$venv"; then
        TORCH_PYTHON=$venv/bin/python TORCH_FROM="PyPI, in ${venv/#$HOME\//\~/}"
        return 0
    fi
    echo "bench: no PyTorch from PyPI; trying the system's python3-torch instead" \
         "(Debian's 1.13, a generic-BLAS build: a weaker baseline)." >&2
    if TORCH_PYTHON=$(system_torch_python) ||
       { "$KIT/tools/deps" torch >&2 && TORCH_PYTHON=$(system_torch_python); }; then
        TORCH_FROM="the system's $TORCH_PYTHON"
        return 0
    fi
    TORCH_PYTHON=""
    TORCH_MISSING="no PyTorch: pip could not install it into $venv (offline?) and the"
    TORCH_MISSING+=" system's python3-torch is not installed (DLKIT_YES=1 make bench installs it)"
}
