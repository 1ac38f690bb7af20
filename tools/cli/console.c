// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's console output: DOM_CONSOLE with a cursor, as `xvmm dmesg`
 * reads the VMM log with LOG_READ. Following polls every 50 ms until the
 * domain is no longer running; on a terminal, Ctrl-] detaches (stdin in
 * raw mode meanwhile, restored on every way out). There is no console
 * input path in the driver yet, so other keys are dropped.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

#define POLL_MS		50
#define DETACH_KEY	0x1d	/* Ctrl-] */

static struct termios saved_tio;
static volatile sig_atomic_t tio_saved;

static void tty_restore(void)
{
	if (tio_saved) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
		tio_saved = 0;
	}
}

static void on_signal(int sig)
{
	tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool tty_raw(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio))
		return false;
	t = saved_tio;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | IGNCR);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tio_saved = 1;
	atexit(tty_restore);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGQUIT, on_signal);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t)) {
		tio_saved = 0;
		return false;
	}
	return true;
}

/* Everything from *cursor on to stdout. 0 or -errno. */
static int drain(int fd, uint32_t domid, unsigned long long *cursor)
{
	static struct xvmm_ioctl_dom_console c;

	for (;;) {
		int rc;

		memset(&c, 0, sizeof(c));
		c.domid = domid;
		c.log.cursor = *cursor;
		rc = xdev_dom_console(fd, &c);
		if (rc)
			return rc;
		if (c.log.dropped)
			printf("[... %u bytes lost ...]\n", c.log.dropped);
		if (c.log.len == 0 || c.log.len > sizeof(c.log.data) || c.log.cursor == *cursor) {
			*cursor = c.log.cursor;
			break;
		}
		fwrite(c.log.data, 1, c.log.len, stdout);
		*cursor = c.log.cursor;
	}
	fflush(stdout);
	return 0;
}

/* Still running? 1 yes, 0 no (stopped or gone), -errno. */
static int running(int fd, uint32_t domid)
{
	struct xvmm_dom_info *d = NULL;
	unsigned int n = 0;
	int rc = xdev_dom_list(fd, &d, &n), ret = 0;

	if (rc)
		return rc;
	for (unsigned int i = 0; i < n; i++)
		if (d[i].domid == domid)
			ret = d[i].state == XVMM_DOM_RUNNING;
	free(d);
	return ret;
}

/* Wait up to POLL_MS; true if the user pressed the detach key. */
static bool wait_key(bool tty)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char buf[64];
	ssize_t n;

	if (!tty) {
		poll(NULL, 0, POLL_MS);
		return false;
	}
	if (poll(&p, 1, POLL_MS) <= 0 || !(p.revents & POLLIN))
		return false;
	n = read(STDIN_FILENO, buf, sizeof(buf));
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == DETACH_KEY)
			return true;
	return false;
}

int cli_console(int fd, uint32_t domid, bool follow, struct xvmm_err *err)
{
	unsigned long long cursor = 0;
	bool tty = false;
	int rc;

	rc = drain(fd, domid, &cursor);
	if (rc)
		return xvmm_err_set(err, rc, "console of domain %u: %s", domid,
				    cli_dom_strerror(rc));
	if (!follow)
		return 0;
	tty = tty_raw();
	for (;;) {
		rc = running(fd, domid);
		if (rc <= 0) {
			/* Stopped (or gone): what it printed last, then done. */
			int d = drain(fd, domid, &cursor);

			if (rc == 0 && (d == 0 || d == -ENOENT || d == -ESRCH))
				break;
			if (rc == 0)
				rc = d;
			tty_restore();
			return xvmm_err_set(err, rc, "console of domain %u: %s", domid,
					    cli_dom_strerror(rc));
		}
		if (wait_key(tty))
			break;
		rc = drain(fd, domid, &cursor);
		if (rc == -ENOENT || rc == -ESRCH)
			break;	/* destroyed meanwhile */
		if (rc) {
			tty_restore();
			return xvmm_err_set(err, rc, "console of domain %u: %s", domid,
					    cli_dom_strerror(rc));
		}
	}
	tty_restore();
	return 0;
}
