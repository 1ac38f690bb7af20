// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runner: a detached process (new session, stdio on /dev/null) with one
 * thread per vCPU, each calling DOM_RUN until the domain stops. The driver
 * loops inside DOM_RUN (host interrupts, halts); it comes back to user space
 * on a signal (-EINTR: call again) or when the domain shut down or crashed:
 * then the config's on_poweroff / on_reboot / on_crash decides: destroy ->
 * DOM_DESTROY, preserve -> leave it as it is, restart -> DOM_DESTROY, then
 * build and start it again from the same config with a new runner. Either
 * way the runner exits.
 * If the domain is destroyed by someone else (DOM_RUN: ENOENT / ENODEV) the
 * runner exits quietly.
 *
 * Before the vCPUs start, the runner starts the domain's dom0 backends
 * (console_backend.c: PV console, xenstore, control socket); when it
 * ends, they drain the console a last time and remove the socket.
 *
 * XVMM_RUNNER_LOG=PATH in the environment keeps the runner's stderr there.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define HOLD_TIMEOUT_MS	5000	/* longest wait for `create -c` to drain the console */

struct runner {
	int fd;
	uint32_t domid;
	const struct xlcfg *cfg;
	int hold_fd;
	struct cli_backends *be;
	pthread_mutex_t lock;
	bool stopping;
};

struct vcpu_arg {
	struct runner *r;
	unsigned int vcpu;
};

static void rlog(const struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rlog(const struct runner *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "xvmm runner[%d]: domain %u (%s): %s\n", (int)getpid(),
		r->domid, r->cfg->name, msg);
}

/* Until the attached console (if any) closed its end, or the timeout. */
static void wait_hold(int hold_fd)
{
	struct pollfd p = { .fd = hold_fd, .events = POLLIN };
	char c;

	if (hold_fd < 0)
		return;
	while (poll(&p, 1, HOLD_TIMEOUT_MS) > 0) {
		if (read(hold_fd, &c, 1) <= 0)
			break;	/* EOF: the console has drained */
	}
}

/*
 * on_* = "restart", as xl does it: the domain is gone; build it again from
 * the same config (the kernel and ramdisk are read again) and start a new
 * runner for it, a new process like the first. This one then exits.
 */
static void restart(struct runner *r, const char *what)
{
	static struct cli_image img;
	uint32_t domid;
	int hold = -1;

	if (cli_create_build(r->cfg, &img) ||
	    cli_create_start(r->fd, r->cfg, &img, &domid, &hold)) {
		rlog(r, "%s: restart failed (see above)", what);
		return;
	}
	close(hold);
	rlog(r, "%s: restarted as domain %u", what, domid);
}

static void __attribute__((noreturn)) stop(struct runner *r, enum xlcfg_action a,
					   const char *what)
{
	int rc;

	pthread_mutex_lock(&r->lock);
	if (r->stopping) {
		/* Another vCPU got there first and will end the process. */
		pthread_mutex_unlock(&r->lock);
		for (;;)
			pause();
	}
	r->stopping = true;
	pthread_mutex_unlock(&r->lock);

	/* Last console output to the log first: `create -c` waits for that. */
	cli_backends_stop(r->be);
	wait_hold(r->hold_fd);
	if (a == XLCFG_ACTION_DESTROY || a == XLCFG_ACTION_RESTART) {
		rc = xdev_dom_destroy(r->fd, r->domid);
		if (rc && rc != -ENOENT && rc != -ENODEV)
			rlog(r, "%s; DOM_DESTROY failed: %s", what, cli_dom_strerror(rc));
		else
			rlog(r, "%s: destroyed", what);
		if (a == XLCFG_ACTION_RESTART && (!rc || rc == -ENOENT))
			restart(r, what);
	} else {
		rlog(r, "%s: preserved", what);
	}
	_exit(0);
}

