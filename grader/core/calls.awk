# Writes a chapter's call layer from its spec (grader/NN-topic/calls.spec):
#   awk -v headers="contract.h ..." -f grader/core/calls.awk calls.spec > calls.c
# The tests and the student's code run in two processes (remote.c,
# student.c); the generated file, compiled once with DK_TEST_SIDE and once
# with DK_STUDENT_SIDE, carries each contract call across:
#  - on the test side, a function of the contract's name that copies its
#    arguments into the region both processes share, asks the student
#    process to make the call, and copies every array back;
#  - on the student side, a table of stubs that make the real call.
#
# The spec holds the contract's prototypes, each annotated:
#   int f(const float *x [n * d], size_t n, size_t d, float *out [n]);
#       an array and its element count (the data is copied both ways);
#   bool g(mlp *net [struct mlp]);
#       a struct the chapter's marshal.c shares (dk_share_mlp) and, on the
#       student side, fixes (dk_fix_mlp: callbacks);
#   bool g(mlp *net [struct-out mlp]) [after dk_check(ret, net)];
#       a struct the call fills (its old contents are not read), and a check
#       of what came back, run on the test side after the call (it may read
#       the result as ret and the region's copy of an argument x as dk_a->x);
#   r h(..., cb_fn fn [callback], void *ctx [context]);
#       a callback of type cb_fn and its context, run in the test process;
#   callback void cb_fn(size_t a, float *x [shared], void *ctx);
#       a callback type: its pointers must lie in the shared region.
# Lines starting with # are comments; a declaration ends with ';'.

function trim(s) { sub(/^[ \t\n]+/, "", s); sub(/[ \t\n]+$/, "", s); return s }

# Splits s at the commas outside () and [] into OUT[1..n]; returns n.
function split_top(s, OUT,    n, depth, i, ch, start) {
    n = 0
    depth = 0
    start = 1
    for (i = 1; i <= length(s); i++) {
        ch = substr(s, i, 1)
        if (ch == "(" || ch == "[") depth++
        else if (ch == ")" || ch == "]") depth--
        else if (ch == "," && depth == 0) {
            OUT[++n] = substr(s, start, i - start)
            start = i + 1
        }
    }
    OUT[++n] = substr(s, start)
    return n
}

# The start of the bracketed annotation that ends s, or 0.
function annotation_start(s,    i, depth, ch) {
    if (substr(s, length(s), 1) != "]")
        return 0
    depth = 0
    for (i = length(s); i > 0; i--) {
        ch = substr(s, i, 1)
        if (ch == "]") depth++
        else if (ch == "[" && --depth == 0) return i
    }
    return 0
}

# Splits declaration d into NAME, RET, the parameters P_* (P_N of them) and
# the check to run after the call (AFTER).
function parse(d,    open, shut, head, params, n, i, p, ann, a) {
    AFTER = ""
    a = annotation_start(d)
    if (a && substr(d, a, 7) == "[after ") {
        AFTER = trim(substr(d, a + 7, length(d) - a - 7))
        d = trim(substr(d, 1, a - 1))
    }
    open = index(d, "(")
    shut = length(d)
    while (substr(d, shut, 1) != ")")
        shut--
    head = trim(substr(d, 1, open - 1))
    NAME = head
    sub(/.*[ *]/, "", NAME)
    RET = trim(substr(head, 1, length(head) - length(NAME)))
    params = trim(substr(d, open + 1, shut - open - 1))
    P_N = 0
    if (params == "void" || params == "")
        return
    n = split_top(params, parts)
    for (i = 1; i <= n; i++) {
        p = trim(parts[i])
        ann = ""
        a = annotation_start(p)
        if (a) {
            ann = trim(substr(p, a + 1, length(p) - a - 1))
            p = trim(substr(p, 1, a - 1))
        }
        P_N++
        P_NAME[P_N] = p
        sub(/.*[ *]/, "", P_NAME[P_N])
        P_TYPE[P_N] = trim(substr(p, 1, length(p) - length(P_NAME[P_N])))
        P_ANN[P_N] = ann
    }
}

