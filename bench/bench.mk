# make bench: the reference solutions against PyTorch on the CPU, and
# dk_sgemm against raw OpenBLAS and the machine's peak (included by the
# Makefile). bench/run runs the rows of bench/rows/ with the programs built
# here. Not part of make check: it times things.
BENCH := $(BUILD)/bench
# The epoch programs share their arguments and data files (bench/epoch.c).
BENCH_EPOCH := $(BUILD)/obj/bench/epoch.o
ref_objs = $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard $(addsuffix /*.c,$(addprefix solutions/,$(1)))))
$(BUILD)/obj/bench/mlp_epoch.o: KIT_CFLAGS += -Iexercises/02-backprop
$(BENCH)/mlp_epoch: $(BUILD)/obj/bench/mlp_epoch.o $(BENCH_EPOCH) $(call ref_objs,02-backprop) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# Chapter 03's network and recipe are kit code (training_recipe.c) on the
# reference of chapter 03, whose layers come from chapter 02's reference.
$(BENCH)/training_epoch: $(BUILD)/obj/bench/training_epoch.o $(BENCH_EPOCH) \
                         $(call kit_objs,03-training) \
                         $(call ref_objs,03-training 02-backprop) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# Chapter 04's: its recipe (cnn_recipe.c) on its reference and chapters
# 02 and 03's (the linear layer, the loss; momentum); cnn_conv times the
# convolution alone.
CNN_BENCH_REF := $(call kit_objs,04-cnn) $(call ref_objs,04-cnn 03-training 02-backprop)
$(BENCH)/cnn_epoch: $(BUILD)/obj/bench/cnn_epoch.o $(BENCH_EPOCH) $(CNN_BENCH_REF) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)
$(BENCH)/cnn_conv: $(BUILD)/obj/bench/cnn_conv.o $(CNN_BENCH_REF) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# Chapter 05's: its character-model recipe (charlm_recipe.c)
# on its reference, chapter 02's (the linear layer, the loss) and chapter
# 03's (Adam).
$(BENCH)/lstm_steps: $(BUILD)/obj/bench/lstm_steps.o $(BENCH_EPOCH) $(call kit_objs,05-rnn) \
                     $(call ref_objs,05-rnn 03-training 02-backprop) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# Chapter 06's: its GPT recipe (gpt_recipe.c) on its reference and those
# of the chapters it builds on (embeddings, clipping and sampling from 05,
# the schedule and Adam from 03, the loss from 02).
$(BENCH)/gpt_steps: $(BUILD)/obj/bench/gpt_steps.o $(BENCH_EPOCH) $(call kit_objs,06-attention) \
                    $(call ref_objs,06-attention 05-rnn 03-training 02-backprop) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# attn_steps times the chapter's attention alone.
$(BENCH)/attn_steps: $(BUILD)/obj/bench/attn_steps.o $(BENCH_EPOCH) \
                     $(call ref_objs,06-attention 05-rnn 03-training 02-backprop) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

# Chapter 07's: its VAE and GAN recipes on its reference and those of
# chapters 02 and 03 (the layers, batch norm, dropout, Adam).
$(BENCH)/generative_epochs: $(BUILD)/obj/bench/generative_epochs.o $(BENCH_EPOCH) \
                            $(call kit_objs,07-generative) \
                            $(call ref_objs,07-generative 04-cnn 03-training 02-backprop) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

$(BENCH)/%: $(BUILD)/obj/bench/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -pthread $^ -o $@ $(KIT_LIBS)

bench:
	@tools/deps grade
	@$(MAKE_QUIET) $(addprefix $(BENCH)/,mlp_epoch training_epoch cnn_epoch cnn_conv lstm_steps gpt_steps attn_steps generative_epochs sgemm peak)
	@bench/run $(BENCH)
