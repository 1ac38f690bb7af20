// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the bzImage unpacker on arbitrary bytes. Inputs that
 * look like a setup header get a valid one, so the fuzzer spends its time
 * on payload offsets and the xz/gzip streams rather than on the magic.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxvmm/bzimage.h>

#define MAX_OUT	(8u << 20)	/* a small cap keeps decompression bombs quick */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size)
{
	struct xvmm_err err;
	void *out = NULL;
	size_t n = 0;
	bool alloc = false;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = bzimage_kernel_elf(data, size, MAX_OUT, &out, &n, &alloc, &err);
	if (rc) {
		if (!err.msg[0] || out || alloc || rc >= 0)
			abort();	/* every rejection has a message and no buffer */
		return;
	}
	if (!bzimage_is_elf(out, n) || n > (alloc ? MAX_OUT : size))
		abort();
	if (!alloc && out != data)
		abort();
	if (alloc)
		free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	check(data, size);
	/* The same bytes behind a well-formed header (setup_sects 1, v2.15). */
	if (size < 8)
		return 0;
	copy = calloc(1, 1024 + size);
	if (!copy)
		return 0;
	copy[BZIMAGE_SETUP_SECTS] = 1;
	memcpy(copy + BZIMAGE_HDR_MAGIC_OFF, "HdrS", 4);
	copy[BZIMAGE_VERSION] = 0x0f;
	copy[BZIMAGE_VERSION + 1] = 0x02;
	memcpy(copy + BZIMAGE_PAYLOAD_OFFSET, data, 8);	/* offset and length from the input */
	memcpy(copy + 1024, data + 8, size - 8);
	check(copy, 1024 + size - 8);
	free(copy);
	return 0;
}
