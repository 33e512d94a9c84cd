/*
 * NATS KV helpers: a lock, a membership group and the shard space.
 *
 * KV TTL is bucket-wide in nats-server 2.9 (the stream's max age), so a
 * key lives for the bucket's max age after its last write; there is no
 * per-key TTL.
 *
 * Lock (bucket ZKV_LOCKS, max age [events] lock_ttl_s, history 1): the
 * key's value is the owner id.  Take = create if absent; renew = update
 * on our revision (every ttl/3); release = delete only if our revision
 * is still the last one (a KV-Operation: DEL message published with
 * Expected-Last-Subject-Sequence).  A holder that cannot reach the
 * server keeps working only while now < until_ms: the start of its last
 * successful take or renew, plus the ttl, minus a margin.  After that
 * the key may have expired and someone else may hold it.
 *
 * Membership (bucket ZKV_MEMBERS, max age [periodic] member_ttl_s,
 * history 1): each copy puts its own key "<host>-<pid>-<hex>" with value
 * {"host":..,"pid":..,"started":..} every ttl/4 (at least 1 s); a copy
 * that dies stops beating and its key expires.  The member list is the
 * sorted key list.  When the server cannot be read, the last known list
 * is kept; a copy that has not beaten for longer than the ttl works no
 * shards (the others have taken them over) until it beats again.
 *
 * Shards: a zone's shard is the first three hex digits of its id
 * (0..4095).  With n members sorted by key, member i works the i-th
 * contiguous slice of ceil(4096 / n) shards; the last slice may be
 * short or empty.
 *
 * Times named *_ms in the structs are CLOCK_MONOTONIC milliseconds
 * (zkv_now_ms).  Functions return 0 or a negative zerr code.
 */
#ifndef ZKV_H
#define ZKV_H

#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

#include "zcfg.h"
#include "znats.h"

#define ZKV_LOCKS	"zone_locks"
#define ZKV_MEMBERS	"zone_members"
#define ZKV_NSHARDS	4096
#define ZKV_KEYLEN	128
#define ZKV_MAXMEMBERS	1024

struct zkv_lock {
	jsCtx		*js;		/* own context: KV calls wait <= ttl/4 */
	kvStore		*kv;
	char		 key[ZKV_KEYLEN];
	char		 owner[ZKV_KEYLEN];
	uint64_t	 rev;		/* our revision; 0 when not held */
	int64_t		 ttl_ms;	/* the bucket's max age */
	int64_t		 until_ms;	/* held for sure before this */
	int64_t		 next_ms;	/* next renew (or take attempt) */
	int		 wait_ms;	/* KV call timeout */
};

struct zkv_member {
	jsCtx		*js;
	kvStore		*kv;
	char		 key[ZKV_KEYLEN];	/* our member id */
	char		*value;			/* our JSON value */
	int64_t		 ttl_ms;
	int64_t		 beat_ms;	/* beat period */
	int64_t		 next_ms;	/* next beat */
	int64_t		 ok_ms;		/* start of the last good beat, 0 */
	int64_t		 list_ms;	/* when the list was last read, 0 */
	char		**keys;		/* last known list, sorted */
	int		 nkeys;
	int		 wait_ms;
};

/* Monotonic milliseconds. */
int64_t	zkv_now_ms(void);

/*
 * Open (create when missing) a bucket with history 1, file storage,
 * [nats] replicas and max age `ttl_s'.  An existing bucket keeps its
 * own max age: *ttl_s_found gets it (may be NULL).  *kv is the caller's
 * to kvStore_Destroy; `js' must outlive it.
 */
int	zkv_bucket(jsCtx *js, const char *bucket, int ttl_s, int replicas,
	    kvStore **kv, int *ttl_s_found);

/* Lock.  open: the bucket and a context; nothing is taken yet. */
int	zkv_lock_open(struct zkv_lock *, struct znats *, const struct zcfg *,
	    const char *key, const char *owner);
/* 0 taken; ZE_EXISTS held by someone else; ZE_NATS/ZE_TIMEOUT. */
int	zkv_lock_take(struct zkv_lock *);
/* 0 renewed; ZE_CONFLICT lost (rev is cleared); ZE_NATS/ZE_TIMEOUT:
 * not renewed, still held while zkv_lock_held(). */
