// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/backend/nbd_client.c against a fake NBD server on
 * the other end of a socketpair (a thread serving a RAM disk as
 * doc/proto.md says): the handshake with and without NO_ZEROES, read,
 * write, flush, trim (split in 32 MiB pieces), the server's errors, a
 * bad greeting, a reply with the wrong cookie, a server that hangs up,
 * requests outside the export refused before anything is sent.
 */
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "nbd_client.h"

#define DISK_SIZE	(64ull << 20)	/* trims beyond 32 MiB come in pieces */
#define RAM_SIZE	(1u << 20)	/* only the first MiB holds data */

struct server {
	int fd;
	bool no_zeroes, bad_magic, wrong_cookie, hang_up_after_hello;
	uint16_t tflags;
	uint32_t fail_type;		/* answer this type with EIO (0xFFFF: none) */
	unsigned int flushes, trims, writes, reads, discs;
	uint64_t trimmed;
	unsigned char ram[RAM_SIZE];
	pthread_t th;
};

static struct server *srv;
static struct nbd_conn conn;

static int rd(int fd, void *b, size_t n)
{
	size_t d = 0;

	while (d < n) {
		ssize_t r = read(fd, (char *)b + d, n - d);

		if (r <= 0)
			return -1;
		d += (size_t)r;
	}
	return 0;
}

static void wr(int fd, const void *b, size_t n)
{
	(void)!send(fd, b, n, MSG_NOSIGNAL);
}

static void *serve(void *p)
{
	struct server *s = p;
	unsigned char hello[18], buf[28], info[10 + 124] = { 0 };
	uint64_t v64 = htobe64(s->bad_magic ? 0x1234 : 0x4e42444d41474943ull);
	uint16_t v16 = htobe16(1 | (s->no_zeroes ? 2 : 0));
	uint32_t cflags, v32;

	memcpy(hello, &v64, 8);
	v64 = htobe64(0x49484156454F5054ull);
	memcpy(hello + 8, &v64, 8);
	memcpy(hello + 16, &v16, 2);
	wr(s->fd, hello, sizeof(hello));
	if (s->hang_up_after_hello || s->bad_magic)
		goto out;
	if (rd(s->fd, &cflags, 4) || rd(s->fd, buf, 16))
		goto out;
	/* The client asks for the default export by NBD_OPT_EXPORT_NAME, no name. */
	memcpy(&v32, buf + 8, 4);
	assert_int_equal(be32toh(v32), 1);
	memcpy(&v32, buf + 12, 4);
	assert_int_equal(v32, 0);
	assert_int_equal(be32toh(cflags) & 2, s->no_zeroes ? 2 : 0);
	v64 = htobe64(DISK_SIZE);
	memcpy(info, &v64, 8);
	v16 = htobe16(s->tflags);
	memcpy(info + 8, &v16, 2);
	wr(s->fd, info, s->no_zeroes ? 10 : sizeof(info));

	while (rd(s->fd, buf, 28) == 0) {
		unsigned char rep[16];
		uint16_t type;
		uint64_t cookie, off;
		uint32_t len, err = 0;
		static unsigned char data[64 << 10];

		memcpy(&v32, buf, 4);
		assert_int_equal(be32toh(v32), 0x25609513);
		memcpy(&type, buf + 6, 2);
		type = be16toh(type);
		memcpy(&cookie, buf + 8, 8);
		memcpy(&off, buf + 16, 8);
		off = be64toh(off);
		memcpy(&len, buf + 24, 4);
		len = be32toh(len);
		if (type == 2) {		/* DISC */
			s->discs++;
			break;
		}
		if (type == 1) {
			assert_true(len <= sizeof(data));
			if (rd(s->fd, data, len))
				break;
			if (off + len <= RAM_SIZE)
				memcpy(s->ram + off, data, len);
			s->writes++;
		} else if (type == 3) {
			s->flushes++;
		} else if (type == 4) {
			s->trims++;
			s->trimmed += len;
			assert_true(len <= NBD_MAX_REQUEST);
		} else if (type == 0) {
			s->reads++;
		}
		if (type == s->fail_type)
			err = htobe32(5);
		v32 = htobe32(0x67446698);
		memcpy(rep, &v32, 4);
		memcpy(rep + 4, &err, 4);
		if (s->wrong_cookie)
			cookie ^= 1;
		memcpy(rep + 8, &cookie, 8);
		wr(s->fd, rep, sizeof(rep));
		if (type == 0 && !err) {
			assert_true(off + len <= RAM_SIZE);
			wr(s->fd, s->ram + off, len);
		}
	}
out:
	close(s->fd);
	return NULL;
}

