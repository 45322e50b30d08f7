# Fuzzing the parsers that students and instructors feed the kit: IDX,
# CIFAR-10, CSV and sentence files (datasets/), a results.tsv line
# (grader/core/results.c) and the class configuration (grader/class/).
#   make fuzz [FUZZ_SECONDS=60]   each harness for that long, clang's
#                                 libFuzzer with ASan and UBSan
#   make check-fuzz               (make check-long) the crashes found so far,
#                                 replayed, then 20 s of each harness
# Seeds: small valid files of the kit (fuzz/seeds/NAME/, datasets/data).
# A crash is kept under build/fuzz/crashes/NAME/; once fixed, copy it to
# fuzz/regressions/NAME/, which check-fuzz replays.
FUZZ         := $(BUILD)/fuzz
FUZZERS      := idx cifar csv sentences results config
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS   = -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -g -O1 \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                $(INCLUDES) -Igrader -Igrader/core -Igrader/class -Ifuzz
# The kit's code the harnesses drive; dlkit-gradebook's main() is renamed
# so that libFuzzer's is the program's.
FUZZ_SRC := $(LIB_SRC) grader/core/results.c grader/json.c $(wildcard grader/class/*.c) fuzz/input.c
FUZZ_OBJ := $(FUZZ_SRC:%.c=$(FUZZ)/obj/%.o)

.PHONY: fuzz check-fuzz fuzz-build
CHECK_LONG += check-fuzz

$(FUZZ)/obj/%.o: %.c $(FLAGS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(if $(filter %/gradebook.c,$<),-Dmain=gradebook_main) \
	  -c $< -o $@

$(FUZZ)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_OBJ) -o $@ $(KIT_LIBS)

# Seeds the harness has no file for are written here.
$(FUZZ)/seeds/cifar/record:
	@mkdir -p $(@D)
	{ printf '\3'; head -c 3072 /dev/zero | tr '\0' '\200'; } > $@

fuzz-build: $(FUZZERS:%=$(FUZZ)/fuzz_%) $(FUZZ)/seeds/cifar/record

seeds_of = $(wildcard fuzz/seeds/$(1)/*) $(if $(filter idx,$(1)),datasets/data/mnist10k-t10k-labels-idx1-ubyte.gz) \
           $(if $(filter csv,$(1)),datasets/data/iris.csv datasets/data/breast_cancer.csv) \
           $(if $(filter cifar,$(1)),$(FUZZ)/seeds/cifar/record) \
           $(if $(filter config,$(1)),grader/class/class.conf.example tests/class/small.conf)

# Each harness in turn: its corpus grows under build/fuzz/corpus/NAME.
# (The configuration keeps what it parsed for the whole run, as
# dlkit-gradebook does: no leak check there.)
fuzz_run = mkdir -p $(FUZZ)/corpus/$(1) $(FUZZ)/crashes/$(1) && cp $(call seeds_of,$(1)) $(FUZZ)/corpus/$(1)/ && \
  $(if $(filter config,$(1)),ASAN_OPTIONS=detect_leaks=0) $(FUZZ)/fuzz_$(1) -max_total_time=$(2) -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=$(FUZZ)/crashes/$(1)/ $(FUZZ)/corpus/$(1) \
    > $(FUZZ)/$(1).log 2>&1; status=$$?; \
  echo "  $(1): $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ)/$(1).log | tail -1) runs in $(2) s, \
    corpus $$(ls $(FUZZ)/corpus/$(1) | wc -l) inputs$$( ((status)) && echo ', FAILED: see $(FUZZ)/$(1).log')"; \
  ((status == 0))

fuzz:
	@tools/deps fuzz
	@$(MAKE_QUIET) fuzz-build
	@echo "== fuzzing each parser for $(FUZZ_SECONDS) s"
	@bad=0; $(foreach f,$(FUZZERS),{ $(call fuzz_run,$(f),$(FUZZ_SECONDS)); } || bad=1;) exit $$bad

# The crashes once found, replayed (each must now pass), then a short run.
check-fuzz:
	@tools/deps fuzz
	@$(MAKE_QUIET) fuzz-build
	@echo "== the parsers: crashes found by fuzzing, replayed"
	@for f in $(FUZZERS); do files=$$(find fuzz/regressions/$$f -type f 2> /dev/null); \
	  [[ -z $$files ]] || ASAN_OPTIONS=detect_leaks=$$([[ $$f == config ]] && echo 0 || echo 1) $(FUZZ)/fuzz_$$f $$files > $(FUZZ)/$$f-replay.log 2>&1 || \
	    { echo "  $$f: a crash came back: $(FUZZ)/$$f-replay.log"; exit 1; }; done
	@$(MAKE_QUIET) fuzz FUZZ_SECONDS=20
