// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/lib/bzimage.c: synthetic bzImages built here (a
 * fake setup header + an xz or gzip stream made with liblzma / zlib),
 * every rejection, the output cap, and Debian's real vmlinuz when the
 * kernel cache (scripts/deps.sh: build/kernel/vmlinuz) is there.
 */
#include <errno.h>
#include <lzma.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cmocka.h>

#include <libxvmm/bzimage.h>

#define SETUP_SECTS	1			/* protected-mode code at 1024 */
#define PM_START	((SETUP_SECTS + 1) * 512)
#define PAYLOAD_REL	0x40			/* payload_offset */

static struct xvmm_err err;

static void put_le(uint8_t *p, uint32_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A fake ELF "vmlinux": the magic, then a recognisable pattern. */
static uint8_t *fake_elf(size_t len)
{
	uint8_t *e = malloc(len);

	assert_non_null(e);
	for (size_t i = 0; i < len; i++)
		e[i] = (uint8_t)(i * 7 + 3);
	memcpy(e, "\177ELF", 4);
	return e;
}

static uint8_t *xz(const uint8_t *in, size_t len, size_t *out_len)
{
	size_t cap = len + len / 2 + 1024, pos = 0;
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len,
						 out, &pos, cap), LZMA_OK);
	*out_len = pos;
	return out;
}

static uint8_t *gz(const uint8_t *in, size_t len, size_t *out_len)
{
	size_t cap = len + len / 2 + 1024;
	uint8_t *out = malloc(cap);
	z_stream z;

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* Setup header + payload + the 4-byte size the kernel build appends. */
static uint8_t *make_bz(const uint8_t *payload, size_t plen, uint16_t version, size_t *len)
{
	size_t total = PM_START + PAYLOAD_REL + plen + 4;
	uint8_t *b = calloc(1, total);

	assert_non_null(b);
	b[BZIMAGE_SETUP_SECTS] = SETUP_SECTS;
	memcpy(b + BZIMAGE_HDR_MAGIC_OFF, "HdrS", 4);
	put_le(b + BZIMAGE_VERSION, version, 2);
	put_le(b + BZIMAGE_PAYLOAD_OFFSET, PAYLOAD_REL, 4);
	put_le(b + BZIMAGE_PAYLOAD_LENGTH, (uint32_t)plen + 4, 4);
	memcpy(b + PM_START + PAYLOAD_REL, payload, plen);
	*len = total;
	return b;
}

static int unpack(const uint8_t *b, size_t len, size_t max, void **out, size_t *out_len,
		  bool *alloc)
{
	memset(&err, 0, sizeof(err));
	return bzimage_kernel_elf(b, len, max, out, out_len, alloc, &err);
}

static void test_elf_passthrough(void **state)
{
	uint8_t *e = fake_elf(4096);
	void *out;
	size_t n;
	bool a;

	(void)state;
	assert_int_equal(unpack(e, 4096, 0, &out, &n, &a), 0);
	assert_ptr_equal(out, e);
	assert_int_equal(n, 4096);
	assert_false(a);
	free(e);
}

static void roundtrip(uint8_t *(*compress)(const uint8_t *, size_t, size_t *))
{
	size_t elen = 300000, clen, blen, n;
	uint8_t *e = fake_elf(elen), *c = compress(e, elen, &clen);
	uint8_t *b = make_bz(c, clen, 0x020f, &blen);
	void *out;
	bool a;

	assert_int_equal(unpack(b, blen, 0, &out, &n, &a), 0);
	assert_true(a);
	assert_int_equal(n, elen);
	assert_memory_equal(out, e, elen);
	free(out);
	free(e);
	free(c);
	free(b);
}

static void test_xz(void **state)
{
	(void)state;
	roundtrip(xz);
}

static void test_gzip(void **state)
{
	(void)state;
	roundtrip(gz);
}

/* Compress, wrap, corrupt with fn, expect rc and a message containing want. */
static void expect_reject(void (*fn)(uint8_t *b, size_t *len, size_t clen), size_t max,
			  int rc, const char *want)
{
	size_t elen = 100000, clen, blen, n;
	uint8_t *e = fake_elf(elen), *c = xz(e, elen, &clen);
	uint8_t *b = make_bz(c, clen, 0x020f, &blen);
	void *out = (void *)1;
	bool a = true;

	if (fn)
		fn(b, &blen, clen);
	assert_int_equal(unpack(b, blen, max, &out, &n, &a), rc);
	assert_null(out);
	assert_false(a);
	if (!strstr(err.msg, want))
		fail_msg("message '%s' lacks '%s'", err.msg, want);
	free(e);
	free(c);
	free(b);
}

static void truncate_stream(uint8_t *b, size_t *len, size_t clen)
{
	/* Keep the header consistent with a payload cut in half. */
	put_le(b + BZIMAGE_PAYLOAD_LENGTH, (uint32_t)(clen / 2), 4);
	*len = PM_START + PAYLOAD_REL + clen / 2;
}

static void payload_past_end(uint8_t *b, size_t *len, size_t clen)
{
	(void)len;
	put_le(b + BZIMAGE_PAYLOAD_LENGTH, (uint32_t)clen + 5, 4);
}

static void payload_offset_huge(uint8_t *b, size_t *len, size_t clen)
{
	(void)len;
	(void)clen;
	put_le(b + BZIMAGE_PAYLOAD_OFFSET, 0xfffffff0u, 4);
	put_le(b + BZIMAGE_PAYLOAD_LENGTH, 0x20, 4);
}

static void old_protocol(uint8_t *b, size_t *len, size_t clen)
{
	(void)len;
	(void)clen;
	put_le(b + BZIMAGE_VERSION, 0x0207, 2);
}

static void zstd_magic(uint8_t *b, size_t *len, size_t clen)
{
	static const uint8_t m[4] = { 0x28, 0xb5, 0x2f, 0xfd };

	(void)len;
	(void)clen;
	memcpy(b + PM_START + PAYLOAD_REL, m, 4);
}

static void unknown_magic(uint8_t *b, size_t *len, size_t clen)
{
	(void)len;
	(void)clen;
	memset(b + PM_START + PAYLOAD_REL, 0x11, 6);
}

static void corrupt_middle(uint8_t *b, size_t *len, size_t clen)
{
	(void)len;
	for (size_t i = clen / 3; i < clen / 3 + 16; i++)
		b[PM_START + PAYLOAD_REL + i] ^= 0x5a;
}

static void no_magic(uint8_t *b, size_t *len, size_t clen)
{
	(void)len;
	(void)clen;
	memset(b + BZIMAGE_HDR_MAGIC_OFF, 0, 4);
}

static void test_rejects(void **state)
{
	(void)state;
	expect_reject(truncate_stream, 0, -ENOEXEC, "corrupt or truncated");
	expect_reject(payload_past_end, 0, -ENOEXEC, "outside");
	expect_reject(payload_offset_huge, 0, -ENOEXEC, "outside");
	expect_reject(old_protocol, 0, -EOPNOTSUPP, "2.08");
	expect_reject(zstd_magic, 0, -EOPNOTSUPP, "zstd: unsupported compression");
	expect_reject(unknown_magic, 0, -EOPNOTSUPP, "unknown compression");
	expect_reject(corrupt_middle, 0, -ENOEXEC, "corrupt");
	expect_reject(no_magic, 0, -ENOEXEC, "neither an ELF kernel nor an x86 bzImage");
	/* 100000 bytes out with a 64 KiB cap. */
	expect_reject(NULL, 64 << 10, -EFBIG, "larger than");
}

static void test_tiny_inputs(void **state)
{
	uint8_t b[BZIMAGE_HDR_END + 8];
	void *out;
	size_t n;
	bool a;

	(void)state;
	memset(b, 0, sizeof(b));
	for (size_t len = 0; len < sizeof(b); len++)
		assert_int_equal(unpack(b, len, 0, &out, &n, &a), -ENOEXEC);
	memcpy(b + BZIMAGE_HDR_MAGIC_OFF, "HdrS", 4);
	put_le(b + BZIMAGE_VERSION, 0x020f, 2);
	put_le(b + BZIMAGE_PAYLOAD_LENGTH, 4, 4);
	/* setup_sects 0 means 4: the payload would start at 2560, past the end. */
	assert_int_equal(unpack(b, sizeof(b), 0, &out, &n, &a), -ENOEXEC);
	assert_non_null(strstr(err.msg, "0xa00"));
}

static void test_not_elf_inside(void **state)
{
	static const char text[] = "this is not an ELF file at all, just text";
	size_t clen, blen, n;
	uint8_t *c = xz((const uint8_t *)text, sizeof(text), &clen);
	uint8_t *b = make_bz(c, clen, 0x020f, &blen);
	void *out;
	bool a;

	(void)state;
	assert_int_equal(unpack(b, blen, 0, &out, &n, &a), -ENOEXEC);
	assert_non_null(strstr(err.msg, "not an ELF vmlinux"));
	free(c);
	free(b);
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)sz);
		if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)sz;
	}
	fclose(f);
	return buf;
}

