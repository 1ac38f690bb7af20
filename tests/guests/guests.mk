# SPDX-License-Identifier: GPL-2.0-only
#
# tests/guests/: freestanding PVH test guests (see tests/guests/README.md).
# Every guest is built twice from the same sources:
#   $(O)/tests/guests/<name>.elf      64-bit (entry in 32-bit, switches to long mode)
#   $(O)/tests/guests/<name>-32.elf   32-bit protected mode, paging off
# each with an xl-style <name>.cfg / <name>-32.cfg beside it; that directory
# holds only what the test machine installs (objects go to guests-obj/).
# check-elf.sh then checks every image has the PVH entry note inside a PT_LOAD.

GUESTS_OUT   := $(O)/tests/guests
GUESTS_OBJ   := $(O)/tests/guests-obj
GUEST_NAMES  := hello cpuid xen_version startinfo fault spin fuzz hcbench ioloop evtchn evscale xapic grant smp cpufuzz gntpeer crstate
GUEST_RT     := head32 traps rt printf hypercall cmdline
GUEST_CRASH_PRESERVE := fault fault-32

GUEST_ALL    := $(GUEST_NAMES) $(GUEST_NAMES:%=%-32)
GUEST_ELFS64 := $(GUEST_NAMES:%=$(GUESTS_OUT)/%.elf)
GUEST_ELFS32 := $(GUEST_NAMES:%=$(GUESTS_OUT)/%-32.elf)
GUEST_CFGS   := $(GUEST_ALL:%=$(GUESTS_OUT)/%.cfg)
GUEST_HDRS   := $(wildcard tests/guests/*.h) include/xen/elfnote.h include/xen/hvm_start_info.h
GUEST_LDS    := tests/guests/guest.ld
# Objects are rebuilt when a header or these rules (flags) change.
GUEST_DEPS   := $(GUEST_HDRS) tests/guests/guests.mk

GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-main \
                -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie \
                -fno-stack-protector -fno-asynchronous-unwind-tables \
                -fno-tree-loop-distribute-patterns -fcf-protection=none \
                -mgeneral-regs-only -Wa,--fatal-warnings -Iinclude -Itests/guests
GUEST_CFLAGS64 := $(GUEST_CFLAGS) -m64 -mno-red-zone -mcmodel=small
GUEST_CFLAGS32 := $(GUEST_CFLAGS) -m32 -march=i686
GUEST_LDFLAGS  := -nostdlib -static -no-pie -Wl,-T,$(GUEST_LDS) -Wl,--build-id=none \
                  -Wl,--no-warn-rwx-segments -Wl,--fatal-warnings

# Objects: runtime ones shared by all guests of one width; a guest's own
# object carries its name (GUEST_NAME). Both builds print the same name in
# their output (the banner says which width); only the file and domain
# names differ ("hello-32").
$(GUESTS_OBJ)/64/%.o: tests/guests/%.c $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(GUEST_CFLAGS64) -DGUEST_NAME='"$*"' -c -o $@ $<

$(GUESTS_OBJ)/32/%.o: tests/guests/%.c $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(GUEST_CFLAGS32) -DGUEST_NAME='"$*"' -c -o $@ $<

$(GUESTS_OBJ)/64/%.o: tests/guests/%.S $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	@$(CC) $(GUEST_CFLAGS64) -D__ASSEMBLY__ -c -o $@ $<

$(GUESTS_OBJ)/32/%.o: tests/guests/%.S $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	@$(CC) $(GUEST_CFLAGS32) -D__ASSEMBLY__ -c -o $@ $<

$(GUEST_ELFS64): $(GUESTS_OUT)/%.elf: $(GUESTS_OBJ)/64/%.o \
		$(GUEST_RT:%=$(GUESTS_OBJ)/64/%.o) $(GUEST_LDS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) -m64 $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(GUEST_ELFS32): $(GUESTS_OUT)/%-32.elf: $(GUESTS_OBJ)/32/%.o \
		$(GUEST_RT:%=$(GUESTS_OBJ)/32/%.o) $(GUEST_LDS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) -m32 $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(GUEST_CFGS): $(GUESTS_OUT)/%.cfg: tests/guests/guest.cfg.in tests/guests/guests.mk
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@sed -e 's|@NAME@|$*|g' \
	     -e 's|@ON_CRASH@|$(if $(filter $*,$(GUEST_CRASH_PRESERVE)),preserve,destroy)|g' $< >$@

$(GUESTS_OBJ)/check-elf.stamp: tests/guests/check-elf.sh $(GUEST_ELFS64) $(GUEST_ELFS32)
	@echo "  CHECK   $(GUESTS_OUT)/*.elf"
	@tests/guests/check-elf.sh $(GUEST_ELFS64) $(GUEST_ELFS32)
	@touch $@

guests: $(GUEST_ELFS64) $(GUEST_ELFS32) $(GUEST_CFGS) $(GUESTS_OBJ)/check-elf.stamp
