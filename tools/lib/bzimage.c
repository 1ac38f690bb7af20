// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unpack the vmlinux ELF from an x86 bzImage (libxvmm/bzimage.h). The
 * payload's compression is told by its own magic bytes, as the kernel's
 * scripts/extract-vmlinux does; xz goes through liblzma, gzip through
 * zlib (both Debian packages, linked statically into the CLI).
 */
#include <errno.h>
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <libxvmm/bzimage.h>

#define LZMA_MEMLIMIT	(256ull << 20)	/* decoder state: Linux uses a 32 MiB dictionary */
#define FIRST_CHUNK	(4u << 20)

static uint32_t get_le(const uint8_t *p, unsigned int n)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

bool bzimage_is_elf(const void *data, size_t len)
{
	return len >= 4 && !memcmp(data, "\177ELF", 4);
}

bool bzimage_is_bzimage(const void *data, size_t len)
{
	return len >= BZIMAGE_HDR_END &&
	       !memcmp((const uint8_t *)data + BZIMAGE_HDR_MAGIC_OFF, "HdrS", 4);
}

enum comp { COMP_XZ, COMP_GZIP, COMP_OTHER };

static const struct magic {
	const char *name;
	enum comp kind;
	unsigned int len;
	uint8_t bytes[6];
} magics[] = {
	{ "xz",    COMP_XZ,    6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
	{ "gzip",  COMP_GZIP,  2, { 0x1f, 0x8b } },
	{ "bzip2", COMP_OTHER, 3, { 'B', 'Z', 'h' } },
	{ "lzma",  COMP_OTHER, 3, { 0x5d, 0x00, 0x00 } },
	{ "lzo",   COMP_OTHER, 4, { 0x89, 'L', 'Z', 'O' } },
	{ "lz4",   COMP_OTHER, 4, { 0x02, 0x21, 0x4c, 0x18 } },
	{ "zstd",  COMP_OTHER, 4, { 0x28, 0xb5, 0x2f, 0xfd } },
};

/* Growable output buffer with a hard cap. */
struct outbuf {
	uint8_t *p;
	size_t len, cap, max;
};

/* Make room for more output; -EFBIG at the cap. */
static int out_grow(struct outbuf *o)
{
	size_t ncap;
	uint8_t *np;

	if (o->cap >= o->max)
		return -EFBIG;
	ncap = o->cap ? o->cap * 2 : FIRST_CHUNK;
	if (ncap > o->max || ncap < o->cap)
		ncap = o->max;
	np = realloc(o->p, ncap);
	if (!np)
		return -ENOMEM;
	o->p = np;
	o->cap = ncap;
	return 0;
}

static int unxz(const uint8_t *in, size_t in_len, struct outbuf *o, struct xvmm_err *err)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;
	int rc;

	r = lzma_stream_decoder(&s, LZMA_MEMLIMIT, 0);
	if (r != LZMA_OK)
		return xvmm_err_set(err, r == LZMA_MEM_ERROR ? -ENOMEM : -EINVAL,
				    "cannot start the xz decoder (liblzma error %d)", (int)r);
	s.next_in = in;
	s.avail_in = in_len;
	for (;;) {
		if (o->len == o->cap) {
			rc = out_grow(o);
			if (rc)
				goto fail;
		}
		s.next_out = o->p + o->len;
		s.avail_out = o->cap - o->len;
		r = lzma_code(&s, LZMA_FINISH);
		o->len = o->cap - s.avail_out;
		if (r == LZMA_STREAM_END)
			break;
		if (r == LZMA_OK || (r == LZMA_BUF_ERROR && s.avail_out == 0))
			continue;
		lzma_end(&s);
		if (r == LZMA_MEM_ERROR || r == LZMA_MEMLIMIT_ERROR)
			return xvmm_err_set(err, -ENOMEM, "xz payload needs too much memory to decode");
		return xvmm_err_set(err, -ENOEXEC, "xz payload is corrupt or truncated "
				    "(liblzma error %d after %zu bytes out)", (int)r, o->len);
	}
	lzma_end(&s);
	return 0;
fail:
	lzma_end(&s);
	if (rc == -EFBIG)
		return xvmm_err_set(err, rc, "decompressed kernel is larger than %zu MiB",
				    o->max >> 20);
	return xvmm_err_set(err, rc, "out of memory decompressing the kernel");
}

