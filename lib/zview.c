#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zerr.h"
#include "zvalid.h"
#include "zview.h"

#define KEYMAX	512

int
zview_err(int rc)
{
	switch (rc) {
	case MDB_SUCCESS:
		return 0;
	case MDB_NOTFOUND:
		return ZE_NOTFOUND;
	case MDB_KEYEXIST:
		return ZE_EXISTS;
	case MDB_MAP_FULL:
		return -ENOSPC;
	default:
		if (rc > 0)
			return -rc;	/* an errno */
		return ZE_DB;
	}
}

int
zview_revname(const char *name, char *out, size_t len)
{
	size_t	i, j, k, n, o = 0;

	n = strlen(name);
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n + 2 > len)
		return -ENAMETOOLONG;
	for (i = n; i > 0; i = j > 0 ? j - 1 : 0) {
		for (j = i; j > 0 && name[j - 1] != '.'; j--)
			;
		for (k = j; k < i; k++)
			out[o++] = tolower((unsigned char)name[k]);
		out[o++] = '.';
	}
	out[o] = '\0';
	return 0;
}

int
zview_open(struct zview *v, const char *path, size_t map_mb)
{
	MDB_txn	*txn = NULL;
	int	 rc;

	memset(v, 0, sizeof(*v));
	if (mkdir(path, 0750) == -1 && errno != EEXIST)
		return -errno;
	if ((rc = mdb_env_create(&v->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(v->env, 16)) != 0 ||
	    (rc = mdb_env_set_maxreaders(v->env, 512)) != 0 ||
	    (rc = mdb_env_set_mapsize(v->env, map_mb << 20)) != 0)
		goto fail;
	/*
	 * The journal is the durable copy: the view skips fsync.  A killed
	 * process loses nothing (LMDB commits are atomic); after a host
	 * crash `zone-manage view rebuild' makes it again.
	 */
	if ((rc = mdb_env_open(v->env, path, MDB_NOTLS | MDB_NOSYNC | MDB_WRITEMAP, 0640)) != 0)
		goto fail;
	if ((rc = mdb_txn_begin(v->env, NULL, 0, &txn)) != 0)
		goto fail;
	if ((rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &v->meta)) != 0 ||
	    (rc = mdb_dbi_open(txn, "zones", MDB_CREATE, &v->zones)) != 0 ||
	    (rc = mdb_dbi_open(txn, "znames", MDB_CREATE, &v->znames)) != 0 ||
	    (rc = mdb_dbi_open(txn, "zproj", MDB_CREATE, &v->zproj)) != 0 ||
	    (rc = mdb_dbi_open(txn, "rrsets", MDB_CREATE, &v->rrsets)) != 0 ||
	    (rc = mdb_dbi_open(txn, "rrnames", MDB_CREATE, &v->rrnames)) != 0 ||
	    (rc = mdb_dbi_open(txn, "rrids", MDB_CREATE, &v->rrids)) != 0 ||
	    (rc = mdb_dbi_open(txn, "wire", MDB_CREATE, &v->wire)) != 0 ||
	    (rc = mdb_dbi_open(txn, "pools", MDB_CREATE, &v->pools)) != 0 ||
	    (rc = mdb_dbi_open(txn, "deltas", MDB_CREATE, &v->deltas)) != 0 ||
	    (rc = mdb_dbi_open(txn, "graves", MDB_CREATE, &v->graves)) != 0 ||
	    (rc = mdb_dbi_open(txn, "objs", MDB_CREATE, &v->objs)) != 0 ||
	    (rc = mdb_dbi_open(txn, "onames", MDB_CREATE, &v->onames)) != 0) {
		mdb_txn_abort(txn);
		goto fail;
	}
	if ((rc = mdb_txn_commit(txn)) != 0)
		goto fail;
	return 0;
fail:
	mdb_env_close(v->env);
	v->env = NULL;
	return zview_err(rc);
}

void
zview_close(struct zview *v)
{
	if (v->env != NULL)
		mdb_env_close(v->env);
	v->env = NULL;
}

int
zview_destroy(const char *path)
{
	char	p[1024];

	snprintf(p, sizeof(p), "%s/data.mdb", path);
	if (unlink(p) == -1 && errno != ENOENT)
		return -errno;
	snprintf(p, sizeof(p), "%s/lock.mdb", path);
	if (unlink(p) == -1 && errno != ENOENT)
		return -errno;
	return 0;
}

/* --- keys --- */

static int
zkey(char *buf, size_t len, MDB_val *k, const char *a, const char *b,
    const char *c)
{
	int	n;

	if (c != NULL)
		n = snprintf(buf, len, "%s/%s/%s", a, b, c);
	else if (b != NULL)
		n = snprintf(buf, len, "%s/%s", a, b);
	else
		n = snprintf(buf, len, "%s", a);
	if (n < 0 || (size_t)n >= len || n >= 511)
		return -ENAMETOOLONG;
	k->mv_data = buf;
	k->mv_size = (size_t)n;
	return 0;
}

static int
zlower(const char *s, char *out, size_t len)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i + 1 >= len)
			return -ENAMETOOLONG;
		out[i] = tolower((unsigned char)s[i]);
	}
	out[i] = '\0';
	return 0;
}

static int
zjson_get(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, json_t **out)
{
	MDB_val		 d;
	json_error_t	 jerr;
	int		 rc;

	*out = NULL;
	if ((rc = mdb_get(txn, dbi, k, &d)) != 0)
		return zview_err(rc);
	if ((*out = json_loadb(d.mv_data, d.mv_size, 0, &jerr)) == NULL)
		return ZE_BADMSG;
	return 0;
}

