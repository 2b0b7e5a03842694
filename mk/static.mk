# The static build (issue 10): one statically linked, stripped x86_64 multi-call
# executable for pods and minimal images, plus shell completion for every build.
# Included at the end of the Makefile, so LIBDIAG, CMD_OBJ, TOOLS and friends are set.
#
#   make static          bin/static/vpn-doctor (the first run fetches Debian's curl and
#                        cjson sources and builds a minimal libcurl: about a minute)
#   make completion      build/completion/{vpn-doctor.bash,_vpn-doctor,tools} (part of all)
#   make install         also installs the completion files
#   make install-static  the static binary as BINDIR/vpn-doctor, a symlink per tool,
#                        the man pages and the completion files
#   make check-static    tests/static/run.sh (root: chroot, namespaces; builds static first)
#
# What is linked and why: libcurl built here (HTTP and HTTPS over OpenSSL, nothing else:
# Debian's libcurl.a needs GSSAPI, which has no static library), cJSON built here (Debian
# ships no libcjson.a), and Debian's libssl.a, libcrypto.a, libpcap.a, libdbus-1.a (for
# libpcap; static/sd_stubs.c stands in for the two libsystemd calls it makes), libnet.a,
# libexpat.a, libz.a and glibc's libc.a. Name resolution: glibc 2.34 and later build the "files"
# and "dns" NSS services into libc.a itself, so getaddrinfo reads /etc/hosts and
# /etc/resolv.conf with no libnss_*.so present (tests/static/run.sh shows it in a chroot);
# only other services named in /etc/nsswitch.conf (myhostname, resolve, mdns, sss...)
# would need the shared modules, and glibc skips those it cannot load.

STATIC_DIR      := $(B)/static
STATIC_SRCDIR   := $(STATIC_DIR)/src
STATIC_CURL     := $(STATIC_DIR)/curl
STATIC_BIN      := bin/static/vpn-doctor
STATIC_FETCHED  := $(STATIC_SRCDIR)/.fetched
STATIC_LIBCURL  := $(STATIC_CURL)/lib/libcurl.a
STATIC_CJSON    := $(STATIC_DIR)/cJSON.o
STATIC_INC      := $(STATIC_DIR)/include
STATIC_OWN      := $(STATIC_DIR)/main.o $(STATIC_DIR)/ca.o $(STATIC_DIR)/sd_stubs.o \
                   $(STATIC_DIR)/versions.o
# The dynamic build's objects are linked as they are (compiled against Debian's curl
# 7.88.1 and cJSON 1.7.15 headers, the versions of the source packages built here); only
# cmd/main.c is compiled again, with VPN_DOCTOR_STATIC.
STATIC_CMD_OBJ  := $(filter-out $(B)/cmd/main.o,$(CMD_OBJ))
STATIC_CPPFLAGS := -DVPN_DOCTOR_STATIC -I$(STATIC_INC) -I$(STATIC_CURL)/include
# The dynamic link's libraries (PKG_LIBS), with libcurl and cJSON built here instead of
# Debian's, plus what the static archives need below them; one group, so the order of
# the archives does not matter. DEMO_OBJ (embedded demo data) if the Makefile has one.
STATIC_LDLIBS   := -Wl,--start-group $(STATIC_LIBCURL) \
                   $(filter-out -lcurl -lcjson,$(PKG_LIBS)) -ldbus-1 -lm -ldl -Wl,--end-group
STATIC_EXTRA    := $(DEMO_OBJ)
COMPLETION_DIR  := $(B)/completion
COMPLETIONS     := $(COMPLETION_DIR)/vpn-doctor.bash $(COMPLETION_DIR)/_vpn-doctor \
                   $(COMPLETION_DIR)/tools
BASHCOMPDIR     := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR      := $(PREFIX)/share/zsh/site-functions

.PHONY: static deps-static completion install-completion uninstall-completion install-static \
        check-static

static: deps-static
	@$(MAKE) --no-print-directory $(STATIC_BIN)

deps-static:
	@scripts/deps.sh static

