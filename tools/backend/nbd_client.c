// SPDX-License-Identifier: GPL-2.0-only
/*
 * NBD client (nbd_client.h). Numbers from NBD's doc/proto.md: all fields
 * big-endian; the server opens with "NBDMAGIC" "IHAVEOPT" and 16 bits of
 * handshake flags, the client answers 32 bits of flags and its options;
 * NBD_OPT_EXPORT_NAME is answered by the export's size and transmission
 * flags (then 124 zero bytes unless both sides set NO_ZEROES). A request
 * is 28 bytes (magic 0x25609513), a simple reply 16 (magic 0x67446698);
 * a read's data follows a reply without error.
 */
#include <errno.h>
#include <endian.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "nbd_client.h"

#define NBD_INIT_MAGIC		0x4e42444d41474943ull	/* "NBDMAGIC" */
#define NBD_OPTS_MAGIC		0x49484156454F5054ull	/* "IHAVEOPT" */
#define NBD_FLAG_FIXED_NEWSTYLE	(1u << 0)
#define NBD_FLAG_NO_ZEROES	(1u << 1)
#define NBD_OPT_EXPORT_NAME	1u
#define NBD_REQUEST_MAGIC	0x25609513u
#define NBD_SIMPLE_REPLY_MAGIC	0x67446698u

enum { NBD_CMD_READ = 0, NBD_CMD_WRITE = 1, NBD_CMD_DISC = 2, NBD_CMD_FLUSH = 3,
       NBD_CMD_TRIM = 4 };

static int read_all(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		done += (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

int nbd_handshake(struct nbd_conn *c, int fd)
{
	unsigned char hello[18], opt[16], info[10], zeroes[124];
	uint64_t m1, m2;
	uint16_t hflags;
	uint32_t cflags;
	int rc;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	rc = read_all(fd, hello, sizeof(hello));
	if (rc)
		return rc;
	memcpy(&m1, hello, 8);
	memcpy(&m2, hello + 8, 8);
	memcpy(&hflags, hello + 16, 2);
	hflags = be16toh(hflags);
	/* Only fixed newstyle: oldstyle servers are long gone. */
	if (be64toh(m1) != NBD_INIT_MAGIC || be64toh(m2) != NBD_OPTS_MAGIC ||
	    !(hflags & NBD_FLAG_FIXED_NEWSTYLE))
		return -EPROTO;
	cflags = htobe32(NBD_FLAG_FIXED_NEWSTYLE | (hflags & NBD_FLAG_NO_ZEROES));
	m1 = htobe64(NBD_OPTS_MAGIC);
	memcpy(opt, &m1, 8);
	*(uint32_t *)(void *)(opt + 8) = htobe32(NBD_OPT_EXPORT_NAME);
	*(uint32_t *)(void *)(opt + 12) = 0;	/* the default export, "" */
	rc = write_all(fd, &cflags, sizeof(cflags));
	rc = rc ? rc : write_all(fd, opt, sizeof(opt));
	rc = rc ? rc : read_all(fd, info, sizeof(info));
	if (!rc && !(hflags & NBD_FLAG_NO_ZEROES))
		rc = read_all(fd, zeroes, sizeof(zeroes));
	if (rc)
		return rc;
	memcpy(&m1, info, 8);
	memcpy(&hflags, info + 8, 2);
	c->size = be64toh(m1);
	c->flags = be16toh(hflags);
	return 0;
}

int nbd_connect_unix(struct nbd_conn *c, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd, rc;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = nbd_handshake(c, fd);
	if (rc) {
		close(fd);
		c->fd = -1;
	}
	return rc;
}

/* Send one request (and a write's data), take its reply (and a read's data). */
static int request(struct nbd_conn *c, uint16_t type, uint64_t off, uint32_t len,
		   const void *wbuf, void *rbuf)
{
	unsigned char req[28], rep[16];
	uint64_t cookie = c->cookie++, v64;
	uint32_t v32;
	uint16_t v16;
	int rc;

	if (c->fd < 0)
		return -ENOTCONN;
	if (len > NBD_MAX_REQUEST)
		return -EINVAL;
	v32 = htobe32(NBD_REQUEST_MAGIC);
	memcpy(req, &v32, 4);
	v16 = 0;
	memcpy(req + 4, &v16, 2);
	v16 = htobe16(type);
	memcpy(req + 6, &v16, 2);
	v64 = htobe64(cookie);
	memcpy(req + 8, &v64, 8);
	v64 = htobe64(off);
	memcpy(req + 16, &v64, 8);
	v32 = htobe32(len);
	memcpy(req + 24, &v32, 4);
	rc = write_all(c->fd, req, sizeof(req));
	if (!rc && wbuf)
		rc = write_all(c->fd, wbuf, len);
	if (rc || type == NBD_CMD_DISC)
		return rc;
	rc = read_all(c->fd, rep, sizeof(rep));
	if (rc)
		return rc;
	memcpy(&v32, rep, 4);
	memcpy(&v64, rep + 8, 8);
	/* One request at a time: the reply must be this one's. */
	if (be32toh(v32) != NBD_SIMPLE_REPLY_MAGIC || be64toh(v64) != cookie)
		return -EPROTO;
	memcpy(&v32, rep + 4, 4);
	if (v32)
		return -EIO;
	return rbuf ? read_all(c->fd, rbuf, len) : 0;
}

static int in_range(const struct nbd_conn *c, uint64_t off, uint64_t len)
{
	return off <= c->size && len <= c->size - off && len <= NBD_MAX_REQUEST;
}

int nbd_read(struct nbd_conn *c, void *buf, size_t len, uint64_t off)
{
	if (!in_range(c, off, len))
		return -EINVAL;
	return request(c, NBD_CMD_READ, off, (uint32_t)len, NULL, buf);
}

int nbd_write(struct nbd_conn *c, const void *buf, size_t len, uint64_t off)
{
	if (!in_range(c, off, len))
		return -EINVAL;
	if (c->flags & NBD_FLAG_READ_ONLY)
		return -EROFS;
	return request(c, NBD_CMD_WRITE, off, (uint32_t)len, buf, NULL);
}

int nbd_flush(struct nbd_conn *c)
{
	/* A server without flush writes through (proto.md): nothing to ask. */
	if (!(c->flags & NBD_FLAG_SEND_FLUSH))
		return 0;
	return request(c, NBD_CMD_FLUSH, 0, 0, NULL, NULL);
}

int nbd_trim(struct nbd_conn *c, uint64_t off, uint64_t len)
{
	if (!(c->flags & NBD_FLAG_SEND_TRIM))
		return -EOPNOTSUPP;
	if (off > c->size || len > c->size - off)
		return -EINVAL;
	/* A length is 32 bits: a large discard goes in pieces. */
	while (len) {
		uint32_t n = len > NBD_MAX_REQUEST ? NBD_MAX_REQUEST : (uint32_t)len;
		int rc = request(c, NBD_CMD_TRIM, off, n, NULL, NULL);

		if (rc)
			return rc;
		off += n;
		len -= n;
	}
	return 0;
}

void nbd_close(struct nbd_conn *c)
{
	if (c->fd < 0)
		return;
	request(c, NBD_CMD_DISC, 0, 0, NULL, NULL);
	close(c->fd);
	c->fd = -1;
}
