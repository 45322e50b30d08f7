# The smallest and largest value of the named columns of CSV logs:
#   awk -F, -v want="train_acc test_acc" -v s=100 -f plots/column-span.awk LOG...
# prints "LO HI N" of every value times s, N the number of values; "nan"
# and columns a log lacks are left out (plots/common.gp's column_span).
BEGIN { split(want, names, " "); for (k in names) wanted[names[k]] = 1 }
FNR == 1 { split("", use); for (i = 1; i <= NF; i++) if ($i in wanted) use[i] = 1; next }
{
    for (i in use)
        if ($i != "nan" && $i != "") {
            v = s * $i
            if (!n++ || v < lo) lo = v
            if (n == 1 || v > hi) hi = v
        }
}
END { print lo + 0, hi + 0, n + 0 }
