# sdccheck - statistical disclosure control output checker.
#
#   make deps      install the Debian packages it builds and tests with
#   make demo      check the example submission in testdata/submission
#   make example-report  that check's report in every format, in build/example-report/
#   make           build build/sdccheck and build/libsdccheck.a
#   make check     unit + end-to-end tests, then again under ASan + UBSan
#   make valgrind  the end-to-end tests with sdccheck under valgrind
#   make bench     benchmarks (bench/run.sh)
#   make mutate    apply tests/mutations.txt one at a time: the tests must catch each
#   make fuzz      libFuzzer harnesses, FUZZ_SECONDS each (fuzz/README.md)
#   make install   PREFIX=/usr/local: binary, policies, man pages

PREFIX   ?= /usr/local
BUILD    ?= build
SANITIZE ?=
CC       ?= cc
# Parallel builds within make check (the suites run on 2 jobs of their own).
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
CPPFLAGS += -Iinclude -Isrc/lib -I/usr/include/libxml2 $(shell pkg-config --cflags poppler-glib libgsf-1 2>/dev/null) -D_GNU_SOURCE -DSDC_DATADIR='"$(PREFIX)/share/sdccheck"'
SAN_FLAGS = -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ALL_CFLAGS = -std=c11 $(WARN) $(if $(WERROR),-Werror) $(CFLAGS) $(if $(SANITIZE),$(SAN_FLAGS))
LDLIBS   = -lcsv -lreadstat -lyaml -lcrypto -lglpk -lgsl -lgslcblas -larchive -lbrotlidec -lxml2 -lmagic -lpoppler-glib -lgsf-1 -lgobject-2.0 -lglib-2.0 -lz -lm -lpthread \
           $(shell pkg-config --libs sqlite3 jansson)
LDFLAGS += $(if $(SANITIZE),$(SAN_FLAGS))

