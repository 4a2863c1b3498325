# SPDX-License-Identifier: GPL-2.0-or-later
# romcompat - a plain Makefile.  Targets: all, check, install, fuzz, asan,
# lint, format-check, bench, catalogs, uninstall, clean.

MAKEFLAGS  += --no-print-directory
VERSION    := 0.1.0
# Installed layout.  The program finds its data and its libvirt module
# relative to its own executable, BINDIR/../share/romcompat and
# BINDIR/../lib/romcompat (base/datadir.c, matrix/backend.c), so an
# installed tree still works once moved; PKGDATADIR and PKGLIBDIR are
# compiled in only as the fallback.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
PKGDATADIR ?= $(PREFIX)/share/romcompat
PKGLIBDIR  ?= $(PREFIX)/lib/romcompat
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/romcompat
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
BUILD      ?= build
CC         ?= cc
PKG_CONFIG ?= pkg-config
# gmodule-no-export-2.0: gmodule without -Wl,--export-dynamic; the program
# exports nothing, it hands the libvirt module a table of its services.
PKGS       := glib-2.0 gio-2.0 gio-unix-2.0 gmodule-no-export-2.0 json-c libarchive
# The libvirt backend is a module (romcompat-libvirt.so, loaded only when
# asked for): libvirt and libxml2 are linked into it, not into romcompat.
MODULE_PKGS := libvirt libvirt-qemu libxml-2.0

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS))
MODULE_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(MODULE_PKGS))
MODULE_LIBS := $(shell $(PKG_CONFIG) --libs $(MODULE_PKGS))

CFLAGS     ?= -O2 -g
WARNINGS   := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wno-unused-parameter
HARDENING  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -Ichecker -DRC_VERSION='"$(VERSION)"' \
              -DRC_DATADIR='"$(PKGDATADIR)"' -DRC_LIBDIR='"$(PKGLIBDIR)"' \
              $(WARNINGS) $(HARDENING) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := -pie -Wl,-z,relro,-z,now $(LDFLAGS)

