// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer harness: the xl.cfg parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxvmm/xlcfg.h>

static struct xlcfg cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xvmm_err err;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = xlcfg_parse((const char *)data, size, "fuzz.cfg", &cfg, &err);
	if (rc == 0) {
		/* What a successful parse promises. */
		if (!cfg.name[0] || !cfg.kernel[0] || cfg.vcpus < 1 || cfg.vcpus > XLCFG_VCPUS_MAX ||
		    cfg.memory_mib < 1 || cfg.memory_mib > XLCFG_MEMORY_MAX_MIB ||
		    cfg.maxmem_mib < cfg.memory_mib || cfg.maxmem_mib > XLCFG_MEMORY_MAX_MIB ||
		    strnlen(cfg.cmdline, sizeof(cfg.cmdline)) == sizeof(cfg.cmdline) ||
		    cfg.nr_warnings > XLCFG_MAX_WARNINGS)
			abort();
	} else if (!memchr(err.msg, '\0', sizeof(err.msg)) || !err.msg[0]) {
		abort();	/* every error has a message */
	}
	return 0;
}
