// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's console, from two sources shown as they arrive:
 *  - the VMM's console buffer (console_io writes, port 0xE9): DOM_CONSOLE
 *    with a cursor, as `xvmm dmesg` reads the VMM log with LOG_READ;
 *  - the PV console ring (hvc0), which the runner's backend copies to
 *    /var/log/xvmm/NAME.log (console_backend.c): read from the file.
 * Following polls every 50 ms until the domain is no longer running; at
 * the end it waits (2 s at most) for the runner to log the ring's last
 * bytes, which it signals by removing its control socket.
 * Input: keys go to the runner's socket /run/xvmm/NAME.sock ("console"),
 * which feeds the ring's in[]. On a terminal stdin is in raw mode and
 * Ctrl-] detaches (restored on every way out); piped stdin is forwarded
 * until its end.
 */
#include <errno.h>
#include <fcntl.h>
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
#define FINAL_WAIT_MS	2000	/* for the runner's last console drain */

/* The PV console's side: the log file, the runner's socket. */
struct pv_console {
	char log_path[512];
	char sock_path[108];
	int log_fd;
	int sock;		/* keystrokes to the runner, or -1 */
	bool stdin_open;	/* piped stdin: forward until EOF */
};

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

/* New bytes of the console log to stdout; opens it once it exists. */
static void drain_log(struct pv_console *pc)
{
	char buf[4096];
	ssize_t n;

	if (pc->log_fd < 0 && pc->log_path[0])
		pc->log_fd = open(pc->log_path, O_RDONLY | O_CLOEXEC);
	if (pc->log_fd < 0)
		return;
	while ((n = read(pc->log_fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
}

static void pv_open(struct pv_console *pc, int fd, uint32_t domid, bool follow)
{
	struct xvmm_dom_info *d = NULL;
	char name[XVMM_NAME_LEN + 1] = "";
	unsigned int n = 0;

	memset(pc, 0, sizeof(*pc));
	pc->log_fd = pc->sock = -1;
	if (xdev_dom_list(fd, &d, &n) == 0)
		for (unsigned int i = 0; i < n; i++)
			if (d[i].domid == domid)
				cli_dom_name(&d[i], name);
	free(d);
	if (!name[0] || cli_console_log_path(name, pc->log_path, sizeof(pc->log_path)) ||
	    cli_runner_sock_path(name, pc->sock_path, sizeof(pc->sock_path))) {
		pc->log_path[0] = pc->sock_path[0] = '\0';
		return;
	}
	if (follow)
		pc->sock = cli_runner_connect(name, "console");
	pc->stdin_open = follow && !isatty(STDIN_FILENO);
}

/* The runner removes its socket once it has logged the last output. */
static void wait_runner_done(const struct pv_console *pc)
{
	for (int t = 0; pc->sock_path[0] && t < FINAL_WAIT_MS; t += POLL_MS) {
		if (access(pc->sock_path, F_OK))
			break;
		poll(NULL, 0, POLL_MS);
	}
}

static void pv_close(struct pv_console *pc)
{
	if (pc->log_fd >= 0)
		close(pc->log_fd);
	if (pc->sock >= 0)
		close(pc->sock);
	pc->log_fd = pc->sock = -1;
}

static void send_keys(struct pv_console *pc, const unsigned char *buf, size_t n)
{
	if (pc->sock >= 0 && n && write(pc->sock, buf, n) < 0) {
		close(pc->sock);	/* the runner went away */
		pc->sock = -1;
	}
}

/* Wait up to POLL_MS forwarding input; true if the user pressed the detach key. */
static bool wait_key(bool tty, struct pv_console *pc)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	unsigned char buf[256];
	ssize_t n;

	if (!tty && !pc->stdin_open) {
		poll(NULL, 0, POLL_MS);
		return false;
	}
	if (poll(&p, 1, POLL_MS) <= 0 || !(p.revents & (POLLIN | POLLHUP)))
		return false;
	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n <= 0) {
		pc->stdin_open = false;	/* piped input ended; keep following */
		if (tty)
			poll(NULL, 0, POLL_MS);
		return false;
	}
	if (!tty) {
		send_keys(pc, buf, (size_t)n);
		return false;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == DETACH_KEY) {
			send_keys(pc, buf, (size_t)i);
			return true;
		}
	}
	send_keys(pc, buf, (size_t)n);
	return false;
}

int cli_console(int fd, uint32_t domid, bool follow, struct xvmm_err *err)
{
	unsigned long long cursor = 0;
	struct pv_console pc;
	bool tty = false;
	int rc;

	rc = drain(fd, domid, &cursor);
	if (rc)
		return xvmm_err_set(err, rc, "console of domain %u: %s", domid,
				    cli_dom_strerror(rc));
	pv_open(&pc, fd, domid, follow);
	drain_log(&pc);
	if (!follow) {
		pv_close(&pc);
		return 0;
	}
	tty = tty_raw();
	for (;;) {
		rc = running(fd, domid);
		if (rc <= 0) {
			/* Stopped (or gone): what it printed last, then done. */
			int d = drain(fd, domid, &cursor);

			wait_runner_done(&pc);
			drain_log(&pc);
			if (rc == 0 && (d == 0 || d == -ENOENT || d == -ESRCH))
				break;
			if (rc == 0)
				rc = d;
			tty_restore();
			pv_close(&pc);
			return xvmm_err_set(err, rc, "console of domain %u: %s", domid,
					    cli_dom_strerror(rc));
		}
		if (wait_key(tty, &pc))
			break;
		rc = drain(fd, domid, &cursor);
		drain_log(&pc);
		if (rc == -ENOENT || rc == -ESRCH) {
			wait_runner_done(&pc);
			drain_log(&pc);
			break;	/* destroyed meanwhile */
		}
		if (rc) {
			tty_restore();
			pv_close(&pc);
			return xvmm_err_set(err, rc, "console of domain %u: %s", domid,
					    cli_dom_strerror(rc));
		}
	}
	tty_restore();
	pv_close(&pc);
	return 0;
}