static int
zjson_put(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, const json_t *o)
{
	MDB_val	 d;
	char	*s;
	int	 rc;

	if ((s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return -ENOMEM;
	d.mv_data = s;
	d.mv_size = strlen(s);
	rc = mdb_put(txn, dbi, k, &d, 0);
	free(s);
	return zview_err(rc);
}

static int
zput_str(MDB_txn *txn, MDB_dbi dbi, MDB_val *k, const char *s)
{
	MDB_val	d;

	d.mv_data = (void *)(uintptr_t)s;
	d.mv_size = strlen(s);
	return zview_err(mdb_put(txn, dbi, k, &d, 0));
}

static int
zdel(MDB_txn *txn, MDB_dbi dbi, MDB_val *k)
{
	int	rc = mdb_del(txn, dbi, k, NULL);

	return rc == MDB_NOTFOUND ? 0 : zview_err(rc);
}

static const char *
zstr(const json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static uint32_t
zi_serial(const json_t *zone)
{
	return (uint32_t)json_integer_value(json_object_get(zone, "serial"));
}

/* --- apply --- */

static int
zview_rrset_unindex(struct zview *v, MDB_txn *txn, const char *zid,
    const char *rid)
{
	char	 kb[KEYMAX], nb[300];
	MDB_val	 k;
	json_t	*old = NULL;
	int	 rc;

	if (zkey(kb, sizeof(kb), &k, zid, rid, NULL) < 0)
		return -ENAMETOOLONG;
	rc = zjson_get(txn, v->rrsets, &k, &old);
	if (rc == ZE_NOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	if ((rc = zdel(txn, v->rrsets, &k)) < 0 ||
	    (rc = zdel(txn, v->wire, &k)) < 0)
		goto out;
	if (zlower(zstr(old, "name"), nb, sizeof(nb)) == 0 &&
	    zkey(kb, sizeof(kb), &k, zid, nb, zstr(old, "type")) == 0 &&
	    (rc = zdel(txn, v->rrnames, &k)) < 0)
		goto out;
	if (zkey(kb, sizeof(kb), &k, rid, NULL, NULL) == 0)
		rc = zdel(txn, v->rrids, &k);
out:
	json_decref(old);
	return rc;
}

static int
zview_rrset_wire(const json_t *zone, const json_t *rs, char **out,
    size_t *outlen)
{
	const json_t	*recs, *r, *ttlv;
	uint8_t		*w;
	char		*buf = NULL, *nb;
	size_t		 i, len = 0, wl;
	uint32_t	 ttl;
	int		 rc;

	ttlv = json_object_get(rs, "ttl");
	ttl = (uint32_t)json_integer_value(json_is_integer(ttlv) ? ttlv :
	    json_object_get(zone, "ttl"));
	recs = json_object_get(rs, "records");
	json_array_foreach(recs, i, r) {
		rc = zvalid_rr_wire(zstr(rs, "name"), zstr(rs, "type"), ttl,
		    json_string_value(r), &w, &wl);
		if (rc < 0) {
			free(buf);
			return rc;
		}
		if ((nb = realloc(buf, len + wl + 2)) == NULL) {
			free(w);
			free(buf);
			return -ENOMEM;
		}
		buf = nb;
		buf[len] = (char)(wl >> 8);
		buf[len + 1] = (char)(wl & 0xff);
		memcpy(buf + len + 2, w, wl);
		len += wl + 2;
		free(w);
	}
	*out = buf;
	*outlen = len;
	return 0;
}

static int
zview_rrset_put(struct zview *v, MDB_txn *txn, const json_t *zone,
    const json_t *rs)
{
	const char	*zid = zstr(rs, "zone_id"), *rid = zstr(rs, "id");
	char		 kb[KEYMAX], nb[300], *w = NULL;
	size_t		 wl = 0;
	MDB_val		 k, d;
	int		 rc;

	if ((rc = zview_rrset_unindex(v, txn, zid, rid)) < 0)
		return rc;
	if ((rc = zkey(kb, sizeof(kb), &k, zid, rid, NULL)) < 0 ||
	    (rc = zjson_put(txn, v->rrsets, &k, rs)) < 0)
		return rc;
	if (zview_rrset_wire(zone, rs, &w, &wl) == 0 && wl > 0) {
		d.mv_data = w;
		d.mv_size = wl;
		rc = zview_err(mdb_put(txn, v->wire, &k, &d, 0));
	}
	free(w);
	if (rc < 0)
		return rc;
	if ((rc = zlower(zstr(rs, "name"), nb, sizeof(nb))) < 0 ||
	    (rc = zkey(kb, sizeof(kb), &k, zid, nb, zstr(rs, "type"))) < 0 ||
	    (rc = zput_str(txn, v->rrnames, &k, rid)) < 0)
		return rc;
	if ((rc = zkey(kb, sizeof(kb), &k, rid, NULL, NULL)) < 0)
		return rc;
	return zput_str(txn, v->rrids, &k, zid);
}

/* Zones per project, kept in meta as "zones/<project>" (a uint64). */
static int
zview_count_add(struct zview *v, MDB_txn *txn, const char *project,
    int delta)
{
	char		kb[KEYMAX];
	MDB_val		k, d;
	uint64_t	n = 0;
	int		rc;

	if ((rc = zkey(kb, sizeof(kb), &k, "zones", project, NULL)) < 0)
		return rc;
	if (mdb_get(txn, v->meta, &k, &d) == 0 && d.mv_size == sizeof(n))
		memcpy(&n, d.mv_data, sizeof(n));
	n = delta < 0 && n == 0 ? 0 : n + (uint64_t)(int64_t)delta;
	d.mv_data = &n;
	d.mv_size = sizeof(n);
	return zview_err(mdb_put(txn, v->meta, &k, &d, 0));
}

/* A fixed-size value of meta under "<a>/<b>"; zero when absent. */
static int
zview_meta_get(struct zview *v, MDB_txn *txn, const char *a, const char *b,
    void *out, size_t size)
{
	char	kb[KEYMAX];
	MDB_val	k, d;
	int	rc;

	memset(out, 0, size);
	if ((rc = zkey(kb, sizeof(kb), &k, a, b, NULL)) < 0)
		return rc;
	rc = mdb_get(txn, v->meta, &k, &d);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return zview_err(rc);
	if (d.mv_size == size)
		memcpy(out, d.mv_data, size);
	return 0;
}

int
zview_zones_count(struct zview *v, MDB_txn *txn, const char *project,
    uint64_t *n)
{
	return zview_meta_get(v, txn, "zones", project, n, sizeof(*n));
}

static int
zview_zone_unindex(struct zview *v, MDB_txn *txn, const json_t *old)
{
	char	kb[KEYMAX], rb[300];
	MDB_val	k, d;
	int	rc;

	if (zview_revname(zstr(old, "name"), rb, sizeof(rb)) == 0 &&
	    zkey(kb, sizeof(kb), &k, rb, NULL, NULL) == 0 &&
	    mdb_get(txn, v->znames, &k, &d) == 0 &&
	    d.mv_size == strlen(zstr(old, "id")) &&
	    memcmp(d.mv_data, zstr(old, "id"), d.mv_size) == 0 &&
	    (rc = zdel(txn, v->znames, &k)) < 0)
		return rc;
	if ((rc = zkey(kb, sizeof(kb), &k, zstr(old, "project_id"),
	    zstr(old, "id"), NULL)) < 0)
		return rc;
	rc = mdb_del(txn, v->zproj, &k, NULL);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return zview_err(rc);
	return zview_count_add(v, txn, zstr(old, "project_id"), -1);
}

static int
zview_purge(struct zview *v, MDB_txn *txn, const char *zid)
{
	MDB_cursor	*c = NULL;
	MDB_val		 k, d;
	char		 kb[KEYMAX], rid[64];
	size_t		 zl = strlen(zid);
	int		 rc;

	for (;;) {
		/* restart the cursor after each delete: unindex moves it */
		if ((rc = mdb_cursor_open(txn, v->rrsets, &c)) != 0)
			return zview_err(rc);
		snprintf(kb, sizeof(kb), "%s/", zid);
		k.mv_data = kb;
		k.mv_size = zl + 1;
		rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE);
		if (rc != 0 || k.mv_size <= zl + 1 ||
		    memcmp(k.mv_data, kb, zl + 1) != 0 ||
		    k.mv_size - zl - 1 >= sizeof(rid)) {
			mdb_cursor_close(c);
			break;
		}
		memcpy(rid, (char *)k.mv_data + zl + 1, k.mv_size - zl - 1);
		rid[k.mv_size - zl - 1] = '\0';
		mdb_cursor_close(c);
		if ((rc = zview_rrset_unindex(v, txn, zid, rid)) < 0)
			return rc;
	}
	if (zkey(kb, sizeof(kb), &k, zid, NULL, NULL) < 0)
		return -ENAMETOOLONG;
	return zdel(txn, v->zones, &k);
}

/* --- IXFR deltas and catalog serials --- */

/* A growable byte buffer. */
struct zbuf {
	uint8_t	*p;
	size_t	 len, cap;
};

static int
zbuf_add(struct zbuf *b, const void *data, size_t len)
{
	uint8_t	*np;
	size_t	 cap;

	if (b->len + len > b->cap) {
		cap = b->cap ? b->cap * 2 : 1024;
		while (cap < b->len + len)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	if (len > 0)
		memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

struct zdelta_acc {
	struct zbuf	soa_del, soa_add, del, add;
};

static void
zdelta_free(struct zdelta_acc *d)
{
	free(d->soa_del.p);
	free(d->soa_add.p);
	free(d->del.p);
	free(d->add.p);
	memset(d, 0, sizeof(*d));
}

/* The current wire run of one recordset, appended to `out'. */
static int
zview_wire_copy(struct zview *v, MDB_txn *txn, const char *zid,
    const char *rid, struct zbuf *out)
{
	char	kb[KEYMAX];
	MDB_val	k, d;
	int	rc;

	if (zkey(kb, sizeof(kb), &k, zid, rid, NULL) < 0)
		return 0;
	rc = mdb_get(txn, v->wire, &k, &d);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return zview_err(rc);
	return zbuf_add(out, d.mv_data, d.mv_size);
}

struct zrr {
	const uint8_t	*p;	/* with its length prefix */
	size_t		 len;
	int		 gone;
};

static int
zrr_cmp(const void *a, const void *b)
{
	const struct zrr	*x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->p, y->p, x->len);
}

static int
zrr_split(const struct zbuf *b, struct zrr **out, size_t *n)
{
	size_t	 o = 0, cnt = 0, l;
	struct zrr *a;

	while (o + 2 <= b->len) {
		l = ((size_t)b->p[o] << 8) | b->p[o + 1];
		o += 2 + l;
		cnt++;
	}
	if ((a = calloc(cnt + 1, sizeof(*a))) == NULL)
		return -ENOMEM;
	for (o = 0, cnt = 0; o + 2 <= b->len; cnt++) {
		l = ((size_t)b->p[o] << 8) | b->p[o + 1];
		a[cnt].p = b->p + o;
		a[cnt].len = 2 + l;
		o += 2 + l;
	}
	*out = a;
	*n = cnt;
	return 0;
}

/*
 * Drop the records that are both removed and added (a recordset put with
 * some records unchanged): IXFR carries only the difference.
 */
static int
zdelta_cancel(struct zbuf *del, struct zbuf *add)
{
	struct zrr	*d = NULL, *a = NULL;
	struct zbuf	 nd = { NULL, 0, 0 }, na = { NULL, 0, 0 };
	size_t		 nde, nad, i, j;
	int		 c, rc;

	if (del->len == 0 || add->len == 0)
		return 0;
	if ((rc = zrr_split(del, &d, &nde)) < 0 ||
	    (rc = zrr_split(add, &a, &nad)) < 0)
		goto out;
	qsort(d, nde, sizeof(*d), zrr_cmp);
	qsort(a, nad, sizeof(*a), zrr_cmp);
	for (i = j = 0; i < nde && j < nad;) {
		c = zrr_cmp(&d[i], &a[j]);
		if (c == 0) {
			d[i++].gone = 1;
			a[j++].gone = 1;
		} else if (c < 0)
			i++;
		else
			j++;
	}
	for (i = 0; i < nde; i++)
		if (!d[i].gone && (rc = zbuf_add(&nd, d[i].p, d[i].len)) < 0)
			goto out;
	for (j = 0; j < nad; j++)
		if (!a[j].gone && (rc = zbuf_add(&na, a[j].p, a[j].len)) < 0)
			goto out;
	free(del->p);
	free(add->p);
	*del = nd;
	*add = na;
	nd.p = na.p = NULL;
	rc = 0;
out:
	free(d);
	free(a);
	free(nd.p);
	free(na.p);
	return rc;
}

static int
zview_delta_trim(struct zview *v, MDB_txn *txn, const char *zid, int all)
{
	MDB_cursor	*c;
	MDB_val		 k, d;
	char		 pb[KEYMAX], (*keys)[KEYMAX] = NULL;
	size_t		 pl, n = 0, drop, i;
	int		 rc;

	snprintf(pb, sizeof(pb), "%s/", zid);
	pl = strlen(pb);
	if ((rc = mdb_cursor_open(txn, v->deltas, &c)) != 0)
		return zview_err(rc);
	k.mv_data = pb;
	k.mv_size = pl;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE); rc == 0 &&
	    k.mv_size >= pl && memcmp(k.mv_data, pb, pl) == 0;
	    rc = mdb_cursor_get(c, &k, &d, MDB_NEXT))
		n++;
	drop = all ? n : n > ZVIEW_DELTAS ? n - ZVIEW_DELTAS : 0;
	if (drop > 0 && (keys = calloc(drop, sizeof(*keys))) == NULL) {
		mdb_cursor_close(c);
		return -ENOMEM;
	}
	/* keys sort by serial: the first `drop' are the oldest */
	k.mv_data = pb;
	k.mv_size = pl;
	i = 0;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE); rc == 0 &&
	    i < drop && k.mv_size >= pl && k.mv_size < KEYMAX &&
	    memcmp(k.mv_data, pb, pl) == 0;
	    rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
		memcpy(keys[i], k.mv_data, k.mv_size);
		keys[i][k.mv_size] = '\0';
		i++;
	}
	mdb_cursor_close(c);
	drop = i;
	for (i = 0, rc = 0; i < drop && rc == 0; i++) {
		k.mv_data = keys[i];
		k.mv_size = strlen(keys[i]);
		rc = zdel(txn, v->deltas, &k);
	}
	free(keys);
	return rc;
}

