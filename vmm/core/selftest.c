// SPDX-License-Identifier: GPL-2.0-only
/*
 * Integrity self-check: a hash of the image's text and read-only data taken
 * at init, and a canary page in the pool filled with a known pattern. If
 * dom0 could write VMM memory (it must not: docs/memory-layout.md), one of
 * them would change.
 */
#include "errno.h"
#include "lib.h"
#include "log.h"
#include "page_alloc.h"
#include "selftest.h"
#include "vmm.h"

static u64 ro_hash;
static u64 *canary;

static u64 canary_word(unsigned int i)
{
	return 0x5856cafe00000000ull ^ ((u64)i * 0x9e3779b97f4a7c15ull);
}

static u64 hash_ro(void)
{
	return hash_fnv1a(__image_start, (size_t)(__ro_end - __image_start), 0);
}

void selftest_init(void)
{
	u64 pa;

	ro_hash = hash_ro();
	canary = page_alloc(&pa);
	if (canary)
		for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
			canary[i] = canary_word(i);
}

static int check_integrity(void)
{
	if (hash_ro() != ro_hash) {
		pr_err("selftest: image text/rodata changed\n");
		return -EIO;
	}
	if (!canary)
		return -ENOMEM;
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++) {
		if (canary[i] != canary_word(i)) {
			pr_err("selftest: canary word %u changed\n", i);
			return -EIO;
		}
	}
	return 0;
}

int selftest_run(u64 which)
{
	switch (which) {
	case XVMM_SELFTEST_INTEGRITY:
		return check_integrity();
	default:
		return -EINVAL;
	}
}
