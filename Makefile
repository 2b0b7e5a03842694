# vpn-doctor: one shared library (libdiag), checks, and small front ends.
#
#   make            build everything (bin/)
#   make demo       install missing Debian packages, build, run the demo scenario
#   make check      install missing Debian packages, build, run every test
#   make bench      speed and memory, side by side with nmap and OpenBSD nc
#   make fuzz       libFuzzer builds of every parser (clang), FUZZ_SECONDS each
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

VERSION     := 0.1.0
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      := $(PREFIX)/bin
MANDIR      := $(PREFIX)/share/man
FUZZ_SECONDS ?= 20

CC          ?= cc
# Debian ships no libnet.pc; libnet-config answers the same questions.
PKGS        := libcurl openssl libpcap libcjson expat zlib
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
               $(shell libnet-config --cflags 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
               $(shell libnet-config --libs 2>/dev/null)

WARN        := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS      ?= -O2 -g
THREADS     := -pthread
CPPFLAGS    += -D_GNU_SOURCE -DVPN_DOCTOR_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS)
ALL_CFLAGS   = -std=c11 $(WARN) $(THREADS) $(CFLAGS)
# --as-needed: a tool records only the libraries it really calls, so vpn-probe does not
# map libcurl and its dozen dependencies (that alone is megabytes of resident memory).
LDFLAGS     ?=
ALL_LDFLAGS  = -Wl,--as-needed $(LDFLAGS)
LDLIBS      += $(PKG_LIBS) -lm

