/* SPDX-License-Identifier: GPL-2.0-only */
/* The exit dispatch table (exit.c), visible to the unit tests. */
#ifndef VMM_SVM_EXIT_H
#define VMM_SVM_EXIT_H

#include "svm.h"

typedef int (*svm_exit_handler_t)(struct vmm_cpu *c, struct svm_world *w);

/* Exit codes 0x000-0x0ff are dense; of the later ones (0x400+) only NPF has a handler. */
#define SVM_EXIT_TABLE_SIZE	0x100

extern const svm_exit_handler_t svm_exit_handlers[SVM_EXIT_TABLE_SIZE];
svm_exit_handler_t svm_exit_handler(u64 exit_code);

#endif