int	zkv_lock_renew(struct zkv_lock *);
/* 0 released; ZE_CONFLICT it was no longer ours; else a NATS error.
 * The lock is no longer held by us in every case. */
int	zkv_lock_release(struct zkv_lock *);
/* 1 when the lock is ours and may be worked under at `now_ms'. */
int	zkv_lock_held(const struct zkv_lock *, int64_t now_ms);
/* Take when not held, renew when due; returns zkv_lock_held(). */
int	zkv_lock_tick(struct zkv_lock *, int64_t now_ms);
/* Release when held, then free. */
void	zkv_lock_close(struct zkv_lock *);

/* Membership.  join: the bucket, our key, a first beat (its error). */
int	zkv_member_join(struct zkv_member *, struct znats *,
	    const struct zcfg *, const char *host);
/* Put our key; on success ok_ms is the time the call started. */
int	zkv_member_beat(struct zkv_member *);
/* Beat when due; returns zkv_member_beat's code, or 0 when not due. */
int	zkv_member_tick(struct zkv_member *, int64_t now_ms);
/* Re-read the sorted list (the subjects of the bucket's stream, from
 * the stream leader); on failure the last one is kept.  A list without
 * our own key is a stale read: ZE_NOTFOUND. */
int	zkv_member_list(struct zkv_member *);
/* Our index and the member count in the last list read; our own key
 * counts even when that read missed it (we have beaten since).  0. */
int	zkv_member_index(const struct zkv_member *, int *index, int *n);
/* 1 when we may work shards at `now_ms': beaten within the ttl. */
int	zkv_member_alive(const struct zkv_member *, int64_t now_ms);
/* Remove our key (a clean stop: the others rebalance at once): its
 * subject is purged, so no delete marker stays in the bucket. */
int	zkv_member_leave(struct zkv_member *);
void	zkv_member_close(struct zkv_member *);

/* Pure helpers (unit-tested). */
/* A valid KV key: [-/_=.a-zA-Z0-9]+, not starting or ending with '.'. */
int	zkv_key_valid(const char *);
/* "<host>-<pid>-<hex>" with the host's other characters made '_'. */
int	zkv_member_key(char *buf, size_t len, const char *host, long pid,
	    uint32_t rnd);
/* Shard of a zone id (first three hex digits), or -1. */
int	zkv_shard_of(const char *zone_id);
/* Slice of member i of n: 0 and [*first, *last]; ZE_NOTFOUND when the
 * slice is empty (or i is not in 0..n-1). */
int	zkv_shards(int n, int i, int *first, int *last);
/* Index of `key' in the sorted list, or -1. */
int	zkv_index(char *const *keys, int n, const char *key);
/* Wall-clock period start: floor(now_s / interval) * interval. */
int64_t	zkv_period(int64_t now_s, int64_t interval_s);
/*
 * Shards done in a period: a bitmap of ZKV_NSHARDS bits.  zkv_todo finds
 * the first maximal run of undone shards inside [first, last]: 0 with
 * [*a, *b], or ZE_NOTFOUND when all are done.
 */
#define ZKV_DONE_BYTES	(ZKV_NSHARDS / 8)
void	zkv_done_set(uint8_t *done, int a, int b);
int	zkv_done_get(const uint8_t *done, int s);
int	zkv_todo(const uint8_t *done, int first, int last, int *a, int *b);

/*
 * The exists task's bookkeeping: the shards done in the current period
 * and, so that an outage or a stall does not lose it, in the one before.
 */
struct zkv_periods {
	int64_t	period;			/* -1 before the first */
	uint8_t	done[ZKV_DONE_BYTES];
	uint8_t	prev[ZKV_DONE_BYTES];
	int	prev_first, prev_last;	/* my slice then; -1: nothing */
};

void	zkv_periods_init(struct zkv_periods *);
/*
 * Move to period `p' (interval `iv') holding the slice first..last
 * (first -1: none).  The period before p is left to finish within that
 * slice: what was done of it, or all of it when p skipped it; nothing
 * for a copy that just started or held no slice.  1 when p is new.
 */
int	zkv_periods_roll(struct zkv_periods *, int64_t p, int64_t iv,
	    int first, int last);
/* What is left to look at of the period before, within first..last: 0
 * with [*a, *b] (then zkv_todo on prev), or ZE_NOTFOUND. */
int	zkv_periods_prev(const struct zkv_periods *, int first, int last,
	    int *a, int *b);

#endif
