// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF loader for PVH kernels. The input is untrusted (and fuzzed): every
 * offset, size and count is checked before use, all arithmetic is done in
 * uint64_t with explicit overflow checks, and fields are read byte-wise
 * (no casts of file bytes to structs, so no alignment or aliasing issues).
 *
 * Rules followed: ELF gABI (headers, PT_LOAD, PT_NOTE, note layout) and
 * Xen docs/misc/pvh.pandoc: the entry point is the XEN_ELFNOTE_PHYS32_ENTRY
 * note, the kernel is loaded by physical address.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <xen/elfnote.h>
#include <libxvmm/elf_load.h>

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

/* [off, off + len) inside a file of size bytes, without overflow. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* Round up to a power-of-two alignment; false on overflow. */
static bool align_up(uint64_t v, uint64_t a, uint64_t *out)
{
	if (v > UINT64_MAX - (a - 1))
		return false;
	*out = (v + a - 1) & ~(a - 1);
	return true;
}

struct elf_ctx {
	const uint8_t *file;
	uint64_t size;
	bool is64;
	bool have_entry;
	uint32_t entry;
};

/* The fields of one program header, in a class-independent form. */
struct phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz, align;
};

static void read_phdr(const struct elf_ctx *c, const uint8_t *p, struct phdr *ph)
{
	ph->type = rd32(p);
	if (c->is64) {			/* Elf64_Phdr */
		ph->offset = rd64(p + 8);
		ph->paddr = rd64(p + 24);
		ph->filesz = rd64(p + 32);
		ph->memsz = rd64(p + 40);
		ph->align = rd64(p + 48);
	} else {			/* Elf32_Phdr */
		ph->offset = rd32(p + 4);
		ph->paddr = rd32(p + 12);
		ph->filesz = rd32(p + 16);
		ph->memsz = rd32(p + 20);
		ph->align = rd32(p + 28);
	}
}

/*
 * Walk the notes in [off, off + len). Header words are 4 bytes in both
 * classes; name and descriptor are padded to the container's alignment
 * (4, or 8 for 8-aligned note segments, as binutils reads them).
 */
static int scan_notes(struct elf_ctx *c, uint64_t off, uint64_t len,
		      uint64_t align, const char *where, struct xvmm_err *err)
{
	uint64_t pos = 0, a = align == 8 ? 8 : 4;

	while (len - pos >= 12) {
		const uint8_t *n = c->file + off + pos;
		uint64_t namesz = rd32(n), descsz = rd32(n + 4);
		uint32_t type = rd32(n + 8);
		uint64_t name_al, desc_al, desc_off;
		const uint8_t *name, *desc;

		if (!align_up(namesz, a, &name_al) || !align_up(descsz, a, &desc_al) ||
		    name_al > len - pos - 12 || desc_al > len - pos - 12 - name_al)
			return xvmm_err_set(err, -ENOEXEC,
					    "malformed ELF note at offset %#" PRIx64 " in %s: "
					    "name/descriptor run past its end",
					    off + pos, where);
		name = n + 12;
		desc_off = 12 + name_al;
		desc = n + desc_off;
		pos += desc_off + desc_al;

		if (!((namesz == 4 && memcmp(name, "Xen", 4) == 0) ||
		      (namesz == 3 && memcmp(name, "Xen", 3) == 0)))
			continue;
		if (type != XEN_ELFNOTE_PHYS32_ENTRY)
			continue;

		uint64_t v;
		if (descsz == 4)
			v = rd32(desc);
		else if (descsz == 8)
			v = rd64(desc);
		else
			return xvmm_err_set(err, -ENOEXEC,
					    "XEN_ELFNOTE_PHYS32_ENTRY has a %" PRIu64
					    "-byte value (expected 4 or 8)", descsz);
		if (v > UINT32_MAX)
			return xvmm_err_set(err, -ENOEXEC,
					    "PVH entry %#" PRIx64 " is above 4 GiB", v);
		if (c->have_entry && c->entry != (uint32_t)v)
			return xvmm_err_set(err, -ENOEXEC,
					    "conflicting XEN_ELFNOTE_PHYS32_ENTRY notes (%#x and %#" PRIx64 ")",
					    c->entry, v);
		c->have_entry = true;
		c->entry = (uint32_t)v;
	}
	return 0;
}

