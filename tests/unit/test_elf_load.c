// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the PVH ELF loader (tools/lib/elf_load.c). Images are
 * built in memory: ELF header, program headers, a note area at 0x200 and
 * segment bytes at 0x400 + 0x400 * i.
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <xen/elfnote.h>
#include <libxvmm/elf_load.h>

#define IMG_MAX		0x8000
#define NOTE_OFF	0x200
#define SEG_OFF(i)	(0x400u + 0x400u * (i))
#define RAM_SIZE	(4u << 20)

struct seg {
	uint64_t paddr, filesz, memsz;
};

struct spec {
	bool is64;
	uint16_t machine;
	uint16_t type;
	unsigned int nsegs;
	struct seg segs[20];
	unsigned int desc_size;		/* 0: no Xen note; 4 or 8 */
	uint64_t entry;
	bool note_in_section;		/* SHT_NOTE only, no PT_NOTE */
	unsigned int note_align;	/* PT_NOTE p_align / padding: 4 or 8 */
};

static uint8_t img[IMG_MAX];
static size_t img_size;
static uint8_t ram[RAM_SIZE];
static struct xvmm_err err;
static struct elf_image_info info;

/* Append one note at off; returns its padded size. */
static size_t put_note(size_t off, const char *name, uint32_t type,
		       const void *desc, uint32_t descsz, unsigned int a)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	size_t name_al = (namesz + a - 1) / a * a, desc_al = (descsz + a - 1) / a * a;

	memcpy(img + off, &namesz, 4);
	memcpy(img + off + 4, &descsz, 4);
	memcpy(img + off + 8, &type, 4);
	memcpy(img + off + 12, name, namesz);
	memcpy(img + off + 12 + name_al, desc, descsz);
	return 12 + name_al + desc_al;
}

