// SPDX-License-Identifier: GPL-2.0-only
/*
 * `xvmm create [-c] FILE [KEY=VALUE...]`: config, kernel and ramdisk,
 * image, DOM_CREATE/WRITE/START, then the detached runner; with -c, the
 * console until the domain stops. Everything that can fail without the VMM
 * (config, files, builder) is checked before /dev/xvmm is opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <blkback.h>
#include <netback.h>

#include "cli.h"

struct mapped {
	void *p;
	size_t len;
};

static int map_file(const char *what, const char *path, struct mapped *m)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	m->p = NULL;
	m->len = 0;
	if (fd < 0) {
		fprintf(stderr, "xvmm: %s %s: %s\n", what, path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		fprintf(stderr, "xvmm: %s %s: %s\n", what, path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		fprintf(stderr, "xvmm: %s %s: %s\n", what, path,
			S_ISREG(st.st_mode) ? "file is empty" : "not a regular file");
		close(fd);
		return -1;
	}
	m->p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m->p == MAP_FAILED) {
		m->p = NULL;
		fprintf(stderr, "xvmm: %s %s: %s\n", what, path, strerror(errno));
		return -1;
	}
	m->len = (size_t)st.st_size;
	return 0;
}

static void unmap_file(struct mapped *m)
{
	if (m->p)
		munmap(m->p, m->len);
	m->p = NULL;
}

static void print_warnings(const struct xlcfg *cfg, const char *path)
{
	for (unsigned int i = 0; i < cfg->nr_warnings && i < XLCFG_MAX_WARNINGS; i++)
		fprintf(stderr, "xvmm: %s\n", cfg->warnings[i]);
	if (cfg->nr_warnings_dropped)
		fprintf(stderr, "xvmm: %s: %u more warning%s not shown\n", path,
			cfg->nr_warnings_dropped, cfg->nr_warnings_dropped == 1 ? "" : "s");
}

/* Kernel and ramdisk into a built image: 0, or 1 with a message. */
int cli_create_build(const struct xlcfg *cfg, struct cli_image *img)
{
	struct mapped kernel = { 0 }, ramdisk = { 0 };
	struct xvmm_err err;
	int rc;

	if (map_file("kernel", cfg->kernel, &kernel))
		return 1;
	if (cfg->ramdisk[0] && map_file("ramdisk", cfg->ramdisk, &ramdisk)) {
		unmap_file(&kernel);
		return 1;
	}
	rc = cli_image_build(img, cfg, kernel.p, kernel.len, ramdisk.p, ramdisk.len, &err);
	unmap_file(&kernel);
	unmap_file(&ramdisk);
	if (rc) {
		fprintf(stderr, "xvmm: building %s (kernel %s): %s\n", cfg->name, cfg->kernel,
			err.msg);
		return 1;
	}
	return 0;
}

/*
 * DOM_CREATE/WRITE/START of the built image on fd (freed here), then the
 * runner. 0 with *domid and *hold (cli_runner_spawn), or 1 with a message.
 */
int cli_create_start(int fd, const struct xlcfg *cfg, struct cli_image *img, uint32_t *domid,
		     int *hold)
{
	struct xvmm_err err;
	int rc = cli_domain_load(fd, cfg, img, domid, &err);

	/* The runner must not inherit the image (fork would keep its pages alive). */
	cli_image_free(img);
	if (rc) {
		fprintf(stderr, "xvmm: %s\n", err.msg);
		return 1;
	}
	rc = cli_runner_spawn(fd, *domid, cfg, hold, &err);
	if (rc) {
		fprintf(stderr, "xvmm: %s\n", err.msg);
		xdev_dom_destroy(fd, *domid);
		return 1;
	}
	return 0;
}

int cmd_create(int argc, char **argv)
{
	static struct xlcfg cfg;
	static struct cli_image img;
	struct xvmm_err err;
	const char *path = NULL;
	char **overrides;
	unsigned int nr = 0;
	bool console = false;
	uint32_t domid;
	int fd, rc, hold = -1;

	overrides = calloc((size_t)argc + 1, sizeof(*overrides));
	if (!overrides)
		return 1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-c")) {
			console = true;
		} else if (argv[i][0] == '-') {
			free(overrides);
			fprintf(stderr, "usage: xvmm create [-c] FILE [KEY=VALUE...]\n");
			return 2;
		} else if (!path) {
			path = argv[i];
		} else {
			overrides[nr++] = argv[i];
		}
	}
	if (!path) {
		free(overrides);
		fprintf(stderr, "usage: xvmm create [-c] FILE [KEY=VALUE...]\n");
		return 2;
	}

	rc = cli_cfg_parse(path, overrides, nr, &cfg, &err);
	free(overrides);
	print_warnings(&cfg, path);
	if (rc) {
		fprintf(stderr, "xvmm: %s\n", err.msg);
		return 1;
	}
	/* Disks that cannot be served stop the create, before any domain exists. */
	for (unsigned int i = 0; i < cfg.nr_disks; i++) {
		uint64_t sectors;
		bool is_file;
		int dfd;

		if (blkback_open_target(&cfg.disks[i], &dfd, &sectors, &is_file, &err)) {
			fprintf(stderr, "xvmm: %s\n", err.msg);
			return 1;
		}
		close(dfd);
	}
	/* So do vifs whose bridge is missing (vif-bridge would fail the same way). */
	for (unsigned int i = 0; i < cfg.nr_vifs; i++) {
		if (netback_check(&cfg.vifs[i], &err)) {
			fprintf(stderr, "xvmm: %s\n", err.msg);
			return 1;
		}
	}
	if (cli_create_build(&cfg, &img))
		return 1;
	fd = cli_open_dev();
	if (fd < 0) {
		cli_image_free(&img);
		return 1;
	}
	if (cli_create_start(fd, &cfg, &img, &domid, &hold)) {
		close(fd);
		return 1;
	}
	printf("xvmm: created domain %u (%s)\n", domid, cfg.name);
	fflush(stdout);
	if (!console) {
		close(hold);
		close(fd);
		return 0;
	}
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "xvmm: console of domain %u (%s); Ctrl-] detaches\n",
			domid, cfg.name);
	rc = cli_console(fd, domid, true, &err);
	close(hold);	/* the runner may now apply on_poweroff/on_reboot/on_crash */
	close(fd);
	if (rc) {
		fprintf(stderr, "xvmm: %s\n", err.msg);
		return 1;
	}
	return 0;
}