static int gunzip(const uint8_t *in, size_t in_len, struct outbuf *o, struct xvmm_err *err)
{
	z_stream z;
	int r, rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return xvmm_err_set(err, -ENOMEM, "cannot start the gzip decoder");
	/* zlib counts in uInt: feed the input in pieces it can take. */
	z.next_in = (Bytef *)(uintptr_t)in;
	for (;;) {
		if (z.avail_in == 0 && in_len) {
			size_t n = in_len > (1u << 30) ? (1u << 30) : in_len;

			z.avail_in = (uInt)n;
			in_len -= n;
		}
		if (o->len == o->cap) {
			rc = out_grow(o);
			if (rc)
				goto fail;
		}
		z.next_out = o->p + o->len;
		z.avail_out = (uInt)(o->cap - o->len > (1u << 30) ? (1u << 30) : o->cap - o->len);
		{
			uInt before = z.avail_out;

			r = inflate(&z, Z_NO_FLUSH);
			o->len += before - z.avail_out;
		}
		if (r == Z_STREAM_END)
			break;
		if (r == Z_OK || (r == Z_BUF_ERROR && z.avail_out == 0))
			continue;
		inflateEnd(&z);
		return xvmm_err_set(err, -ENOEXEC, "gzip payload is corrupt or truncated "
				    "(zlib error %d after %zu bytes out)", r, o->len);
	}
	inflateEnd(&z);
	return 0;
fail:
	inflateEnd(&z);
	if (rc == -EFBIG)
		return xvmm_err_set(err, rc, "decompressed kernel is larger than %zu MiB",
				    o->max >> 20);
	return xvmm_err_set(err, rc, "out of memory decompressing the kernel");
}

/* Where the payload is: [*off, *off + *plen) inside the file. */
static int find_payload(const uint8_t *b, size_t len, size_t *off, size_t *plen,
			struct xvmm_err *err)
{
	unsigned int version = get_le(b + BZIMAGE_VERSION, 2);
	unsigned int sects = b[BZIMAGE_SETUP_SECTS];
	uint64_t pm_start, poff, pl;

	if (version < BZIMAGE_MIN_VERSION)
		return xvmm_err_set(err, -EOPNOTSUPP, "bzImage boot protocol %u.%02u is older than "
				    "2.08 (no payload fields): use an uncompressed vmlinux",
				    version >> 8, version & 0xff);
	if (sects == 0)
		sects = 4;
	pm_start = ((uint64_t)sects + 1) * 512;
	poff = pm_start + get_le(b + BZIMAGE_PAYLOAD_OFFSET, 4);
	pl = get_le(b + BZIMAGE_PAYLOAD_LENGTH, 4);
	if (pl == 0 || poff >= len || pl > len - poff)
		return xvmm_err_set(err, -ENOEXEC, "bzImage payload [%#llx, +%#llx) is outside "
				    "the %zu-byte file", (unsigned long long)poff,
				    (unsigned long long)pl, len);
	*off = (size_t)poff;
	*plen = (size_t)pl;
	return 0;
}

int bzimage_kernel_elf(const void *data, size_t len, size_t max_out,
		       void **out, size_t *out_len, bool *allocated,
		       struct xvmm_err *err)
{
	const uint8_t *b = data;
	struct outbuf o = { .max = max_out ? max_out : BZIMAGE_MAX_OUT };
	const struct magic *m = NULL;
	size_t off = 0, plen = 0;
	int rc;

	*out = NULL;
	*out_len = 0;
	*allocated = false;
	if (bzimage_is_elf(data, len)) {
		*out = (void *)(uintptr_t)data;
		*out_len = len;
		return 0;
	}
	if (!bzimage_is_bzimage(data, len))
		return xvmm_err_set(err, -ENOEXEC, "neither an ELF kernel nor an x86 bzImage");
	rc = find_payload(b, len, &off, &plen, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (plen >= magics[i].len && !memcmp(b + off, magics[i].bytes, magics[i].len))
			m = &magics[i];
	if (!m)
		return xvmm_err_set(err, -EOPNOTSUPP, "bzImage payload has an unknown compression "
				    "(magic %02x %02x %02x %02x)", b[off],
				    plen > 1 ? b[off + 1] : 0, plen > 2 ? b[off + 2] : 0,
				    plen > 3 ? b[off + 3] : 0);
	if (m->kind == COMP_OTHER)
		return xvmm_err_set(err, -EOPNOTSUPP, "bzImage payload uses %s: unsupported "
				    "compression (xvmm reads xz and gzip; or give an "
				    "uncompressed vmlinux)", m->name);
	rc = m->kind == COMP_XZ ? unxz(b + off, plen, &o, err) : gunzip(b + off, plen, &o, err);
	if (rc) {
		free(o.p);
		return rc;
	}
	if (!bzimage_is_elf(o.p, o.len)) {
		free(o.p);
		return xvmm_err_set(err, -ENOEXEC, "the bzImage's %s payload is not an ELF vmlinux",
				    m->name);
	}
	*out = o.p;
	*out_len = o.len;
	*allocated = true;
	return 0;
}
