// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for include/xvmm/image_sig.h: finding the image, the PKCS#7
 * blob and the trailer in a signed VMM image without trusting a length
 * read from the file. Crafted trailers (truncated, oversized and lying
 * lengths, other signature kinds), and the build's own signed xvmm.bin,
 * which must split into exactly the unsigned image and a signature.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <xvmm/image_sig.h>

#define TAIL (sizeof(struct xvmm_sig_info) + XVMM_SIG_MAGIC_LEN)

/* @body bytes of image, @sig bytes of "signature", then a trailer claiming @claim. */
static unsigned char *make(unsigned long body, unsigned long sig, unsigned long claim,
			   unsigned char id_type, unsigned long *len)
{
	unsigned char *f = calloc(1, body + sig + TAIL);
	struct xvmm_sig_info *info = (void *)(f + body + sig);

	assert_non_null(f);
	memset(f, 0xaa, body);
	memset(f + body, 0x30, sig);
	info->id_type = id_type;
	info->sig_len_be[0] = claim >> 24;
	info->sig_len_be[1] = claim >> 16;
	info->sig_len_be[2] = claim >> 8;
	info->sig_len_be[3] = claim;
	memcpy(f + body + sig + sizeof(*info), XVMM_SIG_MAGIC, XVMM_SIG_MAGIC_LEN);
	*len = body + sig + TAIL;
	return f;
}

static void test_well_formed(void **state)
{
	struct xvmm_sig_parts p;
	unsigned long len;
	unsigned char *f = make(4096, 700, 700, XVMM_SIG_ID_PKCS7, &len);

	(void)state;
	assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_FOUND);
	assert_int_equal(p.image_len, 4096);
	assert_int_equal(p.sig_off, 4096);
	assert_int_equal(p.sig_len, 700);
	free(f);
}

static void test_signature_alone(void **state)
{
	struct xvmm_sig_parts p;
	unsigned long len;
	unsigned char *f = make(0, 16, 16, XVMM_SIG_ID_PKCS7, &len);

	(void)state;
	assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_FOUND);
	assert_int_equal(p.image_len, 0);
	assert_int_equal(p.sig_len, 16);
	free(f);
}

static void test_unsigned(void **state)
{
	unsigned char f[256];
	struct xvmm_sig_parts p;

	(void)state;
	memset(f, 0, sizeof(f));
	assert_int_equal(xvmm_sig_split(f, sizeof(f), &p), XVMM_SIG_NONE);
	assert_int_equal(p.image_len, sizeof(f));
	assert_int_equal(p.sig_len, 0);
	assert_int_equal(xvmm_sig_split(f, 0, &p), XVMM_SIG_NONE);
	assert_int_equal(xvmm_sig_split(f, 3, &p), XVMM_SIG_NONE);
	/* The marker with its last byte wrong is no marker. */
	memcpy(f + sizeof(f) - XVMM_SIG_MAGIC_LEN, XVMM_SIG_MAGIC, XVMM_SIG_MAGIC_LEN);
	f[sizeof(f) - 1] = ' ';
	assert_int_equal(xvmm_sig_split(f, sizeof(f), &p), XVMM_SIG_NONE);
}

static void test_truncated(void **state)
{
	unsigned char f[XVMM_SIG_MAGIC_LEN + 5];
	struct xvmm_sig_parts p;

	(void)state;
	memset(f, 0, sizeof(f));
	memcpy(f + 5, XVMM_SIG_MAGIC, XVMM_SIG_MAGIC_LEN);
	/* The marker but no room for the 12-byte info before it. */
	assert_int_equal(xvmm_sig_split(f, sizeof(f), &p), XVMM_SIG_TRUNCATED);
	assert_int_equal(xvmm_sig_split(f + 5, XVMM_SIG_MAGIC_LEN, &p), XVMM_SIG_TRUNCATED);
}

static void test_lying_lengths(void **state)
{
	static const unsigned long claims[] = { 0, 701, 4096 + 701, 0xffffffffu, 0x80000000u };
	/* 701: longer than the signature but within the file, so it only covers less image. */
	struct xvmm_sig_parts p;
	unsigned long len;

	(void)state;
	for (unsigned int i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		unsigned char *f = make(4096, 700, claims[i], XVMM_SIG_ID_PKCS7, &len);

		if (claims[i] == 701) {
			assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_FOUND);
			assert_int_equal(p.image_len + p.sig_len, 4096 + 700);
		} else {
			assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_BAD_LENGTH);
			assert_int_equal(p.sig_len, 0);
		}
		free(f);
	}
	/* Exactly everything before the trailer: image of 0 bytes. */
	{
		unsigned char *f = make(4096, 700, 4796, XVMM_SIG_ID_PKCS7, &len);

		assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_FOUND);
		assert_int_equal(p.image_len, 0);
		free(f);
	}
	{
		unsigned char *f = make(4096, 700, 4797, XVMM_SIG_ID_PKCS7, &len);

		assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_BAD_LENGTH);
		free(f);
	}
}

static void test_other_kinds(void **state)
{
	struct xvmm_sig_parts p;
	unsigned long len;
	unsigned char *f;

	(void)state;
	for (unsigned int id = 0; id < 4; id++) {
		if (id == XVMM_SIG_ID_PKCS7)
			continue;
		f = make(100, 50, 50, id, &len);
		assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_NOT_PKCS7);
		free(f);
	}
	/* PKCS#7 with signer or key id fields set is not what sign-file writes. */
	f = make(100, 50, 50, XVMM_SIG_ID_PKCS7, &len);
	((struct xvmm_sig_info *)(f + 150))->signer_len = 1;
	assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_NOT_PKCS7);
	((struct xvmm_sig_info *)(f + 150))->signer_len = 0;
	((struct xvmm_sig_info *)(f + 150))->pad[2] = 1;
	assert_int_equal(xvmm_sig_split(f, len, &p), XVMM_SIG_NOT_PKCS7);
	free(f);
}

static unsigned char *slurp(const char *path, unsigned long *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc(n ? n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, fp), (size_t)n);
	fclose(fp);
	*len = n;
	return buf;
}

/* What scripts/sign-file wrote in this build (certs.mk): the unsigned image, exactly. */
static void test_build_image(void **state)
{
	unsigned long slen, ulen;
	unsigned char *s = slurp(SIGNED_IMAGE, &slen), *u = slurp(UNSIGNED_IMAGE, &ulen);
	struct xvmm_sig_parts p;

	(void)state;
	assert_non_null(s);
	assert_non_null(u);
	assert_int_equal(xvmm_sig_split(s, slen, &p), XVMM_SIG_FOUND);
	assert_int_equal(p.image_len, ulen);
	assert_memory_equal(s, u, ulen);
	assert_true(p.sig_len > 256);
	assert_int_equal(s[p.sig_off], 0x30);	/* a DER SEQUENCE */
	assert_int_equal(xvmm_sig_split(u, ulen, &p), XVMM_SIG_NONE);
	free(s);
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_signature_alone),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_other_kinds),
		cmocka_unit_test(test_build_image),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
