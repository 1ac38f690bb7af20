// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain table (domain_table.h). Two levels, so that Xen's id space
 * costs little: a static directory of DIRS pointers, each to one pool page
 * of LEAF_SLOTS domain pointers, allocated when the first id of its range
 * is reserved and retired when the last one goes. A lookup is two loads.
 *
 * Writers hold table_lock (short: no loop over domains, no allocation but
 * one page). Readers hold nothing; what they may still be looking at when
 * it leaves the table is freed only after a grace period: every CPU but
 * the reaper has entered dom0 since (dom0_npt_changed / _flushed_except,
 * memory.c). A CPU records that generation at the top of its run loop,
 * after the exit handler that looked something up has returned, so no
 * pointer from before can be in use then.
 */
#include "arch.h"
#include "domain_table.h"
#include "errno.h"
#include "lib.h"
#include "page_alloc.h"
#include "spinlock.h"
#include "vmm.h"

#define LEAF_SLOTS	(PAGE_SIZE / sizeof(struct domain *))
#define DIRS		((DOMAIN_ID_END + LEAF_SLOTS - 1) / LEAF_SLOTS)
/* A reserved id: its domain is being built, lookups see nothing yet. */
#define RESERVED	((struct domain *)1)

static struct domain **dir[DIRS];	/* read without the lock */
static u64 dir_pa[DIRS];
static u16 dir_used[DIRS];		/* ids of the leaf reserved or published */
/* Leaves out of dir[], freed after their grace period (or taken back first). */
static struct domain **retired[DIRS];
static u64 retired_pa[DIRS];
static u64 retired_gen[DIRS];
static unsigned int nr_retired;
/* Destroyed domains waiting for their grace period, newest first. */
static struct domain *zombies;
static unsigned int nr_zombies;
static unsigned int nr_domains;
static spinlock_t table_lock = SPINLOCK_INIT;

static bool id_ok(unsigned int id)
{
	return id != 0 && id < DOMAIN_ID_END;
}

int domain_table_reserve(unsigned int id)
{
	unsigned int i = id / LEAF_SLOTS;
	struct domain **leaf;
	int err = 0;
	u64 pa;

	if (!id_ok(id))
		return -EINVAL;
	spin_lock(&table_lock);
	leaf = dir[i];
	if (!leaf) {
		/* Readers may still hold a retired leaf: all NULL, so taking it back is safe. */
		if (retired[i]) {
			leaf = retired[i];
			pa = retired_pa[i];
			retired[i] = NULL;
			nr_retired--;
		} else if (!(leaf = page_alloc(&pa))) {
			err = -ENOMEM;
			goto out;
		}
		dir_pa[i] = pa;
		__atomic_store_n(&dir[i], leaf, __ATOMIC_RELEASE);
	}
	if (leaf[id % LEAF_SLOTS]) {
		err = -EEXIST;
		goto out;
	}
	leaf[id % LEAF_SLOTS] = RESERVED;
	dir_used[i]++;
	nr_domains++;
out:
	spin_unlock(&table_lock);
	return err;
}

/* Empty @id's slot (table_lock held); its leaf is retired when it was the last. */
static void release(unsigned int id, u64 gen)
{
	unsigned int i = id / LEAF_SLOTS;

	__atomic_store_n(&dir[i][id % LEAF_SLOTS], NULL, __ATOMIC_SEQ_CST);
	nr_domains--;
	if (--dir_used[i])
		return;
	retired[i] = dir[i];
	__atomic_store_n(&dir[i], NULL, __ATOMIC_SEQ_CST);
	retired_pa[i] = dir_pa[i];
	retired_gen[i] = gen;
	nr_retired++;
}

void domain_table_unreserve(unsigned int id)
{
	if (!id_ok(id))
		return;
	spin_lock(&table_lock);
	if (dir[id / LEAF_SLOTS] && dir[id / LEAF_SLOTS][id % LEAF_SLOTS] == RESERVED)
		release(id, dom0_npt_changed());
	spin_unlock(&table_lock);
}

