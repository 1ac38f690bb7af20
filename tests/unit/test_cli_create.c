// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for tools/cli/domain_build.c against a fake driver (the
 * xdev_* ioctl layer of tools/cli/dev.c, replaced here): the image is
 * built, DOM_CREATE gets the right sizes, DOM_WRITE copies exactly the
 * built bytes in pieces that never cross 2 MiB, DOM_START gets entry and
 * start info, and every failure after DOM_CREATE destroys the domain.
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvh_elf_fixture.h"

#include <xen/elfnote.h>
#include "cli.h"

/* ---- the fake driver ---------------------------------------------------- */

static struct fake {
	int create_rc, start_rc;
	int write_rc;			/* returned by write number fail_write */
	unsigned int fail_write;	/* 1-based; 0: never */
	unsigned int creates, writes, starts, destroys;
	uint32_t destroyed;
	struct xvmm_ioctl_dom_create req;
	uint64_t entry, start_info;
	uint8_t *ram;			/* the domain's memory, as the driver would hold it */
	uint8_t special[32 * 4096];
	uint64_t bytes_written;
	bool crossed_2m;
} fk;

static void fake_reset(void)
{
	free(fk.ram);
	memset(&fk, 0, sizeof(fk));
}

int xdev_dom_create(int fd, struct xvmm_ioctl_dom_create *req)
{
	(void)fd;
	fk.creates++;
	if (fk.create_rc)
		return fk.create_rc;
	fk.req = *req;
	req->domid = 5;
	fk.ram = calloc(1, req->ram_size);
	return fk.ram ? 0 : -ENOMEM;
}

int xdev_dom_write(int fd, uint32_t domid, uint64_t gpa, const void *buf, uint64_t len)
{
	(void)fd;
	assert_int_equal(domid, 5);
	fk.writes++;
	if (fk.fail_write == fk.writes)
		return fk.write_rc;
	if ((gpa >> 21) != ((gpa + len - 1) >> 21))
		fk.crossed_2m = true;
	if (gpa + len <= fk.req.ram_size) {
		memcpy(fk.ram + gpa, buf, len);
	} else {
		assert_true(gpa >= fk.req.special_gpa);
		assert_true(gpa + len <= fk.req.special_gpa + fk.req.nr_special * 4096ull);
		memcpy(fk.special + (gpa - fk.req.special_gpa), buf, len);
	}
	fk.bytes_written += len;
	return 0;
}

int xdev_dom_start(int fd, uint32_t domid, uint64_t entry, uint64_t start_info)
{
	(void)fd;
	assert_int_equal(domid, 5);
	fk.starts++;
	fk.entry = entry;
	fk.start_info = start_info;
	return fk.start_rc;
}

int xdev_dom_destroy(int fd, uint32_t domid)
{
	(void)fd;
	fk.destroys++;
	fk.destroyed = domid;
	return 0;
}

const char *cli_dom_strerror(int err)
{
	return strerror(err < 0 ? -err : err);
}

/* ---- helpers -------------------------------------------------------------- */

static size_t make_kernel(uint8_t *k)
{
	return make_pvh_elf64(k, 0x1ff000, 0x2000, 0x4000);
}

static uint8_t kernel[0x3000];
static size_t kernel_len;
static struct xlcfg cfg;
static struct cli_image img;
static struct xvmm_err err;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	kernel_len = make_kernel(kernel);
	xlcfg_init(&cfg);
	strcpy(cfg.name, "g1");
	strcpy(cfg.kernel, "vmlinux");
	strcpy(cfg.cmdline, "console=hvc0");
	cfg.memory_mib = 7;	/* rounds up to 8 MiB */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cli_image_free(&img);
	fake_reset();
	return 0;
}

