# make check-mutant-seeds (in make check-long): every mutant and cheat on
# seeds 1-5, where make check runs them on the default seed only.
MUTANT_SEEDS ?= 1 2 3 4 5

.PHONY: check-mutant-seeds
CHECK_LONG += check-mutant-seeds

check-mutant-seeds: grade-kit
	@echo "== every mutant and cheat on seeds $(MUTANT_SEEDS)"
	@rm -rf $(CHECK)/seeds
	@SECONDS=0; grader/check-mutant-seeds $(CHECK)/seeds "$(MUTANT_SEEDS)" \
	  $(wildcard grader/mutants/*/ grader/cheats/*/); status=$$?; \
	  echo "(all seeds in $${SECONDS}s)"; exit $$status
