// SPDX-License-Identifier: GPL-2.0-only
/*
 * pattern SEED MIB: write MIB MiB of a pseudo-random stream (xorshift64*
 * from SEED) to stdout. The same arguments give the same bytes on every
 * machine, so the two ends of a transfer can each hash the stream without
 * storing it: the test guests have less memory than the 256 MiB the
 * network test sends each way, and /dev/urandom is slow under emulation.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_all(const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(1, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint64_t buf[(1u << 20) / sizeof(uint64_t)];
	char *end;
	uint64_t x, mib;

	if (argc != 3)
		goto usage;
	x = strtoull(argv[1], &end, 0);
	if (*end || !*argv[1])
		goto usage;
	mib = strtoull(argv[2], &end, 0);
	if (*end || !*argv[2] || mib > (1u << 20))
		goto usage;
	x = x * 2 + 1;			/* never the all-zero state */
	for (uint64_t m = 0; m < mib; m++) {
		for (size_t i = 0; i < sizeof(buf) / sizeof(buf[0]); i++) {
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			buf[i] = x * 0x2545F4914F6CDD1Dull;
		}
		if (write_all(buf, sizeof(buf))) {
			fprintf(stderr, "pattern: write: %s\n", strerror(errno));
			return 1;
		}
	}
	return 0;
usage:
	fprintf(stderr, "usage: pattern SEED MIB (MIB at most 1048576)\n");
	return 2;
}
