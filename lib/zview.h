/*
 * The view: a host's LMDB copy of the journal (ARCHITECTURE.md "State").
 * Journal messages are applied in order, several per write transaction,
 * and the applied stream sequence is committed in the same transaction
 * as the data, so a replay or a second applier on the same environment
 * changes nothing.
 *
 * A journal message (zone-messages(7)) is one JSON object:
 *   {"zone_id": "<uuid>",
 *    "zone": {...full zone...} | absent,       put the zone
 *    "rrsets_put": [{...full recordset...}],   put these recordsets
 *    "rrsets_del": ["<uuid>", ...],            delete these recordsets
 *    "purge": true,                            drop the zone and all it holds
 *    "objs": [{"kind":K,"obj":{..}}|{"kind":K,"obj_del":"<id>"}]}
 *                                              objects of the zone: shares,
 *                                              transfer requests and accepts
 * The applier stamps each stored zone with "_seq", the stream sequence of
 * the message that wrote it (the zone subject's last sequence), which is
 * the expectation of the next optimistic write.
 *
 * A pool message: {"pool": {...normalized pool, zpool.h...}} puts a pool,
 * {"pool_del": "<uuid>"} removes one.
 *
 * An admin object message (tlds, blacklists, tsigkeys, quotas):
 * {"kind": "tld", "obj": {...full object with "id"...}} puts an object,
 * stamped with "_seq" like a zone; {"kind": "tld", "obj_del": "<id>"}
 * removes one.  Each kind has one unique member (tld name, tsigkey name,
 * both without case; blacklist pattern; quota project_id) that is
 * indexed for lookups.
 *
 * For every zone message the applier also records the change as an IXFR
 * delta (old serial -> new serial: the records removed and the records
 * added, each list starting with the SOA), keeps the last ZVIEW_DELTAS of
 * each zone, and bumps the pool's catalog serial when a zone joins or
 * leaves the pool's catalog (a member: in the pool, not deleted, action
 * not DELETE).
 *
 * Databases: meta (applied sequence), zones (id -> zone), znames
 * (reversed lower-case name -> id, live zones), zproj (project/id),
 * rrsets (zone/rrset -> recordset), rrnames (zone/name/type -> id),
 * rrids (rrset id -> zone id), wire (zone/rrset -> records in DNS wire
 * form, for zone-xfr), pools (id -> pool), deltas (zone/from-serial ->
 * delta), graves (id -> soft-deleted zone), objs (kind/id -> admin
 * object), onames (kind/unique value -> id).
 *
 * Wire form: a run of records, each a 2-byte big-endian length then the
 * record as ldns_rr2wire writes it (owner uncompressed and lower case,
 * type, class, ttl, rdlength, rdata).  A recordset whose ttl is null has
 * its records written with the zone's ttl (rewritten when that changes).
 */
#ifndef ZVIEW_H
#define ZVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <lmdb.h>

struct zview {
	MDB_env		*env;
	MDB_dbi		 meta, zones, znames, zproj, rrsets, rrnames, rrids, wire;
	MDB_dbi		 pools, deltas, graves, objs, onames;
};

struct zview_msg {
	uint64_t	 seq;
	const char	*data;
	size_t		 len;
};

int	 zview_open(struct zview *, const char *path, size_t map_mb);
void	 zview_close(struct zview *);
/* Remove the environment's files under path (for rebuild). */
int	 zview_destroy(const char *path);
int	 zview_err(int mdb_rc);

/* Apply messages in one write transaction; already-applied sequences
 * are skipped.  *applied gets the applied sequence after the commit. */
int	 zview_apply(struct zview *, const struct zview_msg *, size_t n,
	    uint64_t *applied);
int	 zview_applied(struct zview *, uint64_t *);

/* Reads: all take a read transaction from zview_rbegin. */
int	 zview_rbegin(struct zview *, MDB_txn **);
void	 zview_rend(MDB_txn *);
/* Each *out is a new reference. ZE_NOTFOUND when absent. */
int	 zview_zone(struct zview *, MDB_txn *, const char *id, json_t **out);
int	 zview_zone_by_name(struct zview *, MDB_txn *, const char *name,
	    json_t **out);
int	 zview_rrset(struct zview *, MDB_txn *, const char *zone_id,
	    const char *id, json_t **out);
int	 zview_rrset_zone(struct zview *, MDB_txn *, const char *id,
	    char zone_id[37]);