static void build(const struct spec *s)
{
	unsigned int a = s->note_align ? s->note_align : 4;
	size_t note_len = 0, ph_n = s->nsegs + (s->note_in_section ? 0 : 1);
	uint8_t pattern;

	memset(img, 0, sizeof(img));
	/* A non-Xen note first, so the scanner has to skip one. */
	note_len += put_note(NOTE_OFF, "GNU", 3, "\x01\x02\x03\x04", 4, a);
	if (s->desc_size)
		note_len += put_note(NOTE_OFF + note_len, "Xen", XEN_ELFNOTE_PHYS32_ENTRY,
				     &s->entry, s->desc_size, a);

	for (unsigned int i = 0; i < s->nsegs; i++) {
		pattern = (uint8_t)(0x10 + i);
		if (s->segs[i].filesz <= 0x400)
			memset(img + SEG_OFF(i), pattern, s->segs[i].filesz);
	}
	img_size = SEG_OFF(s->nsegs);

	if (s->is64) {
		Elf64_Ehdr eh = { 0 };
		Elf64_Phdr ph[24];

		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS64;
		eh.e_ident[EI_DATA] = ELFDATA2LSB;
		eh.e_ident[EI_VERSION] = EV_CURRENT;
		eh.e_type = s->type ? s->type : ET_EXEC;
		eh.e_machine = s->machine;
		eh.e_version = EV_CURRENT;
		eh.e_phoff = sizeof(eh);
		eh.e_ehsize = sizeof(eh);
		eh.e_phentsize = sizeof(Elf64_Phdr);
		eh.e_phnum = (uint16_t)ph_n;
		memset(ph, 0, sizeof(ph));
		for (unsigned int i = 0; i < s->nsegs; i++) {
			ph[i].p_type = PT_LOAD;
			ph[i].p_offset = SEG_OFF(i);
			ph[i].p_vaddr = 0xffffffff80000000ull + s->segs[i].paddr;
			ph[i].p_paddr = s->segs[i].paddr;
			ph[i].p_filesz = s->segs[i].filesz;
			ph[i].p_memsz = s->segs[i].memsz;
			ph[i].p_align = 0x1000;
		}
		if (!s->note_in_section) {
			ph[s->nsegs].p_type = PT_NOTE;
			ph[s->nsegs].p_offset = NOTE_OFF;
			ph[s->nsegs].p_filesz = note_len;
			ph[s->nsegs].p_align = a;
		} else {
			Elf64_Shdr sh[2];

			memset(sh, 0, sizeof(sh));
			sh[1].sh_type = SHT_NOTE;
			sh[1].sh_offset = NOTE_OFF;
			sh[1].sh_size = note_len;
			sh[1].sh_addralign = a;
			eh.e_shoff = img_size;
			eh.e_shentsize = sizeof(Elf64_Shdr);
			eh.e_shnum = 2;
			memcpy(img + img_size, sh, sizeof(sh));
			img_size += sizeof(sh);
		}
		memcpy(img, &eh, sizeof(eh));
		memcpy(img + sizeof(eh), ph, ph_n * sizeof(ph[0]));
	} else {
		Elf32_Ehdr eh = { 0 };
		Elf32_Phdr ph[24];

		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS32;
		eh.e_ident[EI_DATA] = ELFDATA2LSB;
		eh.e_ident[EI_VERSION] = EV_CURRENT;
		eh.e_type = s->type ? s->type : ET_EXEC;
		eh.e_machine = s->machine;
		eh.e_version = EV_CURRENT;
		eh.e_phoff = sizeof(eh);
		eh.e_ehsize = sizeof(eh);
		eh.e_phentsize = sizeof(Elf32_Phdr);
		eh.e_phnum = (uint16_t)ph_n;
		memset(ph, 0, sizeof(ph));
		for (unsigned int i = 0; i < s->nsegs; i++) {
			ph[i].p_type = PT_LOAD;
			ph[i].p_offset = SEG_OFF(i);
			ph[i].p_vaddr = (uint32_t)s->segs[i].paddr;
			ph[i].p_paddr = (uint32_t)s->segs[i].paddr;
			ph[i].p_filesz = (uint32_t)s->segs[i].filesz;
			ph[i].p_memsz = (uint32_t)s->segs[i].memsz;
			ph[i].p_align = 0x1000;
		}
		if (!s->note_in_section) {
			ph[s->nsegs].p_type = PT_NOTE;
			ph[s->nsegs].p_offset = NOTE_OFF;
			ph[s->nsegs].p_filesz = (uint32_t)note_len;
			ph[s->nsegs].p_align = a;
		} else {
			Elf32_Shdr sh[2];

			memset(sh, 0, sizeof(sh));
			sh[1].sh_type = SHT_NOTE;
			sh[1].sh_offset = NOTE_OFF;
			sh[1].sh_size = (uint32_t)note_len;
			sh[1].sh_addralign = a;
			eh.e_shoff = (uint32_t)img_size;
			eh.e_shentsize = sizeof(Elf32_Shdr);
			eh.e_shnum = 2;
			memcpy(img + img_size, sh, sizeof(sh));
			img_size += sizeof(sh);
		}
		memcpy(img, &eh, sizeof(eh));
		memcpy(img + sizeof(eh), ph, ph_n * sizeof(ph[0]));
	}
}

/* Two segments, 64-bit, Linux-style 8-byte note. */
static struct spec good64(void)
{
	struct spec s = {
		.is64 = true, .machine = EM_X86_64, .nsegs = 2,
		.segs = { { 0x100000, 0x30, 0x1000 }, { 0x200000, 0x100, 0x100 } },
		.desc_size = 8, .entry = 0x100010,
	};
	return s;
}

static struct guest_mem gm(void)
{
	struct guest_mem g;

	guest_mem_init(&g, ram, RAM_SIZE, NULL, 0, 0);
	return g;
}

static int load(void)
{
	struct guest_mem g = gm();

	memset(&err, 0, sizeof(err));
	memset(ram, 0xaa, sizeof(ram));
	return elf_load(img, img_size, &g, &info, &err);
}

static void expect_reject(const struct spec *s, int code, const char *want)
{
	int rc;

	build(s);
	rc = load();
	if (rc != code || !strstr(err.msg, want))
		fail_msg("rc=%d msg='%s', expected %d '%s'", rc, err.msg, code, want);
}