$(STATIC_FETCHED): static/fetch-sources.sh
	@mkdir -p $(dir $@)
	static/fetch-sources.sh $(STATIC_SRCDIR)
	@touch $@

$(STATIC_LIBCURL): $(STATIC_FETCHED) static/build-curl.sh
	static/build-curl.sh $$(ls -d $(STATIC_SRCDIR)/curl-*/ | head -n 1) $(STATIC_CURL)
	@touch $@

# cJSON as Debian patched it; its header goes where <cjson/cJSON.h> finds it.
$(STATIC_CJSON): $(STATIC_FETCHED)
	@mkdir -p $(STATIC_INC)/cjson
	src=$$(ls -d $(STATIC_SRCDIR)/cjson-*/ | head -n 1) && \
	cp $${src}cJSON.h $(STATIC_INC)/cjson/cJSON.h && \
	$(CC) -O2 -std=c89 -c -o $@ $${src}cJSON.c

$(STATIC_DIR)/main.o: cmd/main.c $(STATIC_LIBCURL) $(STATIC_CJSON)
	@mkdir -p $(dir $@)
	$(CC) $(STATIC_CPPFLAGS) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(STATIC_DIR)/%.o: static/%.c
	@mkdir -p $(dir $@)
	$(CC) $(STATIC_CPPFLAGS) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(STATIC_OWN:.o=.d)

# static/link.sh drops only glibc's "Using 'getaddrinfo' in statically linked
# applications requires at runtime the shared libraries..." notes (see above and
# static/link.sh for why they do not apply here); every other linker message stays.
$(STATIC_BIN): $(STATIC_OWN) $(STATIC_CMD_OBJ) $(STATIC_EXTRA) $(LIBDIAG) $(STATIC_CJSON) \
		$(STATIC_LIBCURL) static/link.sh
	@mkdir -p $(dir $@) $(STATIC_DIR)
	static/link.sh $(CC) -static $(ALL_CFLAGS) $(LDFLAGS) -o $(STATIC_DIR)/vpn-doctor.unstripped \
		$(STATIC_OWN) $(STATIC_CMD_OBJ) $(STATIC_EXTRA) $(LIBDIAG) $(STATIC_CJSON) \
		$(STATIC_LDLIBS)
	strip --strip-all -o $@ $(STATIC_DIR)/vpn-doctor.unstripped
	@echo "static: $@: $$(stat -c %s $@) bytes, stripped"

# ---- shell completion, from the tools' option tables (through their --help) ----------
completion: $(COMPLETIONS)

$(COMPLETIONS) &: $(MAIN_BIN) static/gen-completion.sh
	static/gen-completion.sh $(MAIN_BIN) $(COMPLETION_DIR)

all: $(COMPLETIONS)

install: install-completion
uninstall: uninstall-completion

install-completion: $(COMPLETIONS)
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0644 $(COMPLETION_DIR)/vpn-doctor.bash $(DESTDIR)$(BASHCOMPDIR)/vpn-doctor
	for t in $$(cat $(COMPLETION_DIR)/tools); do \
		ln -sf vpn-doctor $(DESTDIR)$(BASHCOMPDIR)/$$t || exit 1; done
	install -m 0644 $(COMPLETION_DIR)/_vpn-doctor $(DESTDIR)$(ZSHCOMPDIR)/_vpn-doctor

uninstall-completion:
	[ ! -d $(DESTDIR)$(BASHCOMPDIR) ] || \
		find $(DESTDIR)$(BASHCOMPDIR) -maxdepth 1 -type l -lname vpn-doctor -delete
	rm -f $(DESTDIR)$(BASHCOMPDIR)/vpn-doctor
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_vpn-doctor

# The static binary under its own name, one symlink per tool, pages and completion.
install-static: static install-completion
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(STATIC_BIN) $(DESTDIR)$(BINDIR)/vpn-doctor
	$(DESTDIR)$(BINDIR)/vpn-doctor --install-links $(DESTDIR)$(BINDIR) >/dev/null
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/

check-static: static all
	@VPN_DOCTOR_STATIC_TEST=1 tests/static/run.sh