B           := build
LIB_SRC     := $(sort $(wildcard libdiag/*.c libdiag/*/*.c))
CHECK_SRC   := $(sort $(wildcard checks/*.c))
CMD_SRC     := $(sort $(wildcard cmd/*.c))
LIB_OBJ     := $(LIB_SRC:%.c=$(B)/%.o) $(CHECK_SRC:%.c=$(B)/%.o)
CMD_OBJ     := $(CMD_SRC:%.c=$(B)/%.o)
LIBDIAG     := $(B)/libdiag.a

# bin/vpn-doctor is the multi-call executable (cmd/main.c picks the tool by the name it
# was started as, or by its first argument). Each tool is also linked on its own from
# only its front end's objects, so --as-needed keeps out the libraries it never calls:
# vpn-probe in a debug pod should not map libcurl, OpenSSL and their dozens of
# dependencies (that alone is megabytes of resident memory).
TOOLS       := vpn-probe vpn-aws vpn-logs vpn-ike vpn-routes vpn-srcip vpn-mtu vpn-policy
MAIN_BIN    := bin/vpn-doctor
TOOL_BINS   := $(TOOLS:%=bin/%)
CLI_OBJ     := $(B)/cmd/cli.o
OBJ_vpn-probe := $(B)/cmd/vpn_probe.o $(B)/cmd/probe_print.o $(B)/cmd/probe_keepalive.o
OBJ_vpn-aws   := $(B)/cmd/vpn_aws.o
OBJ_vpn-logs  := $(B)/cmd/aws_logs_cmd.o
OBJ_vpn-ike   := $(B)/cmd/vpn_ike.o $(B)/cmd/ike_decode.o $(B)/cmd/ike_enum_print.o $(B)/cmd/ike_check.o \
                 $(B)/cmd/aws_input.o
OBJ_vpn-routes := $(B)/cmd/vpn_routes.o $(B)/cmd/aws_input.o
OBJ_vpn-srcip := $(B)/cmd/vpn_srcip.o $(B)/cmd/aws_input.o $(B)/cmd/srcip_cli.o
OBJ_vpn-mtu   := $(B)/cmd/mtu_cmd.o
OBJ_vpn-policy := $(B)/cmd/vpn_policy.o $(B)/cmd/aws_input.o
MAIN_vpn-probe := vpn_probe_main
MAIN_vpn-aws   := vpn_aws_main
MAIN_vpn-logs  := vpn_logs_main
MAIN_vpn-ike   := vpn_ike_main
MAIN_vpn-routes := vpn_routes_main
MAIN_vpn-srcip := vpn_srcip_main
MAIN_vpn-mtu  := vpn_mtu_main
MAIN_vpn-policy := vpn_policy_main

UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRC    := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz/replay_%)
FUZZ_BINS   := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz/lf_%)
MANPAGES    := $(sort $(wildcard man/*.1))

.PHONY: all demo check bench fuzz fuzz-replay install uninstall clean deps deps-demo deps-test \
        unit golden integration lint-man check-asan

all: $(MAIN_BIN) $(TOOL_BINS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBDIAG): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# vpn-doctor --demo's files, compiled in so the demo needs nothing beside the executable
DEMO_FILES  := testdata/demo/aws.json testdata/demo/swanctl.conf testdata/demo/capture.pcap
DEMO_OBJ    := $(B)/gen/demo_data.o
$(B)/gen/demo_data.c: $(DEMO_FILES) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $@ $(DEMO_FILES)
$(DEMO_OBJ): $(B)/gen/demo_data.c
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(MAIN_BIN): $(CMD_OBJ) $(DEMO_OBJ) $(LIBDIAG)
	@mkdir -p bin
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(DEMO_OBJ) $(LIBDIAG) $(LDLIBS)

$(B)/cmd/main-%.o: cmd/main.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DSINGLE_TOOL=$(MAIN_$*) $(ALL_CFLAGS) -c -o $@ $<

.SECONDEXPANSION:
$(TOOL_BINS): bin/%: $(B)/cmd/main-%.o $$(OBJ_$$*) $(CLI_OBJ) $(LIBDIAG)
	@mkdir -p bin
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(B)/cmd/main-$*.o $(OBJ_$*) $(CLI_OBJ) \
		$(LIBDIAG) $(LDLIBS)

# ---- tests ---------------------------------------------------------------------------
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

$(B)/tests/%: tests/unit/%.c $(LIBDIAG)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< \
		$(LIBDIAG) $(CMOCKA_LIBS) $(LDLIBS)

# The replay driver runs every saved input of a fuzz target without libFuzzer, so any
# compiler and CI replay the corpora on every run.
$(B)/fuzz/replay_%: fuzz/%.c fuzz/replay.c $(LIBDIAG)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< fuzz/replay.c \
		$(LIBDIAG) $(LDLIBS)

deps:
	@scripts/deps.sh build

deps-demo:
	@scripts/deps.sh demo

deps-test:
	@scripts/deps.sh test

unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

golden: all
	@tests/golden/run.sh

fuzz-replay: $(FUZZ_REPLAY)
	@tests/run-fuzz-replay.sh $(FUZZ_REPLAY)

integration: all
	@tests/integration/run.sh

lint-man:
	@tests/lint-man.sh $(MANPAGES)

# `make check` is what CI runs: every suite, one closing "N passed, N failed" line.
check: deps-test
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(FUZZ_REPLAY)
	@tests/run-all.sh

demo: deps-demo
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps-test
	@$(MAKE) --no-print-directory all
	@bench/run.sh

# ---- fuzzing (clang + libFuzzer + ASan/UBSan) ----------------------------------------
FUZZ_CC     := clang
FUZZ_FLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
# The library is instrumented once (fuzzer-no-link) into its own archive; each target is
# one file linked against it, so adding a target costs one compile, not the whole library.
FUZZ_B      := $(B)/fz
FUZZ_OBJ    := $(LIB_SRC:%.c=$(FUZZ_B)/%.o) $(CHECK_SRC:%.c=$(FUZZ_B)/%.o)
FUZZ_LIB    := $(FUZZ_B)/libdiag-fuzz.a
$(FUZZ_B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
		-fno-sanitize-recover=undefined -MMD -MP -c -o $@ $<
$(FUZZ_LIB): $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^
$(B)/fuzz/lf_%: fuzz/%.c $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB) $(LDLIBS)
-include $(FUZZ_OBJ:.o=.d)

fuzz: $(FUZZ_BINS)
	@tests/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# ---- install -------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(MAIN_BIN) $(TOOL_BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vpn-doctor $(TOOLS:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MANPAGES:man/%=$(DESTDIR)$(MANDIR)/man1/%)

clean:
	rm -rf $(B) bin

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)

# ---- static build and shell completion (issue 10): see mk/static.mk ----------------
include mk/static.mk

# ---- sanitizers, valgrind, allocation failures (issue 11) ----------------------------
# make check-asan   unit tests, fuzz-corpus replay, golden tests and allocation-failure
#                   runs with -fsanitize=address,undefined in build-asan/ and bin-asan/
#                   (the normal build/ and bin/ are untouched): tests/hardening/check-asan.sh
# make check-valgrind   valgrind memcheck over every golden case (bin/):
#                   tests/hardening/valgrind-golden.sh
# make check-allocfail  only the allocation-failure runs (ASan build)
ASAN_B      := build-asan
ASAN_BIN    := bin-asan
ASAN_CC     ?= gcc
ASAN_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined
ASAN_MAKE    = $(MAKE) --no-print-directory B=$(ASAN_B) CC=$(ASAN_CC) \
               CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined"
AF_WRAP     := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
.PHONY: check-valgrind check-allocfail asan-build

# Inside the sub-make B is build-asan, so these link the sanitized objects.
$(ASAN_BIN)/vpn-doctor: $(CMD_OBJ) $(DEMO_OBJ) $(LIBDIAG)
	@mkdir -p $(ASAN_BIN)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(DEMO_OBJ) $(LIBDIAG) $(LDLIBS)
	for t in $(TOOLS); do ln -sf vpn-doctor $(ASAN_BIN)/$$t; done

$(B)/hardening/allocfail: tests/hardening/allocfail.c $(LIBDIAG)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(AF_WRAP) -o $@ $< $(LIBDIAG) $(LDLIBS)

asan-build:
	@$(ASAN_MAKE) $(UNIT_SRC:tests/unit/%.c=$(ASAN_B)/tests/%) \
		$(FUZZ_SRC:fuzz/%.c=$(ASAN_B)/fuzz/replay_%) $(ASAN_BIN)/vpn-doctor \
		$(ASAN_B)/hardening/allocfail

check-asan: deps-test
	@$(MAKE) --no-print-directory asan-build
	@tests/hardening/check-asan.sh

check-allocfail:
	@$(MAKE) --no-print-directory asan-build
	@tests/hardening/allocfail.sh

check-valgrind: deps-test
	@$(MAKE) --no-print-directory all
	@tests/hardening/valgrind-golden.sh
