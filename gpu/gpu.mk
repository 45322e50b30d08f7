# The CUDA track (gpu/README.md): make gpu, gpu-bench, gpu-check, and make
# check's check-gpu. The Makefile includes this file; its names start with
# gpu or GPU.
#
# Everything builds from the repository with nvcc and the C compiler: the
# GPU machines have CUDA but neither Criterion nor OpenBLAS. With GPU_EMU=1
# the same sources build for the CPU emulator (gpu/emu/), which runs the
# kernels, slowly, where there is no GPU: make check uses it.

GB := $(BUILD)/gpu
NVCC ?= $(firstword $(shell command -v nvcc 2>/dev/null) $(wildcard /usr/local/cuda/bin/nvcc))
GPU_CUDA := $(patsubst %/bin/nvcc,%,$(NVCC))
# The GPU's compute capability (90 for an H100) where nvidia-smi answers,
# else Turing's 75, the oldest CUDA 13 builds for. Asked once, when needed.
GPU_ARCH ?= $(eval GPU_ARCH := $(or $(shell nvidia-smi --query-gpu=compute_cap \
              --format=csv,noheader 2>/dev/null | head -1 | tr -d .),75))$(GPU_ARCH)

ifeq ($(GPU_EMU),1)
GO = $(GB)/emu
GPU_NVCC := $(CURDIR)/gpu/emu/emucc
GPU_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
GPU_CUFLAGS := -std=c++17 -O1 -g -Wall -Wextra -Wno-unknown-pragmas $(GPU_SAN)
GPU_WERROR := -Werror
GPU_LINKFLAGS := $(GPU_SAN) -ldl
GPU_HOST_CFLAGS := $(GPU_SAN) -Igpu/emu/include
export EMU_REWRITE := $(abspath $(GB)/emu/rewrite)
else
GO = $(GB)/sm_$(GPU_ARCH)
GPU_NVCC := $(NVCC)
GPU_CUFLAGS = -std=c++17 -O3 -lineinfo -arch=sm_$(GPU_ARCH) -Xcompiler -Wall,-Wextra
GPU_WERROR := --Werror all-warnings -Xcompiler -Werror
GPU_LINKFLAGS = -arch=sm_$(GPU_ARCH)
GPU_HOST_CFLAGS = -I$(GPU_CUDA)/include
endif

