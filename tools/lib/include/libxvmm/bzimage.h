// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel images as people have them: an x86 bzImage (/boot/vmlinuz-*)
 * carries the ELF vmlinux compressed inside it. The boot protocol
 * (Linux Documentation/arch/x86/boot.rst) says where: the setup header
 * at 0x1f1 has the magic "HdrS" at 0x202, and from version 2.08 on
 * payload_offset (0x248) and payload_length (0x24c) locate the
 * compressed vmlinux relative to the protected-mode code, which starts
 * (setup_sects + 1) * 512 bytes into the file (setup_sects 0 means 4).
 *
 * xz (Debian's kernels) and gzip are decompressed; bzip2, lzma, lzo, lz4
 * and zstd are refused with "unsupported compression". The file is
 * untrusted input: every offset is bounds-checked and the output is
 * capped (BZIMAGE_MAX_OUT by default).
 */
#ifndef LIBXVMM_BZIMAGE_H
#define LIBXVMM_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxvmm/error.h>

#define BZIMAGE_MAX_OUT		(256u << 20)	/* largest vmlinux we unpack */

/* Setup header fields (offsets in the file). */
#define BZIMAGE_SETUP_SECTS	0x1f1u	/* u8 */
#define BZIMAGE_HDR_MAGIC_OFF	0x202u	/* "HdrS" */
#define BZIMAGE_VERSION		0x206u	/* u16, e.g. 0x020f */
#define BZIMAGE_PAYLOAD_OFFSET	0x248u	/* u32, version >= 2.08 */
#define BZIMAGE_PAYLOAD_LENGTH	0x24cu	/* u32 */
#define BZIMAGE_HDR_END		0x250u	/* bytes needed to read the fields above */
#define BZIMAGE_MIN_VERSION	0x0208u

/* True if the bytes start with an ELF magic. */
bool bzimage_is_elf(const void *data, size_t len);
/* True if the bytes carry an x86 setup header ("HdrS" at 0x202). */
bool bzimage_is_bzimage(const void *data, size_t len);

/*
 * The ELF kernel in data[0, len): if it is already ELF, *out = data,
 * *out_len = len and *allocated = false. If it is a bzImage, the payload
 * is decompressed (at most max_out bytes; 0 means BZIMAGE_MAX_OUT) into a
 * malloc'd buffer (*allocated = true: free() it), which must be ELF.
 * Errors, with a message: -ENOEXEC neither ELF nor bzImage, bad header,
 * payload outside the file, corrupt stream, not ELF inside;
 * -EOPNOTSUPP unsupported compression or boot protocol < 2.08;
 * -EFBIG output above the cap; -ENOMEM.
 */
int bzimage_kernel_elf(const void *data, size_t len, size_t max_out,
		       void **out, size_t *out_len, bool *allocated,
		       struct xvmm_err *err);

#endif /* LIBXVMM_BZIMAGE_H */
