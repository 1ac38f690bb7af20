// SPDX-License-Identifier: GPL-2.0-only
/*
 * Integrity self-check: a hash of the image's text and read-only data taken
 * at init, and a canary page in the pool filled with a known pattern. If
 * dom0 could write VMM memory (it must not: docs/memory-layout.md), one of
 * them would change.
 */
#include "errno.h"
#include "fpu.h"
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

/* Without its canary page the integrity check could never pass: init fails instead. */
int selftest_init(void)
{
	u64 pa;

	ro_hash = hash_ro();
	canary = page_alloc(&pa);
	if (!canary)
		return -ENOMEM;
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
		canary[i] = canary_word(i);
	return 0;
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

/* An exception on guest-chosen state goes to the exception table, not FATAL. */
static int check_extable(void)
{
	u64 pa_a, pa_b;
	void *a = page_alloc(&pa_a), *b = page_alloc(&pa_b);
	int err = -ENOMEM;

	if (a && b)
		err = fpu_selftest_refused_image(a, b);
	if (a)
		page_free(pa_a);
	if (b)
		page_free(pa_b);
	if (err == -EIO)
		pr_err("selftest: a refused FPU image was not caught\n");
	return err;
}

int selftest_run(u64 which)
{
	switch (which) {
	case XVMM_SELFTEST_INTEGRITY:
		return check_integrity();
	case XVMM_SELFTEST_EXTABLE:
		return check_extable();
	default:
		return -EINVAL;
	}
}