# checker/ holds one directory per layer (docs/architecture.md); the
# libvirt module is exactly checker/libvirt/.
MODULE_SRCS := $(sort $(wildcard checker/libvirt/*.c))
SRCS       := $(filter-out $(MODULE_SRCS),$(sort $(wildcard checker/*/*.c)))
HEADERS    := $(sort $(wildcard checker/*/*.h))
MODULE_OBJS := $(MODULE_SRCS:checker/%.c=$(BUILD)/module/%.o)
LIB_SRCS   := $(filter-out checker/cli/main.c,$(SRCS))
OBJS       := $(SRCS:checker/%.c=$(BUILD)/obj/%.o)
LIB_OBJS   := $(LIB_SRCS:checker/%.c=$(BUILD)/obj/%.o)
TEST_SRCS  := $(sort $(wildcard tests/unit/test-*.c))
TEST_HELPERS := $(filter-out $(TEST_SRCS),$(sort $(wildcard tests/unit/*.c)))
TEST_BINS  := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
SKEWED_MODULE := $(BUILD)/tests/skewed-module/romcompat-libvirt.so

all: $(BUILD)/romcompat $(BUILD)/romcompat-libvirt.so $(TEST_BINS) $(SKEWED_MODULE)

$(BUILD)/obj/%.o: checker/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# No --export-dynamic: the libvirt module calls back into the program (QEMU
# stderr classifier, RAM blocks, run directories, catalogs, tables) only
# through the services table the program hands it at load (backend.c).
$(BUILD)/romcompat: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Hidden visibility: the module exports rc_libvirt_module_init() alone, and
# its stand-ins for the program's functions (libvirt/services.c) stay its own.
MODULE_FLAGS := $(MODULE_CFLAGS) -fPIC -fvisibility=hidden
$(BUILD)/module/%.o: checker/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(MODULE_FLAGS) -c -o $@ $<

# A module that still needs one of the program's symbols would load only
# where the program exports them: refuse to build it.
define link_module
	$(CC) $(ALL_CFLAGS) -fPIC -shared -Wl,-z,relro,-z,now $(LDFLAGS) -o $@ $^ \
	  $(MODULE_LIBS) $(PKG_LIBS)
	@if nm -D --undefined-only $@ | grep -w 'rc_[a-z0-9_]*'; then \
	  echo "$@: calls the program other than through its services (libvirt/services.c)" >&2; \
	  rm -f $@; exit 1; fi
endef
$(BUILD)/romcompat-libvirt.so: $(MODULE_OBJS)
	$(link_module)

# The test module: the same module built for another version of the
# program's services, which it must refuse at load (libvirt-module.t).
$(BUILD)/tests/skewed-module/services.o: checker/libvirt/services.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(MODULE_FLAGS) \
	  -DRC_MODULE_SERVICES_VERSION='(RC_HOST_SERVICES_VERSION + 1)' -c -o $@ $<
$(SKEWED_MODULE): $(filter-out %/services.o,$(MODULE_OBJS)) $(BUILD)/tests/skewed-module/services.o
	$(link_module)

$(BUILD)/tests/%: tests/unit/%.c $(TEST_HELPERS) $(LIB_OBJS) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Ichecker -Itests/unit $(ALL_LDFLAGS) -o $@ $< $(TEST_HELPERS) $(LIB_OBJS) $(PKG_LIBS)

$(BUILD)/tests:
	mkdir -p $@

# The test suite: C unit tests (GLib, TAP) and command-line tests (shell, TAP),
# all run by prove, whose last line is the summary CI reads.
check: all
	ROMCOMPAT=$(abspath $(BUILD)/romcompat) BUILD=$(abspath $(BUILD)) \
	  prove -f $(TEST_BINS) $(sort $(wildcard tests/cli/*.t))

# AddressSanitizer + UndefinedBehaviorSanitizer build, same tests.  libtirpc
# is linked into the program itself: ASan intercepts the XDR functions and
# resolves the real ones when it starts, so the library that has them must
# be loaded then, not later with the libvirt module (libvirt's calls would
# jump to a null pointer).
asan:
	$(MAKE) BUILD=build-asan CC=clang \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	  HARDENING= LDFLAGS='-fsanitize=address,undefined -Wl,--no-as-needed -ltirpc -Wl,--as-needed' check

# libFuzzer targets (clang), each run FUZZ_SECONDS seconds on its corpus.
FUZZ_SECONDS ?= 60
# A hang is an input that takes more than 10 s; leaks are reported (LeakSanitizer).
FUZZ_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_SRCS  := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)
build-fuzz/%: tests/fuzz/%.c $(LIB_SRCS)
	mkdir -p build-fuzz
	clang -std=c11 -D_GNU_SOURCE -DRC_VERSION='"$(VERSION)"' -DRC_DATADIR='"."' -DRC_LIBDIR='"."' -g -O1 \
	  -fsanitize=fuzzer,address,undefined -Ichecker $(PKG_CFLAGS) -o $@ $< $(LIB_SRCS) $(PKG_LIBS)
fuzz: $(FUZZ_BINS)
	for f in $(FUZZ_BINS); do \
	  name=$${f#build-fuzz/fuzz-}; mkdir -p build-fuzz/corpus-$$name; \
	  $$f -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) build-fuzz/corpus-$$name tests/fuzz/corpus-$$name || exit 1; \
	done

# Linters: fail on any finding.  tests/lint/layers.sh: the include graph
# against the allowed edges of docs/architecture.md.  Disabled checks are explained in
# .clang-tidy; cppcheck's suppressions: missingIncludeSystem (system
# headers are not passed to cppcheck, GLib's are described by its gtk
# library file instead) and memleak (cppcheck 2.10 does not model
# g_autofree/g_autoptr scope cleanup; leaks are checked for real by
# LeakSanitizer in `make asan` instead).  Functions nothing calls are
# looked for by a second cppcheck over the whole program at once: the
# program, the libvirt module (which calls back into it), the unit tests
# and the fuzz targets, so that a function only a test or only the module
# calls counts as used; the first, per-file pass leaves unusedFunction to
# it (all checks but that one enabled).  glib-extra.cfg comes before gtk: the first definition of a macro
# wins, and it makes GLib's cleanup declarations use their function.
# clang-tidy also reads the fuzz targets, so that its limits (no function
# over 80 lines, readability-function-size) hold for every C file.
LINT_SRCS := $(SRCS) $(MODULE_SRCS) $(TEST_SRCS) $(TEST_HELPERS)
CPPCHECK := cppcheck --error-exitcode=1 --inline-suppr --quiet \
  --std=c11 -D_GNU_SOURCE -DRC_VERSION='"0"' -Ichecker -Itests/unit \
  --library=tests/lint/glib-extra.cfg --library=gtk --library=posix \
  --suppress=missingIncludeSystem --suppress=memleak
lint:
	sh tests/lint/layers.sh .
	$(CPPCHECK) --enable=warning,style,performance,portability,information $(LINT_SRCS)
	$(CPPCHECK) --enable=unusedFunction $(LINT_SRCS) $(FUZZ_SRCS)
	clang-tidy --quiet $(LINT_SRCS) $(FUZZ_SRCS) -- -std=c11 -D_GNU_SOURCE -DRC_VERSION='"0"' \
	  -DRC_DATADIR='"."' -DRC_LIBDIR='"."' -Ichecker -Itests/unit $(PKG_CFLAGS) $(MODULE_CFLAGS)

format-check:
	clang-format --dry-run --Werror $(wildcard checker/*/*.[ch]) $(wildcard tests/unit/*.[ch]) $(wildcard tests/fuzz/*.c)

# The README's two commands: `make demo` (after scripts/setup.sh) and `make ci`.
demo: $(BUILD)/romcompat
	ROMCOMPAT=$(abspath $(BUILD)/romcompat) scripts/demo.sh

# What CI runs: linters, formatting, the suite, then the suite again under
# AddressSanitizer and UndefinedBehaviorSanitizer (its prove summary ends
# the output).
ci:
	$(MAKE) lint
	$(MAKE) format-check
	$(MAKE) -j2 all
	$(MAKE) check
	$(MAKE) -j2 asan

bench: all
	@for b in bench/*.sh; do echo "== $$b"; ROMCOMPAT=$(abspath $(BUILD)/romcompat) $$b || exit 1; done

# What is installed besides the program and its module: the data, the
# documentation (docs/*.md as DOCDIR/*.md, the CI recipes as DOCDIR/ci/).
DATA_FILES := $(sort $(wildcard machine-types/*/*.json scenarios/*.ini))
DOC_FILES  := README.md $(sort $(wildcard docs/*.md docs/*.png docs/ci/*))

install: $(BUILD)/romcompat $(BUILD)/romcompat-libvirt.so
	install -D -m 755 $(BUILD)/romcompat $(DESTDIR)$(BINDIR)/romcompat
	install -D -m 644 $(BUILD)/romcompat-libvirt.so $(DESTDIR)$(PKGLIBDIR)/romcompat-libvirt.so
	for f in $(DATA_FILES); do \
		install -D -m 644 "$$f" "$(DESTDIR)$(PKGDATADIR)/$$f" || exit 1; \
	done
	install -D -m 644 docs/romcompat.1 $(DESTDIR)$(MANDIR)/man1/romcompat.1
	install -D -m 644 completion/romcompat.bash $(DESTDIR)$(COMPLETIONDIR)/romcompat
	for f in $(DOC_FILES); do \
		install -D -m 644 "$$f" "$(DESTDIR)$(DOCDIR)/$${f#docs/}" || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/romcompat $(DESTDIR)$(PKGLIBDIR)/romcompat-libvirt.so \
	  $(DESTDIR)$(MANDIR)/man1/romcompat.1 $(DESTDIR)$(COMPLETIONDIR)/romcompat
	for f in $(DATA_FILES); do rm -f "$(DESTDIR)$(PKGDATADIR)/$$f"; done
	for f in $(DOC_FILES); do rm -f "$(DESTDIR)$(DOCDIR)/$${f#docs/}"; done
	-rmdir $(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(PKGDATADIR)/machine-types/* \
	  $(DESTDIR)$(PKGDATADIR)/machine-types $(DESTDIR)$(PKGDATADIR)/scenarios \
	  $(DESTDIR)$(PKGDATADIR) $(DESTDIR)$(DOCDIR)/ci $(DESTDIR)$(DOCDIR) 2>/dev/null

# romcompat check signalled at 100 random moments: what is left behind.
kill-loop: $(BUILD)/romcompat
	tests/kill-loop.sh 100

# The machine-type catalogs, read back from the installed QEMU binaries.
catalogs: $(BUILD)/romcompat
	for q in x86_64 aarch64 riscv64 loongarch64; do \
		command -v qemu-system-$$q >/dev/null || continue; \
		$(BUILD)/romcompat machines --qemu qemu-system-$$q --output-dir machine-types | tail -2 || exit 1; \
	done

clean:
	rm -rf build build-asan build-fuzz

.PHONY: all check asan fuzz lint format-check bench install uninstall clean demo ci catalogs kill-loop
