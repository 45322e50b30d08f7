# The mutants' and cheats' long checks (make check-long).
#
# make check-mutant-seeds: every mutant and cheat on seeds 1-5, where make
# check runs them on the default seed only.
MUTANT_SEEDS ?= 1 2 3 4 5

.PHONY: check-mutant-seeds
CHECK_LONG += check-mutant-seeds

check-mutant-seeds: grade-kit
	@echo "== every mutant and cheat on seeds $(MUTANT_SEEDS)"
	@rm -rf $(CHECK)/seeds
	@SECONDS=0; grader/check-mutant-seeds $(CHECK)/seeds "$(MUTANT_SEEDS)" \
	  $(wildcard grader/mutants/*/ grader/cheats/*/); status=$$?; \
	  echo "(all seeds in $${SECONDS}s)"; exit $$status

# make check-slow-cheats (in make check-long): cheats whose catching takes
# minutes (a loop under many tests), each checked once.
.PHONY: check-slow-cheats
CHECK_LONG += check-slow-cheats

check-slow-cheats: grade-kit
	@for d in $(patsubst %/,%,$(wildcard grader/slow-cheats/*/)); do echo "== $$d/"; \
	  SECONDS=0; grader/check-mutants $$d $(CHECK)/$$d || exit 1; echo "($${SECONDS}s)"; done