int	 zview_rrset_by_name(struct zview *, MDB_txn *, const char *zone_id,
	    const char *name, const char *type, json_t **out);

/* How many zones a project holds (kept by the applier, O(1)). */
int	 zview_zones_count(struct zview *, MDB_txn *, const char *project,
	    uint64_t *n);

/* Iterators: the callback gets a borrowed object; a non-zero return
 * stops the walk and is returned. */
typedef int	(*zview_cb)(json_t *, void *);
/* Zones of one project, or all zones when project is NULL. */
int	 zview_zones_each(struct zview *, MDB_txn *, const char *project,
	    zview_cb, void *);
int	 zview_rrsets_each(struct zview *, MDB_txn *, const char *zone_id,
	    zview_cb, void *);
/* Recordsets of a zone at one name (any type). */
int	 zview_rrsets_at(struct zview *, MDB_txn *, const char *zone_id,
	    const char *name, zview_cb, void *);
/* Zones by id from `from' on (inclusive; "" for the first), in id
 * order: the live ones, or with graves set the soft-deleted ones kept
 * until purged. */
int	 zview_zones_from(struct zview *, MDB_txn *, int graves,
	    const char *from, zview_cb, void *);
/* A soft-deleted zone (ZE_NOTFOUND when there is none). */
int	 zview_grave(struct zview *, MDB_txn *, const char *id, json_t **out);
/* Live zones strictly below `name'. */
int	 zview_zones_below(struct zview *, MDB_txn *, const char *name,
	    zview_cb, void *);
/* Wire records of one recordset (owner, type, class, ttl, rdata each). */
int	 zview_wire(struct zview *, MDB_txn *, const char *zone_id,
	    const char *id, const void **data, size_t *len);

/* Pools: *out a new reference; ZE_NOTFOUND when absent. */
int	 zview_pool(struct zview *, MDB_txn *, const char *id, json_t **out);
int	 zview_pools_each(struct zview *, MDB_txn *, zview_cb, void *);

/* Admin objects (tld, blacklist, tsigkey, quota): *out a new reference
 * (with "_seq"); ZE_NOTFOUND when absent.  by_name looks up the kind's
 * unique member (normalized as zview_obj_norm does). */
int	 zview_obj(struct zview *, MDB_txn *, const char *kind, const char *id,
	    json_t **out);
int	 zview_obj_by_name(struct zview *, MDB_txn *, const char *kind,
	    const char *name, json_t **out);
int	 zview_objs_each(struct zview *, MDB_txn *, const char *kind,
	    zview_cb, void *);
/* The unique value of a kind as the index keeps it (lower case for tld
 * and tsigkey names); -EINVAL for an unknown kind. */
int	 zview_obj_norm(const char *kind, const char *value, char *out,
	    size_t len);

/* Every record of a zone in wire form (SOA included, in no particular
 * order): fn gets one record (without the length prefix). */
typedef int	(*zview_rr_fn)(const uint8_t *rr, size_t len, void *arg);
int	 zview_zone_rrs(struct zview *, MDB_txn *, const char *zone_id,
	    zview_rr_fn, void *);

#define ZVIEW_DELTAS	100	/* IXFR history kept per zone */

struct zview_delta {
	uint32_t	 from, to;	/* serials */
	const uint8_t	*del;		/* wire run: SOA(from) first */
	size_t		 dellen;
	const uint8_t	*add;		/* wire run: SOA(to) first */
	size_t		 addlen;
};
/* The delta that leaves serial `from' (pointers valid for the txn);
 * ZE_NOTFOUND when that history is gone or never was. */
int	 zview_delta(struct zview *, MDB_txn *, const char *zone_id,
	    uint32_t from, struct zview_delta *);
/* Serial of a pool's catalog zone: changes when its membership does
 * (0 when the pool never had a zone). */
/* Is `zone' on its pool's servers: a catalog member that zone-xfr
 * serves (live, not being deleted; or abandoned: gone from the API only)? */
int	 zview_member(const json_t *zone);
int	 zview_catalog_serial(struct zview *, MDB_txn *, const char *pool_id,
	    uint32_t *serial);

/* Every key and value of every database, sorted, one per line. */
int	 zview_dump(struct zview *, FILE *);

/* "www.Example.org." -> "org.example.www." (lower case, labels reversed). */
int	 zview_revname(const char *name, char *out, size_t len);

#endif
