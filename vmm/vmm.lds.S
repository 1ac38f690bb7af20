/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Layout of the VMM image (include/xvmm/image.h): linked at 0, position
 * independent; the header comes first and its fields are filled here so
 * that they need no relocation.
 */
#include <xvmm/image.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(xvmm_launch_entry)

SECTIONS
{
	. = 0;
	__image_start = .;
	.header : {
		LONG(XVMM_IMAGE_MAGIC)
		LONG(XVMM_IMAGE_FORMAT)
		QUAD(__image_file_end)
		QUAD(__image_end)
		QUAD(xvmm_init_entry)
		QUAD(xvmm_launch_entry)
		QUAD(__rela_start)
		QUAD(__rela_end)
		QUAD(xvmm_boot_info)
		QUAD(xvmm_version)
	}
	.text : {
		*(.text .text.*)
	}
	. = ALIGN(4096);
	__text_end = .;

	.rodata : {
		*(.rodata .rodata.*)
		*(.data.rel.ro .data.rel.ro.*)
		/* extable.h: instructions on guest state that may fault. */
		. = ALIGN(8);
		__extable_start = .;
		*(__ex_table)
		__extable_end = .;
	}
	.rela.dyn : {
		__rela_start = .;
		*(.rela.dyn) *(.rela.*)
		__rela_end = .;
	}
	.dynamic : { *(.dynamic) }
	.dynsym : { *(.dynsym) }
	.dynstr : { *(.dynstr) }
	.hash : { *(.hash) }
	.gnu.hash : { *(.gnu.hash) }
	. = ALIGN(4096);
	__ro_end = .;

	.data : {
		*(.data .data.*)
		*(.got .got.*)
		/* Padding inside the section, so the flat binary is file_size long. */
		. = ALIGN(4096);
	}
	__image_file_end = .;

	.bss : {
		*(.bss .bss.*)
		*(COMMON)
	}
	. = ALIGN(4096);
	__image_end = .;

	/DISCARD/ : {
		*(.comment) *(.note*) *(.eh_frame*) *(.interp)
	}
}
