# dlkit: deep learning from scratch in C. The one entry point: `make help`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDARY: # keep every intermediate file: the grader reuses them

ROOT  := $(CURDIR)
BUILD ?= build
ifeq ($(origin CC),default)
CC := gcc
endif

# Flags of every C file of the kit; student code gets BASE_CFLAGS.
# -fno-math-errno: nothing reads errno after sqrtf or expf, and without
# it the compiler keeps every such call scalar (an Adam step's loop, say).
PKGS    := openblas zlib libcrypto libcurl
CFLAGS  ?= -O3 -g -fno-math-errno
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
BUILD   := build/san
endif
BASE_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror $(CFLAGS)
# Student code: warnings are shown, not fatal, but for those that mean
# undefined behaviour or a missing declaration.
STUDENT_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror=implicit-function-declaration \
                 -Werror=return-type -Werror=incompatible-pointer-types -Werror=int-conversion $(CFLAGS)
INCLUDES    = -Icommon -Idatasets -DDK_ROOT='"$(ROOT)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
KIT_CFLAGS  = $(BASE_CFLAGS) -MMD -MP $(INCLUDES)
KIT_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CRITERION   = $(shell pkg-config --libs criterion 2>/dev/null)
ifdef SEED
export DLKIT_SEED := $(SEED)
endif
# Every object depends on the compiler and flags it was built with: a
# change of either rebuilds everything.
FLAGS := $(BUILD)/flags.txt
$(shell mkdir -p $(BUILD) && echo '$(CC) $(CFLAGS)' | cmp -s - $(FLAGS) || echo '$(CC) $(CFLAGS)' > $(FLAGS))
# Programs find the kit's data here even when the kit folder has moved
# since they were built (DK_ROOT).
export DLKIT_ROOT := $(ROOT)

# ---- The support library: common/ and datasets/ ---------------------------
LIB_SRC := $(wildcard common/*.c) $(filter-out datasets/cli.c,$(wildcard datasets/*.c))
LIB     := $(BUILD)/lib/libdlkit.a

# Student code sees the contract headers of every chapter (a chapter may
# call the earlier ones' functions); kit code sees the drivers' headers
# too. The header names differ.
STUDENT_INCLUDES = $(addprefix -I,$(wildcard exercises/[0-9][0-9]-*))
CHAPTER_INCLUDES = $(STUDENT_INCLUDES) $(addprefix -I,$(wildcard drivers/[0-9][0-9]-*))
$(BUILD)/obj/%.o: %.c $(FLAGS)
	@mkdir -p $(@D)
	$(CC) $(KIT_CFLAGS) $(CHAPTER_INCLUDES) -c $< -o $@

$(LIB): $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

# The data fetcher: `make data` runs `dlkit-data fetch`.
$(BUILD)/bin/dlkit-data: $(BUILD)/obj/datasets/cli.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# ---- The grader ---------------------------------------------------------------
# Per chapter, under $(G)/NN-x/: the reference merged into one object
# (solution.o), its function names (api.list), the same object with every
# name prefixed ref_ (ref.o) and a header declaring those (ref_api.h), the
# compiled tests, the earlier chapters' reference (which a chapter's code
# may call) and the catalogue of tests (catalog.tsv: name, points, timeout,
# hint). grader/grade-chapter links them with a student's files.
CHAPTERS := $(patsubst exercises/%/MANIFEST,%,$(sort $(wildcard exercises/[0-9][0-9]-*/MANIFEST)))
G        := $(BUILD)/grader
CORE_OBJ := $(patsubst grader/core/%.c,$(G)/core/%.o,$(filter-out %/runner.c %/student.c,$(wildcard grader/core/*.c)))
WRAP     := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc
earlier_than = $(shell printf '%s\n' $(CHAPTERS) | awk -v ch=$(1) '$$0 < ch')

$(G)/core/%.o: grader/core/%.c $(FLAGS)
	@mkdir -p $(@D)
	$(CC) $(KIT_CFLAGS) -c $< -o $@

# What chapter code may call, besides the chapters' functions.
$(G)/allowed.txt: grader/allowed-symbols.txt
	@mkdir -p $(@D)
	grep -v -e '^#' -e '^$$' $< | sort -u > $@

.SECONDEXPANSION:

$(G)/%/solution.o: $$(addprefix $(BUILD)/obj/,$$(addsuffix .o,$$(basename $$(wildcard solutions/$$*/*.c))))
	@mkdir -p $(@D)
	ld -r -o $@ $^

