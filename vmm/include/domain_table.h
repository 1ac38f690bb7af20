/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The domain table (vmm/core/domain_table.c): domain id -> struct domain
 * for ids 1..DOMAIN_ID_END-1, Xen's whole id space (DOMID_FIRST_RESERVED
 * and above name no ordinary domain, xen.h). Who picks an id: the driver
 * (docs/domains.md "Domain ids"); the table only holds them.
 *
 * Lookups (domain_get, domain_next) take no lock and no reference: the
 * pointer they return stays valid until the handler that asked ends,
 * because a domain leaves the table before it is freed and is freed only
 * once every other CPU has entered dom0 since (the generation of dom0's
 * nested table, as grant unmaps wait for: memory.c). Those entries are a
 * grace period; domain_table_reap frees what has passed one.
 */
#ifndef VMM_DOMAIN_TABLE_H
#define VMM_DOMAIN_TABLE_H

#include "types.h"
#include <xen/xen.h>

#define DOMAIN_ID_END	DOMID_FIRST_RESERVED

struct domain;
struct vmm_cpu;

/*
 * Reserve @id for a domain being created: 0, -EINVAL (0 or not below
 * DOMAIN_ID_END), -EEXIST (taken, or being created or destroyed),
 * -ENOMEM (no pool page for that part of the table).
 */
int domain_table_reserve(unsigned int id);
/* A reserved id whose creation failed: free again (nothing was published). */
void domain_table_unreserve(unsigned int id);
/* The domain at its reserved id, fully built: lookups find it from now. */
void domain_table_publish(struct domain *d);
/*
 * Take a destroyed domain out of the table (its id is free again) and
 * free its struct (d->struct_pa, d->struct_pages) after a grace period.
 */
void domain_table_retire(struct domain *d);
/* Free what has passed its grace period; @self is the calling CPU (none of its pointers are live). */
void domain_table_reap(const struct vmm_cpu *self);
/* Ids reserved or published. */
unsigned int domain_table_count(void);
/* Retired structs and table pages not freed yet (tests, docs). */
unsigned int domain_table_pending(void);

/* NULL unless a published domain that is not being destroyed has @id. */
struct domain *domain_get(unsigned int id);
/* The next such domain after *@id (start at 0), its id in *@id; NULL at the end. */
struct domain *domain_next(unsigned int *id);

#endif