static void build(void)
{
	assert_int_equal(cli_image_build(&img, &cfg, kernel, kernel_len, "RAMDISK!", 8, &err), 0);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_ram_size(void **state)
{
	(void)state;
	assert_int_equal(cli_ram_size(1), 2ull << 20);
	assert_int_equal(cli_ram_size(2), 2ull << 20);
	assert_int_equal(cli_ram_size(3), 4ull << 20);
	assert_int_equal(cli_ram_size(4032), 4032ull << 20);
	assert_int_equal(CLI_NR_SPECIAL, 24);	/* 16 ACPI + 8 special pages, <= 32 */
}

static void test_load_copies_the_image(void **state)
{
	uint32_t domid = 0;

	(void)state;
	build();
	assert_int_equal(img.ram_size, 8ull << 20);
	assert_int_equal(cli_domain_load(-1, &cfg, &img, &domid, &err), 0);
	assert_int_equal(domid, 5);
	assert_string_equal(fk.req.name, "g1");
	assert_int_equal(fk.req.nr_vcpus, 1);
	assert_int_equal(fk.req.ram_size, 8ull << 20);
	assert_int_equal(fk.req.special_gpa, XVMM_SPECIAL_BASE);
	assert_int_equal(fk.req.nr_special, XVMM_SPECIAL_SIZE / 4096);
	assert_int_equal(fk.req.flags, 0);
	/* What the domain holds is exactly what the builder made. */
	assert_memory_equal(fk.ram, img.ram, img.ram_size);
	assert_memory_equal(fk.special, img.special, XVMM_SPECIAL_SIZE);
	assert_false(fk.crossed_2m);
	/* kernel 4 pages (crossing 2 MiB: 2 pieces), ramdisk, boot info, ACPI, specials */
	assert_int_equal(fk.bytes_written, (4 + 1 + 1 + 1 + 8) * 4096ull);
	assert_int_equal(fk.starts, 1);
	assert_int_equal(fk.entry, 0x1ff040);
	assert_int_equal(fk.start_info, img.res.layout.start_info_addr);
	assert_int_equal(fk.destroys, 0);
}

static void test_create_fails_nothing_to_destroy(void **state)
{
	uint32_t domid = 0;

	(void)state;
	build();
	fk.create_rc = -EEXIST;
	assert_int_equal(cli_domain_load(-1, &cfg, &img, &domid, &err), -EEXIST);
	assert_string_equal(err.msg, "a domain named 'g1' already exists");
	fk.create_rc = -ENODEV;
	assert_int_equal(cli_domain_load(-1, &cfg, &img, &domid, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "cannot create domain 'g1': "));
	fk.create_rc = -EINVAL;
	assert_int_equal(cli_domain_load(-1, &cfg, &img, &domid, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "cannot create domain 'g1': "));
	assert_int_equal(fk.writes, 0);
	assert_int_equal(fk.destroys, 0);
}

static void test_write_fails_destroys(void **state)
{
	uint32_t domid = 0;

	(void)state;
	build();
	fk.fail_write = 3;
	fk.write_rc = -EFAULT;
	assert_int_equal(cli_domain_load(-1, &cfg, &img, &domid, &err), -EFAULT);
	assert_non_null(strstr(err.msg, "DOM_WRITE ["));
	assert_int_equal(fk.writes, 3);
	assert_int_equal(fk.starts, 0);
	assert_int_equal(fk.destroys, 1);
	assert_int_equal(fk.destroyed, 5);
}

static void test_start_fails_destroys(void **state)
{
	uint32_t domid = 0;

	(void)state;
	build();
	fk.start_rc = -ENOTTY;
	assert_int_equal(cli_domain_load(-1, &cfg, &img, &domid, &err), -ENOTTY);
	assert_non_null(strstr(err.msg, "DOM_START: "));
	assert_int_equal(fk.destroys, 1);
	assert_int_equal(fk.destroyed, 5);
}

static void test_name_too_long_for_driver(void **state)
{
	uint32_t domid = 0;

	(void)state;
	build();
	memset(cfg.name, 'n', XLCFG_NAME_MAX);	/* xl.cfg allows 64, the ABI holds 63 + NUL */
	cfg.name[XLCFG_NAME_MAX] = '\0';
	assert_int_equal(cli_domain_load(-1, &cfg, &img, &domid, &err), -ENAMETOOLONG);
	assert_non_null(strstr(err.msg, "at most 63 characters"));
	assert_int_equal(fk.creates, 0);
}

static void test_build_errors(void **state)
{
	(void)state;
	assert_int_equal(cli_image_build(&img, &cfg, kernel, 10, NULL, 0, &err), -ENOEXEC);
	assert_null(img.ram);
	cfg.memory_mib = 1;	/* 2 MiB: the kernel at 2 MiB - 4 KiB does not fit */
	assert_int_equal(cli_image_build(&img, &cfg, kernel, kernel_len, NULL, 0, &err), -ERANGE);
	assert_null(img.ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ram_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_copies_the_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_fails_nothing_to_destroy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_fails_destroys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_fails_destroys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_too_long_for_driver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_build_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
