// SPDX-License-Identifier: GPL-2.0-only
/*
 * memtouch MIB: write one 64-bit word into every 4 KiB page of MIB MiB of
 * fresh anonymous memory (a value that depends on the page), then read
 * every one back. Fast under TCG (a word per page, not every byte) and
 * still makes the kernel back each page with a frame of its own. Runs in
 * the Linux test guest (tests/system/linux/t-linux-bigmem.sh). Prints one
 * verdict line; exit status 0 only if every page read back right.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

static uint64_t pattern(uint64_t page)
{
	return (page + 1) * 0x9e3779b97f4a7c15ull ^ 0x786d6d2d74657374ull;
}

int main(int argc, char **argv)
{
	uint64_t mib = argc > 1 ? strtoull(argv[1], NULL, 0) : 0;
	uint64_t size = mib << 20, pages = size / 4096, bad = 0;
	struct timespec t0, t1;
	uint8_t *p;

	if (!mib) {
		fprintf(stderr, "usage: memtouch MIB\n");
		return 2;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("memtouch: mmap");
		return 1;
	}
	madvise(p, size, MADV_HUGEPAGE);	/* fewer faults where the kernel has THP */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t i = 0; i < pages; i++)
		*(volatile uint64_t *)(p + i * 4096 + (i % 8) * 8) = pattern(i);
	for (uint64_t i = 0; i < pages; i++)
		if (*(volatile uint64_t *)(p + i * 4096 + (i % 8) * 8) != pattern(i)) {
			if (!bad)
				printf("memtouch: page %llu (offset %#llx) reads back wrong\n",
				       (unsigned long long)i, (unsigned long long)(i * 4096));
			bad++;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("memtouch: %llu MiB, %llu pages, %llu wrong, %.1f s\n", (unsigned long long)mib,
	       (unsigned long long)pages, (unsigned long long)bad,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (!bad)
		printf("memtouch: ok\n");
	return bad ? 1 : 0;
}
