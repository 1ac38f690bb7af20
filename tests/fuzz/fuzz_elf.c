// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer harness: the PVH ELF loader on arbitrary bytes, 2 MiB of RAM. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxvmm/elf_load.h>

#define RAM_SIZE (2u << 20)

static uint8_t ram[RAM_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image_info info;
	struct guest_mem gm;
	struct xvmm_err err;
	bool in_seg = false;
	int rc;

	memset(&err, 0, sizeof(err));
	guest_mem_init(&gm, ram, RAM_SIZE, NULL, 0, 0);
	rc = elf_load(data, size, &gm, &info, &err);
	if (rc != 0) {
		if (!err.msg[0])
			abort();	/* every rejection has a message */
		return 0;
	}
	/* What a successful load promises. */
	if (info.nr_segs < 1 || info.nr_segs > ELF_LOAD_MAX_SEGS)
		abort();
	for (unsigned int i = 0; i < info.nr_segs; i++) {
		const struct elf_segment *s = &info.segs[i];

		if (s->filesz > s->memsz || s->paddr + s->memsz > RAM_SIZE ||
		    s->offset + s->filesz > size)
			abort();
		if (info.pvh_entry >= s->paddr && info.pvh_entry < s->paddr + s->memsz)
			in_seg = true;
	}
	if (!in_seg)
		abort();
	return 0;
}
