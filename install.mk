# SPDX-License-Identifier: GPL-2.0-only
#
# Installing on a real machine (docs/install.md).
#   make install [PREFIX=/usr/local] [DESTDIR=] [NO_DKMS=1]
#   make uninstall
#   make deb                 Debian packages xvmm and xvmm-dkms in $(O)/deb/
#
# Installs the `xvmm` command (its xenstored and backends are inside it),
# the signed VMM image, the systemd units, /etc/xvmm/auto/, the docs, and
# the module's source for DKMS (/usr/src/xvmm-VERSION, with the build
# key's certificate but never the key). Without DESTDIR and NO_DKMS, DKMS
# then builds and installs xvmm.ko for the running kernel, and rebuilds it
# for every kernel installed later.

PREFIX     ?= /usr/local
DESTDIR    ?=
SBINDIR    := $(PREFIX)/sbin
XVMMLIBDIR := $(PREFIX)/lib/xvmm
DOCDIR     := $(PREFIX)/share/doc/xvmm
UNITDIR    ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
# A Debian version: rises with every commit.
XVMM_PKG_VERSION ?= 0.1.$(shell git rev-list --count HEAD 2>/dev/null || echo 0)
DKMS_SRC   := /usr/src/xvmm-$(XVMM_PKG_VERSION)
DKMS_FILES := $(filter-out %.mod.c,$(wildcard loader/linux/*.c)) $(wildcard loader/linux/*.h) loader/linux/Kbuild \
              $(wildcard include/xvmm/*.h) LICENSE include/LICENSE

.PHONY: install uninstall deb install-files

install-files: vmm tools $(TRUST_GEN_H)
	@echo "  INSTALL $(DESTDIR)$(PREFIX) (units in $(UNITDIR), module source in $(DKMS_SRC))"
	install -D -m 755 $(O)/tools/xvmm $(DESTDIR)$(SBINDIR)/xvmm
	ln -sf xvmm $(DESTDIR)$(SBINDIR)/xvmm-xl
	install -D -m 644 $(O)/vmm/xvmm.bin $(DESTDIR)$(XVMMLIBDIR)/xvmm.bin
	install -d -m 755 $(DESTDIR)/etc/xvmm/auto
	install -D -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	for f in docs/*.md; do install -D -m 644 $$f $(DESTDIR)$(DOCDIR)/$$f; done
	for u in xvmm.service xvmm-guest@.service; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g; s|@DOCDIR@|$(DOCDIR)|g' packaging/systemd/$$u.in >$(O)/$$u; \
		install -D -m 644 $(O)/$$u $(DESTDIR)$(UNITDIR)/$$u; \
	done
	for f in $(DKMS_FILES); do install -D -m 644 $$f $(DESTDIR)$(DKMS_SRC)/$$f; done
	sed 's|@VERSION@|$(XVMM_PKG_VERSION)|' packaging/dkms.conf.in >$(DESTDIR)$(DKMS_SRC)/dkms.conf

# Scripts written for xl run against xvmm-xl; also as `xl` on a machine
# without a real xl (never over one; not in packages: docs/cli.md).
install: install-files
ifeq ($(DESTDIR),)
	@if command -v xl >/dev/null 2>&1 || [ -e $(SBINDIR)/xl ]; then \
		echo "install: an xl is installed ($$(command -v xl || echo $(SBINDIR)/xl)): xl's verbs are $(SBINDIR)/xvmm-xl"; \
	else \
		ln -s xvmm $(SBINDIR)/xl && echo "install: $(SBINDIR)/xl -> xvmm (no real xl here)"; \
	fi
endif
ifeq ($(DESTDIR)$(NO_DKMS),)
	@command -v dkms >/dev/null || { echo "install: no dkms (apt-get install dkms linux-headers-amd64), or NO_DKMS=1" >&2; exit 1; }
	dkms remove -m xvmm -v $(XVMM_PKG_VERSION) --all >/dev/null 2>&1 || true
	dkms add -m xvmm -v $(XVMM_PKG_VERSION)
	dkms install -m xvmm -v $(XVMM_PKG_VERSION)
	-command -v systemctl >/dev/null && systemctl daemon-reload
	@echo "installed; 'systemctl enable --now xvmm' loads it at boot (docs/install.md)"
endif

uninstall:
	-dkms remove -m xvmm -v $(XVMM_PKG_VERSION) --all
	rm -f $(DESTDIR)$(SBINDIR)/xvmm $(DESTDIR)$(SBINDIR)/xvmm-xl $(DESTDIR)$(UNITDIR)/xvmm.service $(DESTDIR)$(UNITDIR)/xvmm-guest@.service
	[ "$$(readlink $(DESTDIR)$(SBINDIR)/xl 2>/dev/null)" != xvmm ] || rm -f $(DESTDIR)$(SBINDIR)/xl
	rm -rf $(DESTDIR)$(XVMMLIBDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DKMS_SRC)
	-rmdir $(DESTDIR)/etc/xvmm/auto $(DESTDIR)/etc/xvmm 2>/dev/null
	-command -v systemctl >/dev/null && systemctl daemon-reload

# The packages, built from the tracked files in a copy of the tree.
deb:
	@command -v dpkg-buildpackage >/dev/null || { echo "deb: apt-get install debhelper dh-dkms dpkg-dev" >&2; exit 1; }
	rm -rf $(O)/deb && mkdir -p $(O)/deb/src
	git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t $(O)/deb/src 2>/dev/null || true
	sed -i '1s/(.*)/($(XVMM_PKG_VERSION))/' $(O)/deb/src/debian/changelog
	cd $(O)/deb/src && XVMM_PKG_VERSION=$(XVMM_PKG_VERSION) XVMM_VERSION=$(XVMM_VERSION) \
		dpkg-buildpackage -b -us -uc >../build.log 2>&1 || { tail -n 30 ../build.log; exit 1; }
	@ls $(O)/deb/*.deb
