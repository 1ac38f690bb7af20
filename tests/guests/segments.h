/* SPDX-License-Identifier: GPL-2.0-only */
/* Selectors of the guests' own GDT (head32.S); usable from C and assembly. */
#ifndef GUEST_SEGMENTS_H
#define GUEST_SEGMENTS_H

#define SEL_CS32	0x08
#define SEL_CS64	0x10
#define SEL_DS		0x18

#ifdef __x86_64__
#define SEL_CS		SEL_CS64
#else
#define SEL_CS		SEL_CS32
#endif

#endif /* GUEST_SEGMENTS_H */