static int
zview_delta_put(struct zview *v, MDB_txn *txn, const char *zid,
    uint32_t from, uint32_t to, struct zdelta_acc *acc)
{
	struct zbuf	 out = { NULL, 0, 0 };
	uint8_t		 hdr[12];
	uint32_t	 dl, al;
	char		 kb[KEYMAX], sb[16];
	MDB_val		 k, d;
	int		 rc;

	dl = (uint32_t)(acc->soa_del.len + acc->del.len);
	al = (uint32_t)(acc->soa_add.len + acc->add.len);
	hdr[0] = from >> 24; hdr[1] = from >> 16; hdr[2] = from >> 8; hdr[3] = from;
	hdr[4] = to >> 24; hdr[5] = to >> 16; hdr[6] = to >> 8; hdr[7] = to;
	hdr[8] = dl >> 24; hdr[9] = dl >> 16; hdr[10] = dl >> 8; hdr[11] = dl;
	if ((rc = zbuf_add(&out, hdr, 12)) < 0 ||
	    (rc = zbuf_add(&out, acc->soa_del.p, acc->soa_del.len)) < 0 ||
	    (rc = zbuf_add(&out, acc->del.p, acc->del.len)) < 0)
		goto out;
	hdr[0] = al >> 24; hdr[1] = al >> 16; hdr[2] = al >> 8; hdr[3] = al;
	if ((rc = zbuf_add(&out, hdr, 4)) < 0 ||
	    (rc = zbuf_add(&out, acc->soa_add.p, acc->soa_add.len)) < 0 ||
	    (rc = zbuf_add(&out, acc->add.p, acc->add.len)) < 0)
		goto out;
	snprintf(sb, sizeof(sb), "%010u", from);
	if ((rc = zkey(kb, sizeof(kb), &k, zid, sb, NULL)) < 0)
		goto out;
	d.mv_data = out.p;
	d.mv_size = out.len;
	if ((rc = zview_err(mdb_put(txn, v->deltas, &k, &d, 0))) < 0)
		goto out;
	rc = zview_delta_trim(v, txn, zid, 0);
out:
	free(out.p);
	return rc;
}

