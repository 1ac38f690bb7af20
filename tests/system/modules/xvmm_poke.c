// SPDX-License-Identifier: GPL-2.0-only
/*
 * xvmm_poke: a dom0 kernel module that attacks the VMM's memory. Given the
 * physical chunks of VMM memory (`xvmm meminfo`), it reads every byte
 * looking for the VMM's canary words, then overwrites every byte. The VMM
 * must not be readable (no canary seen) and must be unchanged afterwards
 * (`xvmm selftest integrity`). Loading fails with -EIO if a canary is seen.
 */
#include <linux/io.h>
#include <linux/module.h>

static unsigned long chunks[128];
static int nr_chunks;
module_param_array(chunks, ulong, &nr_chunks, 0444);
MODULE_PARM_DESC(chunks, "physical addresses of 2 MiB chunks of VMM memory");

#define CHUNK		(2ul << 20)
#define CANARY_HI	0x5856cafe00000000ull	/* vmm/core/selftest.c, word 0 */

static int __init poke_init(void)
{
	unsigned long seen = 0, bytes = 0;
	int i;

	for (i = 0; i < nr_chunks; i++) {
		u64 *p = memremap(chunks[i], CHUNK, MEMREMAP_WB);
		size_t j;

		if (!p) {
			pr_err("xvmm_poke: cannot map %#lx\n", chunks[i]);
			return -EINVAL;
		}
		for (j = 0; j < CHUNK / 8; j++)
			if (READ_ONCE(p[j]) == CANARY_HI)
				seen++;
		for (j = 0; j < CHUNK / 8; j++)
			WRITE_ONCE(p[j], 0xdeadbeefdeadbeefull);
		bytes += CHUNK;
		memunmap(p);
	}
	pr_info("xvmm_poke: read and overwrote %lu bytes in %d chunks; canary seen %lu times\n",
		bytes, nr_chunks, seen);
	return seen ? -EIO : 0;
}

static void __exit poke_exit(void)
{
}

module_init(poke_init);
module_exit(poke_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xvmm test: dom0 reads and writes VMM memory");
