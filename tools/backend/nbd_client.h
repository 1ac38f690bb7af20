// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small NBD client (the protocol of NBD's doc/proto.md): fixed newstyle
 * handshake with NBD_OPT_EXPORT_NAME for the default export "", then
 * simple replies, one request at a time. blkback serves qcow2 images
 * through it from a qemu-nbd it starts (docs/pv-devices.md), so no qcow2
 * code of our own and no kernel nbd device.
 */
#ifndef XVMM_NBD_CLIENT_H
#define XVMM_NBD_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Transmission flags the server sends (proto.md). */
#define NBD_FLAG_HAS_FLAGS	(1u << 0)
#define NBD_FLAG_READ_ONLY	(1u << 1)
#define NBD_FLAG_SEND_FLUSH	(1u << 2)
#define NBD_FLAG_SEND_TRIM	(1u << 5)

/* Requests above this are refused by qemu-nbd; ours are at most 44 KiB. */
#define NBD_MAX_REQUEST		(32u << 20)

struct nbd_conn {
	int fd;
	uint64_t size;			/* the export's size in bytes */
	uint16_t flags;			/* NBD_FLAG_* */
	uint64_t cookie;		/* the next request's handle */
};

/* Handshake on a connected stream socket (fd is kept): 0, -EPROTO, -errno. */
int nbd_handshake(struct nbd_conn *c, int fd);
/* Connect to a unix socket path and handshake. 0 or -errno. */
int nbd_connect_unix(struct nbd_conn *c, const char *path);

/* Each 0, -EIO (the server's error), -EPROTO (a bad reply), -errno. */
int nbd_read(struct nbd_conn *c, void *buf, size_t len, uint64_t off);
int nbd_write(struct nbd_conn *c, const void *buf, size_t len, uint64_t off);
int nbd_flush(struct nbd_conn *c);
int nbd_trim(struct nbd_conn *c, uint64_t off, uint64_t len);

/* NBD_CMD_DISC, then close. */
void nbd_close(struct nbd_conn *c);

#endif /* XVMM_NBD_CLIENT_H */