function kind(i) {
    if (P_ANN[i] == "") return "scalar"
    if (P_ANN[i] == "callback") return "callback"
    if (P_ANN[i] == "context") return "context"
    if (P_ANN[i] == "shared") return "shared"
    if (P_ANN[i] ~ /^struct-out /) return "struct-out"
    if (P_ANN[i] ~ /^struct /) return "struct"
    return "array"
}

function field_type(i) {
    return kind(i) == "callback" ? "uint64_t" : kind(i) == "context" ? "void *" : P_TYPE[i]
}

function args_struct(prefix,    i) {
    printf "struct %s_%s {\n", prefix, NAME
    for (i = 1; i <= P_N; i++)
        printf "    %s %s;\n", field_type(i), P_NAME[i]
    if (RET != "void")
        printf "    %s ret;\n", RET
    printf "    char unused; /* (a struct may not be empty) */\n};\n\n"
}

function param_list(    i, s) {
    s = ""
    for (i = 1; i <= P_N; i++)
        s = s (i > 1 ? ", " : "") P_TYPE[i] (P_TYPE[i] ~ /\*$/ ? "" : " ") P_NAME[i]
    return P_N ? s : "void"
}

# Every argument and the result passed by value: after the call the test
# reads nothing of the region but the result (remote.h's values_only).
function values_only(    i) {
    if (RET ~ /\*/ || AFTER != "")
        return 0
    for (i = 1; i <= P_N; i++)
        if (P_TYPE[i] ~ /\*/ || kind(i) != "scalar")
            return 0
    return 1
}

# (Its locals are dk_c and dk_a: a contract's parameters may be called c or a.)
function test_wrapper(id,    i, k, cb) {
    printf "%s %s(%s)\n{\n    dk_call dk_c;\n", RET, NAME, param_list()
    printf "    struct args_%s *dk_a = dk_call_begin(&dk_c, %d, \"%s\", sizeof *dk_a);\n", NAME, id, NAME
    if (values_only())
        printf "    dk_c.values_only = true;\n"
    cb = ""
    for (i = 1; i <= P_N; i++) {
        k = kind(i)
        if (k == "scalar" || k == "shared")
            printf "    dk_a->%s = %s;\n", P_NAME[i], P_NAME[i]
        else if (k == "array" && P_TYPE[i] ~ /^const /)
            printf "    dk_a->%s = dk_share_const(&dk_c, %s, (size_t)(%s) * sizeof *%s, \"its %s\");\n",
                   P_NAME[i], P_NAME[i], P_ANN[i], P_NAME[i], P_NAME[i]
        else if (k == "array")
            printf "    dk_a->%s = dk_share(&dk_c, %s, (size_t)(%s) * sizeof *%s);\n", P_NAME[i],
                   P_NAME[i], P_ANN[i], P_NAME[i]
        else if (k == "struct")
            printf "    dk_a->%s = dk_share_%s(&dk_c, %s);\n", P_NAME[i], substr(P_ANN[i], 8), P_NAME[i]
        else if (k == "struct-out")
            printf "    dk_a->%s = dk_share_out(&dk_c, %s, sizeof *%s);\n", P_NAME[i], P_NAME[i], P_NAME[i]
        else if (k == "callback")
            cb = P_NAME[i]
        else if (k == "context")
            printf "    dk_a->%s = dk_callback_slot(&dk_c, (void (*)(void))%s, %s, dk_invoke_%s);\n",
                   cb, cb, P_NAME[i], CB_TYPE_OF[NAME, cb]
    }
    printf "    dk_call_run(&dk_c);\n"
    if (RET != "void")
        printf "    %s ret = dk_a->ret;\n", RET
    printf "    dk_call_end(&dk_c);\n"
    if (AFTER != "")
        printf "    %s;\n", AFTER
    printf "%s}\n\n", RET != "void" ? "    return ret;\n" : ""
}

