/* SPDX-License-Identifier: MIT */
/*
 * A signed VMM image: xvmm.bin followed by a signature in the format Linux
 * appends to modules (what scripts/sign-file writes), so that the tools
 * and keys that sign a machine's modules sign the VMM too:
 *
 *   [ image: everything signed ][ PKCS#7 detached signature, sig_len bytes ]
 *   [ struct xvmm_sig_info, 12 bytes ][ "~Module signature appended~\n" ]
 *
 * Only the PKCS#7 kind is accepted (id_type 2, the others' fields zero),
 * as the kernel's own module check does. xvmm_sig_split() finds the
 * three parts without trusting any length it reads; the driver then has
 * the kernel verify the signature over the image part.
 */
#ifndef XVMM_IMAGE_SIG_H
#define XVMM_IMAGE_SIG_H

#define XVMM_SIG_MAGIC		"~Module signature appended~\n"
#define XVMM_SIG_MAGIC_LEN	28
#define XVMM_SIG_ID_PKCS7	2

/* The kernel's struct module_signature; sig_len is big-endian. */
struct xvmm_sig_info {
	unsigned char algo;		/* 0: in the PKCS#7 */
	unsigned char hash;		/* 0: in the PKCS#7 */
	unsigned char id_type;		/* XVMM_SIG_ID_PKCS7 */
	unsigned char signer_len;	/* 0 */
	unsigned char key_id_len;	/* 0 */
	unsigned char pad[3];
	unsigned char sig_len_be[4];
};

enum xvmm_sig_result {
	XVMM_SIG_FOUND,		/* image, sig: the parts; sizes checked */
	XVMM_SIG_NONE,		/* no trailer: an unsigned image */
	XVMM_SIG_TRUNCATED,	/* trailer marker but the file is too short for it */
	XVMM_SIG_NOT_PKCS7,	/* a signature kind the kernel would not take */
	XVMM_SIG_BAD_LENGTH,	/* sig_len 0, or longer than what precedes it */
};

struct xvmm_sig_parts {
	unsigned long image_len;	/* bytes covered by the signature */
	unsigned long sig_off, sig_len;	/* the PKCS#7 blob */
};

static inline enum xvmm_sig_result xvmm_sig_split(const unsigned char *file, unsigned long len,
						  struct xvmm_sig_parts *out)
{
	const unsigned long tail = sizeof(struct xvmm_sig_info) + XVMM_SIG_MAGIC_LEN;
	const struct xvmm_sig_info *info;
	unsigned long sig_len, i;

	out->image_len = len;
	out->sig_off = out->sig_len = 0;
	if (len < XVMM_SIG_MAGIC_LEN)
		return XVMM_SIG_NONE;
	for (i = 0; i < XVMM_SIG_MAGIC_LEN; i++)
		if (file[len - XVMM_SIG_MAGIC_LEN + i] != (unsigned char)XVMM_SIG_MAGIC[i])
			return XVMM_SIG_NONE;
	if (len < tail)
		return XVMM_SIG_TRUNCATED;
	info = (const struct xvmm_sig_info *)(file + len - tail);
	if (info->id_type != XVMM_SIG_ID_PKCS7 || info->algo || info->hash || info->signer_len ||
	    info->key_id_len || info->pad[0] || info->pad[1] || info->pad[2])
		return XVMM_SIG_NOT_PKCS7;
	sig_len = (unsigned long)info->sig_len_be[0] << 24 | (unsigned long)info->sig_len_be[1] << 16 |
		  (unsigned long)info->sig_len_be[2] << 8 | info->sig_len_be[3];
	if (sig_len == 0 || sig_len > len - tail)
		return XVMM_SIG_BAD_LENGTH;
	out->image_len = len - tail - sig_len;
	out->sig_off = out->image_len;
	out->sig_len = sig_len;
	return XVMM_SIG_FOUND;
}

#endif /* XVMM_IMAGE_SIG_H */
