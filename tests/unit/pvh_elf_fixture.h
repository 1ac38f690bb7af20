/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal ELF64 PVH kernel for the toolstack's unit tests: the ELF
 * header, one PT_LOAD of filesz bytes of HLT at file offset 0x1000 loaded
 * at paddr (memsz bytes in memory), and a PT_NOTE with a 4-byte
 * XEN_ELFNOTE_PHYS32_ENTRY = paddr + 0x40. Returns the file size; k must
 * hold 0x1000 + filesz bytes.
 */
#ifndef TEST_PVH_ELF_FIXTURE_H
#define TEST_PVH_ELF_FIXTURE_H

#include <elf.h>
#include <stdint.h>
#include <string.h>
#include <xen/elfnote.h>

static inline size_t make_pvh_elf64(uint8_t *k, uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph[2];
	uint32_t note[3] = { 4, 4, XEN_ELFNOTE_PHYS32_ENTRY };
	uint32_t entry = (uint32_t)(paddr + 0x40);

	memset(k, 0, 0x1000 + filesz);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 2;
	memset(ph, 0, sizeof(ph));
	ph[0].p_type = PT_LOAD;
	ph[0].p_offset = 0x1000;
	ph[0].p_paddr = paddr;
	ph[0].p_filesz = filesz;
	ph[0].p_memsz = memsz;
	ph[1].p_type = PT_NOTE;
	ph[1].p_offset = 0x200;
	ph[1].p_filesz = 20;
	memcpy(k, &eh, sizeof(eh));
	memcpy(k + sizeof(eh), ph, sizeof(ph));
	memcpy(k + 0x200, note, sizeof(note));
	memcpy(k + 0x20c, "Xen", 4);
	memcpy(k + 0x210, &entry, 4);
	memset(k + 0x1000, 0xf4, filesz);	/* hlt */
	return 0x1000 + filesz;
}

#endif