int
zview_member(const json_t *zone)
{
	if (zone != NULL && json_is_true(json_object_get(zone, "abandoned")))
		return 1;	/* gone from the API, kept on the servers */
	return zone != NULL && !json_is_true(json_object_get(zone, "deleted")) &&
	    strcmp(zstr(zone, "action"), "DELETE") != 0;
}

static int
zview_catalog_bump(struct zview *v, MDB_txn *txn, const char *pool,
    uint64_t seq)
{
	char		kb[KEYMAX];
	MDB_val		k, d;
	uint32_t	serial = (uint32_t)seq;
	int		rc;

	if ((rc = zkey(kb, sizeof(kb), &k, "catalog", pool, NULL)) < 0)
		return rc;
	d.mv_data = &serial;
	d.mv_size = sizeof(serial);
	return zview_err(mdb_put(txn, v->meta, &k, &d, 0));
}

/* Records of a recordset whose ttl is null follow the zone's ttl. */
struct zttl_arg {
	struct zview		*v;
	MDB_txn			*txn;
	const json_t		*zone;
	const json_t		*skip;	/* ids put or deleted by the message */
	struct zdelta_acc	*acc;
	json_t			*todo;
};

static int
zttl_collect(json_t *rs, void *a)
{
	struct zttl_arg	*t = a;

	if (json_is_null(json_object_get(rs, "ttl")) &&
	    json_object_get(t->skip, zstr(rs, "id")) == NULL)
		json_array_append(t->todo, rs);
	return 0;
}

static int
zview_pool_apply(struct zview *v, MDB_txn *txn, const json_t *m)
{
	const json_t	*pool = json_object_get(m, "pool");
	const char	*del = json_string_value(json_object_get(m, "pool_del"));
	char		 kb[KEYMAX];
	MDB_val		 k;
	int		 rc;

	if (pool != NULL) {
		if ((rc = zkey(kb, sizeof(kb), &k, zstr(pool, "id"), NULL,
		    NULL)) < 0)
			return rc;
		return zjson_put(txn, v->pools, &k, pool);
	}
	if (del != NULL) {
		if ((rc = zkey(kb, sizeof(kb), &k, del, NULL, NULL)) < 0)
			return rc;
		return zdel(txn, v->pools, &k);
	}
	return 0;
}

/* --- admin objects: tlds, blacklists, tsigkeys, quotas --- */

/* The member of each kind that is unique, and whether case matters. */
static const struct zobj_index {
	const char	*kind;
	const char	*field;
	int		 lower;
} zobj_index[] = {
	{ "tld", "name", 1 },
	{ "blacklist", "pattern", 0 },
	{ "tsigkey", "name", 1 },
	{ "quota", "project_id", 0 },
	{ "abandoned", "name", 1 },
	{ NULL, NULL, 0 }
};

static const struct zobj_index *
zobj_kind(const char *kind)
{
	size_t	i;

	for (i = 0; zobj_index[i].kind != NULL; i++)
		if (strcmp(zobj_index[i].kind, kind) == 0)
			return &zobj_index[i];
	return NULL;
}

int
zview_obj_norm(const char *kind, const char *value, char *out, size_t len)
{
	const struct zobj_index	*ix = zobj_kind(kind);

	if (ix == NULL)
		return -EINVAL;
	if (ix->lower)
		return zlower(value, out, len);
	return strlcpy(out, value, len) >= len ? -ENAMETOOLONG : 0;
}

/* The onames key of `obj' ("<kind>/<unique value>"); ZE_NOTFOUND when
 * the kind has no unique member or the object lacks it. */
static int
zobj_name_key(const char *kind, const json_t *obj, char *kb, size_t klen,
    MDB_val *k)
{
	const struct zobj_index	*ix = zobj_kind(kind);
	char			 nb[KEYMAX];
	int			 rc;

	if (ix == NULL || *zstr(obj, ix->field) == '\0')
		return ZE_NOTFOUND;
	if ((rc = zview_obj_norm(kind, zstr(obj, ix->field), nb,
	    sizeof(nb))) < 0)
		return rc;
	return zkey(kb, klen, k, kind, nb, NULL);
}

/*
 * {"kind":K,"obj":{...}} puts an object (stamped with "_seq"),
 * {"kind":K,"obj_del":"<id>"} removes one; the unique-name index
 * follows.  A kind or id that cannot be a key is ignored.
 */
static int
zview_obj_apply(struct zview *v, MDB_txn *txn, uint64_t seq,
    const json_t *m)
{
	const char	*kind = zstr(m, "kind"), *id;
	const json_t	*obj = json_object_get(m, "obj");
	json_t		*old = NULL, *copy = NULL;
	char		 kb[KEYMAX], nb[KEYMAX];
	MDB_val		 k, nk, d;
	int		 rc;

	id = json_is_object(obj) ? zstr(obj, "id") : zstr(m, "obj_del");
	if (*kind == '\0' || *id == '\0' || strchr(kind, '/') != NULL)
		return 0;
	if (zkey(kb, sizeof(kb), &k, kind, id, NULL) < 0)
		return 0;
	rc = zjson_get(txn, v->objs, &k, &old);
	if (rc < 0 && rc != ZE_NOTFOUND)
		return rc;
	/* the old name goes, unless another object holds it by now */
	if (old != NULL && zobj_name_key(kind, old, nb, sizeof(nb), &nk) == 0 &&
	    mdb_get(txn, v->onames, &nk, &d) == 0 && d.mv_size == strlen(id) &&
	    memcmp(d.mv_data, id, d.mv_size) == 0 &&
	    (rc = zdel(txn, v->onames, &nk)) < 0)
		goto out;
	if (!json_is_object(obj)) {
		rc = zdel(txn, v->objs, &k);
		goto out;
	}
	copy = json_deep_copy(obj);
	json_object_set_new(copy, "_seq", json_integer((json_int_t)seq));
	if ((rc = zjson_put(txn, v->objs, &k, copy)) < 0)
		goto out;
	rc = zobj_name_key(kind, copy, nb, sizeof(nb), &nk);
	if (rc == 0)
		rc = zput_str(txn, v->onames, &nk, id);
	else if (rc == ZE_NOTFOUND || rc == -ENAMETOOLONG)
		rc = 0;
out:
	json_decref(old);
	json_decref(copy);
	return rc;
}