/* Debian's vmlinuz from the kernel cache; equal to the cached vmlinux. */
static void test_real_vmlinuz(void **state)
{
	const char *dir = getenv("XVMM_KERNEL_DIR");
	char zpath[512], epath[512];
	size_t zlen = 0, elen = 0, n;
	uint8_t *z, *e;
	void *out;
	bool a;

	(void)state;
	snprintf(zpath, sizeof(zpath), "%s/vmlinuz", dir ? dir : "build/kernel");
	snprintf(epath, sizeof(epath), "%s/vmlinux", dir ? dir : "build/kernel");
	z = read_all(zpath, &zlen);
	if (!z) {
		print_message("SKIP: %s not present (scripts/deps.sh fills it)\n", zpath);
		skip();
	}
	assert_true(bzimage_is_bzimage(z, zlen));
	assert_int_equal(unpack(z, zlen, 0, &out, &n, &a), 0);
	assert_true(a);
	assert_true(bzimage_is_elf(out, n));
	e = read_all(epath, &elen);
	if (e) {
		assert_int_equal(n, elen);
		assert_memory_equal(out, e, n);
		free(e);
	}
	free(out);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_passthrough),
		cmocka_unit_test(test_xz),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_tiny_inputs),
		cmocka_unit_test(test_not_elf_inside),
		cmocka_unit_test(test_real_vmlinuz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