GPU_FILES := $(shell grep -v -e '^\#' -e '^[[:space:]]*$$' gpu/exercises/MANIFEST)
GPU_INC := -Igpu/exercises -Igpu/ref -Igpu/harness -Icommon -Igrader/core
GPU_HEADERS := $(wildcard gpu/exercises/*.h gpu/ref/*.h gpu/harness/*.h gpu/emu/include/*.h) \
               common/error.h common/rng.h common/schedule.h grader/core/results.h
# The emulator's build runs every .cu through its rewrite tool first.
GPU_TOOLS = $(if $(filter 1,$(GPU_EMU)),$(GB)/emu/rewrite)
GPU_CC = $(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror $(GPU_HOST_CFLAGS) $(GPU_INC)
# Every object depends on the compilers and flags it was built with.
GPU_FLAGS = $(GO)/flags.txt
gpu_flags_now = $(GPU_NVCC) $(GPU_CUFLAGS) $(GPU_LINKFLAGS) | $(GPU_CC)

# What make gpu grades (SRC as for the chapters): gpu/exercises by default,
# gpu/solutions with SRC=solutions, or any folder holding the MANIFEST's
# files.
GPU_SRC = $(if $(filter exercises,$(SRC)),gpu/exercises,$(if $(filter solutions,$(SRC)),gpu/solutions,$(SRC)))
GPU_TAG = $(call tag_of,$(SRC))

# The kit's side: the grader's main and checks (check.cu); the trainer,
# the CPU references, common/'s RNG and errors in one archive (a program
# takes the members it needs: only mlp's needs the trainer); the tests;
# the reference solution.
GPU_CHECK_OBJ = $(GO)/kit/check.o
GPU_KIT_OBJ = $(addprefix $(GO)/kit/,cuda_check.o trainer.o recipe.o ref.o rng.o error.o schedule.o results.o \
                $(if $(filter 1,$(GPU_EMU)),emu.o))
GPU_LIB = $(GO)/kit/libgpukit.a
GPU_TEST_OBJ = $(patsubst %.cu,$(GO)/tests/%.o,$(GPU_FILES))
GPU_REF_OBJ = $(patsubst %.cu,$(GO)/reference/%.o,$(GPU_FILES))
GPU_DATA := $(patsubst datasets/data/%.gz,$(GB)/data/%,$(wildcard datasets/data/mnist10k-*.gz))
GPU_REPORT := $(GB)/bin/dlkit-report

.PHONY: gpu gpu-kit gpu-dev gpu-bench gpu-bench-rows gpu-check gpu-mutants check-gpu check-gpu-full gpu-archs \
        gpu-all-objects gpu-nvcc gpu-dir gpu-release-objects

$(GO)/flags.txt: FORCE_GPU_FLAGS
	@mkdir -p $(@D)
	@echo '$(gpu_flags_now)' | cmp -s - $@ || echo '$(gpu_flags_now)' > $@
.PHONY: FORCE_GPU_FLAGS

$(GO)/kit/%.o: gpu/harness/%.cu $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_NVCC) $(GPU_CUFLAGS) $(GPU_WERROR) $(GPU_INC) -c $< -o $@

$(GO)/kit/ref.o: gpu/ref/ref.c $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_CC) -c $< -o $@

$(GO)/kit/%.o: gpu/harness/%.c $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_CC) -c $< -o $@

$(GO)/kit/%.o: common/%.c $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_CC) -c $< -o $@

$(GO)/kit/%.o: grader/core/%.c $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_CC) -c $< -o $@

$(GO)/kit/emu.o: gpu/emu/emu.cpp $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(CXX) $(GPU_CUFLAGS) -Werror -Igpu/emu/include -c $< -o $@

$(GPU_LIB): $(GPU_KIT_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(GO)/tests/%.o: gpu/grader/test_%.cu $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_NVCC) $(GPU_CUFLAGS) $(GPU_WERROR) $(GPU_INC) -c $< -o $@

ifneq ($(wildcard gpu/solutions),)
$(GO)/reference/%.o: gpu/solutions/%.cu $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_NVCC) $(GPU_CUFLAGS) $(GPU_WERROR) $(GPU_INC) -c $< -o $@
else
# The students' copy (make release) has no gpu/solutions: its reference
# comes compiled, in gpu/reference/ (gpu-release-objects).
$(GO)/reference/%.o: gpu/reference/%.o
	@mkdir -p $(@D)
	cp $< $@
endif

# For make release: the reference as objects holding Turing's PTX alone,
# which the driver of any newer GPU compiles when it loads them.
gpu-release-objects:
	@mkdir -p $(GPU_RELEASE_DIR)
	@for f in $(GPU_FILES:.cu=); do \
	  $(NVCC) -std=c++17 -O3 -gencode arch=compute_75,code=compute_75 $(GPU_INC) \
	    -c gpu/solutions/$$f.cu -o $(GPU_RELEASE_DIR)/$$f.o || exit 1; done

# The stubs build warning-free too (make check).
$(GO)/stubs/%.o: gpu/exercises/%.cu $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_NVCC) $(GPU_CUFLAGS) $(GPU_WERROR) $(GPU_INC) -c $< -o $@

# The student's code for the gpu/dev programs (the grader compiles its own).
$(GO)/yours/%.o: gpu/exercises/%.cu $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_NVCC) $(GPU_CUFLAGS) $(GPU_INC) -c $< -o $@

# The test programs with the reference: their catalogue (the tests, in
# order, with points, timeout, tool and hint) drives gpu/grader/grade.
$(GO)/ref-tests/%: $(GO)/tests/%.o $$(call gpu_with_deps,reference,$$*) $(GPU_CHECK_OBJ) $(GPU_LIB)
	@mkdir -p $(@D)
	$(GPU_NVCC) $^ -o $@ $(GPU_LINKFLAGS)

$(GO)/catalog.tsv: $(patsubst %.cu,$(GO)/ref-tests/%,$(GPU_FILES))
	for t in $^; do $$t --list || exit 1; done > $@

# The API (what the student's objects keep global) and the kit's own
# symbols, which they may not call (but dk_not_implemented, the stubs').
$(GO)/api.list: $(GPU_REF_OBJ)
	nm -g --defined-only $^ | awk '$$2 == "T" {print $$3}' | sort -u > $@

$(GO)/kit.syms: $(GPU_CHECK_OBJ) $(GPU_LIB) $(GPU_TEST_OBJ) $(GO)/api.list
	nm -g --defined-only $(GPU_CHECK_OBJ) $(filter-out %/rng.o %/error.o %/emu.o,$(GPU_KIT_OBJ)) \
	  $(GPU_TEST_OBJ) | \
	  awk '$$2 ~ /^[TDBR]$$/ {print $$3}' | grep -vxF -f $(GO)/api.list | \
	  grep -vx -e main -e dk_not_implemented | sort -u > $@

$(GB)/emu/rewrite: gpu/emu/rewrite.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror $< -o $@

# The grader's report, built from its sources alone: the GPU machines lack
# what the rest of common/ links (OpenBLAS, libcurl).
$(GPU_REPORT): grader/report.c grader/json.c grader/core/results.c common/files.c common/error.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror -Icommon -Igrader -Igrader/core $^ -o $@

# The in-kit MNIST subset, unpacked: the GPU machines may lack zlib's headers.
$(GB)/data/%: datasets/data/%.gz
	@mkdir -p $(@D)
	gzip -dc $< > $@.tmp && mv $@.tmp $@

$(GO)/bin/probe: gpu/dev/probe.cu $(GPU_LIB) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_NVCC) $(GPU_CUFLAGS) $(GPU_WERROR) $< $(GPU_LIB) -o $@ $(GPU_LINKFLAGS)

gpu-kit: $(GPU_CHECK_OBJ) $(GPU_LIB) $(GPU_TEST_OBJ) $(GPU_REF_OBJ) $(GO)/catalog.tsv $(GO)/api.list \
         $(GO)/kit.syms $(GPU_REPORT) $(GPU_DATA) $(GO)/bin/probe \
         $(if $(filter 1,$(GPU_EMU)),$(GB)/emu/rewrite)

# ---- The gpu/dev programs: llm.c's dev/cuda, one per kernel file -------------------
# Each validates every version against the CPU reference, then times it:
# against cuBLAS (gemm), a device-to-device copy (softmax, cross-entropy),
# cuDNN where its header is found (conv2d), PyTorch (attention, mlp:
# gpu/bench/).
GPU_CUDNN_DIR ?= $(eval GPU_CUDNN_DIR := $(shell gpu/bench/find-cudnn "$(GPU_CUDA)"))$(GPU_CUDNN_DIR)
GPU_DEV_LIBS_gemm = -lcublas
GPU_DEV_LIBS_conv2d = $(if $(GPU_CUDNN_DIR),$(shell gpu/bench/find-cudnn "$(GPU_CUDA)" --libs))
GPU_DEV_FLAGS_conv2d = $(if $(GPU_CUDNN_DIR),-DHAVE_CUDNN -I$(GPU_CUDNN_DIR)/include)
# A file's objects and those of the files it calls (exercises.txt), from
# $(GO)/TAG/: the dev programs run yours, or the reference's, all alike.
gpu_with_deps = $(patsubst %.cu,$(GO)/$(1)/%.o,$(2).cu $(shell awk '$$2 == "$(2).cu" \
                  {for (i = 3; i <= NF; i++) print $$i}' gpu/grader/exercises.txt | sort -u))

$(GO)/kit/dev_%.o: gpu/dev/%.cu $(GPU_HEADERS) $(GPU_FLAGS) $(GPU_TOOLS)
	@mkdir -p $(@D)
	$(GPU_NVCC) $(GPU_CUFLAGS) $(GPU_WERROR) $(GPU_DEV_FLAGS_$*) $(GPU_INC) -c $< -o $@

define gpu_link_dev
	@mkdir -p $(@D)
	$(GPU_NVCC) $(filter %.o,$^) $(GPU_LIB) -o $@ $(GPU_LINKFLAGS) $(GPU_DEV_LIBS_$*)
endef
$(GO)/dev/reference/%: $(GO)/kit/dev_%.o $$(call gpu_with_deps,reference,$$*) $(GPU_LIB)
	$(gpu_link_dev)
$(GO)/dev/yours/%: $(GO)/kit/dev_%.o $$(call gpu_with_deps,yours,$$*) $(GPU_LIB)
	$(gpu_link_dev)

GPU_DEV = gemm softmax crossentropy conv2d attention mlp

# ---- Commands ---------------------------------------------------------------------

define GPU_NO_NVCC
make $@: nvcc, the CUDA compiler, is not installed, so the CUDA track is not
built. It needs the CUDA Toolkit 13 (https://developer.nvidia.com/cuda-downloads;
on Debian and Ubuntu, NVIDIA's apt repository and `sudo apt-get install
cuda-toolkit-13-0`), with nvcc on your PATH or NVCC=/path/to/nvcc, and an
NVIDIA GPU of the Turing generation (sm_75) or newer to run it. The rest of
the kit does not need it.
endef
export GPU_NO_NVCC

# What gpu/grader/grade needs to know. (On the emulator, a failed test
# exits holding its buffers: no leak reports.)
gpu_grade_env = GPU_KIT=$(abspath $(GO)) GPU_NVCC="$(GPU_NVCC)" GPU_CUFLAGS="$(GPU_CUFLAGS)" \
  GPU_LINKFLAGS="$(GPU_LINKFLAGS)" GPU_REPORT=$(abspath $(GPU_REPORT)) \
  DLKIT_GPU_DATA=$(abspath $(GB)/data) \
  GPU_SANITIZER=$(if $(filter 1,$(GPU_EMU)),,$(firstword $(shell command -v compute-sanitizer 2>/dev/null) \
                  $(wildcard $(GPU_CUDA)/bin/compute-sanitizer))) \
  GPU_TIME_SCALE=$(if $(filter 1,$(GPU_EMU)),30,1) \
  $(if $(filter 1,$(GPU_EMU)),ASAN_OPTIONS=detect_leaks=0)
gpu_no_nvcc = test -n "$(NVCC)" || { echo "$$GPU_NO_NVCC"; exit 0; }

# make gpu [SRC=solutions] [TEST=exercise/test,...]: the student's
# kernels, compiled and graded (TEST: those tests alone, and the output of
# a single one). Without a GPU (or a driver), compiled and linked only, and
# it says so.
gpu_comma := ,
gpu_one_test = $(if $(TEST),$(if $(findstring $(gpu_comma),$(TEST)),,1))
gpu:
	@$(gpu_no_nvcc); \
	$(MAKE_QUIET) gpu-kit || exit 2; \
	if ! $(GO)/bin/probe > $(GB)/device.txt 2>&1; then \
	  $(gpu_grade_env) gpu/grader/grade $(GPU_SRC) $(GO)/grade/$(GPU_TAG) --build || exit 2; \
	  cat $(GB)/device.txt; echo "no CUDA device: built, not run"; exit 0; fi; \
	cat $(GB)/device.txt; \
	$(gpu_grade_env) gpu/grader/grade $(GPU_SRC) $(GO)/grade/$(GPU_TAG) \
	  $(if $(TEST),--only $(TEST)) || exit 2; \
	$(if $(gpu_one_test),echo "--- $(TEST) printed:"; \
	  cat $(GO)/grade/$(GPU_TAG)/$(TEST).out)

# The gpu/dev programs, with your kernels (yours) and the reference's.
gpu-dev:
	@$(gpu_no_nvcc); $(MAKE_QUIET) gpu-kit $(addprefix $(GO)/dev/yours/,$(GPU_DEV)) \
	  $(addprefix $(GO)/dev/reference/,$(GPU_DEV)) && \
	echo "The gpu/dev programs are in $(GO)/dev/yours/ (your kernels) and $(GO)/dev/reference/."

# The reference's kernels against cuBLAS, a copy, cuDNN and PyTorch: the
# rows of gpu/bench/run, as a table. bench/rows/08-gpu runs the same rows
# in make bench.
gpu-bench:
	@$(gpu_no_nvcc); set -o pipefail; $(MAKE_QUIET) gpu-bench-rows | gpu/bench/table

# The rows alone (bench/lib.sh's lines), or one note line that says why
# there are none.
gpu-bench-rows:
	@if [ ! -f bench/lib.sh ]; then \
	  printf 'note\tthe benchmark of the reference is not in this copy of the kit (make release):\n'; \
	  printf 'note\tmake gpu-dev builds the programs that time your kernels against cuBLAS.\n'; exit 0; fi; \
	if [ -z "$(NVCC)" ]; then \
	  printf 'note\tthe CUDA track: nvcc is not installed (gpu/README.md): no GPU rows.\n'; exit 0; fi; \
	$(MAKE_QUIET) gpu-kit $(addprefix $(GO)/dev/reference/,$(GPU_DEV)) >&2 || exit 2; \
	if ! $(GO)/bin/probe > $(GB)/device.txt 2>&1; then \
	  printf 'note\tthe CUDA track: no CUDA device (%s): built, not run.\n' "$$(cat $(GB)/device.txt)"; \
	  exit 0; fi; \
	gpu/bench/run $(GO) $(GB)/data

# What make check builds besides the kit: the stubs, warning-free, and
# the gpu/dev programs.
gpu-all-objects: $(patsubst %.cu,$(GO)/stubs/%.o,$(GPU_FILES)) $(addprefix $(GO)/dev/reference/,$(GPU_DEV))

# The nvcc the track uses (empty: none) and the build folder for this GPU,
# for scripts.
gpu-nvcc:
	@echo $(NVCC)
gpu-dir:
	@echo $(GO)

# Every gpu/mutants patch must lose the points it names (the CPU emulator
# skips those only a GPU's racecheck catches).
gpu-mutants:
	@$(gpu_no_nvcc); $(MAKE_QUIET) gpu-kit || exit 2; \
	$(gpu_grade_env) gpu/grader/check-mutants $(GO)/mutants $(if $(filter 1,$(GPU_EMU)),--emulator)

# The whole track on a GPU machine, in one run of about 5 minutes: see
# gpu/check-on-gpu.
gpu-check:
	@$(gpu_no_nvcc); gpu/check-on-gpu $(BUILD)

# Every .cu compiles for every architecture this nvcc knows from Turing on.
gpu-archs:
	+@$(gpu_no_nvcc); for a in $$($(NVCC) --list-gpu-arch | sed -n 's/compute_//p'); do \
	  [ "$$a" -ge 75 ] || continue; echo "== sm_$$a"; \
	  $(MAKE_QUIET) GPU_ARCH=$$a gpu-kit $(patsubst %.cu,$(GB)/sm_$$a/stubs/%.o,$(GPU_FILES)) \
	    $(patsubst %,$(GB)/sm_$$a/kit/dev_%.o,$(GPU_DEV)) || exit 1; done

# ---- make check ----------------------------------------------------------------------
# No GPU needed: everything compiles with nvcc (-Werror, the stubs too);
# the CPU references agree with chapters 02 and 04; and on the CPU
# emulator the reference scores every point it can without a GPU, the
# stubs none, and every mutant loses what it must (gpu/check-without-gpu).
CHECK_MORE += check-gpu

# The chapters the references are checked against: 02, and 04 once it is
# there.
GPU_CH04 = $(filter 04-cnn,$(CHAPTERS))
$(GB)/cpu/cpu_refs: gpu/tests/cpu_refs.c gpu/ref/ref.c gpu/harness/recipe.c \
                    drivers/02-backprop/mlp_recipe.c $(G)/core/checks.o $(GPU_HEADERS) \
                    $(G)/02-backprop/solution.o $(if $(GPU_CH04),$(G)/04-cnn/solution.o) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(INCLUDES) -Igpu/exercises -Igpu/ref -Igpu/harness -Igrader/core \
	  -Iexercises/02-backprop -Idrivers/02-backprop $(if $(GPU_CH04),-DHAVE_CH04 -Iexercises/04-cnn) \
	  -I$(if $(NVCC),$(GPU_CUDA)/include,gpu/emu/include) \
	  $(filter %.c %.o %.a,$^) -o $@ $(KIT_LIBS) $(CRITERION)

check-gpu: grade-kit $(GB)/cpu/cpu_refs
	@echo "== the CUDA track: the CPU references against chapters 02 and 04"
	@$(GB)/cpu/cpu_refs
	@gpu/check-without-gpu $(BUILD) --smoke

# The long checks' part: the emulator grades every test and every mutant.
CHECK_LONG += check-gpu-full
check-gpu-full: grade-kit
	@gpu/check-without-gpu $(BUILD)
