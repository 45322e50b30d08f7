# make parity: every layer of the reference solutions of chapters 01-07
# against PyTorch, forward and every gradient (included by the Makefile).
# parity/run runs parity/layers, built here, then parity/compare.py. Not
# part of make check: it needs PyTorch (bench/torch.sh finds it).
PARITY := $(BUILD)/parity
# The merged reference of each chapter, as the grader links it (the
# students' copy has these too, from its compiled reference).
PARITY_REF := $(foreach c,01-perceptron 02-backprop 03-training 04-cnn 05-rnn 06-attention 07-generative,\
                $(G)/$(c)/solution.o)
$(PARITY)/layers: $(BUILD)/obj/parity/layers.o $(PARITY_REF) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $^ -o $@ $(KIT_LIBS)

parity:
	@tools/deps grade
	@$(MAKE_QUIET) $(PARITY)/layers
	@parity/run $(PARITY)