static void check_segment(uint64_t paddr, uint64_t filesz, uint64_t memsz, uint8_t pattern)
{
	for (uint64_t i = 0; i < filesz; i++)
		assert_int_equal(ram[paddr + i], pattern);
	for (uint64_t i = filesz; i < memsz; i++)
		assert_int_equal(ram[paddr + i], 0);
	/* bytes around the segment untouched */
	assert_int_equal(ram[paddr - 1], 0xaa);
	assert_int_equal(ram[paddr + memsz], 0xaa);
}

static void test_load_elf64(void **state)
{
	(void)state;
	struct spec s = good64();

	build(&s);
	assert_int_equal(load(), 0);
	assert_int_equal(info.elf_class, 64);
	assert_int_equal(info.machine, EM_X86_64);
	assert_int_equal(info.pvh_entry, 0x100010);
	assert_int_equal(info.nr_segs, 2);
	assert_int_equal(info.paddr_lo, 0x100000);
	assert_int_equal(info.paddr_hi, 0x200100);
	check_segment(0x100000, 0x30, 0x1000, 0x10);
	check_segment(0x200000, 0x100, 0x100, 0x11);
}

static void test_load_elf32_x86_64_4byte_note(void **state)
{
	(void)state;
	/* XTF style: ELF32 container, EM_X86_64, one PT_LOAD at 1 MiB. */
	struct spec s = {
		.is64 = false, .machine = EM_X86_64, .nsegs = 1,
		.segs = { { 0x100000, 0x200, 0x3000 } }, .desc_size = 4, .entry = 0x100000,
	};

	build(&s);
	assert_int_equal(load(), 0);
	assert_int_equal(info.elf_class, 32);
	assert_int_equal(info.pvh_entry, 0x100000);
	check_segment(0x100000, 0x200, 0x3000, 0x10);
}

static void test_load_elf32_i386_et_dyn(void **state)
{
	(void)state;
	struct spec s = {
		.is64 = false, .machine = EM_386, .type = ET_DYN, .nsegs = 1,
		.segs = { { 0x2000, 0x10, 0x10 } }, .desc_size = 4, .entry = 0x2008,
	};

	build(&s);
	assert_int_equal(load(), 0);
	assert_int_equal(info.machine, EM_386);
	check_segment(0x2000, 0x10, 0x10, 0x10);
}

static void test_note_in_section_only(void **state)
{
	(void)state;
	struct spec s = good64();

	s.note_in_section = true;
	build(&s);
	assert_int_equal(load(), 0);
	assert_int_equal(info.pvh_entry, 0x100010);
	s.is64 = false;
	build(&s);
	assert_int_equal(load(), 0);
	assert_int_equal(info.pvh_entry, 0x100010);
}

static void test_note_align8(void **state)
{
	(void)state;
	struct spec s = good64();

	s.note_align = 8;
	build(&s);
	assert_int_equal(load(), 0);
	assert_int_equal(info.pvh_entry, 0x100010);
}

static void test_zero_memsz_segment_ignored(void **state)
{
	(void)state;
	struct spec s = good64();

	s.nsegs = 3;
	s.segs[2] = (struct seg){ 0x100000, 0, 0 };	/* empty, would "overlap" */
	build(&s);
	assert_int_equal(load(), 0);
	assert_int_equal(info.nr_segs, 2);
}

static void test_reject_header(void **state)
{
	(void)state;
	struct spec s = good64();
	struct guest_mem g = gm();

	build(&s);
	img[0] = 0x7e;
	assert_int_equal(load(), -ENOEXEC);
	assert_string_equal(err.msg, "not an ELF file (bad magic)");

	assert_int_equal(elf_load(img, 3, &g, &info, &err), -ENOEXEC);
	assert_string_equal(err.msg, "not an ELF file (bad magic)");
	assert_int_equal(elf_load(NULL, 0, &g, &info, &err), -ENOEXEC);

	build(&s);
	img[EI_CLASS] = 3;
	assert_int_equal(load(), -ENOEXEC);
	assert_string_equal(err.msg, "unknown ELF class 3 (expected 32 or 64-bit)");

	build(&s);
	img[EI_DATA] = ELFDATA2MSB;
	assert_int_equal(load(), -ENOEXEC);
	assert_string_equal(err.msg, "ELF file is not little-endian");

	build(&s);
	img[EI_VERSION] = 0;
	assert_int_equal(load(), -ENOEXEC);
	assert_string_equal(err.msg, "unknown ELF version 0");

	build(&s);
	img_size = 40;
	assert_int_equal(load(), -ENOEXEC);
	assert_string_equal(err.msg, "truncated ELF header (40 of 64 bytes)");
}

