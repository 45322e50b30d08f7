# Class-wide grading for instructors (grader/class/README.md):
#   make class SUBMISSIONS=dir OUT=dir [HIDDEN=dir] [CONFIG=file] [STUDENT=id]
#              [BACKEND=local|slurm] [JOBS=n] [SANDBOX=none] [CH=01]
#   make gradescope [HIDDEN=dir] [SANDBOX=none]   $(BUILD)/gradescope/autograder.zip
#   make release [RELEASE=dir]                    the students' copy of the kit
#   make check-class                              the load, every chapter, Slurm
CLASS_KIT    := $(BUILD)/class-kit
CLASS_VIEW   := $(CLASS_KIT)/view
CLASS_HIDDEN := $(CLASS_KIT)/hidden
CLASS_OUT    := $(if $(filter command line environment,$(origin OUT)),$(OUT),$(BUILD)/gradebook)
RELEASE      ?= $(BUILD)/release
GRADEBOOK    := $(BUILD)/bin/dlkit-gradebook

.PHONY: class class-kit gradescope release check-class check-class-small
CHECK_MORE += check-class-small
CHECK_LONG += check-class

$(GRADEBOOK): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard grader/class/*.c)) \
              $(BUILD)/obj/grader/json.o $(G)/core/results.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# ---- Hidden tests: HIDDEN/NN-topic/*.c, written like a chapter's tests and
# compiled the same way, with a catalogue of their own. A new HIDDEN
# folder starts them afresh.
CLASS_HIDDEN_CHAPTERS = $(if $(HIDDEN),$(filter $(SELECTED),$(notdir $(wildcard $(HIDDEN)/*))))
ifneq ($(filter class class-kit gradescope,$(MAKECMDGOALS)),)
$(shell mkdir -p $(CLASS_KIT) && { echo '$(abspath $(HIDDEN))' | cmp -s - $(CLASS_KIT)/hidden-from.txt || \
  { rm -rf $(CLASS_HIDDEN); echo '$(abspath $(HIDDEN))' > $(CLASS_KIT)/hidden-from.txt; }; })
endif

$(CLASS_HIDDEN)/%/catalog.tsv: $$(wildcard $(HIDDEN)/$$*/*.c) $(G)/%/catalog.tsv $(G)/%/ref_api.h \
                              $(CLASS_KIT)/hidden-from.txt
	@rm -rf $(@D) && mkdir -p $(@D)/tests
	for t in $(filter %.c,$^); do \
	  $(CC) $(KIT_CFLAGS) -Igrader/core $(CHAPTER_INCLUDES) -I$(G)/$* -DDK_CHAPTER='"$*"' \
	    -c $$t -o $(@D)/tests/$$(basename $${t%.c}).o || exit 1; done
	$(CC) $(CFLAGS) -o $(@D)/catalog $(G)/$*/runner.o $(@D)/tests/*.o $(CORE_OBJ) \
	  $(G)/$*/solution.o $(G)/$*/ref.o $(wildcard $(G)/$*/earlier/*.o) $(LIB) $(KIT_LIBS) \
	  $(CRITERION) $(WRAP)
	$(@D)/catalog --list > $@.tmp && mv $@.tmp $@

# What a sandbox sees of the kit (grader/class/kit-view), rebuilt each run:
# it is small, and the results' hash covers it.
class-kit: grade-kit $(GRADEBOOK) $(foreach c,$(CLASS_HIDDEN_CHAPTERS),$(CLASS_HIDDEN)/$(c)/catalog.tsv)
	@grader/class/kit-view $(CLASS_VIEW) $(if $(HIDDEN),$(CLASS_HIDDEN),-) $(SELECTED)

CLASS_ENV = CLASS_VIEW=$(abspath $(CLASS_VIEW)) CLASS_GRADEBOOK=$(abspath $(GRADEBOOK)) \
            DK_CHAPTERS="$(SELECTED)"

class:
	@test -n "$(SUBMISSIONS)" || { echo "usage: make class SUBMISSIONS=dir OUT=dir [HIDDEN=dir]" \
	  "[CONFIG=file] [STUDENT=id] [BACKEND=local|slurm] [JOBS=n] (grader/class/README.md)"; exit 2; }
	@tools/deps grade class $(if $(filter slurm,$(BACKEND)),slurm)
	@$(MAKE_QUIET) class-kit
	@$(CLASS_ENV) grader/class/grade-class --submissions $(SUBMISSIONS) --out $(CLASS_OUT) \
	  $(if $(CONFIG),--config $(CONFIG)) $(if $(STUDENT),--student $(STUDENT)) \
	  $(if $(BACKEND),--backend $(BACKEND)) $(if $(JOBS),--jobs $(JOBS))

# ---- Gradescope and the students' copy ------------------------------------------
gradescope:
	@tools/deps grade class
	@grader/class/make-gradescope $(BUILD)/gradescope $(HIDDEN)

release:
	@tools/deps grade
	@$(MAKE_QUIET) grade-kit
	@grader/class/make-release $(RELEASE) $(SELECTED)

# ---- Checks ------------------------------------------------------------------------
# In make check: a class of about 30 chapter-01 submissions (the reference,
# stubs, mutants, every hostile one), with hidden tests and a roster.
check-class-small: stubs
	@tools/deps class
	@tests/class/check-small $(CHECK)/class

# After make check (.ci/run): 200 submissions, killed half way and resumed;
# a few across every chapter; Slurm; Gradescope; the students' copy.
check-class: stubs
	@tools/deps check class slurm
	@tests/class/check-large $(CHECK)/class-large