void domain_table_publish(struct domain *d)
{
	spin_lock(&table_lock);
	if (id_ok(d->id) && dir[d->id / LEAF_SLOTS] &&
	    dir[d->id / LEAF_SLOTS][d->id % LEAF_SLOTS] == RESERVED)
		__atomic_store_n(&dir[d->id / LEAF_SLOTS][d->id % LEAF_SLOTS], d, __ATOMIC_RELEASE);
	spin_unlock(&table_lock);
}

void domain_table_retire(struct domain *d)
{
	u64 gen;

	spin_lock(&table_lock);
	/*
	 * The slot empties before the generation moves on: a CPU that records
	 * the new generation cannot find the domain any more.
	 */
	__atomic_store_n(&dir[d->id / LEAF_SLOTS][d->id % LEAF_SLOTS], NULL, __ATOMIC_SEQ_CST);
	gen = dom0_npt_changed();
	release(d->id, gen);
	d->retire_gen = gen;
	d->retire_next = zombies;
	zombies = d;
	nr_zombies++;
	spin_unlock(&table_lock);
}

static void free_struct(struct domain *d)
{
	u64 pa = d->struct_pa;
	unsigned int n = d->struct_pages;

	for (unsigned int i = 0; i < n; i++)
		page_free(pa + (u64)i * PAGE_SIZE);
}

void domain_table_reap(const struct vmm_cpu *self)
{
	struct domain *done = NULL, **pp;

	if (!READ_ONCE(nr_zombies) && !READ_ONCE(nr_retired))
		return;
	spin_lock(&table_lock);
	for (pp = &zombies; *pp;) {
		struct domain *d = *pp;

		if (dom0_npt_flushed_except(d->retire_gen, self)) {
			*pp = d->retire_next;
			d->retire_next = done;
			done = d;
			nr_zombies--;
		} else {
			pp = &d->retire_next;
		}
	}
	for (unsigned int i = 0; i < DIRS && nr_retired; i++) {
		if (retired[i] && dom0_npt_flushed_except(retired_gen[i], self)) {
			page_free(retired_pa[i]);
			retired[i] = NULL;
			nr_retired--;
		}
	}
	spin_unlock(&table_lock);
	while (done) {
		struct domain *d = done;

		done = d->retire_next;
		free_struct(d);
	}
}

unsigned int domain_table_count(void)
{
	return READ_ONCE(nr_domains);
}

unsigned int domain_table_pending(void)
{
	return READ_ONCE(nr_zombies) + READ_ONCE(nr_retired);
}

static struct domain *slot(unsigned int id, struct domain ***leaf_out)
{
	struct domain **leaf = __atomic_load_n(&dir[id / LEAF_SLOTS], __ATOMIC_ACQUIRE);

	*leaf_out = leaf;
	return leaf ? __atomic_load_n(&leaf[id % LEAF_SLOTS], __ATOMIC_ACQUIRE) : NULL;
}

static bool live(const struct domain *d)
{
	return d && d != RESERVED && READ_ONCE(d->state) != DOMAIN_FREE;
}

struct domain *domain_get(unsigned int id)
{
	struct domain **leaf, *d;

	if (!id_ok(id))
		return NULL;
	d = slot(id, &leaf);
	return live(d) ? d : NULL;
}

struct domain *domain_next(unsigned int *id)
{
	unsigned int n = *id + 1;

	while (n < DOMAIN_ID_END) {
		struct domain **leaf, *d = slot(n, &leaf);

		if (!leaf) {
			n = (n / LEAF_SLOTS + 1) * LEAF_SLOTS;	/* the whole range is empty */
			continue;
		}
		if (live(d)) {
			*id = n;
			return d;
		}
		n++;
	}
	return NULL;
}