static void test_reject_machine_and_type(void **state)
{
	(void)state;
	struct spec s = good64();

	s.machine = EM_ARM;
	expect_reject(&s, -ENOEXEC, "ELF machine 40 is not x86 (EM_386 or EM_X86_64)");
	s = good64();
	s.type = ET_REL;
	expect_reject(&s, -ENOEXEC, "ELF type 1 is not an executable");
}

static void test_reject_phdrs(void **state)
{
	(void)state;
	struct spec s = good64();

	build(&s);
	((Elf64_Ehdr *)img)->e_phnum = 0;
	assert_int_equal(load(), -ENOEXEC);
	assert_string_equal(err.msg, "ELF file has no program headers");

	build(&s);
	((Elf64_Ehdr *)img)->e_phnum = 0xffff;
	assert_int_equal(load(), -E2BIG);
	assert_string_equal(err.msg, "e_phnum 65535 is above the limit 128");

	build(&s);
	((Elf64_Ehdr *)img)->e_phentsize = 40;
	assert_int_equal(load(), -ENOEXEC);
	assert_string_equal(err.msg, "e_phentsize 40 is too small (need 56)");

	build(&s);
	((Elf64_Ehdr *)img)->e_phoff = 0xfffffffffffffff0ull;
	assert_int_equal(load(), -ENOEXEC);
	assert_non_null(strstr(err.msg, "program header table [0xfffffffffffffff0, +0xa8) is past the end"));
}

static void test_reject_segments(void **state)
{
	(void)state;
	struct spec s = good64();

	s.segs[1].filesz = 0x200;
	s.segs[1].memsz = 0x100;
	expect_reject(&s, -ENOEXEC, "segment 1: p_filesz 0x200 > p_memsz 0x100");

	s = good64();
	s.segs[1].paddr = 0x100800;		/* inside segment 0's memsz */
	expect_reject(&s, -ENOEXEC,
		      "segment 1 [0x100800, 0x100900) overlaps loadable segment [0x100000, 0x101000)");

	s = good64();
	s.segs[1].paddr = 0xffffffffffffff00ull;
	s.segs[1].memsz = 0x200;
	s.segs[1].filesz = 0x10;
	expect_reject(&s, -ENOEXEC, "segment 1: [0xffffffffffffff00, +0x200) wraps around");

	s = good64();
	s.segs[1].filesz = s.segs[1].memsz = 0x100000;	/* file bytes past EOF */
	expect_reject(&s, -ENOEXEC, "segment 1: file bytes [0x800, +0x100000) run past the end of the file");

	s = good64();
	s.segs[1].paddr = RAM_SIZE - 0x80;	/* straddles the end of RAM */
	expect_reject(&s, -ERANGE, "segment [0x3fff80, 0x400080) lies outside guest RAM [0, 0x400000)");

	s = good64();
	s.nsegs = 0;
	s.desc_size = 8;
	expect_reject(&s, -ENOEXEC, "ELF file has no loadable (PT_LOAD) segment");

	s = good64();
	s.nsegs = 17;
	for (unsigned int i = 0; i < 17; i++)
		s.segs[i] = (struct seg){ 0x100000 + 0x1000 * i, 0x10, 0x10 };
	expect_reject(&s, -E2BIG, "more than 16 loadable segments");
}