LIB_SRC  = $(sort $(wildcard src/lib/*/*.c))
CLI_SRC  = $(sort $(wildcard src/cli/*.c))
TEST_SRC = $(sort $(wildcard tests/test_*.c))
POLICIES = $(sort $(wildcard policies/*.yaml))

LIB_OBJ  = $(LIB_SRC:src/lib/%.c=$(BUILD)/lib/%.o) $(BUILD)/gen/policies_builtin.o
CLI_OBJ  = $(CLI_SRC:src/cli/%.c=$(BUILD)/cli/%.o)
TEST_OBJ = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%.o)
HEADERS  = $(wildcard include/sdccheck/*.h src/lib/*/*.h src/cli/*.h)
FORMAT_SRC = $(LIB_SRC) $(wildcard src/lib/*/*.h) $(CLI_SRC) $(wildcard src/cli/*.h include/sdccheck/*.h) \
             $(wildcard tests/*.c tests/*.h bench/*.c fuzz/*.c fuzz/*.h)

.PHONY: all deps demo example-report check test oom valgrind bench install clean format lint cycles mutate FORCE

all: $(BUILD)/sdccheck

# The package list lives in tools/setup.sh (also used by .ci/run).
deps:
	sh tools/setup.sh

# The README's first command: check the example submission. Exit status 1
# (something fails) is the expected answer here; 2 would be a tool error.
demo: $(BUILD)/sdccheck
	./$(BUILD)/sdccheck testdata/submission || test $$? -ne 2

# make example-report: the example submission's report in every format the
# tool writes, in one run, into $(BUILD)/example-report/ (README, "Example
# report" says what each file shows). A new format is one more word in
# EXAMPLE_FORMATS (its file: EXAMPLE_FILES). Exit status 1 (a fail) is the
# expected answer; 2, or a report missing or empty, stops make.
EXAMPLE_FORMATS = text json csv junit html sacro
EXAMPLE_FILES   = report.txt report.json report.csv report.xml report.html sacro/results.json
example-report: $(BUILD)/sdccheck
	rm -rf $(BUILD)/example-report
	./$(BUILD)/sdccheck --color=never $(foreach f,$(EXAMPLE_FORMATS),-f $(f)) \
	  -o $(BUILD)/example-report/ testdata/submission || test $$? -ne 2
	@for f in $(EXAMPLE_FILES); do test -s $(BUILD)/example-report/$$f || \
	  { echo "example-report: $$f is missing or empty"; exit 1; }; done
	@echo "example-report: $(words $(EXAMPLE_FORMATS)) formats in $(BUILD)/example-report/:"; \
	  ls -p $(BUILD)/example-report

$(BUILD)/lib/%.o: src/lib/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/cli/%.o: src/cli/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c $(HEADERS) $(wildcard tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(ALL_CFLAGS) -Wno-pedantic -c $< -o $@

# policy_load.c knows PREFIX (where site policies are installed): rebuild it when
# PREFIX changes, so `make install PREFIX=...` installs a matching binary.
$(BUILD)/lib/core/policy_load.o: $(BUILD)/prefix.stamp
$(BUILD)/prefix.stamp: FORCE
	@mkdir -p $(@D); echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
FORCE:

# The shipped policies are compiled in, so the binary needs no files.
$(BUILD)/gen/policies_builtin.c: $(POLICIES) tools/embed-policies.sh
	@mkdir -p $(@D)
	sh tools/embed-policies.sh $(POLICIES) > $@.tmp && mv $@.tmp $@

# A policy's text is one string literal; C99 only promises 4095 bytes.
$(BUILD)/gen/policies_builtin.o: $(BUILD)/gen/policies_builtin.c
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(BUILD)/libsdccheck.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/sdccheck: $(CLI_OBJ) $(BUILD)/libsdccheck.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The command's own modules but main (the --progress line) are tested too.
$(BUILD)/tests/unit: $(TEST_OBJ) $(filter-out $(BUILD)/cli/main.o,$(CLI_OBJ)) $(BUILD)/libsdccheck.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

# The allocation-failure injection test (tests/oom.c): libsdccheck's own
# allocations, thread starts and temporary files are sent through its
# wrappers by the linker; a plain build only (not ASan's allocator).
OOM_WRAP = malloc calloc realloc strdup strndup asprintf vasprintf open_memstream \
           pthread_create mkstemp
$(BUILD)/tests/oom: $(BUILD)/tests/oom.o $(BUILD)/libsdccheck.a
	$(CC) $(LDFLAGS) $(foreach f,$(OOM_WRAP),-Wl,--wrap=$(f)) $^ $(LDLIBS) -o $@

oom: $(BUILD)/tests/oom
	$(BUILD)/tests/oom

# One Criterion binary runs every unit and end-to-end test; its last line
# is the summary ("Synthesis: Tested: N | Passing: N | Failing: 0 ...").
# In the sanitizer build every process writes what the sanitizers found
# into $(BUILD)/sanitizer, and exits 23 when they found something (a
# leak in a test worker fails no test by itself: the worker has reported
# its result first); tests/sanitizer-reports.sh prints the reports and
# fails on any of ours. The runner's own 23 (Criterion's blocks at its
# exit) is left to that judgement; any other failure stands.
test: $(BUILD)/sdccheck $(BUILD)/tests/unit
	rm -rf $(BUILD)/sanitizer && mkdir -p $(BUILD)/sanitizer
	status=0; LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:log_path=$(CURDIR)/$(BUILD)/sanitizer/report:log_exe_name=1:exitcode=23 \
	  SDCCHECK_BIN=$(BUILD)/sdccheck $(BUILD)/tests/unit --jobs 2 || status=$$?; \
	  [ $$status -eq 23 ] && status=0; \
	  sh tests/sanitizer-reports.sh $(BUILD)/sanitizer || status=1; exit $$status

# make valgrind: the end-to-end tests (VALGRIND_TESTS, a Criterion
# filter) with build/sdccheck run under valgrind memcheck by
# tests/valgrind-sdccheck.sh: no error and no definite leak in any run
# (each run's log is in $(BUILD)/valgrind; suppressions, for third-party
# libraries only, in tests/valgrind.supp). .ci/run runs it after make check.
# Left out: the tests that time the binary (a FIFO within 8 s, a 10 MB
# field within 10 s), which valgrind's slowness fails, and outputs/*, one
# test of some 40 documents that alone takes minutes under valgrind.
VALGRIND_TESTS ?= e2e/!(fifo_is_reported_and_does_not_hang|huge_single_field_is_malformed_not_a_crash)
valgrind: $(BUILD)/sdccheck $(BUILD)/tests/unit
	rm -rf $(BUILD)/valgrind && mkdir -p $(BUILD)/valgrind && chmod 1777 $(BUILD)/valgrind
	VALGRIND_LOGS=$(BUILD)/valgrind SDCCHECK_REAL=$(BUILD)/sdccheck \
	  SDCCHECK_BIN=tests/valgrind-sdccheck.sh $(BUILD)/tests/unit --jobs 2 --filter '$(VALGRIND_TESTS)'
	@runs=$$(ls $(BUILD)/valgrind | wc -l); bad=$$(find $(BUILD)/valgrind -name '*.log' -size +0c); \
	  echo "valgrind: $$runs runs of sdccheck, $$(echo $$bad | wc -w) with errors or definite leaks"; \
	  if [ -n "$$bad" ]; then for f in $$bad; do echo "== $$f"; cat $$f; done; exit 1; fi; \
	  test $$runs -gt 0

# make check builds warning-free or not at all (-Werror).
check:
	$(MAKE) -j$(JOBS) lint WERROR=1
	$(MAKE) -j$(JOBS) test WERROR=1
	$(MAKE) -j$(JOBS) oom WERROR=1
	$(MAKE) -j$(JOBS) test BUILD=build/asan SANITIZE=1 WERROR=1
	@for m in man/*.[15]; do man -l -Tutf8 $$m > /dev/null 2> $(BUILD)/man.err || { cat $(BUILD)/man.err; exit 1; }; \
	  if [ -s $(BUILD)/man.err ]; then echo "$$m: man page warnings:"; cat $(BUILD)/man.err; exit 1; fi; done
	@echo "man pages render: $$(ls man/*.[15] | wc -l)"
	$(MAKE) example-report

# make mutate: apply each regression in tests/mutations.txt to a scratch
# copy of the tree and run the suite on it; fails if the suite misses one
# (tests/mutate.sh says how; slow: a build and a suite run per mutation).
mutate:
	sh tests/mutate.sh

bench: $(BUILD)/sdccheck
	SDCCHECK=$(BUILD)/sdccheck sh bench/run.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/zip.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/docs.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/audit.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/fix.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/protect.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/suppress.sh
	LIB=$(BUILD)/libsdccheck.a sh bench/aggregate.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/optimal.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/modular.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/cube.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/hostile.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/each.sh
	SDCCHECK=$(BUILD)/sdccheck sh bench/ledger.sh

install: $(BUILD)/sdccheck
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sdccheck/policies \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(BUILD)/sdccheck $(DESTDIR)$(PREFIX)/bin/sdccheck
	install -m 644 $(POLICIES) $(DESTDIR)$(PREFIX)/share/sdccheck/policies/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/

format:
	clang-format -i $(FORMAT_SRC)

# make lint: no cycle between object files or stages (tools/depcycles.sh),
# the code formatted as .clang-format says, and nothing cppcheck finds.
# (clang-format and cppcheck come from tools/setup.sh.)
lint: cycles
	@clang-format --dry-run --Werror $(FORMAT_SRC) && echo "clang-format: $(words $(FORMAT_SRC)) files as .clang-format says"
	@MUTATE_LIST_ONLY=1 sh tests/mutate.sh
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
	  --suppress=missingIncludeSystem -Iinclude -Isrc/lib src/lib src/cli

# The cycles between object files and between stages (tools/depcycles.sh):
# data flows one way.
# The stages, lowest first (doc/design.md, "Layers").
STAGE_ORDER = core table read classify audit rules protect check report ledger
cycles: $(LIB_OBJ)
	@STAGE_ORDER="$(STAGE_ORDER)" sh tools/depcycles.sh $(filter-out $(BUILD)/gen/%,$(LIB_OBJ))

clean:
	rm -rf build

include fuzz/fuzz.mk