static void *vcpu_thread(void *p)
{
	struct vcpu_arg *a = p;
	struct runner *r = a->r;

	for (;;) {
		struct xvmm_ioctl_dom_run run = { .domid = r->domid, .vcpu = a->vcpu };
		const char *what;
		enum xlcfg_action act;
		int rc = xdev_dom_run(r->fd, &run);

		if (rc == -EINTR)
			continue;
		if (rc == -EAGAIN) {
			sched_yield();
			continue;
		}
		if (rc == -ENOENT || rc == -ENODEV) {
			/* Destroyed by someone else (or by our own stop()), or no VMM. */
			pthread_mutex_lock(&r->lock);
			if (!r->stopping) {
				cli_backends_stop(r->be);
				_exit(0);
			}
			pthread_mutex_unlock(&r->lock);
			for (;;)
				pause();	/* stop() ends the process */
		}
		if (rc) {
			/* Nobody can run it now: don't leave it behind as "running". */
			rlog(r, "vcpu %u: DOM_RUN failed: %s", a->vcpu, cli_dom_strerror(rc));
			stop(r, XLCFG_ACTION_DESTROY, "runner failed");
		}
		if (run.reason != XVMM_RUN_SHUTDOWN && run.reason != XVMM_RUN_CRASH)
			continue;	/* the driver should not return these; run again */
		act = cli_stop_action(r->cfg, run.reason, run.code, &what);
		stop(r, act, what);
	}
	return NULL;
}

/* In the runner process: stdio, signals, threads; report to status_fd, then run. */
static void __attribute__((noreturn)) runner_main(struct runner *r, int status_fd)
{
	const char *log = getenv("XVMM_RUNNER_LOG");
	unsigned int n = r->cfg->vcpus;
	struct vcpu_arg *args = calloc(n, sizeof(*args));
	pthread_t *th = calloc(n, sizeof(*th));
	int null = open("/dev/null", O_RDWR | O_CLOEXEC), logfd = -1, err = 0;

	if (log && *log)
		logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(logfd >= 0 ? logfd : null, STDERR_FILENO);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	pthread_mutex_init(&r->lock, NULL);

	if (!args || !th)
		err = ENOMEM;
	pthread_mutex_lock(&r->lock);	/* no stop() before we have reported */
	/* The store is filled and the rings served before the guest runs. */
	r->be = cli_backends_start(r->fd, r->domid, r->cfg);
	for (unsigned int i = 0; !err && i < n; i++) {
		args[i].r = r;
		args[i].vcpu = i;
		err = pthread_create(&th[i], NULL, vcpu_thread, &args[i]);
	}
	if (err) {
		r->stopping = true;
		xdev_dom_destroy(r->fd, r->domid);
	}
	if (write(status_fd, &err, sizeof(err)) != sizeof(err))
		_exit(1);
	close(status_fd);
	pthread_mutex_unlock(&r->lock);
	if (err)
		_exit(1);
	rlog(r, "running %u vCPU%s", n, n == 1 ? "" : "s");
	for (;;)
		pause();	/* the vCPU threads end the process */
}

int cli_runner_spawn(int fd, uint32_t domid, const struct xlcfg *cfg,
		     int *hold_fd, struct xvmm_err *err)
{
	static struct runner r;
	int st[2], hold[2], status, rerr = 0;
	pid_t pid;
	ssize_t got;

	*hold_fd = -1;
	if (pipe2(st, O_CLOEXEC))
		return xvmm_err_set(err, -errno, "pipe: %s", strerror(errno));
	if (pipe2(hold, O_CLOEXEC)) {
		close(st[0]);
		close(st[1]);
		return xvmm_err_set(err, -errno, "pipe: %s", strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		rerr = errno;
		close(st[0]);
		close(st[1]);
		close(hold[0]);
		close(hold[1]);
		return xvmm_err_set(err, -rerr, "fork: %s", strerror(rerr));
	}
	if (pid == 0) {
		/* Child: a new session, then fork again so the runner is nobody's child. */
		close(st[0]);
		close(hold[1]);
		setsid();
		pid = fork();
		if (pid < 0) {
			rerr = errno;
			if (write(st[1], &rerr, sizeof(rerr)) < 0)
				_exit(1);
			_exit(1);
		}
		if (pid > 0)
			_exit(0);
		/* All fresh: a restart spawns from a runner that is stopping. */
		r = (struct runner){ .fd = fd, .domid = domid, .cfg = cfg, .hold_fd = hold[0] };
		runner_main(&r, st[1]);
	}
	close(st[1]);
	close(hold[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	do
		got = read(st[0], &rerr, sizeof(rerr));
	while (got < 0 && errno == EINTR);
	close(st[0]);
	if (got != sizeof(rerr)) {
		close(hold[1]);
		return xvmm_err_set(err, -ECHILD, "the runner process died before it started");
	}
	if (rerr) {
		close(hold[1]);
		return xvmm_err_set(err, -rerr, "starting the runner: %s", strerror(rerr));
	}
	*hold_fd = hold[1];
	return 0;
}
