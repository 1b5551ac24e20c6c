# fuzz/fuzz.mk - libFuzzer harnesses (fuzz/README.md), included by the
# Makefile.
#
#   make fuzz FUZZ_SECONDS=N   build every harness, run each N seconds
#   make fuzz-build            build them only (build/fuzz/NAME)
#   make fuzz FUZZERS="csv"    a subset
#
# The library is built again with clang and the fuzzer's instrumentation
# into build/fuzz/ (its own objects, never build/'s or build/asan/'s). Each
# harness runs on build/fuzz/corpus/NAME, seeded from testdata/ by
# fuzz/seed.sh, with fuzz/NAME.dict where there is one; a crash, leak,
# sanitizer report or timeout stops the run with the input saved as
# build/fuzz/artifacts/NAME-crash-... and make fails.

FUZZ_BUILD   = build/fuzz
FUZZ_CC      = clang
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  = -O1 -g $(FUZZ_SAN)
FUZZ_SECONDS ?= 60
FUZZ_SRC     = $(filter-out fuzz/fuzz.h,$(sort $(wildcard fuzz/*.c)))
FUZZERS      ?= $(basename $(notdir $(FUZZ_SRC)))

.PHONY: fuzz fuzz-build

# The library's own rules, run with the fuzz build's compiler and flags
# (in that make, BUILD is build/fuzz and the Makefile's rule builds it);
# a harness is linked again only when the library changed.
ifneq ($(BUILD),$(FUZZ_BUILD))
$(FUZZ_BUILD)/libsdccheck.a: FORCE
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	  CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" $@
endif

$(FUZZ_BUILD)/%: fuzz/%.c fuzz/fuzz.h $(HEADERS) $(FUZZ_BUILD)/libsdccheck.a
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARN) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< \
	  $(FUZZ_BUILD)/libsdccheck.a $(LDLIBS) -o $@

fuzz-build: $(addprefix $(FUZZ_BUILD)/,$(FUZZERS))

fuzz: fuzz-build
	FUZZ_BUILD=$(FUZZ_BUILD) sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)