function student_stub(    i, k, s, cbs) {
    printf "static void call_%s(void *p)\n{\n    struct args_%s *a = p;\n", NAME, NAME
    s = ""
    cbs = ""
    for (i = 1; i <= P_N; i++) {
        k = kind(i)
        if (k == "struct")
            printf "    dk_fix_%s((void *)a->%s);\n", substr(P_ANN[i], 8), P_NAME[i]
        if (k == "callback") {
            s = s (i > 1 ? ", " : "") "a->" P_NAME[i] " ? dk_cb_" P_TYPE[i] " : NULL"
            cbs = P_NAME[i]
        } else if (k == "context") {
            s = s (i > 1 ? ", " : "") "(void *)(uintptr_t)a->" cbs
        } else {
            s = s (i > 1 ? ", " : "") "a->" P_NAME[i]
        }
    }
    printf "    %s%s(%s);\n}\n\n", RET != "void" ? "a->ret = " : "", NAME, s
}

# A callback type: the student side's stand-in, which asks the test process
# to run the real one, and the test side's call of the real one.
function callback_code(    i, s, ctx) {
    printf "#ifdef DK_STUDENT_SIDE\n"
    printf "%s dk_cb_%s(%s)\n{\n", RET, NAME, param_list()
    printf "    struct cbargs_%s args = {0}, *a = &args; /* on the stack, in the region */\n", NAME
    for (i = 1; i <= P_N; i++)
        if (P_NAME[i] != "ctx")
            printf "    a->%s = %s;\n", P_NAME[i], P_NAME[i]
        else
            ctx = P_NAME[i]
    printf "    dk_student_callback((uint64_t)(uintptr_t)%s, a);\n", ctx
    printf "%s}\n", RET != "void" ? "    return a->ret;\n" : ""
    printf "#else\n"
    printf "static void dk_invoke_%s(void (*fn)(void), void *ctx, void *p)\n{\n", NAME
    printf "    struct cbargs_%s *a = p;\n", NAME
    s = ""
    for (i = 1; i <= P_N; i++) {
        if (P_NAME[i] == "ctx") {
            s = s (i > 1 ? ", " : "") "ctx"
            continue
        }
        if (P_ANN[i] == "shared")
            printf "    dk_check_shared(a->%s, \"%s's %s\");\n", P_NAME[i], NAME, P_NAME[i]
        s = s (i > 1 ? ", " : "") "a->" P_NAME[i]
    }
    printf "    %s((%s)fn)(%s);\n}\n#endif\n\n", RET != "void" ? "a->ret = " : "", NAME, s
}

/^[ \t]*#/ { next } # comments
{ SPEC = SPEC " " $0 }
END {
    n = split(SPEC, decls, ";")
    for (i = 1; i <= n; i++) {
        text = trim(decls[i])
        gsub(/[ \t]+/, " ", text)
        if (text != "")
            DECL[++NDECL] = text
    }
    print "/* Generated by grader/core/calls.awk from the chapter's calls.spec: do not edit. */"
    n = split(headers, h, " ")
    for (i = 1; i <= n; i++)
        printf "#include \"%s\"\n", h[i]
    printf "#include \"remote.h\"\n"
    for (d = 1; d <= NDECL; d++)
        if (DECL[d] ~ /\[(struct|after) /)
            USES_STRUCTS = 1
    printf "%s\n", USES_STRUCTS ? "#include \"marshal.h\"\n" : ""
    for (d = 1; d <= NDECL; d++) {
        if (DECL[d] ~ /^callback /) {
            parse(substr(DECL[d], 10))
            args_struct("cbargs")
            callback_code()
            continue
        }
        parse(DECL[d])
        for (i = 1; i <= P_N; i++)
            if (kind(i) == "callback")
                CB_TYPE_OF[NAME, P_NAME[i]] = P_TYPE[i]
        args_struct("args")
        NFUNC++
        FUNCS[NFUNC] = DECL[d]
    }
    print "#ifdef DK_TEST_SIDE"
    for (f = 1; f <= NFUNC; f++) {
        parse(FUNCS[f])
        test_wrapper(f - 1)
    }
    print "#else"
    for (f = 1; f <= NFUNC; f++) {
        parse(FUNCS[f])
        student_stub()
    }
    print "const dk_call_entry dk_calls[] = {"
    for (f = 1; f <= NFUNC; f++) {
        parse(FUNCS[f])
        printf "    {\"%s\", call_%s},\n", NAME, NAME
    }
    print "};\nconst size_t dk_ncalls = sizeof dk_calls / sizeof dk_calls[0];\n#endif"
}