/* Forget that zone `zid' was abandoned (its row is gone already). */
static int
zview_abandoned_forget(struct zview *v, MDB_txn *txn, uint64_t seq,
    const char *zid)
{
	json_t	*m;
	int	 rc;

	if ((m = json_pack("{s:s,s:s}", "kind", "abandoned", "obj_del",
	    zid)) == NULL)
		return -ENOMEM;
	rc = zview_obj_apply(v, txn, seq, m);
	json_decref(m);
	return rc;
}

/*
 * Drop the abandoned zone named `name' (unless it is `keep'): its row,
 * records and catalog membership, so the servers give the name to the
 * new zone.
 */
static int
zview_abandoned_drop(struct zview *v, MDB_txn *txn, uint64_t seq,
    const char *name, const char *keep)
{
	json_t		*a = NULL, *old = NULL;
	char		 zid[64];
	int		 rc;

	if ((rc = zview_obj_by_name(v, txn, "abandoned", name, &a)) < 0)
		return rc == ZE_NOTFOUND || rc == -ENAMETOOLONG ? 0 : rc;
	rc = strlcpy(zid, zstr(a, "id"), sizeof(zid)) >= sizeof(zid) ? 0 : 1;
	json_decref(a);
	if (rc == 0 || strcmp(zid, keep) == 0)
		return 0;
	if ((rc = zview_zone(v, txn, zid, &old)) < 0 && rc != ZE_NOTFOUND)
		return rc;
	rc = 0;
	if (old != NULL && ((rc = zview_zone_unindex(v, txn, old)) < 0 ||
	    (rc = zview_catalog_bump(v, txn, zstr(old, "pool_id"), seq)) < 0 ||
	    (rc = zview_delta_trim(v, txn, zid, 1)) < 0 ||
	    (rc = zview_purge(v, txn, zid)) < 0))
		goto out;
	rc = zview_abandoned_forget(v, txn, seq, zid);
out:
	json_decref(old);
	return rc;
}

static int
zview_apply_one(struct zview *v, MDB_txn *txn, uint64_t seq,
    const json_t *m)
{
	const char		*zid = zstr(m, "zone_id");
	struct zdelta_acc	 acc;
	struct zttl_arg		 ta;
	json_t			*zone, *old = NULL, *rs, *copy = NULL, *touched = NULL;
	char			 kb[KEYMAX], rb[300];
	MDB_val			 k;
	size_t			 i;
	int			 rc, soa;

	memset(&acc, 0, sizeof(acc));
	if (*zid == '\0' && json_object_get(m, "kind") != NULL)
		return zview_obj_apply(v, txn, seq, m);
	if (*zid == '\0')
		return zview_pool_apply(v, txn, m);
	/* objects that ride the zone's message (shares, transfers) */
	json_array_foreach(json_object_get(m, "objs"), i, rs)
		if ((rc = zview_obj_apply(v, txn, seq, rs)) < 0)
			return rc;
	if ((rc = zkey(kb, sizeof(kb), &k, zid, NULL, NULL)) < 0)
		return rc;
	rc = zjson_get(txn, v->zones, &k, &old);
	if (rc < 0 && rc != ZE_NOTFOUND)
		return rc;
	if (old != NULL && (rc = zview_zone_unindex(v, txn, old)) < 0)
		goto out;
	if (json_is_true(json_object_get(m, "purge"))) {
		if (zview_member(old) && (rc = zview_catalog_bump(v, txn,
		    zstr(old, "pool_id"), seq)) < 0)
			goto out;
		if ((rc = zview_delta_trim(v, txn, zid, 1)) < 0 ||
		    (rc = zview_purge(v, txn, zid)) < 0 ||
		    (rc = zview_abandoned_forget(v, txn, seq, zid)) < 0)
			goto out;
		/* soft delete: the zone row waits in graves for the purge */
		zone = json_object_get(m, "zone");
		if ((rc = zkey(kb, sizeof(kb), &k, zid, NULL, NULL)) < 0)
			goto out;
		if (zone == NULL || json_is_true(json_object_get(m, "hard"))) {
			rc = zdel(txn, v->graves, &k);
			goto out;
		}
		copy = json_deep_copy(zone);
		json_object_set_new(copy, "_seq", json_integer((json_int_t)seq));
		rc = zjson_put(txn, v->graves, &k, copy);
		goto out;
	}
	zone = json_object_get(m, "zone");
	if (zone == NULL && old != NULL)
		zone = old;
	if (zone != NULL) {
		copy = json_deep_copy(zone);
		json_object_set_new(copy, "_seq", json_integer((json_int_t)seq));
		if ((rc = zkey(kb, sizeof(kb), &k, zid, NULL, NULL)) < 0 ||
		    (rc = zjson_put(txn, v->zones, &k, copy)) < 0)
			goto out;
		if (!json_is_true(json_object_get(copy, "deleted"))) {
			/* a new zone takes the name of an abandoned one */
			if ((rc = zview_abandoned_drop(v, txn, seq,
			    zstr(copy, "name"), zid)) < 0 ||
			    (rc = zview_revname(zstr(copy, "name"), rb,
			    sizeof(rb))) < 0 ||
			    (rc = zkey(kb, sizeof(kb), &k, rb, NULL, NULL)) < 0 ||
			    (rc = zput_str(txn, v->znames, &k, zid)) < 0)
				goto out;
		}
		/* an abandoned zone no longer counts for its project */
		if (!json_is_true(json_object_get(copy, "abandoned")) &&
		    ((rc = zkey(kb, sizeof(kb), &k, zstr(copy, "project_id"),
		    zid, NULL)) < 0 ||
		    (rc = zput_str(txn, v->zproj, &k, "")) < 0 ||
		    (rc = zview_count_add(v, txn, zstr(copy, "project_id"),
		    1)) < 0))
			goto out;
		if (zview_member(old) != zview_member(copy) &&
		    (rc = zview_catalog_bump(v, txn, zstr(copy, "pool_id"),
		    seq)) < 0)
			goto out;
	}
	touched = json_object();
	json_array_foreach(json_object_get(m, "rrsets_del"), i, rs) {
		const char *rid = json_string_value(rs) ? json_string_value(rs) : "";

		json_object_set_new(touched, rid, json_true());
		if ((rc = zview_wire_copy(v, txn, zid, rid, &acc.del)) < 0 ||
		    (rc = zview_rrset_unindex(v, txn, zid, rid)) < 0)
			goto out;
	}
	json_array_foreach(json_object_get(m, "rrsets_put"), i, rs) {
		soa = strcmp(zstr(rs, "type"), "SOA") == 0;
		json_object_set_new(touched, zstr(rs, "id"), json_true());
		if ((rc = zview_wire_copy(v, txn, zid, zstr(rs, "id"),
		    soa ? &acc.soa_del : &acc.del)) < 0 ||
		    (rc = zview_rrset_put(v, txn, copy, rs)) < 0 ||
		    (rc = zview_wire_copy(v, txn, zid, zstr(rs, "id"),
		    soa ? &acc.soa_add : &acc.add)) < 0)
			goto out;
	}
	/* a new zone ttl rewrites the records that inherit it */
	if (old != NULL && copy != NULL && !json_equal(json_object_get(old,
	    "ttl"), json_object_get(copy, "ttl"))) {
		memset(&ta, 0, sizeof(ta));
		ta.zone = copy;
		ta.skip = touched;
		ta.todo = json_array();
		rc = zview_rrsets_each(v, txn, zid, zttl_collect, &ta);
		json_array_foreach(ta.todo, i, rs) {
			soa = strcmp(zstr(rs, "type"), "SOA") == 0;
			if (rc < 0 ||
			    (rc = zview_wire_copy(v, txn, zid, zstr(rs, "id"),
			    soa ? &acc.soa_del : &acc.del)) < 0 ||
			    (rc = zview_rrset_put(v, txn, copy, rs)) < 0 ||
			    (rc = zview_wire_copy(v, txn, zid, zstr(rs, "id"),
			    soa ? &acc.soa_add : &acc.add)) < 0)
				break;
		}
		json_decref(ta.todo);
		if (rc < 0)
			goto out;
	}
	if (old != NULL && copy != NULL &&
	    zi_serial(old) != zi_serial(copy) && acc.soa_del.len > 0 &&
	    acc.soa_add.len > 0) {
		if ((rc = zdelta_cancel(&acc.del, &acc.add)) < 0 ||
		    (rc = zview_delta_put(v, txn, zid, zi_serial(old),
		    zi_serial(copy), &acc)) < 0)
			goto out;
	}
	rc = 0;
out:
	zdelta_free(&acc);
	json_decref(touched);
	json_decref(old);
	json_decref(copy);
	return rc;
}