$(G)/%/api.list: $(G)/%/solution.o
	nm -g --defined-only $< | awk '$$2 == "T" {print $$3}' | sort > $@

# (Its data too: an answer key lives in the reference, as ref_NAME.)
$(G)/%/ref.o: $(G)/%/solution.o $(G)/%/api.list
	nm -g --defined-only $< | awk '{print $$3, "ref_" $$3}' > $(G)/$*/ref.syms
	objcopy --redefine-syms=$(G)/$*/ref.syms $< $@

$(G)/%/ref_api.h: $(G)/%/api.list
	{ echo '/* Generated: the reference solution under ref_ names. */'; \
	  for h in exercises/$*/*.h; do echo "#include \"$$(basename $$h)\""; done; \
	  awk '{print "extern __typeof__(" $$1 ") ref_" $$1 ";"}' $<; } > $@

$(G)/%/runner.o: grader/core/runner.c $(FLAGS)
	@mkdir -p $(@D)
	$(CC) $(KIT_CFLAGS) -DDK_CHAPTER='"$*"' -c $< -o $@

# The tests, and the chapter's kit code that they use (a shared recipe).
$(G)/%/tests.stamp: $$(filter-out grader/$$*/marshal.c,$$(wildcard grader/$$*/*.c)) \
                    $$(wildcard exercises/$$*/*.h drivers/$$*/*.h) $$(call kit_sources,$$*) \
                    $(wildcard common/*.h datasets/*.h) grader/core/grade.h $(G)/%/ref_api.h $(FLAGS)
	@rm -rf $(G)/$*/tests && mkdir -p $(G)/$*/tests
	for t in $(filter %.c,$^); do \
	  $(CC) $(KIT_CFLAGS) -Igrader/core $(CHAPTER_INCLUDES) -I$(G)/$* -DDK_CHAPTER='"$*"' \
	    -c $$t -o $(G)/$*/tests/$$(basename $${t%.c}).o || exit 1; done
	touch $@

$(G)/%/earlier.stamp: $$(foreach c,$$(call earlier_than,$$*),$(G)/$$(c)/solution.o $(G)/$$(c)/api.list)
	@rm -rf $(G)/$*/earlier && mkdir -p $(G)/$*/earlier
	for c in $(call earlier_than,$*); do \
	  cp $(G)/$$c/solution.o $(G)/$*/earlier/$$c.o; cp $(G)/$$c/api.list $(G)/$*/earlier/$$c.list; done
	touch $@

# The catalogue comes from the tests linked with the reference.
$(G)/%/catalog.tsv: $(G)/%/runner.o $(G)/%/tests.stamp $(G)/%/solution.o $(G)/%/ref.o \
                    $(G)/%/earlier.stamp $(CORE_OBJ) $(LIB) $(G)/allowed.txt
	$(CC) $(CFLAGS) -o $(G)/$*/catalog $(G)/$*/runner.o $(G)/$*/tests/*.o $(CORE_OBJ) \
	  $(G)/$*/solution.o $(G)/$*/ref.o $(wildcard $(G)/$*/earlier/*.o) $(LIB) $(KIT_LIBS) \
	  $(CRITERION) $(WRAP)
	$(G)/$*/catalog --list > $@

# A chapter whose tests run the student's code in a process of its own
# (grader/core/remote.h) has a calls.spec: its call layer is generated from
# it, compiled for each side, with the chapter's marshal.c where structs
# cross; the student process's main is grader/core/student.c.
# (Linux only: elsewhere the tests and the student's code share a process.)
ISOLATED   = $(if $(filter Linux,$(shell uname -s)),$(patsubst grader/%/calls.spec,%,$(wildcard grader/*/calls.spec)))
SECCOMP    = $(shell pkg-config --libs libseccomp 2>/dev/null)
side_flags = $(KIT_CFLAGS) -Igrader/core -Igrader/$(1) -I$(G)/$(1) $(CHAPTER_INCLUDES)
$(G)/%/calls.c: grader/%/calls.spec grader/core/calls.awk
	@mkdir -p $(@D)
	awk -v headers="$(notdir $(wildcard exercises/$*/*.h))" -f grader/core/calls.awk $< > $@
$(G)/%/calls_test.o: $(G)/%/calls.c grader/core/remote.h $(FLAGS)
	@mkdir -p $(@D)
	$(CC) $(call side_flags,$*) -DDK_TEST_SIDE -c $< -o $@
$(G)/%/calls_student.o: $(G)/%/calls.c grader/core/remote.h $(FLAGS)
	@mkdir -p $(@D)
	$(CC) $(call side_flags,$*) -DDK_STUDENT_SIDE -c $< -o $@
$(G)/%/marshal_test.o: grader/%/marshal.c grader/core/remote.h $(G)/%/ref_api.h $(FLAGS)
	@mkdir -p $(@D)
	$(CC) $(call side_flags,$*) -DDK_TEST_SIDE -c $< -o $@
$(G)/%/marshal_student.o: grader/%/marshal.c grader/core/remote.h $(FLAGS)
	@mkdir -p $(@D)
	$(CC) $(call side_flags,$*) -DDK_STUDENT_SIDE -c $< -o $@
$(G)/student-main.o: grader/core/student.c grader/core/remote.h $(FLAGS)
	@mkdir -p $(@D)
	$(CC) $(KIT_CFLAGS) -c $< -o $@
call_layer = $(if $(filter $(1),$(ISOLATED)),$(G)/student-main.o \
  $(addprefix $(G)/$(1)/,calls_test.o calls_student.o \
    $(if $(wildcard grader/$(1)/marshal.c),marshal_test.o marshal_student.o)))

$(BUILD)/obj/grader/%.o: KIT_CFLAGS += -Igrader -Igrader/core
$(BUILD)/bin/dlkit-report: $(BUILD)/obj/grader/report.o $(BUILD)/obj/grader/json.o $(G)/core/results.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# What grade-chapter refuses in chapter code's text (grader/srccheck.c).
$(BUILD)/bin/dlkit-srccheck: $(BUILD)/obj/grader/srccheck.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@

# What grader/grade-chapter needs to know.
export DK_CC = $(CC)
export DK_CFLAGS = $(STUDENT_CFLAGS)
export DK_LIBS = $(KIT_LIBS) $(CRITERION) $(WRAP)
export DK_STUDENT_LIBS = $(KIT_LIBS) $(SECCOMP) $(WRAP),--wrap=free
export DK_BUILD = $(BUILD)

# ---- The kit's own tests ----------------------------------------------------------
$(BUILD)/obj/tests/%.o: KIT_CFLAGS += -Igrader/core -Igrader
# test_recipes.c runs chapters 04 to 07's recipes on their reference,
# the merged objects (which the students' copy has too, compiled).
$(BUILD)/bin/kit-tests: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/*.c)) \
                        $(filter-out %/worker.o,$(CORE_OBJ)) $(BUILD)/obj/grader/json.o \
                        $(BUILD)/obj/drivers/04-cnn/cnn_recipe.o \
                        $(BUILD)/obj/drivers/05-rnn/charlm_recipe.o \
                        $(BUILD)/obj/drivers/06-attention/gpt_recipe.o \
                        $(BUILD)/obj/drivers/07-generative/vae_recipe.o \
                        $(foreach c,07-generative 06-attention 05-rnn 04-cnn 03-training 02-backprop,$(G)/$(c)/solution.o) \
                        $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS) $(CRITERION)

# ---- Commands ----------------------------------------------------------------------
SRC ?= exercises
OUT ?= $(BUILD)/grade
ifdef CH
SELECTED := $(filter $(CH) $(CH)-% %-$(CH) $(shell printf '%02d' '$(CH)' 2>/dev/null)-%,$(CHAPTERS))
ifeq ($(SELECTED),)
$(error CH=$(CH) names no chapter; the chapters are: $(CHAPTERS))
endif
else
SELECTED := $(CHAPTERS)
endif
MAKE_QUIET := $(MAKE) -s --no-print-directory
one_chapter = @test -n "$(CH)" || { echo "usage: make $@ CH=01 (one chapter: $(CHAPTERS))"; exit 2; }
manifest = $(shell grep -v -e '^\#' -e '^[[:space:]]*$$' exercises/$(1)/MANIFEST)
# Logs and drivers by whose code ran: yours (exercises), the reference, or
# another folder's.
tag_of = $(if $(filter exercises,$(1)),yours,$(if $(filter solutions,$(1)),reference,$(subst /,_,$(1))))

.PHONY: help grade hint watch status debug train plot compare data check clean study bench parity gpu \
        class release gradescope grade-kit grade-build check-build check-grades check-mutants check-plots \
        check-layout check-messages check-bench check-long check-san check-san-grades stubs build-drivers

help:
	@cat tools/help.txt

# grade-build compiles what grading links; grade-kit adds what the kit
# makes ahead for the tests (a chapter's prepare.c, below).
prepared = $(if $(wildcard drivers/$(1)/prepare.c),$(G)/$(1)/data/.made)
grade-build: $(foreach ch,$(SELECTED),$(G)/$(ch)/catalog.tsv $(call call_layer,$(ch))) \
             $(BUILD)/bin/dlkit-report $(BUILD)/bin/dlkit-srccheck
grade-kit: grade-build $(foreach ch,$(SELECTED),$(call prepared,$(ch)))

# Grading that cannot run exits 2 (make's failure), as the README says.
src_exists = @test -d $(SRC) || { echo "dlkit: SRC=$(SRC): no such folder (SRC names a folder laid out like exercises/)"; exit 2; }

grade:
	$(src_exists)
	@tools/deps grade
	@$(MAKE_QUIET) grade-kit
	@for ch in $(SELECTED); do grader/not-graded $$ch $(SRC); done
	@for ch in $(SELECTED); do grader/grade-chapter $$ch $(SRC) $(OUT) || exit 2; done
	@$(BUILD)/bin/dlkit-report --out $(OUT) --src $(SRC) $(if $(CH),--tests) \
	  $(if $(filter 1,$(STRICT)),--strict) $(SELECTED)

hint:
	$(one_chapter)
	$(src_exists)
	@tools/deps grade
	@$(MAKE_QUIET) grade-kit
	@grader/grade-chapter $(SELECTED) $(SRC) $(OUT)
	@$(BUILD)/bin/dlkit-report --out $(OUT) --hint $(SELECTED)

# Progress at a glance, from the last make grade (no grading: instant).
status:
	@test -x $(BUILD)/bin/dlkit-report || $(MAKE_QUIET) $(BUILD)/bin/dlkit-report
	@$(BUILD)/bin/dlkit-report --out $(OUT) --status $(SELECTED)

# Regrade on every save of a MANIFEST file (grader/watch).
watch:
	$(one_chapter)
	$(src_exists)
	@tools/deps grade watch
	@grader/watch $(SELECTED) $(SRC)

# One test alone in one process: under gdb, or with SAN=1 under the
# sanitizers (a separate build, build/san).
debug:
	@test -n "$(CH)" -a -n "$(TEST)" || { echo "usage: make debug CH=01 TEST=name [SAN=1]"; exit 2; }
	@tools/deps grade $(if $(filter 1,$(SAN)),,debug)
	@$(MAKE_QUIET) grade-kit
	@grader/grade-chapter $(SELECTED) $(SRC) $(OUT) --build
ifeq ($(SAN),1)
	DK_STAGE=$(OUT)/$(SELECTED)/src $(OUT)/$(SELECTED)/tests --run $(TEST)
else
	DK_STAGE=$(OUT)/$(SELECTED)/src gdb -q -ex run \
	  -ex 'echo \n(gdb: `bt` shows where it stopped, `quit` leaves)\n' \
	  --args $(OUT)/$(SELECTED)/tests --run $(TEST)
endif

# A chapter's kit code (drivers/NN-topic/): its programs (train.c, study.c)
# and what they share with the tests (recipes, set-ups). Always the kit's:
# only the MANIFEST's files come from SRC, copied apart from anything else
# in that folder (a header there must not stand in for the kit's), and
# compiled with the flags that make grade uses; messages name them as the
# student knows them.
# A chapter may reuse an earlier chapter's kit code: drivers/NN-topic/REUSES
# lists those files (paths under drivers/), one a line.
kit_sources = $(filter-out %/train.c %/study.c %/prepare.c,$(wildcard drivers/$(1)/*.c)) \
              $(addprefix drivers/,$(shell grep -v '^\#' drivers/$(1)/REUSES 2>/dev/null))
kit_objs    = $(patsubst %.c,$(BUILD)/obj/%.o,$(call kit_sources,$(1)))
DRIVERS = $(BUILD)/drivers/$(call tag_of,$(SRC))/$(SELECTED)
LOGS    = $(BUILD)/logs/$(SELECTED)/$(call tag_of,$(SRC))
driver_chapter = $(word 2,$(subst /, ,$(1)))
student_sources = $(filter %.c,$(addprefix $(SRC)/$(1)/,$(call manifest,$(1))))
# The earlier chapters' functions come from their reference.
earlier_refs = $(foreach c,$(call earlier_than,$(1)),$(G)/$(c)/solution.o)
$(BUILD)/drivers/%: $(LIB) $(FLAGS) $$(call student_sources,$$(call driver_chapter,$$*)) \
                    $(BUILD)/obj/drivers/$$(call driver_chapter,$$*)/$$(notdir $$*).o \
                    $$(call kit_objs,$$(call driver_chapter,$$*)) \
                    $$(call earlier_refs,$$(call driver_chapter,$$*))
	@rm -rf $@.src && mkdir -p $@.src
	@cp $(filter %.c,$^) $@.src/
	@$(CC) $(STUDENT_CFLAGS) $(INCLUDES) $(STUDENT_INCLUDES) -o $@ $(addprefix $@.src/,$(notdir \
	  $(filter %.c,$^))) $(filter %.o,$^) $(LIB) $(KIT_LIBS) 2>&1 | \
	  sed 's|$@.src/|$(SRC)/$(call driver_chapter,$*)/|g'; exit $${PIPESTATUS[0]}

# A chapter whose tests need something made ahead (chapter 07's digit
# classifier) has drivers/NN-topic/prepare.c: a program of the chapter's kit
# code and the reference, run once by grade-kit into $(G)/NN-topic/data/,
# never where graded code runs (make class copies the folder into the
# kit's view). `prepared` names that folder's stamp.
$(G)/%/prepare: $(BUILD)/obj/drivers/%/prepare.o $$(call kit_objs,$$*) $(G)/%/solution.o \
                $$(call earlier_refs,$$*) $(LIB)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)
$(G)/%/data/.made: $(G)/%/prepare
	@rm -rf $(G)/$*/data $(G)/$*/data.tmp && mkdir -p $(G)/$*/data.tmp
	@$< $(G)/$*/data.tmp
	@mv $(G)/$*/data.tmp $(G)/$*/data && touch $@

# The chapter's programs, built (make check's layout test).
build-drivers:
	@$(MAKE_QUIET) $(DRIVERS)/train $(if $(wildcard drivers/$(SELECTED)/study.c),$(DRIVERS)/study)

train:
	$(one_chapter)
	@tools/deps grade
	$(if $(call prepared,$(SELECTED)),@$(MAKE_QUIET) $(call prepared,$(SELECTED)))
	@$(MAKE_QUIET) $(DRIVERS)/train || { echo "dlkit: your code does not compile (above)."; exit 1; }
	@rm -f $(LOGS)/.complete
	@DLKIT_SRC=$(SRC) DLKIT_TASK=$(TASK) $(DRIVERS)/train $(LOGS) $(DATA) $(if $(PLAIN),plain)

plot:
	$(one_chapter)
	@tools/deps plot
	@plots/$(SELECTED).sh plot $(LOGS) $(BUILD)/plots/$(SELECTED)/$(call tag_of,$(SRC))

# The reference's run comes from the same driver with SRC=solutions, once:
# a full run leaves .complete beside its logs (any later run of the
# reference, make check's short one too, removes it).
REF_LOGS = $(BUILD)/logs/$(SELECTED)/reference
compare:
	$(one_chapter)
	@test -d $(LOGS) || { echo "dlkit: nothing to compare yet: run make train CH=$(CH)$(if \
	  $(filter-out exercises,$(SRC)), SRC=$(SRC)) first (its logs go to $(LOGS))"; exit 2; }
	@tools/deps grade plot
	@test -f $(REF_LOGS)/.complete || { \
	  echo "dlkit: training the reference solution first (once: later compares reuse its logs)"; \
	  $(MAKE_QUIET) train SRC=solutions && $(if $(filter 1,$(DLKIT_SHORT)),true,touch $(REF_LOGS)/.complete); }
	@plots/$(SELECTED).sh compare $(LOGS) $(REF_LOGS) $(BUILD)/plots/$(SELECTED)/compare

data:
	@tools/deps grade
	@$(MAKE_QUIET) $(BUILD)/bin/dlkit-data
	@$(BUILD)/bin/dlkit-data fetch

# A chapter's experiments: without NAME the list; with NAME, a CSV under
# build/studies/ and its picture.
STUDIES = $(BUILD)/studies/$(SELECTED)/$(call tag_of,$(SRC))
study:
	$(one_chapter)
	@test -f drivers/$(SELECTED)/study.c || { echo "Chapter $(SELECTED) has no studies."; exit 2; }
	@tools/deps grade plot
	$(if $(call prepared,$(SELECTED)),@$(MAKE_QUIET) $(call prepared,$(SELECTED)))
	@$(MAKE_QUIET) $(DRIVERS)/study || { echo "dlkit: your code does not compile (above)."; exit 1; }
	@DLKIT_SRC=$(SRC) $(DRIVERS)/study $(STUDIES) $(NAME)
	@test -z "$(NAME)" || plots/$(SELECTED).sh study $(NAME) $(STUDIES)/$(NAME).csv \
	  $(BUILD)/plots/$(SELECTED)/$(call tag_of,$(SRC))

clean:
	rm -rf build

# ---- make check ----------------------------------------------------------------
# Builds everything with gcc and clang (-Werror: the stubs and the drivers
# too), runs the kit's own tests, grades the reference (100 on every
# chapter) and the untouched stubs (0, every test "not implemented"), checks
# that every mutant and cheat is caught, and draws every chapter's plots.
CHECK := $(BUILD)/check
# Parts of the kit with their own makefile add their checks to CHECK_MORE,
# and their slow ones, rarely broken, to CHECK_LONG.
CHECK_MORE :=
CHECK_LONG :=

check-build: grade-build $(BUILD)/bin/kit-tests $(BUILD)/bin/dlkit-data \
             $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard drivers/*/*.c bench/*.c))

# Each step's time is printed at the end, to show where the time goes.
CHECK_STEPS = check-layout check-messages check-grades check-mutants check-plots check-bench \
              $(CHECK_MORE)
check:
	@tools/deps check
	@SECONDS=0; times=""; \
	step() { local name=$$1 start=$$SECONDS; shift; "$$@" || exit 1; \
	         times+=$$(printf '  %-20s %4d s' "$$name" $$((SECONDS - start)))$$'\n'; }; \
	echo "== build with gcc and clang (-Werror)"; \
	step build $(MAKE_QUIET) -j2 check-build; \
	step build-clang $(MAKE_QUIET) -j2 CC=clang BUILD=$(BUILD)/clang check-build; \
	echo "== the kit's own tests$${OPENBLAS_CORETYPE:+ (OpenBLAS core $$OPENBLAS_CORETYPE, as OPENBLAS_CORETYPE says)}"; \
	step kit-tests $(BUILD)/bin/kit-tests --jobs 2; \
	echo "== the in-kit data sets"; step data $(BUILD)/bin/dlkit-data verify --in-kit; \
	for s in $(CHECK_STEPS); do step $$s $(MAKE_QUIET) $$s; done; \
	printf 'make check passed in %ds:\n%s' $$SECONDS "$$times"

# The long checks, after make check in CI: the slow suites (a class of 200,
# every chapter in sandboxes, Slurm, the CUDA emulator's every test and
# mutant), each step timed.
check-long:
	@tools/deps check
	@SECONDS=0; times=""; \
	for s in $(CHECK_LONG); do start=$$SECONDS; $(MAKE_QUIET) $$s || exit 1; \
	  times+=$$(printf '  %-20s %4d s' "$$s" $$((SECONDS - start)))$$'\n'; done; \
	printf 'make check-long passed in %ds:\n%s' $$SECONDS "$$times"

# The long checks' sanitizer step: every chapter's reference and tests
# built with SAN=1 (AddressSanitizer + UBSan, in build/san) and graded;
# every test must pass and no sanitizer may speak (UBSan stops at its
# first report, so it fails the test too).
CHECK_LONG += check-san
check-san:
	@echo "== every chapter's reference and tests under AddressSanitizer and UBSan"
	@$(MAKE_QUIET) SAN=1 grade-kit
	@$(MAKE_QUIET) SAN=1 check-san-grades

check-san-grades:
	@rm -rf $(CHECK)/san
	@printf '%s\n' $(CHAPTERS) | UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  xargs -P 2 -I{} grader/grade-chapter {} solutions $(CHECK)/san
	@awk -F'\t' '$$4 != "passed" {print "  " $$1 ": " $$5 ": " $$6; bad = 1} END {exit bad}' \
	  $(CHECK)/san/*/results.tsv
	@! grep -E -l 'ERROR: (Address|Leak)Sanitizer|runtime error:' $(CHECK)/san/*/runner.log

# The stubs as committed (git's HEAD; the files themselves outside git):
# make check grades and compiles these, not the working files, which a
# student may have filled in.
STUBS := $(BUILD)/stubs
stubs:
	@rm -rf $(STUBS) && mkdir -p $(STUBS)
	@if git rev-parse --verify -q HEAD > /dev/null 2>&1; then \
	  git archive HEAD exercises | tar -x -C $(STUBS) --strip-components=1; \
	else cp -R exercises/. $(STUBS)/; fi

check-grades: grade-kit stubs
	@echo "== the stubs as committed compile without a warning (gcc and clang)"
	@for cc in $(CC) clang; do for f in $(STUBS)/*/*.c; do \
	  $$cc $(BASE_CFLAGS) $(INCLUDES) $(STUDENT_INCLUDES) -fsyntax-only $$f || exit 1; done; done
	@echo "== chapters declare 100 points"
	@for ch in $(CHAPTERS); do awk -F'\t' -v ch=$$ch '{s += $$2} \
	  END {if (s != 100) {print ch ": " s " points, not 100"; exit 1}}' $(G)/$$ch/catalog.tsv || exit 1; done
	@echo "== the reference solutions score 100"
	@rm -rf $(CHECK)/solutions
	@printf '%s\n' $(CHAPTERS) | xargs -P 2 -I{} grader/grade-chapter {} solutions $(CHECK)/solutions
	@awk -F'\t' '$$4 != "passed" {print "  " $$1 ": " $$5 ": " $$6; bad = 1} END {exit bad}' \
	  $(CHECK)/solutions/*/results.tsv
	@echo "== the untouched stubs score 0, every test \"not implemented\""
	@rm -rf $(CHECK)/stubs
	@printf '%s\n' $(CHAPTERS) | xargs -P 2 -I{} grader/grade-chapter {} $(STUBS) $(CHECK)/stubs
	@awk -F'\t' '$$5 != "not implemented" {print "  " $$1 ": " $$5 ": " $$6; bad = 1} END {exit bad}' \
	  $(CHECK)/stubs/*/results.tsv

# Who owns what: exercises/ holds only what its chapters declare, and no
# kit code is ever taken from a student's folder.
check-layout: grade-kit
	@echo "== exercises/ holds only what its chapters declare; kit code never comes from SRC"
	@tests/check-layout $(CHECK)/layout

# The rules behind make bench's ratios (tests/check-bench).
check-bench:
	@echo "== make bench's verdicts"
	@tests/check-bench

# What a student is told where it once misled (tests/check-messages).
check-messages: grade-kit
	@echo "== messages a student can trust"
	@tests/check-messages $(CHECK)/messages

# Two folders at a time (one builds while the other's tests run); each
# folder's lines are printed together, in order.
MUTANT_DIRS = $(patsubst %/,%,$(wildcard grader/mutants/*/ grader/cheats/*/))
check-mutants: grade-kit
	@printf '%s\n' $(MUTANT_DIRS) | xargs -P 2 -I{} sh -c \
	  'mkdir -p $(CHECK)/{}; grader/check-mutants {} $(CHECK)/{} > $(CHECK)/{}.log 2>&1; echo $$? > $(CHECK)/{}.rc'
	@for d in $(MUTANT_DIRS); do echo "== $$d/"; cat $(CHECK)/$$d.log; \
	  [ "$$(cat $(CHECK)/$$d.rc)" = 0 ] || bad=1; done; exit $${bad:-0}

check-plots: $(LIB)
	@echo "== training drivers and plots"
	@for ch in $(CHAPTERS); do mkdir -p $(CHECK)/plots; \
	  DLKIT_SHORT=1 $(MAKE_QUIET) train CH=$$ch SRC=solutions > $(CHECK)/plots/$$ch-train.txt 2>&1 || \
	    { cat $(CHECK)/plots/$$ch-train.txt; exit 1; }; \
	  tests/check-plots $$ch $(BUILD)/logs/$$ch/reference $(CHECK)/plots/$$ch || exit 1; done

# Parts of the kit with rules of their own.
-include $(wildcard */*.mk */*/*.mk)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
