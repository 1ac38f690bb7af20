/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the grant files share (grant_table.c): entries, active entries and
 * pins on the granting side, and maptrack tables on the mapping side.
 * Everything here runs with the xen.lock of the domain whose table it
 * touches.
 */
#ifndef VMM_XEN_GRANT_INTERNAL_H
#define VMM_XEN_GRANT_INTERNAL_H

#include "domain.h"
#include "xen_ops_abi.h"

/* Entries the table has now: a ref at or beyond this is GNTST_bad_gntref. */
u32 gnt_nr_entries(const struct domain *d);
/* The v1 entry of @ref as a VMM pointer, NULL if its frame is not mapped anywhere. */
struct grant_entry_v1 *gnt_entry(struct domain *d, u32 ref);

/*
 * Pin @ref of granting domain @rd for grantee @ld (0: dom0): Xen's
 * _set_status_v1 and active entry. A map (@map) may not name a sub-page
 * grant; @readonly pins take GTF_reading only. The first pin checks the
 * entry and fixes its frame; later ones must come from the same grantee.
 * On GNTST_okay the page is *page (VMM pointer) at host address *hpa, gfn
 * *gfn. gnt_unpin undoes one such pin (of the same @readonly).
 */
s16 gnt_pin(struct domain *rd, u32 ref, u16 ld, bool readonly, bool map,
	    u32 *gfn, u64 *hpa, u8 **page);
void gnt_unpin(struct domain *rd, u32 ref, bool readonly);

/* Maptrack tables: handles index them; entries come from a free list. */
void gnt_maptrack_init(struct xen_maptrack *t, u32 max_frames, bool by_host_gfn);
struct xen_gnt_map *gnt_map_get(const struct xen_maptrack *t, u32 handle);
struct xen_gnt_map *gnt_map_alloc(struct xen_maptrack *t, u32 *handle);	/* NULL: none left */
void gnt_map_free(struct xen_maptrack *t, u32 handle);
/* After a failed map gave its entry back: undo the growth its gnt_map_alloc() made. */
void gnt_maptrack_undo_grow(struct xen_maptrack *t, u32 frames_before);
void gnt_hash_add(struct xen_maptrack *t, u32 handle);
void gnt_hash_del(struct xen_maptrack *t, u32 handle);
u32 gnt_hash_first(const struct xen_maptrack *t, u64 key);	/* then m->hnext */
void gnt_maptrack_destroy(struct xen_maptrack *t);

/* Lock two domains' xen.lock, lower domid first (either may be NULL or the same). */
void gnt_lock_two(struct domain *a, struct domain *b);
void gnt_unlock_two(struct domain *a, struct domain *b);

/* Guest-to-guest grants (grant_guest.c): GNTTABOP_map_grant_ref, unmap_grant_ref, copy. */
s64 xen_gnttab_guest_map(struct vcpu *v, u64 uop, u32 count);
s64 xen_gnttab_guest_unmap(struct vcpu *v, u64 uop, u32 count);
s64 xen_gnttab_guest_copy(struct vcpu *v, bool compat, u64 uop, u32 count);
void xen_gnttab_guest_destroy(struct domain *d);

#endif