static int
zview_get_applied(struct zview *v, MDB_txn *txn, uint64_t *seq)
{
	MDB_val	k = { 7, (void *)(uintptr_t)"applied" }, d;
	int	rc;

	*seq = 0;
	rc = mdb_get(txn, v->meta, &k, &d);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return zview_err(rc);
	if (d.mv_size == sizeof(*seq))
		memcpy(seq, d.mv_data, sizeof(*seq));
	return 0;
}

int
zview_apply(struct zview *v, const struct zview_msg *msgs, size_t n,
    uint64_t *applied)
{
	MDB_txn		*txn = NULL;
	MDB_val		 k = { 7, (void *)(uintptr_t)"applied" }, d;
	json_t		*m;
	json_error_t	 jerr;
	uint64_t	 cur;
	size_t		 i;
	int		 rc, dirty = 0;

	if ((rc = mdb_txn_begin(v->env, NULL, 0, &txn)) != 0)
		return zview_err(rc);
	if ((rc = zview_get_applied(v, txn, &cur)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (msgs[i].seq <= cur)
			continue;
		m = json_loadb(msgs[i].data, msgs[i].len, 0, &jerr);
		if (m != NULL) {
			rc = zview_apply_one(v, txn, msgs[i].seq, m);
			json_decref(m);
			if (rc < 0)
				goto out;
		}
		/* an unreadable message is skipped, never retried forever */
		cur = msgs[i].seq;
		dirty = 1;
	}
	if (dirty) {
		d.mv_data = &cur;
		d.mv_size = sizeof(cur);
		if ((rc = mdb_put(txn, v->meta, &k, &d, 0)) != 0) {
			rc = zview_err(rc);
			goto out;
		}
		rc = mdb_txn_commit(txn);
		txn = NULL;
		if (rc != 0) {
			rc = zview_err(rc);
			goto out;
		}
	}
	rc = 0;
	if (applied != NULL)
		*applied = cur;
out:
	if (txn != NULL)
		mdb_txn_abort(txn);
	return rc;
}

int
zview_applied(struct zview *v, uint64_t *seq)
{
	MDB_txn	*txn;
	int	 rc;

	if ((rc = mdb_txn_begin(v->env, NULL, MDB_RDONLY, &txn)) != 0)
		return zview_err(rc);
	rc = zview_get_applied(v, txn, seq);
	mdb_txn_abort(txn);
	return rc;
}

/* --- reads --- */

int
zview_rbegin(struct zview *v, MDB_txn **txn)
{
	return zview_err(mdb_txn_begin(v->env, NULL, MDB_RDONLY, txn));
}

void
zview_rend(MDB_txn *txn)
{
	if (txn != NULL)
		mdb_txn_abort(txn);
}

int
zview_zone(struct zview *v, MDB_txn *txn, const char *id, json_t **out)
{
	char	kb[KEYMAX];
	MDB_val	k;

	*out = NULL;
	if (zkey(kb, sizeof(kb), &k, id, NULL, NULL) < 0)
		return ZE_NOTFOUND;
	return zjson_get(txn, v->zones, &k, out);
}

int
zview_zone_by_name(struct zview *v, MDB_txn *txn, const char *name,
    json_t **out)
{
	char	kb[KEYMAX], rb[300], id[64];
	MDB_val	k, d;
	int	rc;

	*out = NULL;
	if (zview_revname(name, rb, sizeof(rb)) < 0 ||
	    zkey(kb, sizeof(kb), &k, rb, NULL, NULL) < 0)
		return ZE_NOTFOUND;
	if ((rc = mdb_get(txn, v->znames, &k, &d)) != 0)
		return zview_err(rc);
	if (d.mv_size >= sizeof(id))
		return ZE_BADMSG;
	memcpy(id, d.mv_data, d.mv_size);
	id[d.mv_size] = '\0';
	return zview_zone(v, txn, id, out);
}

int
zview_rrset(struct zview *v, MDB_txn *txn, const char *zone_id,
    const char *id, json_t **out)
{
	char	kb[KEYMAX];
	MDB_val	k;

	*out = NULL;
	if (zkey(kb, sizeof(kb), &k, zone_id, id, NULL) < 0)
		return ZE_NOTFOUND;
	return zjson_get(txn, v->rrsets, &k, out);
}

int
zview_rrset_zone(struct zview *v, MDB_txn *txn, const char *id,
    char zone_id[37])
{
	char	kb[KEYMAX];
	MDB_val	k, d;
	int	rc;

	if (zkey(kb, sizeof(kb), &k, id, NULL, NULL) < 0)
		return ZE_NOTFOUND;
	if ((rc = mdb_get(txn, v->rrids, &k, &d)) != 0)
		return zview_err(rc);
	if (d.mv_size > 36)
		return ZE_BADMSG;
	memcpy(zone_id, d.mv_data, d.mv_size);
	zone_id[d.mv_size] = '\0';
	return 0;
}

int
zview_rrset_by_name(struct zview *v, MDB_txn *txn, const char *zone_id,
    const char *name, const char *type, json_t **out)
{
	char	kb[KEYMAX], nb[300], id[64];
	MDB_val	k, d;
	int	rc;

	*out = NULL;
	if (zlower(name, nb, sizeof(nb)) < 0 ||
	    zkey(kb, sizeof(kb), &k, zone_id, nb, type) < 0)
		return ZE_NOTFOUND;
	if ((rc = mdb_get(txn, v->rrnames, &k, &d)) != 0)
		return zview_err(rc);
	if (d.mv_size >= sizeof(id))
		return ZE_BADMSG;
	memcpy(id, d.mv_data, d.mv_size);
	id[d.mv_size] = '\0';
	return zview_rrset(v, txn, zone_id, id, out);
}

/*
 * Walk keys of `dbi' that start with `prefix'; for each, `fn' gets the
 * key and the value.
 */
typedef int	(*zwalk_fn)(struct zview *, MDB_txn *, MDB_val *, MDB_val *,
		    void *);

static int
zwalk(struct zview *v, MDB_txn *txn, MDB_dbi dbi, const char *prefix,
    zwalk_fn fn, void *arg)
{
	MDB_cursor	*c;
	MDB_val		 k, d;
	size_t		 pl = strlen(prefix);
	int		 rc, op = MDB_SET_RANGE;

	if ((rc = mdb_cursor_open(txn, dbi, &c)) != 0)
		return zview_err(rc);
	k.mv_data = (void *)(uintptr_t)prefix;
	k.mv_size = pl;
	if (pl == 0)
		op = MDB_FIRST;
	for (rc = mdb_cursor_get(c, &k, &d, op); rc == 0;
	    rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
		if (k.mv_size < pl || memcmp(k.mv_data, prefix, pl) != 0)
			break;
		if ((rc = fn(v, txn, &k, &d, arg)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		rc = 0;
	return rc;
}

struct zwalk_arg {
	zview_cb	 cb;
	void		*arg;
	size_t		 skip;		/* bytes of key before the id */
	const char	*zone_id;
};

static int
zwalk_json(struct zview *v, MDB_txn *txn, MDB_val *k, MDB_val *d, void *a)
{
	struct zwalk_arg	*w = a;
	json_t			*o;
	json_error_t		 jerr;
	int			 rc;

	(void)v;
	(void)txn;
	(void)k;
	if ((o = json_loadb(d->mv_data, d->mv_size, 0, &jerr)) == NULL)
		return 0;
	rc = w->cb(o, w->arg);
	json_decref(o);
	return rc;
}

/* The value is an id: look the object up and call back. */
static int
zwalk_zone_ref(struct zview *v, MDB_txn *txn, MDB_val *k, MDB_val *d,
    void *a)
{
	struct zwalk_arg	*w = a;
	char			 id[64];
	json_t			*o;
	int			 rc;

	if (w->skip > 0) {	/* zproj: the id is the key's tail */
		if (k->mv_size - w->skip >= sizeof(id))
			return 0;
		memcpy(id, (char *)k->mv_data + w->skip, k->mv_size - w->skip);
		id[k->mv_size - w->skip] = '\0';
	} else {
		if (d->mv_size >= sizeof(id))
			return 0;
		memcpy(id, d->mv_data, d->mv_size);
		id[d->mv_size] = '\0';
	}
	if (w->zone_id != NULL)
		rc = zview_rrset(v, txn, w->zone_id, id, &o);
	else
		rc = zview_zone(v, txn, id, &o);
	if (rc < 0)
		return 0;
	rc = w->cb(o, w->arg);
	json_decref(o);
	return rc;
}

int
zview_zones_each(struct zview *v, MDB_txn *txn, const char *project,
    zview_cb cb, void *arg)
{
	struct zwalk_arg	 w = { cb, arg, 0, NULL };
	char			 pb[KEYMAX];

	if (project == NULL)
		return zwalk(v, txn, v->zones, "", zwalk_json, &w);
	snprintf(pb, sizeof(pb), "%s/", project);
	w.skip = strlen(pb);
	return zwalk(v, txn, v->zproj, pb, zwalk_zone_ref, &w);
}

int
zview_rrsets_each(struct zview *v, MDB_txn *txn, const char *zone_id,
    zview_cb cb, void *arg)
{
	struct zwalk_arg	 w = { cb, arg, 0, NULL };
	char			 pb[KEYMAX];

	snprintf(pb, sizeof(pb), "%s/", zone_id);
	return zwalk(v, txn, v->rrsets, pb, zwalk_json, &w);
}

int
zview_rrsets_at(struct zview *v, MDB_txn *txn, const char *zone_id,
    const char *name, zview_cb cb, void *arg)
{
	struct zwalk_arg	 w = { cb, arg, 0, zone_id };
	char			 pb[KEYMAX], nb[300];

	if (zlower(name, nb, sizeof(nb)) < 0)
		return 0;
	snprintf(pb, sizeof(pb), "%s/%s/", zone_id, nb);
	return zwalk(v, txn, v->rrnames, pb, zwalk_zone_ref, &w);
}

int
zview_zones_from(struct zview *v, MDB_txn *txn, int graves, const char *from,
    zview_cb cb, void *arg)
{
	struct zwalk_arg	 w = { cb, arg, 0, NULL };
	MDB_cursor		*c;
	MDB_val			 k, d;
	int			 rc;

	if ((rc = mdb_cursor_open(txn, graves ? v->graves : v->zones, &c)) != 0)
		return zview_err(rc);
	k.mv_data = (void *)(uintptr_t)from;
	k.mv_size = strlen(from);
	for (rc = mdb_cursor_get(c, &k, &d, k.mv_size > 0 ? MDB_SET_RANGE :
	    MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &d, MDB_NEXT))
		if ((rc = zwalk_json(v, txn, &k, &d, &w)) != 0)
			break;
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		rc = 0;
	return rc;
}

int
zview_grave(struct zview *v, MDB_txn *txn, const char *id, json_t **out)
{
	char	kb[KEYMAX];
	MDB_val	k;

	*out = NULL;
	if (zkey(kb, sizeof(kb), &k, id, NULL, NULL) < 0)
		return ZE_NOTFOUND;
	return zjson_get(txn, v->graves, &k, out);
}

int
zview_zones_below(struct zview *v, MDB_txn *txn, const char *name,
    zview_cb cb, void *arg)
{
	struct zwalk_arg	 w = { cb, arg, 0, NULL };
	char			 rb[300];

	if (zview_revname(name, rb, sizeof(rb)) < 0)
		return 0;
	/* "org.example." is a prefix of every name below example.org. and
	 * of the zone itself, which the callback must tell apart. */
	return zwalk(v, txn, v->znames, rb, zwalk_zone_ref, &w);
}

int
zview_wire(struct zview *v, MDB_txn *txn, const char *zone_id,
    const char *id, const void **data, size_t *len)
{
	char	kb[KEYMAX];
	MDB_val	k, d;
	int	rc;

	if (zkey(kb, sizeof(kb), &k, zone_id, id, NULL) < 0)
		return ZE_NOTFOUND;
	if ((rc = mdb_get(txn, v->wire, &k, &d)) != 0)
		return zview_err(rc);
	*data = d.mv_data;
	*len = d.mv_size;
	return 0;
}

int
zview_pool(struct zview *v, MDB_txn *txn, const char *id, json_t **out)
{
	char	kb[KEYMAX];
	MDB_val	k;

	*out = NULL;
	if (zkey(kb, sizeof(kb), &k, id, NULL, NULL) < 0)
		return ZE_NOTFOUND;
	return zjson_get(txn, v->pools, &k, out);
}

int
zview_pools_each(struct zview *v, MDB_txn *txn, zview_cb cb, void *arg)
{
	struct zwalk_arg	w = { cb, arg, 0, NULL };

	return zwalk(v, txn, v->pools, "", zwalk_json, &w);
}

int
zview_obj(struct zview *v, MDB_txn *txn, const char *kind, const char *id,
    json_t **out)
{
	char	kb[KEYMAX];
	MDB_val	k;

	*out = NULL;
	if (zkey(kb, sizeof(kb), &k, kind, id, NULL) < 0)
		return ZE_NOTFOUND;
	return zjson_get(txn, v->objs, &k, out);
}

int
zview_obj_by_name(struct zview *v, MDB_txn *txn, const char *kind,
    const char *name, json_t **out)
{
	char	kb[KEYMAX], nb[KEYMAX], id[KEYMAX];
	MDB_val	k, d;
	int	rc;

	*out = NULL;
	if (zview_obj_norm(kind, name, nb, sizeof(nb)) < 0 ||
	    zkey(kb, sizeof(kb), &k, kind, nb, NULL) < 0)
		return ZE_NOTFOUND;
	if ((rc = mdb_get(txn, v->onames, &k, &d)) != 0)
		return zview_err(rc);
	if (d.mv_size >= sizeof(id))
		return ZE_BADMSG;
	memcpy(id, d.mv_data, d.mv_size);
	id[d.mv_size] = '\0';
	return zview_obj(v, txn, kind, id, out);
}

int
zview_objs_each(struct zview *v, MDB_txn *txn, const char *kind,
    zview_cb cb, void *arg)
{
	struct zwalk_arg	w = { cb, arg, 0, NULL };
	char			pfx[64];

	if (snprintf(pfx, sizeof(pfx), "%s/", kind) >= (int)sizeof(pfx))
		return -ENAMETOOLONG;
	return zwalk(v, txn, v->objs, pfx, zwalk_json, &w);
}

struct zrrs_arg {
	zview_rr_fn	 fn;
	void		*arg;
};

static int
zwalk_rrs(struct zview *v, MDB_txn *txn, MDB_val *k, MDB_val *d, void *a)
{
	struct zrrs_arg	*r = a;
	const uint8_t	*p = d->mv_data;
	size_t		 o = 0, l;
	int		 rc;

	(void)v;
	(void)txn;
	(void)k;
	while (o + 2 <= d->mv_size) {
		l = ((size_t)p[o] << 8) | p[o + 1];
		if (o + 2 + l > d->mv_size)
			break;
		if ((rc = r->fn(p + o + 2, l, r->arg)) != 0)
			return rc;
		o += 2 + l;
	}
	return 0;
}

int
zview_zone_rrs(struct zview *v, MDB_txn *txn, const char *zone_id,
    zview_rr_fn fn, void *arg)
{
	struct zrrs_arg	r = { fn, arg };
	char		pb[KEYMAX];

	snprintf(pb, sizeof(pb), "%s/", zone_id);
	return zwalk(v, txn, v->wire, pb, zwalk_rrs, &r);
}

static uint32_t
zget32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
}

int
zview_delta(struct zview *v, MDB_txn *txn, const char *zone_id,
    uint32_t from, struct zview_delta *out)
{
	char		 kb[KEYMAX], sb[16];
	const uint8_t	*p;
	MDB_val		 k, d;
	size_t		 dl, al;
	int		 rc;

	snprintf(sb, sizeof(sb), "%010u", from);
	if (zkey(kb, sizeof(kb), &k, zone_id, sb, NULL) < 0)
		return ZE_NOTFOUND;
	if ((rc = mdb_get(txn, v->deltas, &k, &d)) != 0)
		return zview_err(rc);
	p = d.mv_data;
	if (d.mv_size < 16)
		return ZE_BADMSG;
	dl = zget32(p + 8);
	if (12 + dl + 4 > d.mv_size)
		return ZE_BADMSG;
	al = zget32(p + 12 + dl);
	if (16 + dl + al != d.mv_size)
		return ZE_BADMSG;
	out->from = zget32(p);
	out->to = zget32(p + 4);
	out->del = p + 12;
	out->dellen = dl;
	out->add = p + 16 + dl;
	out->addlen = al;
	return 0;
}

int
zview_catalog_serial(struct zview *v, MDB_txn *txn, const char *pool_id,
    uint32_t *serial)
{
	return zview_meta_get(v, txn, "catalog", pool_id, serial,
	    sizeof(*serial));
}

static int
zdump_kv(struct zview *v, MDB_txn *txn, MDB_val *k, MDB_val *d, void *a)
{
	FILE		*fp = a;
	const uint8_t	*p = d->mv_data;
	size_t		 i;
	int		 text = 1;

	(void)v;
	(void)txn;
	for (i = 0; i < d->mv_size; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			text = 0;
	fprintf(fp, "%.*s\t", (int)k->mv_size, (const char *)k->mv_data);
	if (text)
		fprintf(fp, "%.*s\n", (int)d->mv_size, (const char *)p);
	else {
		for (i = 0; i < d->mv_size; i++)
			fprintf(fp, "%02x", p[i]);
		fputc('\n', fp);
	}
	return 0;
}

int
zview_dump(struct zview *v, FILE *fp)
{
	static const char *const names[] = { "meta", "zones", "znames",
	    "zproj", "rrsets", "rrnames", "rrids", "wire", "pools", "deltas",
	    "graves", "objs", "onames" };
	MDB_dbi		 dbis[13];
	MDB_txn		*txn;
	size_t		 i;
	int		 rc = 0;

	dbis[0] = v->meta; dbis[1] = v->zones; dbis[2] = v->znames;
	dbis[3] = v->zproj; dbis[4] = v->rrsets; dbis[5] = v->rrnames;
	dbis[6] = v->rrids; dbis[7] = v->wire; dbis[8] = v->pools;
	dbis[9] = v->deltas; dbis[10] = v->graves; dbis[11] = v->objs;
	dbis[12] = v->onames;
	if ((rc = zview_rbegin(v, &txn)) < 0)
		return rc;
	for (i = 0; i < 13 && rc == 0; i++) {
		fprintf(fp, "[%s]\n", names[i]);
		rc = zwalk(v, txn, dbis[i], "", zdump_kv, fp);
	}
	zview_rend(txn);
	return rc < 0 ? rc : 0;
}