/* Fall-back: SHT_NOTE sections, for images whose notes are not in PT_NOTE. */
static int scan_note_sections(struct elf_ctx *c, struct xvmm_err *err)
{
	const uint8_t *f = c->file;
	uint64_t shoff = c->is64 ? rd64(f + 40) : rd32(f + 32);
	uint64_t shentsize = rd16(f + (c->is64 ? 58 : 46));
	uint64_t shnum = rd16(f + (c->is64 ? 60 : 48));
	uint64_t min_ent = c->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);

	if (shoff == 0 || shnum == 0)
		return 0;
	if (shentsize < min_ent)
		return xvmm_err_set(err, -ENOEXEC, "e_shentsize %" PRIu64 " is too small (need %" PRIu64 ")",
				    shentsize, min_ent);
	if (shnum > ELF_LOAD_MAX_SHDRS)
		return xvmm_err_set(err, -E2BIG, "e_shnum %" PRIu64 " is above the limit %u",
				    shnum, ELF_LOAD_MAX_SHDRS);
	if (!in_file(shoff, shnum * shentsize, c->size))
		return xvmm_err_set(err, -ENOEXEC,
				    "section header table [%#" PRIx64 ", +%#" PRIx64 ") is past the end of the file",
				    shoff, shnum * shentsize);

	for (uint64_t i = 0; i < shnum; i++) {
		const uint8_t *s = f + shoff + i * shentsize;
		uint32_t type = rd32(s + 4);
		uint64_t off, sz, align;
		int rc;

		if (type != SHT_NOTE)
			continue;
		if (c->is64) {
			off = rd64(s + 24);
			sz = rd64(s + 32);
			align = rd64(s + 48);
		} else {
			off = rd32(s + 16);
			sz = rd32(s + 20);
			align = rd32(s + 32);
		}
		if (!in_file(off, sz, c->size))
			return xvmm_err_set(err, -ENOEXEC,
					    "note section %" PRIu64 " [%#" PRIx64 ", +%#" PRIx64 ") is past the end of the file",
					    i, off, sz);
		rc = scan_notes(c, off, sz, align, "a note section", err);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_ident(const uint8_t *f, uint64_t size, struct elf_image_info *info,
		       struct xvmm_err *err)
{
	uint16_t type, machine;
	uint64_t hdr;

	if (size < EI_NIDENT || memcmp(f, ELFMAG, SELFMAG) != 0)
		return xvmm_err_set(err, -ENOEXEC, "not an ELF file (bad magic)");
	if (f[EI_CLASS] == ELFCLASS32)
		info->elf_class = 32, hdr = sizeof(Elf32_Ehdr);
	else if (f[EI_CLASS] == ELFCLASS64)
		info->elf_class = 64, hdr = sizeof(Elf64_Ehdr);
	else
		return xvmm_err_set(err, -ENOEXEC, "unknown ELF class %u (expected 32 or 64-bit)",
				    f[EI_CLASS]);
	if (f[EI_DATA] != ELFDATA2LSB)
		return xvmm_err_set(err, -ENOEXEC, "ELF file is not little-endian");
	if (f[EI_VERSION] != EV_CURRENT)
		return xvmm_err_set(err, -ENOEXEC, "unknown ELF version %u", f[EI_VERSION]);
	if (size < hdr)
		return xvmm_err_set(err, -ENOEXEC, "truncated ELF header (%" PRIu64 " of %" PRIu64 " bytes)",
				    size, hdr);
	type = rd16(f + 16);
	machine = rd16(f + 18);
	if (type != ET_EXEC && type != ET_DYN)
		return xvmm_err_set(err, -ENOEXEC, "ELF type %u is not an executable", type);
	if (machine != EM_386 && machine != EM_X86_64)
		return xvmm_err_set(err, -ENOEXEC,
				    "ELF machine %u is not x86 (EM_386 or EM_X86_64)", machine);
	info->machine = machine;
	return 0;
}

static int add_load_segment(struct elf_image_info *info, const struct phdr *ph,
			    uint64_t idx, uint64_t size, struct xvmm_err *err)
{
	struct elf_segment *s;

	if (ph->memsz == 0)
		return 0;
	if (ph->filesz > ph->memsz)
		return xvmm_err_set(err, -ENOEXEC,
				    "segment %" PRIu64 ": p_filesz %#" PRIx64 " > p_memsz %#" PRIx64,
				    idx, ph->filesz, ph->memsz);
	if (!in_file(ph->offset, ph->filesz, size))
		return xvmm_err_set(err, -ENOEXEC,
				    "segment %" PRIu64 ": file bytes [%#" PRIx64 ", +%#" PRIx64
				    ") run past the end of the file (%#" PRIx64 " bytes): truncated?",
				    idx, ph->offset, ph->filesz, size);
	if (ph->memsz > UINT64_MAX - ph->paddr)
		return xvmm_err_set(err, -ENOEXEC,
				    "segment %" PRIu64 ": [%#" PRIx64 ", +%#" PRIx64 ") wraps around",
				    idx, ph->paddr, ph->memsz);
	if (info->nr_segs >= ELF_LOAD_MAX_SEGS)
		return xvmm_err_set(err, -E2BIG, "more than %u loadable segments",
				    ELF_LOAD_MAX_SEGS);
	for (unsigned int i = 0; i < info->nr_segs; i++) {
		const struct elf_segment *o = &info->segs[i];

		if (ph->paddr < o->paddr + o->memsz && o->paddr < ph->paddr + ph->memsz)
			return xvmm_err_set(err, -ENOEXEC,
					    "segment %" PRIu64 " [%#" PRIx64 ", %#" PRIx64
					    ") overlaps loadable segment [%#" PRIx64 ", %#" PRIx64 ")",
					    idx, ph->paddr, ph->paddr + ph->memsz,
					    o->paddr, o->paddr + o->memsz);
	}
	s = &info->segs[info->nr_segs++];
	s->paddr = ph->paddr;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->memsz = ph->memsz;
	if (info->nr_segs == 1 || s->paddr < info->paddr_lo)
		info->paddr_lo = s->paddr;
	if (info->nr_segs == 1 || s->paddr + s->memsz > info->paddr_hi)
		info->paddr_hi = s->paddr + s->memsz;
	return 0;
}

int elf_parse(const void *file, size_t size, struct elf_image_info *info,
	      struct xvmm_err *err)
{
	struct elf_ctx c = { .file = file, .size = size };
	const uint8_t *f = file;
	uint64_t phoff, phentsize, phnum, min_ent;
	bool entry_in_seg = false;
	int rc;

	memset(info, 0, sizeof(*info));
	if (!file)
		return xvmm_err_set(err, -ENOEXEC, "no kernel image");
	rc = check_ident(f, size, info, err);
	if (rc)
		return rc;
	c.is64 = info->elf_class == 64;

	phoff = c.is64 ? rd64(f + 32) : rd32(f + 28);
	phentsize = rd16(f + (c.is64 ? 54 : 42));
	phnum = rd16(f + (c.is64 ? 56 : 44));
	min_ent = c.is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (phnum == 0)
		return xvmm_err_set(err, -ENOEXEC, "ELF file has no program headers");
	if (phnum > ELF_LOAD_MAX_PHDRS)
		return xvmm_err_set(err, -E2BIG, "e_phnum %" PRIu64 " is above the limit %u",
				    phnum, ELF_LOAD_MAX_PHDRS);
	if (phentsize < min_ent)
		return xvmm_err_set(err, -ENOEXEC, "e_phentsize %" PRIu64 " is too small (need %" PRIu64 ")",
				    phentsize, min_ent);
	if (!in_file(phoff, phnum * phentsize, size))
		return xvmm_err_set(err, -ENOEXEC,
				    "program header table [%#" PRIx64 ", +%#" PRIx64
				    ") is past the end of the file: truncated?",
				    phoff, phnum * phentsize);

	for (uint64_t i = 0; i < phnum; i++) {
		struct phdr ph;

		read_phdr(&c, f + phoff + i * phentsize, &ph);
		if (ph.type == PT_LOAD) {
			rc = add_load_segment(info, &ph, i, size, err);
		} else if (ph.type == PT_NOTE) {
			if (!in_file(ph.offset, ph.filesz, size))
				return xvmm_err_set(err, -ENOEXEC,
						    "PT_NOTE %" PRIu64 " [%#" PRIx64 ", +%#" PRIx64
						    ") is past the end of the file: truncated?",
						    i, ph.offset, ph.filesz);
			rc = scan_notes(&c, ph.offset, ph.filesz, ph.align, "a PT_NOTE segment", err);
		}
		if (rc)
			return rc;
	}
	if (info->nr_segs == 0)
		return xvmm_err_set(err, -ENOEXEC, "ELF file has no loadable (PT_LOAD) segment");

	if (!c.have_entry) {
		rc = scan_note_sections(&c, err);
		if (rc)
			return rc;
	}
	if (!c.have_entry)
		return xvmm_err_set(err, -ENOEXEC,
				    "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel "
				    "(Linux needs CONFIG_XEN_PVH=y; use the uncompressed vmlinux)");
	for (unsigned int i = 0; i < info->nr_segs; i++)
		if (c.entry >= info->segs[i].paddr &&
		    c.entry - info->segs[i].paddr < info->segs[i].memsz)
			entry_in_seg = true;
	if (!entry_in_seg)
		return xvmm_err_set(err, -ENOEXEC,
				    "PVH entry %#x is not inside any loadable segment", c.entry);
	info->pvh_entry = c.entry;
	return 0;
}

int elf_load(const void *file, size_t size, const struct guest_mem *gm,
	     struct elf_image_info *info, struct xvmm_err *err)
{
	const uint8_t *f = file;
	int rc = elf_parse(file, size, info, err);

	if (rc)
		return rc;
	for (unsigned int i = 0; i < info->nr_segs; i++) {
		const struct elf_segment *s = &info->segs[i];

		if (!guest_mem_in_ram(gm, s->paddr, s->memsz))
			return xvmm_err_set(err, -ERANGE,
					    "segment [%#" PRIx64 ", %#" PRIx64
					    ") lies outside guest RAM [0, %#" PRIx64 ")",
					    s->paddr, s->paddr + s->memsz, gm->ram_size);
	}
	for (unsigned int i = 0; i < info->nr_segs; i++) {
		const struct elf_segment *s = &info->segs[i];

		rc = guest_mem_write(gm, s->paddr, f + s->offset, s->filesz, err);
		if (!rc)
			rc = guest_mem_zero(gm, s->paddr + s->filesz, s->memsz - s->filesz, err);
		if (rc)
			return rc;
	}
	return 0;
}