/* A fresh server; the client's end handshaken (rc returned). */
static int start(struct server *cfg)
{
	int sv[2];
	int rc;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	srv = cfg;
	srv->fd = sv[1];
	assert_int_equal(pthread_create(&srv->th, NULL, serve, srv), 0);
	rc = nbd_handshake(&conn, sv[0]);
	if (rc)
		close(sv[0]);
	return rc;
}

static void stop(void)
{
	if (conn.fd >= 0)
		nbd_close(&conn);
	pthread_join(srv->th, NULL);
	free(srv);
}

static struct server *new_server(void)
{
	struct server *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->tflags = NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_FLUSH | NBD_FLAG_SEND_TRIM;
	s->fail_type = 0xFFFF;
	return s;
}

static void test_io(void **state)
{
	unsigned char out[8192], in[8192];

	(void)state;
	for (int zeroes = 0; zeroes < 2; zeroes++) {
		struct server *s = new_server();

		s->no_zeroes = zeroes;
		assert_int_equal(start(s), 0);
		assert_int_equal(conn.size, DISK_SIZE);
		assert_int_equal(conn.flags, s->tflags);
		for (size_t i = 0; i < sizeof(out); i++)
			out[i] = (unsigned char)(i * 13 + zeroes);
		assert_int_equal(nbd_write(&conn, out, sizeof(out), 4096), 0);
		assert_memory_equal(s->ram + 4096, out, sizeof(out));
		memset(in, 0, sizeof(in));
		assert_int_equal(nbd_read(&conn, in, sizeof(in), 4096), 0);
		assert_memory_equal(in, out, sizeof(out));
		assert_int_equal(nbd_flush(&conn), 0);
		assert_int_equal(s->flushes, 1);
		/* 40 MiB: a 32 MiB piece and an 8 MiB one. */
		assert_int_equal(nbd_trim(&conn, 1 << 20, 40u << 20), 0);
		assert_int_equal(s->trims, 2);
		assert_int_equal(s->trimmed, 40u << 20);
		stop();
	}
}

static void test_limits_and_errors(void **state)
{
	struct server *s = new_server();
	unsigned char b[512];

	(void)state;
	s->fail_type = 1;			/* writes fail */
	assert_int_equal(start(s), 0);
	assert_int_equal(nbd_write(&conn, b, sizeof(b), 0), -EIO);
	assert_int_equal(nbd_read(&conn, b, sizeof(b), 0), 0);	/* still in step */
	/* Outside the export: refused here, nothing sent. */
	assert_int_equal(nbd_read(&conn, b, sizeof(b), DISK_SIZE - 256), -EINVAL);
	assert_int_equal(nbd_write(&conn, b, sizeof(b), UINT64_MAX - 10), -EINVAL);
	assert_int_equal(nbd_trim(&conn, DISK_SIZE, 1), -EINVAL);
	assert_int_equal(s->reads, 1);
	stop();

	/* A server without flush or trim: flush is nothing to do, trim unsupported. */
	s = new_server();
	s->tflags = NBD_FLAG_HAS_FLAGS | NBD_FLAG_READ_ONLY;
	assert_int_equal(start(s), 0);
	assert_int_equal(nbd_flush(&conn), 0);
	assert_int_equal(nbd_trim(&conn, 0, 4096), -EOPNOTSUPP);
	assert_int_equal(nbd_write(&conn, b, sizeof(b), 0), -EROFS);
	assert_int_equal(s->flushes, 0);
	stop();

	/* A reply to another request: the stream is out of step. */
	s = new_server();
	s->wrong_cookie = true;
	assert_int_equal(start(s), 0);
	assert_int_equal(nbd_flush(&conn), -EPROTO);
	stop();
}

static void test_bad_servers(void **state)
{
	struct server *s = new_server();

	(void)state;
	s->bad_magic = true;
	assert_int_equal(start(s), -EPROTO);
	conn.fd = -1;
	stop();

	s = new_server();
	s->hang_up_after_hello = true;
	assert_int_not_equal(start(s), 0);
	conn.fd = -1;
	stop();

	/* It goes away mid-session: errors, never a hang. */
	s = new_server();
	assert_int_equal(start(s), 0);
	shutdown(conn.fd, SHUT_WR);		/* the server sees EOF and closes */
	pthread_join(s->th, NULL);
	{
		unsigned char b[512];
		int rc = nbd_read(&conn, b, sizeof(b), 0);

		assert_true(rc == -ECONNRESET || rc == -EPIPE);
	}
	close(conn.fd);
	conn.fd = -1;
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_limits_and_errors),
		cmocka_unit_test(test_bad_servers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