static void test_reject_notes(void **state)
{
	(void)state;
	struct spec s = good64();

	s.desc_size = 0;
	expect_reject(&s, -ENOEXEC, "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel");

	s = good64();
	s.entry = 0x100000000ull;
	expect_reject(&s, -ENOEXEC, "PVH entry 0x100000000 is above 4 GiB");

	s = good64();
	s.entry = 0x300000;
	expect_reject(&s, -ENOEXEC, "PVH entry 0x300000 is not inside any loadable segment");

	s = good64();
	s.desc_size = 2;
	expect_reject(&s, -ENOEXEC, "XEN_ELFNOTE_PHYS32_ENTRY has a 2-byte value (expected 4 or 8)");

	/* Xen note's namesz made huge: runs past the PT_NOTE */
	s = good64();
	build(&s);
	memset(img + NOTE_OFF + 20, 0xff, 4);	/* the GNU note is 20 bytes */
	assert_int_equal(load(), -ENOEXEC);
	assert_non_null(strstr(err.msg, "malformed ELF note at offset 0x214 in a PT_NOTE segment"));

	/* a second, conflicting entry note */
	s = good64();
	build(&s);
	{
		Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)) + 2;
		uint64_t other = 0x100020;
		size_t extra = put_note(NOTE_OFF + ph->p_filesz, "Xen",
					XEN_ELFNOTE_PHYS32_ENTRY, &other, 8, 4);

		ph->p_filesz += extra;
	}
	assert_int_equal(load(), -ENOEXEC);
	assert_string_equal(err.msg, "conflicting XEN_ELFNOTE_PHYS32_ENTRY notes (0x100010 and 0x100020)");

	/* PT_NOTE past the end of the file */
	s = good64();
	build(&s);
	((Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)))[2].p_offset = 0x7ffffff0;
	assert_int_equal(load(), -ENOEXEC);
	assert_non_null(strstr(err.msg, "PT_NOTE 2 [0x7ffffff0, +0x"));
}

static void test_reject_sections(void **state)
{
	(void)state;
	struct spec s = good64();

	s.note_in_section = true;
	build(&s);
	((Elf64_Ehdr *)img)->e_shnum = 5000;
	assert_int_equal(load(), -E2BIG);
	assert_string_equal(err.msg, "e_shnum 5000 is above the limit 1024");

	build(&s);
	((Elf64_Ehdr *)img)->e_shoff = 0x3ff0;
	assert_int_equal(load(), -ENOEXEC);
	assert_non_null(strstr(err.msg, "section header table"));

	build(&s);
	((Elf64_Shdr *)(img + ((Elf64_Ehdr *)img)->e_shoff))[1].sh_size = 0x100000;
	assert_int_equal(load(), -ENOEXEC);
	assert_non_null(strstr(err.msg, "note section 1 [0x200, +0x100000) is past the end"));
}

/* Every truncation of a valid image is refused cleanly (no UB under ASan). */
static void test_every_truncation(void **state)
{
	(void)state;
	struct spec specs[2] = { good64(), good64() };

	specs[1].is64 = false;
	for (int k = 0; k < 2; k++) {
		build(&specs[k]);
		size_t full = img_size, need = SEG_OFF(1) + 0x100;	/* end of segment 1's bytes */

		for (size_t n = 0; n < need; n++) {
			struct guest_mem g = gm();

			assert_int_not_equal(elf_load(img, n, &g, &info, &err), 0);
			assert_true(strlen(err.msg) > 0);
		}
		assert_int_equal(elf_load(img, full, &(struct guest_mem){ ram, RAM_SIZE, NULL, 0, 0 },
					  &info, &err), 0);
	}
}

static void test_parse_only_writes_nothing(void **state)
{
	(void)state;
	struct spec s = good64();

	build(&s);
	memset(ram, 0xaa, sizeof(ram));
	assert_int_equal(elf_parse(img, img_size, &info, &err), 0);
	assert_int_equal(ram[0x100000], 0xaa);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_elf64),
		cmocka_unit_test(test_load_elf32_x86_64_4byte_note),
		cmocka_unit_test(test_load_elf32_i386_et_dyn),
		cmocka_unit_test(test_note_in_section_only),
		cmocka_unit_test(test_note_align8),
		cmocka_unit_test(test_zero_memsz_segment_ignored),
		cmocka_unit_test(test_reject_header),
		cmocka_unit_test(test_reject_machine_and_type),
		cmocka_unit_test(test_reject_phdrs),
		cmocka_unit_test(test_reject_segments),
		cmocka_unit_test(test_reject_notes),
		cmocka_unit_test(test_reject_sections),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_parse_only_writes_nothing),
	};

	return cmocka_run_group_tests_name("elf_load", tests, NULL, NULL);
}
