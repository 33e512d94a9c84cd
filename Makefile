# zone: DNS as a Service.  One non-recursive makefile.
.POSIX:

PREFIX	= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
SHAREDIR = $(PREFIX)/share/zone
SYSCONFDIR = $(PREFIX)/etc

CC	= cc
PKG_CONFIG = pkg-config
PKGS	= jansson ldns lmdb libnats libbsd-overlay libcurl yaml-0.1
DEP_CFLAGS != $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null || true
DEP_LIBS != $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || true
CIVETWEB_LIBS = -lcivetweb
CMOCKA_LIBS = -lcmocka

CFLAGS	= -O2 -g -std=c11 -Wall -Wextra -Wshadow -Wpointer-arith \
	  -Wcast-qual -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS = -D_DEFAULT_SOURCE -D_GNU_SOURCE -DSYSCONFDIR=\"$(SYSCONFDIR)\" -Ilib
LDFLAGS	=
LIBS	= $(DEP_LIBS) $(CIVETWEB_LIBS) -lpthread -lm

-include config.mk

PROG_SRCS != ls bin/*.c
PROGS	= $(PROG_SRCS:.c=)
LIB_SRCS != ls lib/*.c
LIB_OBJS = $(LIB_SRCS:.c=.o)
LIB_HDRS != ls lib/*.h
UNIT_SRCS != ls test/unit/*.c 2>/dev/null || true
UNIT_TESTS = $(UNIT_SRCS:.c=.t)
TOOL_SRCS != ls test/tools/*.c 2>/dev/null || true
TOOLS	= $(TOOL_SRCS:.c=)
MANS	!= ls man/man*/*.[1-8]

all: $(PROGS)

lib/libzone.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $(LIB_OBJS)

$(LIB_OBJS): $(LIB_HDRS)

.SUFFIXES: .c .o .t
.c.o:
	$(CC) $(CFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) -c -o $@ $<

$(PROGS): lib/libzone.a
.c:
	$(CC) $(CFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) $(LDFLAGS) -o $@ $< lib/libzone.a $(LIBS)

$(UNIT_TESTS) $(TOOLS): lib/libzone.a
.c.t:
	$(CC) $(CFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) $(LDFLAGS) -o $@ $< lib/libzone.a $(LIBS) $(CMOCKA_LIBS)

# libFuzzer over zone-xfr's query handling: `make fuzz' runs a short
# session (make check does too); FUZZ_SECONDS=3600 make fuzz for a long one.
FUZZ_SECONDS = 20
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -std=c11
test/fuzz/zxfr_fuzz: test/fuzz/zxfr_fuzz.c $(LIB_SRCS) $(LIB_HDRS)
	clang $(FUZZ_CFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) -o $@ test/fuzz/zxfr_fuzz.c $(LIB_SRCS) $(LIBS)

fuzz: test/fuzz/zxfr_fuzz
	mkdir -p var/fuzz
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=test/fuzz/lsan.supp \
	    test/fuzz/zxfr_fuzz -max_total_time=$(FUZZ_SECONDS) \
	    -print_final_stats=1 var/fuzz

deps:
	@sh share/zone/deps.sh

units: $(UNIT_TESTS) $(TOOLS)

# deps first, in its own step: pkg-config must be there before the
# sub-make reads the flags.
check: deps
	$(MAKE) all units
	PATH="$$PWD/bin:$$PATH" prove -f test/unit/*.t test/t/*.t
	mandoc -Tlint -W warning $(MANS)
	$(MAKE) fuzz

run: deps
	$(MAKE) all
	sh share/zone/run.sh

bench: deps
	$(MAKE) all
	sh test/bench/bench.sh

# The upstream Designate tempest API suite behind a private Keystone;
# fails when it passes fewer tests than test/conformance.pass, and
# `make conformance RECORD=1' records the new count.
conformance: deps
	$(MAKE) all
	RECORD="$(RECORD)" sh share/zone/conformance.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(SYSCONFDIR)/zone
	mkdir -p $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	cp $(PROGS) $(DESTDIR)$(BINDIR)/
	for m in $(MANS); do s=$${m##*.}; cp $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	cp etc/zone.conf $(DESTDIR)$(SYSCONFDIR)/zone/zone.conf.example
	cp etc/pools.yaml $(DESTDIR)$(SYSCONFDIR)/zone/pools.yaml.example
	cp -R share/zone/sv share/zone/examples $(DESTDIR)$(SHAREDIR)/

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(BINDIR)/$${p#bin/}; done

clean:
	rm -f $(PROGS) $(TOOLS) lib/*.o lib/libzone.a test/unit/*.t test/fuzz/zxfr_fuzz

.PHONY: all deps units check run bench conformance fuzz install uninstall clean
