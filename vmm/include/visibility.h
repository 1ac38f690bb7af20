/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included in every VMM object: all symbols are hidden, so the
 * position-independent image references them PC-relative, never via a GOT.
 */
#ifndef __ASSEMBLER__
#pragma GCC visibility push(hidden)
#endif
