/*
 * zone-xfr's protocol logic (zxfr.h).  Queries are parsed and TSIG is
 * verified and signed with ldns; answers are written by hand from the
 * wire records of the view, with a small per-message table for owner
 * name compression, because that is what makes an AXFR of 100k records
 * cheap.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <ldns/ldns.h>

#include "zerr.h"
#include "zview.h"
#include "zxfr.h"

#define T_SOA		6
#define T_OPT		41
#define T_TSIG		250
#define C_IN		1
#define C_ANY		255

#define R_NOERROR	0
#define R_FORMERR	1
#define R_SERVFAIL	2
#define R_NOTIMP	4
#define R_REFUSED	5
#define R_NOTAUTH	9

#define TSIG_BADSIG	16
#define TSIG_BADKEY	17
#define TSIG_BADTIME	18

#define OP_QUERY	0
#define OP_NOTIFY	4

#define UDP_MAX		4096
#define TSIG_ROOM	96	/* TSIG RR but its names: fixed fields, MAC */
#define OPT_ROOM	11

/* --- small helpers --- */

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static const char *
jstr(const json_t *o, const char *k)
{
	const char	*s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* Length of an uncompressed wire name at p (at most max bytes), or 0. */
static size_t
name_len(const uint8_t *p, size_t max)
{
	size_t	n = 0;

	while (n < max) {
		if (p[n] == 0)
			return n + 1 <= 255 ? n + 1 : 0;
		if (p[n] > 63)
			return 0;
		n += 1 + (size_t)p[n];
	}
	return 0;
}

/* Check one wire record (owner uncompressed); its owner length or 0. */
static size_t
rr_check(const uint8_t *rr, size_t len)
{
	size_t	nl;

	if ((nl = name_len(rr, len)) == 0 || len < nl + 10 ||
	    get16(rr + nl + 8) != len - nl - 10)
		return 0;
	return nl;
}

static uint16_t
rr_type(const uint8_t *rr, size_t nl)
{
	return get16(rr + nl);
}

/* The serial of an SOA wire record, or 0 when it is not one. */
static int
soa_serial(const uint8_t *rr, size_t len, uint32_t *serial)
{
	size_t	nl, a, b, rd;

	if ((nl = rr_check(rr, len)) == 0 || rr_type(rr, nl) != T_SOA)
		return -1;
	rd = nl + 10;
	if ((a = name_len(rr + rd, len - rd)) == 0 ||
	    (b = name_len(rr + rd + a, len - rd - a)) == 0 ||
	    rd + a + b + 20 > len)
		return -1;
	*serial = get32(rr + rd + a + b);
	return 0;
}

/* serial a >= serial b in RFC 1982 arithmetic */
static int
serial_ge(uint32_t a, uint32_t b)
{
	return a == b || (int32_t)(a - b) > 0;
}

/* --- output buffer --- */

static int
out_reserve(struct zxfr_out *o, size_t n)
{
	uint8_t	*nb;
	size_t	 cap;

	if (o->len + n <= o->cap)
		return 0;
	cap = o->cap > 0 ? o->cap : 4096;
	while (cap < o->len + n)
		cap *= 2;
	if ((nb = realloc(o->buf, cap)) == NULL)
		return -ENOMEM;
	o->buf = nb;
	o->cap = cap;
	return 0;
}

void
zxfr_out_release(struct zxfr_out *o)
{
	free(o->buf);
	free(o->ct);
	o->buf = NULL;
	o->ct = NULL;
	o->len = o->cap = o->nmsg = 0;
}

/* --- compression table: suffix of a name -> offset in the message --- */

#define CT_SIZE		8192		/* slots, a power of two */
#define CT_MAXFILL	(CT_SIZE / 2)

struct ct_ent {
	const uint8_t	*name;		/* the suffix, stable for the answer */
	uint32_t	 gen;
	uint32_t	 hash;
	uint16_t	 off;
	uint16_t	 len;
};

struct ct {
	struct ct_ent	 e[CT_SIZE];
	size_t		 fill;
};

static uint32_t
ct_hash(const uint8_t *p, size_t n)
{
	uint64_t	h = 0x9e3779b97f4a7c15ull ^ n, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h ^ h >> 29);
}

/* --- message builder --- */

struct mb {
	struct zxfr_out	*out;
	struct ct	*ct;
	size_t		 start;		/* offset of the length prefix */
	size_t		 limit;		/* bytes per message */
	size_t		 reserve;	/* held back for OPT/TSIG */
	uint8_t		 hdr[4];	/* id and flags */
	uint16_t	 qd, an, ns, ar;
	int		 section;	/* 0 answer, 1 authority */
	int		 split;		/* may open more messages */
	int		 edns;		/* OPT in the first message */
	int		 stream;	/* hand complete messages to flush */
	uint16_t	 udpsize;
	uint16_t	 qtype, qclass;
	const uint8_t	*qname;
	size_t		 qnlen;
	/* the last owner written and the last suffix found, for speed */
	const uint8_t	*last;
	size_t		 lastlen, lastoff;
	const uint8_t	*tail;
	size_t		 taillen;
	uint16_t	 tailoff;
};

static uint8_t *
mb_msg(struct mb *m)
{
	return m->out->buf + m->start + 2;
}

static size_t
mb_len(struct mb *m)
{
	return m->out->len - m->start - 2;
}

static void
ct_insert(struct mb *m, const uint8_t *name, size_t len, size_t off)
{
	struct ct	*ct = m->ct;
	uint32_t	 h, i;

	if (off >= 0x4000 || ct->fill >= CT_MAXFILL)
		return;
	h = ct_hash(name, len);
	for (i = h & (CT_SIZE - 1); ct->e[i].gen == m->out->gen;
	    i = (i + 1) & (CT_SIZE - 1))
		if (ct->e[i].hash == h && ct->e[i].len == len &&
		    memcmp(ct->e[i].name, name, len) == 0)
			return;
	ct->e[i].name = name;
	ct->e[i].gen = m->out->gen;
	ct->e[i].hash = h;
	ct->e[i].off = (uint16_t)off;
	ct->e[i].len = (uint16_t)len;
	ct->fill++;
}

static int
ct_find(struct mb *m, const uint8_t *name, size_t len, uint16_t *off)
{
	struct ct	*ct = m->ct;
	uint32_t	 h, i;

	h = ct_hash(name, len);
	for (i = h & (CT_SIZE - 1); ct->e[i].gen == m->out->gen;
	    i = (i + 1) & (CT_SIZE - 1))
		if (ct->e[i].hash == h && ct->e[i].len == len &&
		    memcmp(ct->e[i].name, name, len) == 0) {
			*off = ct->e[i].off;
			return 1;
		}
	return 0;
}

static void
ct_newgen(struct mb *m)
{
	if (++m->out->gen == 0) {
		memset(m->ct, 0, sizeof(*m->ct));
		m->out->gen = 1;
	}
	m->ct->fill = 0;
}

/*
 * Write name (uncompressed, nl bytes, stable memory) at the end of the
 * message, compressed against earlier names.  Room must be reserved.
 */
static void
mb_name(struct mb *m, const uint8_t *name, size_t nl)
{
	uint8_t		*msg = mb_msg(m);
	size_t		 pos = mb_len(m), p[128], n = 0, i, j, lit;
	uint16_t	 off = 0;
	int		 found = 0;

	/* the same owner as the record before */
	if (m->last != NULL && m->lastlen == nl && m->lastoff < 0x4000 &&
	    memcmp(m->last, name, nl) == 0) {
		msg[pos] = (uint8_t)(0xc0 | m->lastoff >> 8);
		msg[pos + 1] = (uint8_t)m->lastoff;
		m->out->len += 2;
		return;
	}
	for (i = 0; name[i] != 0 && n < 128; i += 1 + name[i])
		p[n++] = i;
	for (i = 0; i < n; i++) {
		/* most names end in the suffix found last (the zone's) */
		if (i > 0 && m->tail != NULL && nl - p[i] == m->taillen &&
		    memcmp(name + p[i], m->tail, m->taillen) == 0) {
			off = m->tailoff;
			found = 1;
			break;
		}
		if ((found = ct_find(m, name + p[i], nl - p[i], &off))) {
			if (i > 0) {
				m->tail = name + p[i];
				m->taillen = nl - p[i];
				m->tailoff = off;
			}
			break;
		}
	}
	lit = found ? p[i] : nl;
	memcpy(msg + pos, name, lit);
	if (found) {
		msg[pos + lit] = (uint8_t)(0xc0 | off >> 8);
		msg[pos + lit + 1] = (uint8_t)off;
		m->out->len += lit + 2;
	} else
		m->out->len += lit;
	for (j = 0; j < i; j++)
		ct_insert(m, name + p[j], nl - p[j], pos + p[j]);
	m->last = name;
	m->lastlen = nl;
	m->lastoff = i > 0 || !found ? pos : off;
}

static int
mb_begin(struct mb *m, int first)
{
	uint8_t	*msg;
	int	 rc;

	ct_newgen(m);
	m->last = m->tail = NULL;
	m->start = m->out->len;
	m->an = m->ns = m->ar = 0;
	m->qd = first && m->qname != NULL ? 1 : 0;
	if ((rc = out_reserve(m->out, 2 + 12 + m->qnlen + 4)) < 0)
		return rc;
	msg = mb_msg(m);
	memset(msg, 0, 12);
	memcpy(msg, m->hdr, 4);
	m->out->len += 2 + 12;
	if (m->qd) {
		mb_name(m, m->qname, m->qnlen);
		msg = mb_msg(m);
		put16(msg + mb_len(m), m->qtype);
		put16(msg + mb_len(m) + 2, m->qclass);
		m->out->len += 4;
	}
	return 0;
}

static int
mb_end(struct mb *m)
{
	uint8_t	*msg;
	int	 rc;

	if (m->edns && m->out->nmsg == 0) {
		if ((rc = out_reserve(m->out, OPT_ROOM)) < 0)
			return rc;
		msg = mb_msg(m) + mb_len(m);
		msg[0] = 0;			/* root */
		put16(msg + 1, T_OPT);
		put16(msg + 3, m->udpsize);
		put32(msg + 5, 0);		/* rcode, version, flags */
		put16(msg + 9, 0);
		m->out->len += OPT_ROOM;
		m->ar++;
	}
	msg = mb_msg(m);
	put16(msg + 4, m->qd);
	put16(msg + 6, m->an);
	put16(msg + 8, m->ns);
	put16(msg + 10, m->ar);
	put16(m->out->buf + m->start, (uint16_t)mb_len(m));
	m->out->nmsg++;
	if (m->stream && m->out->len >= 256 * 1024) {
		if (m->out->flush(m->out->buf, m->out->len,
		    m->out->flush_arg) != 0)
			return -EPIPE;
		m->out->len = 0;
	}
	return 0;
}

/* Append one wire record (owner uncompressed) to the current section. */
static int
mb_rr(struct mb *m, const uint8_t *rr, size_t len)
{
	uint8_t	*msg;
	size_t	 nl;
	int	 rc;

	if ((nl = rr_check(rr, len)) == 0)
		return ZE_BADMSG;
	if (mb_len(m) + len + m->reserve > m->limit) {
		if (!m->split || m->an + m->ns == 0 || m->section != 0)
			return -EMSGSIZE;
		if ((rc = mb_end(m)) < 0 || (rc = mb_begin(m, 0)) < 0)
			return rc;
		if (mb_len(m) + len + m->reserve > m->limit)
			return -EMSGSIZE;
	}
	if ((rc = out_reserve(m->out, len + 2)) < 0)
		return rc;
	mb_name(m, rr, nl);
	msg = mb_msg(m);
	memcpy(msg + mb_len(m), rr + nl, len - nl);
	m->out->len += len - nl;
	if (m->section == 0)
		m->an++;
	else
		m->ns++;
	return 0;
}

/* Append every record of a wire run (2-byte length, record). */
static int
mb_run(struct mb *m, const uint8_t *run, size_t len, int skip_soa)
{
	size_t	i = 0, rl, nl;
	int	rc;

	while (i + 2 <= len) {
		rl = get16(run + i);
		i += 2;
		if (rl > len - i)
			return ZE_BADMSG;
		if (skip_soa && (nl = rr_check(run + i, rl)) != 0 &&
		    rr_type(run + i, nl) == T_SOA) {
			i += rl;
			continue;
		}
		if ((rc = mb_rr(m, run + i, rl)) < 0)
			return rc;
		i += rl;
	}
	return i == len ? 0 : ZE_BADMSG;
}

/* A header-only (or header and question) answer with rcode. */
static int
mb_simple(struct mb *m, int rcode)
{
	int	rc;

	m->hdr[3] = (uint8_t)((m->hdr[3] & 0xf0) | rcode);
	if ((rc = mb_begin(m, 1)) < 0)
		return rc;
	return mb_end(m);
}

/* --- configuration helpers --- */

int
zxfr_net_parse(const char *s, struct zxfr_net *n)
{
	char		 buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long		 plen;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return ZE_CONFIG;
	memset(n, 0, sizeof(*n));
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, n->addr) == 1) {
		n->af = AF_INET;
		n->plen = 32;
	} else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
		n->af = AF_INET6;
		n->plen = 128;
	} else
		return ZE_CONFIG;
	if (slash != NULL) {
		plen = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || plen < 0 ||
		    plen > n->plen)
			return ZE_CONFIG;
		n->plen = (int)plen;
	}
	return 0;
}

int
zxfr_addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *sl)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;
	char			 host[INET6_ADDRSTRLEN + 2], *end;
	const char		*colon;
	size_t			 hl;
	long			 port;

	memset(ss, 0, sizeof(*ss));
	if (*s == '[') {
		if ((colon = strstr(s, "]:")) == NULL)
			return ZE_CONFIG;
		hl = (size_t)(colon - s - 1);
		if (hl >= sizeof(host))
			return ZE_CONFIG;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		colon++;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			return ZE_CONFIG;
		hl = (size_t)(colon - s);
		if (hl >= sizeof(host))
			return ZE_CONFIG;
		memcpy(host, s, hl);
		host[hl] = '\0';
	}
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port < 0 || port > 65535)
		return ZE_CONFIG;
	if (strcmp(host, "*") == 0 || strcmp(host, "0.0.0.0") == 0) {
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_ANY);
		s4->sin_port = htons((uint16_t)port);
		*sl = sizeof(*s4);
	} else if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*sl = sizeof(*s6);
	} else
		return ZE_CONFIG;
	return 0;
}

int
zxfr_init(struct zxfr *x, struct zview *view, const char *allow,
    size_t max_message)
{
	struct zxfr_net	*nn;
	char		*copy, *tok, *save = NULL;
	int		 rc = 0;

	memset(x, 0, sizeof(*x));
	x->view = view;
	x->fudge = 300;
	if (max_message < 512)
		max_message = 512;
	x->max_message = max_message > 65535 ? 65535 : max_message;
	if ((copy = strdup(allow != NULL ? allow : "")) == NULL)
		return -ENOMEM;
	for (tok = strtok_r(copy, " \t,", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t,", &save)) {
		nn = reallocarray(x->allow, x->nallow + 1, sizeof(*nn));
		if (nn == NULL) {
			rc = -ENOMEM;
			break;
		}
		x->allow = nn;
		if ((rc = zxfr_net_parse(tok, &x->allow[x->nallow])) < 0)
			break;
		x->nallow++;
	}
	free(copy);
	if (rc < 0)
		zxfr_release(x);
	return rc;
}

void
zxfr_release(struct zxfr *x)
{
	free(x->allow);
	x->allow = NULL;
	x->nallow = 0;
}

static int
net_match(const struct zxfr_net *n, int af, const uint8_t *a)
{
	int	full = n->plen / 8, bits = n->plen % 8;

	if (n->af != af)
		return 0;
	if (memcmp(n->addr, a, (size_t)full) != 0)
		return 0;
	if (bits == 0)
		return 1;
	return ((n->addr[full] ^ a[full]) & (0xff << (8 - bits))) == 0;
}

int
zxfr_allowed(const struct zxfr *x, const struct sockaddr *sa)
{
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;
	const uint8_t			*a;
	size_t				 i;
	int				 af;

	if (sa == NULL)
		return 1;
	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		a = (const uint8_t *)&s4->sin_addr;
		af = AF_INET;
	} else if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		a = (const uint8_t *)&s6->sin6_addr;
		af = AF_INET6;
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			a += 12;
			af = AF_INET;
		}
	} else
		return 0;
	for (i = 0; i < x->nallow; i++)
		if (net_match(&x->allow[i], af, a))
			return 1;
	return 0;
}

/* --- TSIG --- */

struct tsig {
	ldns_rr		*rr;		/* the query's, owned by the packet */
	const json_t	*key;		/* the matching key, borrowed */
	char		 name[LDNS_MAX_DOMAINLEN + 2];
	char		 alg[64];	/* ldns spelling, with the dot */
	int		 error;		/* 0 or TSIG_BAD* */
};

/* Our algorithm names -> ldns's; NULL when ldns cannot do it. */
static const char *
tsig_alg(const char *a)
{
	static const struct { const char *ours, *ldns; } t[] = {
		{ "hmac-sha256", "hmac-sha256." },
		{ "hmac-sha512", "hmac-sha512." },
		{ "hmac-sha1", "hmac-sha1." },
		{ "hmac-md5", "hmac-md5.sig-alg.reg.int." },
		{ "hmac-md5.sig-alg.reg.int", "hmac-md5.sig-alg.reg.int." },
	};
	char	buf[64];
	size_t	i, n;

	n = strlcpy(buf, a, sizeof(buf));
	if (n >= sizeof(buf))
		return NULL;
	if (n > 0 && buf[n - 1] == '.')
		buf[n - 1] = '\0';
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(buf, t[i].ours) == 0)
			return t[i].ldns;
	return NULL;
}

static int
name_eq(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/*
 * Verify the query's TSIG against `keys' (a JSON array of
 * {name, algorithm, secret}).  0 with t->key set, or t->error set.
 */
static void
tsig_verify(ldns_pkt *q, const uint8_t *wire, size_t len,
    const json_t *keys, struct tsig *t)
{
	const json_t	*k;
	ldns_rdf	*alg;
	char		*s;
	const char	*ka;
	uint64_t	 signed_at, now;
	size_t		 i;
	uint16_t	 fudge;
	int		 ok;

	t->error = TSIG_BADKEY;
	if (ldns_rr_rd_count(t->rr) < 7)
		return;
	alg = ldns_rr_rdf(t->rr, 0);
	if ((s = ldns_rdf2str(alg)) == NULL)
		return;
	strlcpy(t->alg, s, sizeof(t->alg));
	free(s);
	json_array_foreach(keys, i, k) {
		if (!name_eq(jstr(k, "name"), t->name))
			continue;
		if ((ka = tsig_alg(jstr(k, "algorithm"))) == NULL ||
		    strcasecmp(ka, t->alg) != 0)
			continue;
		if (len > 16384) {	/* ldns digests in a 64 KiB buffer */
			t->error = TSIG_BADSIG;
			return;
		}
		ok = ldns_pkt_tsig_verify(q, wire, len, t->name,
		    jstr(k, "secret"), NULL);
		/* ldns drops the RR from the packet when it fails early */
		if (ldns_pkt_tsig(q) == NULL)
			ldns_pkt_set_tsig(q, t->rr);
		if (!ok) {
			t->error = TSIG_BADSIG;
			return;
		}
		signed_at = ldns_rdf_size(ldns_rr_rdf(t->rr, 1)) == 6 ?
		    (uint64_t)get16(ldns_rdf_data(ldns_rr_rdf(t->rr, 1))) << 32 |
		    get32(ldns_rdf_data(ldns_rr_rdf(t->rr, 1)) + 2) : 0;
		fudge = ldns_rdf2native_int16(ldns_rr_rdf(t->rr, 2));
		now = (uint64_t)time(NULL);
		if ((now > signed_at ? now - signed_at : signed_at - now) >
		    fudge) {
			t->error = TSIG_BADTIME;
			return;
		}
		t->key = k;
		t->error = 0;
		return;
	}
}

/*
 * Sign every message of `out' in place (RFC 8945 5.3.1: the first with
 * the request MAC, the next ones with the previous MAC, timers only).
 */
static int
tsig_sign(struct zxfr_out *out, const struct tsig *t)
{
	struct zxfr_out	 n = ZXFR_OUT_INIT;
	ldns_pkt	*p = NULL;
	ldns_rdf	*prev = NULL;
	uint8_t		*w = NULL;
	size_t		 i = 0, wl, mi;
	const char	*alg;
	int		 rc = 0;

	alg = tsig_alg(jstr(t->key, "algorithm"));
	if ((prev = ldns_rdf_clone(ldns_rr_rdf(t->rr, 3))) == NULL)
		return -ENOMEM;
	for (mi = 0; i + 2 <= out->len; mi++) {
		wl = get16(out->buf + i);
		if (ldns_wire2pkt(&p, out->buf + i + 2, wl) != LDNS_STATUS_OK) {
			rc = ZE_DNS;
			goto out;
		}
		i += 2 + wl;
		if (ldns_pkt_tsig_sign_next(p, t->name, jstr(t->key, "secret"),
		    300, alg, prev, mi > 0) != LDNS_STATUS_OK) {
			rc = ZE_DNS;
			goto out;
		}
		ldns_rdf_deep_free(prev);
		prev = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(p), 3));
		if (prev == NULL ||
		    ldns_pkt2wire(&w, p, &wl) != LDNS_STATUS_OK || wl > 65535) {
			rc = ZE_DNS;
			goto out;
		}
		if ((rc = out_reserve(&n, wl + 2)) < 0)
			goto out;
		put16(n.buf + n.len, (uint16_t)wl);
		memcpy(n.buf + n.len + 2, w, wl);
		n.len += wl + 2;
		n.nmsg++;
		free(w);
		w = NULL;
		ldns_pkt_free(p);
		p = NULL;
	}
	free(out->buf);
	out->buf = n.buf;
	out->len = n.len;
	out->cap = n.cap;
	n.buf = NULL;
out:
	free(w);
	ldns_pkt_free(p);
	ldns_rdf_deep_free(prev);
	free(n.buf);
	return rc;
}

/* NOTAUTH with an unsigned TSIG RR carrying the error (RFC 8945 5.2). */
static int
tsig_error(struct mb *m, const struct tsig *t)
{
	ldns_rdf	*owner = NULL;
	uint8_t		*msg, *p;
	size_t		 alen, olen, need;
	uint64_t	 now = (uint64_t)time(NULL);
	int		 rc;

	m->edns = 0;
	m->hdr[3] = (uint8_t)((m->hdr[3] & 0xf0) | R_NOTAUTH);
	if ((rc = mb_begin(m, 1)) < 0)
		return rc;
	owner = ldns_rr_owner(t->rr);
	olen = ldns_rdf_size(owner);
	alen = ldns_rdf_size(ldns_rr_rdf(t->rr, 0));
	need = olen + 10 + alen + 6 + 2 + 2 + 2 + 2 + 2 + 6;
	if ((rc = out_reserve(m->out, need)) < 0)
		return rc;
	msg = mb_msg(m);
	p = msg + mb_len(m);
	memcpy(p, ldns_rdf_data(owner), olen);
	p += olen;
	put16(p, T_TSIG);
	put16(p + 2, C_ANY);
	put32(p + 4, 0);
	put16(p + 8, (uint16_t)(need - olen - 10 -
	    (t->error == TSIG_BADTIME ? 0 : 6)));
	p += 10;
	memcpy(p, ldns_rdf_data(ldns_rr_rdf(t->rr, 0)), alen);
	p += alen;
	if (t->error == TSIG_BADTIME || ldns_rdf_size(ldns_rr_rdf(t->rr, 1)) != 6)
		memset(p, 0, 6);
	else
		memcpy(p, ldns_rdf_data(ldns_rr_rdf(t->rr, 1)), 6);
	p += 6;
	put16(p, 300);			/* fudge */
	put16(p + 2, 0);		/* mac size */
	put16(p + 4, get16(m->hdr));	/* original id */
	put16(p + 6, (uint16_t)t->error);
	if (t->error == TSIG_BADTIME) {
		put16(p + 8, 6);
		put16(p + 10, (uint16_t)(now >> 32));
		put32(p + 12, (uint32_t)now);
		p += 16;
	} else {
		put16(p + 8, 0);
		p += 10;
	}
	m->out->len += (size_t)(p - (msg + mb_len(m)));
	m->ar++;
	return mb_end(m);
}

/* --- zones --- */

struct zone {
	json_t		*zone;		/* the zone, or NULL for a catalog */
	json_t		*pool;		/* its pool, or NULL */
	const char	*id;
	char		 name[LDNS_MAX_DOMAINLEN + 2];
	uint8_t		*cat;		/* catalog: its records (a wire run) */
	size_t		 catlen;
	const uint8_t	*soa;		/* the SOA record */
	size_t		 soalen;
	uint32_t	 serial;
};

static void
zone_release(struct zone *z)
{
	json_decref(z->zone);
	json_decref(z->pool);
	free(z->cat);
	memset(z, 0, sizeof(*z));
}

/* The zone served under `name': a live one, else an abandoned one. */
static int
zone_by_name(struct zview *v, MDB_txn *txn, const char *name, json_t **out)
{
	json_t	*a = NULL;
	int	 rc;

	if ((rc = zview_zone_by_name(v, txn, name, out)) != ZE_NOTFOUND)
		return rc;
	if ((rc = zview_obj_by_name(v, txn, "abandoned", name, &a)) < 0)
		return rc == -ENAMETOOLONG ? ZE_NOTFOUND : rc;
	rc = zview_zone(v, txn, jstr(a, "id"), out);
	json_decref(a);
	return rc;
}

/* Find the SOA of a zone of the view. */
static int
zone_soa(struct zxfr *x, MDB_txn *txn, struct zone *z)
{
	json_t		*rs;
	const void	*w;
	size_t		 wl;
	int		 rc;

	rc = zview_rrset_by_name(x->view, txn, z->id, jstr(z->zone, "name"),
	    "SOA", &rs);
	if (rc < 0)
		return rc;
	rc = zview_wire(x->view, txn, z->id, jstr(rs, "id"), &w, &wl);
	json_decref(rs);
	if (rc < 0)
		return rc;
	if (wl < 2 || get16(w) > wl - 2)
		return ZE_BADMSG;
	z->soa = (const uint8_t *)w + 2;
	z->soalen = get16(w);
	if (soa_serial(z->soa, z->soalen, &z->serial) < 0)
		return ZE_BADMSG;
	return 0;
}

/* Append a record to a wire run; owner and rdata names in text. */
struct wr {
	uint8_t		*p;
	size_t		 len, cap;
	int		 err;
};

static void
wr_bytes(struct wr *w, const void *b, size_t n)
{
	uint8_t	*np;
	size_t	 cap;

	if (w->err)
		return;
	if (w->len + n > w->cap) {
		cap = w->cap > 0 ? w->cap * 2 : 1024;
		while (cap < w->len + n)
			cap *= 2;
		if ((np = realloc(w->p, cap)) == NULL) {
			w->err = -ENOMEM;
			return;
		}
		w->p = np;
		w->cap = cap;
	}
	memcpy(w->p + w->len, b, n);
	w->len += n;
}

static void
wr_name(struct wr *w, const char *name)
{
	ldns_rdf	*r = NULL;

	if (ldns_str2rdf_dname(&r, name) != LDNS_STATUS_OK) {
		w->err = ZE_BADMSG;
		return;
	}
	ldns_dname2canonical(r);
	wr_bytes(w, ldns_rdf_data(r), ldns_rdf_size(r));
	ldns_rdf_deep_free(r);
}

/* Start a record: length placeholder, owner, type, class, ttl, rdlen. */
static size_t
wr_begin(struct wr *w, const char *owner, uint16_t type, uint32_t ttl)
{
	uint8_t	b[10];
	size_t	at = w->len;

	wr_bytes(w, "\0\0", 2);
	wr_name(w, owner);
	put16(b, type);
	put16(b + 2, C_IN);
	put32(b + 4, ttl);
	put16(b + 8, 0);
	wr_bytes(w, b, 10);
	return at;
}

static void
wr_end(struct wr *w, size_t at, size_t rdstart)
{
	if (w->err)
		return;
	put16(w->p + at, (uint16_t)(w->len - at - 2));
	put16(w->p + rdstart - 2, (uint16_t)(w->len - rdstart));
}

struct cat_arg {
	struct wr	*w;
	const char	*pool_id;
	const char	*catalog;
};

static int
cat_member(json_t *zone, void *arg)
{
	struct cat_arg	*a = arg;
	char		 owner[LDNS_MAX_DOMAINLEN + 80], uid[40];
	const char	*id = jstr(zone, "id");
	size_t		 at, rd, i, n = 0;

	if (strcmp(jstr(zone, "pool_id"), a->pool_id) != 0 || !zview_member(zone))
		return 0;
	for (i = 0; id[i] != '\0' && n < sizeof(uid) - 1; i++)
		if (id[i] != '-')
			uid[n++] = (char)tolower((unsigned char)id[i]);
	uid[n] = '\0';
	if (n == 0)
		return 0;
	snprintf(owner, sizeof(owner), "%s.zones.%s", uid, a->catalog);
	at = wr_begin(a->w, owner, LDNS_RR_TYPE_PTR, 0);
	rd = a->w->len;
	wr_name(a->w, jstr(zone, "name"));
	wr_end(a->w, at, rd);
	return a->w->err;
}

/*
 * Build a pool's catalog zone (RFC 9432 version 2): SOA, NS invalid.,
 * TXT "2" at version, a PTR per member at <zone id, hex>.zones.
 */
static int
catalog_build(struct zxfr *x, MDB_txn *txn, struct zone *z, int soa_only)
{
	struct wr	 w = { NULL, 0, 0, 0 };
	struct cat_arg	 a;
	const json_t	*cz = json_object_get(z->pool, "catalog_zone");
	const char	*mname;
	uint8_t		 b[20];
	uint32_t	 serial = 0, refresh;
	size_t		 at, rd;
	int		 rc;

	if ((rc = zview_catalog_serial(x->view, txn, jstr(z->pool, "id"),
	    &serial)) < 0 && rc != ZE_NOTFOUND)
		return rc;
	mname = jstr(json_array_get(json_object_get(z->pool, "ns_records"), 0),
	    "hostname");
	if (*mname == '\0')
		mname = "invalid.";
	refresh = json_is_integer(json_object_get(cz, "refresh")) ?
	    (uint32_t)json_integer_value(json_object_get(cz, "refresh")) : 60;
	at = wr_begin(&w, z->name, T_SOA, 0);
	rd = w.len;
	wr_name(&w, mname);
	wr_name(&w, "invalid.");
	put32(b, serial);
	put32(b + 4, refresh);
	put32(b + 8, refresh);
	put32(b + 12, 1209600);
	put32(b + 16, 0);
	wr_bytes(&w, b, 20);
	wr_end(&w, at, rd);
	if (!soa_only) {
		at = wr_begin(&w, z->name, LDNS_RR_TYPE_NS, 0);
		rd = w.len;
		wr_name(&w, "invalid.");
		wr_end(&w, at, rd);
		{
			char	owner[LDNS_MAX_DOMAINLEN + 16];

			snprintf(owner, sizeof(owner), "version.%s", z->name);
			at = wr_begin(&w, owner, LDNS_RR_TYPE_TXT, 0);
			rd = w.len;
			wr_bytes(&w, "\0012", 2);
			wr_end(&w, at, rd);
		}
		a.w = &w;
		a.pool_id = jstr(z->pool, "id");
		a.catalog = z->name;
		if (w.err == 0 && (rc = zview_zones_each(x->view, txn, NULL,
		    cat_member, &a)) < 0 && w.err == 0)
			w.err = rc;
	}
	if (w.err != 0) {
		free(w.p);
		return w.err;
	}
	z->cat = w.p;
	z->catlen = w.len;
	z->soa = w.p + 2;
	z->soalen = get16(w.p);
	z->serial = serial;
	return 0;
}

struct cat_find {
	const char	*name;
	json_t		*pool;		/* new reference when found */
	int		 exact;		/* name is the catalog's */
};

static int
name_at_or_below(const char *name, const char *zone)
{
	size_t	ln = strlen(name), lz = strlen(zone);

	if (ln > 0 && name[ln - 1] == '.')
		ln--;
	if (lz > 0 && zone[lz - 1] == '.')
		lz--;
	if (lz == 0)
		return 1;
	if (ln < lz || strncasecmp(name + ln - lz, zone, lz) != 0)
		return 0;
	return ln == lz || name[ln - lz - 1] == '.';
}

static int
cat_find_cb(json_t *pool, void *arg)
{
	struct cat_find	*f = arg;
	const char	*fqdn;

	fqdn = jstr(json_object_get(pool, "catalog_zone"), "fqdn");
	if (*fqdn == '\0' || !name_at_or_below(f->name, fqdn))
		return 0;
	f->pool = json_incref(pool);
	f->exact = name_eq(f->name, fqdn);
	return 1;
}

/*
 * Find the zone for qname: exactly (exact != 0) or the closest
 * enclosing one.  1 found and served, 0 not found, 2 found but not
 * served, or a negative code.
 */
static int
zone_find(struct zxfr *x, MDB_txn *txn, const ldns_rdf *qname, int exact,
    struct zone *z)
{
	struct cat_find	 cf;
	ldns_rdf	*cur, *next;
	char		*s, *qs;
	const char	*fqdn;
	int		 rc, found = 0;

	zone_release(z);
	if ((cur = ldns_rdf_clone(qname)) == NULL)
		return -ENOMEM;
	while (ldns_dname_label_count(cur) > 0) {
		if ((s = ldns_rdf2str(cur)) == NULL) {
			ldns_rdf_deep_free(cur);
			return -ENOMEM;
		}
		rc = zone_by_name(x->view, txn, s, &z->zone);
		free(s);
		if (rc == 0) {
			found = 1;
			break;
		}
		if (rc != ZE_NOTFOUND) {
			ldns_rdf_deep_free(cur);
			return rc;
		}
		if (exact)
			break;
		next = ldns_dname_left_chop(cur);
		ldns_rdf_deep_free(cur);
		if ((cur = next) == NULL)
			return -ENOMEM;
	}
	ldns_rdf_deep_free(cur);
	if (found) {
		z->id = jstr(z->zone, "id");
		strlcpy(z->name, jstr(z->zone, "name"), sizeof(z->name));
		if (!zview_member(z->zone))
			return 2;
		rc = zview_pool(x->view, txn, jstr(z->zone, "pool_id"),
		    &z->pool);
		if (rc < 0 && rc != ZE_NOTFOUND)
			return rc;
		if ((rc = zone_soa(x, txn, z)) < 0)
			return rc;
		return 1;
	}
	/* a catalog zone? */
	if ((qs = ldns_rdf2str(qname)) == NULL)
		return -ENOMEM;
	cf.name = qs;
	cf.pool = NULL;
	cf.exact = 0;
	rc = zview_pools_each(x->view, txn, cat_find_cb, &cf);
	free(qs);
	if (rc < 0)
		return rc;
	if (cf.pool == NULL)
		return 0;
	z->pool = cf.pool;
	fqdn = jstr(json_object_get(z->pool, "catalog_zone"), "fqdn");
	strlcpy(z->name, fqdn, sizeof(z->name));
	if (exact && !cf.exact) {
		zone_release(z);
		return 0;
	}
	return 1;
}

/* The keys a zone's transfers are signed with (a new reference). */
static json_t *
zone_keys(const struct zone *z)
{
	json_t		*keys, *k;
	const json_t	*ct;

	keys = json_deep_copy(json_object_get(z->pool, "tsig_keys"));
	if (!json_is_array(keys)) {
		json_decref(keys);
		keys = json_array();
	}
	if (z->zone == NULL && (ct = json_object_get(json_object_get(z->pool,
	    "catalog_zone"), "tsig")) != NULL && json_is_object(ct)) {
		k = json_deep_copy(ct);
		json_array_append_new(keys, k);
	}
	return keys;
}

/* --- answers --- */

struct ans {
	struct zxfr	*x;
	MDB_txn		*txn;
	struct mb	*m;
	struct zone	*z;
	int		 rc;
};

static int
axfr_rr(const uint8_t *rr, size_t len, void *arg)
{
	struct ans	*a = arg;
	size_t		 nl;

	if ((nl = rr_check(rr, len)) == 0 || rr_type(rr, nl) == T_SOA)
		return 0;
	return mb_rr(a->m, rr, len);
}

/* SOA, every other record, SOA. */
static int
answer_axfr(struct ans *a)
{
	int	rc;

	if ((rc = mb_rr(a->m, a->z->soa, a->z->soalen)) < 0)
		return rc;
	if (a->z->zone == NULL) {
		if ((rc = mb_run(a->m, a->z->cat, a->z->catlen, 1)) < 0)
			return rc;
	} else if ((rc = zview_zone_rrs(a->x->view, a->txn, a->z->id, axfr_rr,
	    a)) < 0)
		return rc;
	return mb_rr(a->m, a->z->soa, a->z->soalen);
}

/*
 * IXFR from `from': 1 answered incrementally, 0 when the history is
 * missing (the caller falls back to AXFR), or a negative code.
 */
static int
answer_ixfr(struct ans *a, uint32_t from)
{
	struct zview_delta	 d[ZVIEW_DELTAS + 1];
	uint32_t		 cur = from;
	size_t			 n = 0, i;
	int			 rc;

	if (a->z->zone == NULL)
		return 0;
	while (cur != a->z->serial) {
		if (n == sizeof(d) / sizeof(d[0]))
			return 0;
		rc = zview_delta(a->x->view, a->txn, a->z->id, cur, &d[n]);
		if (rc == ZE_NOTFOUND)
			return 0;
		if (rc < 0)
			return rc;
		if (d[n].from != cur || d[n].to == cur)
			return 0;
		cur = d[n++].to;
	}
	if ((rc = mb_rr(a->m, a->z->soa, a->z->soalen)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = mb_run(a->m, d[i].del, d[i].dellen, 0)) < 0 ||
		    (rc = mb_run(a->m, d[i].add, d[i].addlen, 0)) < 0)
			return rc;
	if ((rc = mb_rr(a->m, a->z->soa, a->z->soalen)) < 0)
		return rc;
	return 1;
}

static int
any_cb(json_t *rs, void *arg)
{
	struct ans	*a = arg;
	const void	*w;
	size_t		 wl;

	if (zview_wire(a->x->view, a->txn, a->z->id, jstr(rs, "id"), &w,
	    &wl) < 0)
		return 0;
	return (a->rc = mb_run(a->m, w, wl, 0)) < 0 ? a->rc : 0;
}

/* Records in a catalog zone at qname/qtype (any type: 255). */
static int
catalog_lookup(struct ans *a, const ldns_rdf *qname, uint16_t qtype)
{
	const uint8_t	*run = a->z->cat;
	size_t		 i = 0, rl, nl, ql = ldns_rdf_size(qname);
	uint8_t		 lq[LDNS_MAX_DOMAINLEN + 1];
	int		 rc, n = 0;

	if (ql > sizeof(lq))
		return 0;
	memcpy(lq, ldns_rdf_data(qname), ql);
	for (i = 0; i < ql; i++)
		lq[i] = (uint8_t)tolower(lq[i]);
	for (i = 0; i + 2 <= a->z->catlen; i += rl) {
		rl = get16(run + i);
		i += 2;
		nl = rr_check(run + i, rl);
		if (nl != ql || memcmp(run + i, lq, ql) != 0 ||
		    (qtype != 255 && rr_type(run + i, nl) != qtype))
			continue;
		if ((rc = mb_rr(a->m, run + i, rl)) < 0)
			return rc;
		n++;
	}
	return n;
}

/* An ordinary query: the records, or NODATA with the SOA. */
static int
answer_query(struct ans *a, const ldns_rdf *qname, uint16_t qtype)
{
	const void	*w;
	json_t		*rs = NULL;
	char		*qs = NULL, *ts = NULL;
	size_t		 wl;
	int		 rc;

	if (qtype == T_SOA && a->z->zone == NULL) {
		char	*s = ldns_rdf2str(qname);

		rc = s != NULL && name_eq(s, a->z->name);
		free(s);
		if (rc)
			return mb_rr(a->m, a->z->soa, a->z->soalen);
	}
	if (a->z->zone == NULL)
		rc = catalog_lookup(a, qname, qtype);
	else {
		if ((qs = ldns_rdf2str(qname)) == NULL ||
		    (ts = ldns_rr_type2str(qtype)) == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		if (qtype == 255) {
			a->rc = 0;
			rc = zview_rrsets_at(a->x->view, a->txn, a->z->id, qs,
			    any_cb, a);
			if (rc == 0)
				rc = a->rc;
			if (rc == 0)
				rc = a->m->an > 0;
		} else if ((rc = zview_rrset_by_name(a->x->view, a->txn,
		    a->z->id, qs, ts, &rs)) == 0 &&
		    (rc = zview_wire(a->x->view, a->txn, a->z->id,
		    jstr(rs, "id"), &w, &wl)) == 0)
			rc = (rc = mb_run(a->m, w, wl, 0)) < 0 ? rc : 1;
		if (rc == ZE_NOTFOUND)
			rc = 0;
	}
	if (rc == 0) {
		a->m->section = 1;
		rc = mb_rr(a->m, a->z->soa, a->z->soalen);
	} else if (rc > 0)
		rc = 0;
out:
	json_decref(rs);
	free(qs);
	free(ts);
	return rc;
}

/* The client's serial from the IXFR authority section. */
static int
ixfr_serial(const ldns_pkt *q, uint32_t *serial)
{
	const ldns_rr_list	*au = ldns_pkt_authority(q);
	const ldns_rr		*rr;

	if (ldns_rr_list_rr_count(au) < 1)
		return -1;
	rr = ldns_rr_list_rr(au, 0);
	if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
	    ldns_rr_rd_count(rr) < 3 ||
	    ldns_rdf_size(ldns_rr_rdf(rr, 2)) != 4)
		return -1;
	*serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
	return 0;
}

static void
mb_restart(struct mb *m, size_t limit, int split)
{
	m->out->len = 0;
	m->out->nmsg = 0;
	m->an = m->ns = m->ar = 0;
	m->section = 0;
	m->limit = limit;
	m->split = split;
}

/*
 * A transfer (AXFR, or IXFR with from != NULL) into m, already begun.
 * Over UDP (tcp == 0) an IXFR that does not fit is answered with the SOA.
 */
static int
answer_xfr(struct ans *a, const uint32_t *from, int tcp)
{
	struct mb	*m = a->m;
	size_t		 limit = m->limit;
	int		 rc;

	if (from != NULL) {
		atomic_fetch_add(&a->x->nixfr, 1);
		if (serial_ge(*from, a->z->serial))
			return mb_rr(m, a->z->soa, a->z->soalen);
		rc = answer_ixfr(a, *from);
		if (rc == -EMSGSIZE && !tcp) {
			mb_restart(m, limit, 0);
			if ((rc = mb_begin(m, 1)) < 0)
				return rc;
			return mb_rr(m, a->z->soa, a->z->soalen);
		}
		if (rc != 0)
			return rc < 0 ? rc : 0;
		atomic_fetch_add(&a->x->nfallback, 1);
		mb_restart(m, limit, tcp);
		if ((rc = mb_begin(m, 1)) < 0)
			return rc;
	} else
		atomic_fetch_add(&a->x->naxfr, 1);
	rc = answer_axfr(a);
	if (rc == -EMSGSIZE && !tcp && from != NULL) {
		mb_restart(m, limit, 0);
		if ((rc = mb_begin(m, 1)) < 0)
			return rc;
		return mb_rr(m, a->z->soa, a->z->soalen);
	}
	return rc;
}

int
zxfr_answer(struct zxfr *x, const uint8_t *q, size_t qlen, int tcp,
    const struct sockaddr *from, struct zxfr_out *out)
{
	struct mb	 m;
	struct tsig	 t;
	struct zone	 z;
	struct ans	 a;
	ldns_pkt	*p = NULL;
	ldns_rr		*qrr;
	ldns_rdf	*qname;
	json_t		*keys = NULL;
	MDB_txn		*txn = NULL;
	char		*s;
	uint32_t	 serial;
	uint16_t	 qtype, qclass;
	int		 rc = 0, opcode, found, xfr;

	out->len = out->nmsg = 0;
	memset(&z, 0, sizeof(z));
	memset(&t, 0, sizeof(t));
	memset(&m, 0, sizeof(m));
	if (out->ct == NULL &&
	    (out->ct = calloc(1, sizeof(struct ct))) == NULL)
		return -ENOMEM;
	atomic_fetch_add(&x->nqueries, 1);
	if (qlen < 12 || (q[2] & 0x80))
		return 0;			/* too short, or a response */
	m.out = out;
	m.ct = out->ct;
	m.limit = tcp ? x->max_message : 512;
	m.hdr[0] = q[0];
	m.hdr[1] = q[1];
	m.hdr[2] = (uint8_t)(0x80 | (q[2] & 0x79));	/* QR, opcode, RD */
	m.hdr[3] = 0;
	opcode = (q[2] >> 3) & 0x0f;
	if (ldns_wire2pkt(&p, q, qlen) != LDNS_STATUS_OK)
		return mb_simple(&m, R_FORMERR);
	if (opcode != OP_QUERY && opcode != OP_NOTIFY) {
		rc = mb_simple(&m, R_NOTIMP);
		goto out;
	}
	if (ldns_pkt_qdcount(p) != 1 ||
	    ldns_rr_list_rr_count(ldns_pkt_question(p)) != 1) {
		rc = mb_simple(&m, R_FORMERR);
		goto out;
	}
	qrr = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	qname = ldns_rr_owner(qrr);
	qtype = (uint16_t)ldns_rr_get_type(qrr);
	qclass = (uint16_t)ldns_rr_get_class(qrr);
	m.qname = ldns_rdf_data(qname);
	m.qnlen = ldns_rdf_size(qname);
	m.qtype = qtype;
	m.qclass = qclass;
	if (ldns_pkt_edns(p)) {
		m.edns = 1;
		m.udpsize = UDP_MAX;
		if (!tcp) {
			m.limit = ldns_pkt_edns_udp_size(p);
			if (m.limit < 512)
				m.limit = 512;
			if (m.limit > UDP_MAX)
				m.limit = UDP_MAX;
		}
		m.reserve = OPT_ROOM;
	}
	m.hdr[2] |= 0x04;			/* AA */
	if ((t.rr = ldns_pkt_tsig(p)) != NULL) {
		if (ldns_rr_rd_count(t.rr) < 7 || ldns_rr_owner(t.rr) == NULL) {
			rc = mb_simple(&m, R_FORMERR);
			goto out;
		}
		if ((s = ldns_rdf2str(ldns_rr_owner(t.rr))) == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		strlcpy(t.name, s, sizeof(t.name));
		free(s);
	}
	if (opcode == OP_NOTIFY) {
		/* a master telling us a SECONDARY zone changed */
		if (x->on_notify != NULL && qclass == C_IN) {
			if ((rc = zview_rbegin(x->view, &txn)) < 0)
				goto fail;
			found = zone_find(x, txn, qname, 1, &z);
			if (found > 0 && z.zone != NULL &&
			    strcmp(jstr(z.zone, "type"), "SECONDARY") == 0 &&
			    x->on_notify(x->notify_arg, z.zone, from) == -EPERM)
				goto refused;
		}
		rc = mb_simple(&m, R_NOERROR);
		goto out;
	}
	if (qclass != C_IN) {
		atomic_fetch_add(&x->nrefused, 1);
		m.hdr[2] &= (uint8_t)~0x04;
		rc = mb_simple(&m, R_REFUSED);
		goto out;
	}
	xfr = qtype == LDNS_RR_TYPE_AXFR || qtype == LDNS_RR_TYPE_IXFR;
	if ((rc = zview_rbegin(x->view, &txn)) < 0)
		goto fail;
	found = zone_find(x, txn, qname, xfr || qtype == T_SOA, &z);
	if (found == 0 && qtype == T_SOA)
		found = zone_find(x, txn, qname, 0, &z);
	if (found < 0) {
		rc = found;
		goto fail;
	}
	if (found != 1 || (xfr && (!tcp && qtype == LDNS_RR_TYPE_AXFR)) ||
	    (xfr && !zxfr_allowed(x, from)))
		goto refused;
	if (z.zone == NULL && (rc = catalog_build(x, txn, &z,
	    !xfr && qtype == T_SOA)) < 0)
		goto fail;
	keys = zone_keys(&z);
	if (t.rr != NULL) {
		tsig_verify(p, q, qlen, keys, &t);
		if (t.error != 0) {
			atomic_fetch_add(&x->ntsigbad, 1);
			rc = tsig_error(&m, &t);
			goto out;
		}
		/* room for the TSIG RR; ldns digests in a 64 KiB buffer */
		m.reserve += ldns_rdf_size(ldns_rr_owner(t.rr)) +
		    ldns_rdf_size(ldns_rr_rdf(t.rr, 0)) + TSIG_ROOM;
		if (m.limit > 65535 - 1024)
			m.limit = 65535 - 1024;
	} else if (xfr && json_array_size(keys) > 0)
		goto refused;
	if ((rc = mb_begin(&m, 1)) < 0)
		goto fail;
	a.x = x;
	a.txn = txn;
	a.m = &m;
	a.z = &z;
	a.rc = 0;
	if (xfr && tcp && m.limit > ZXFR_XFR_FILL)
		m.limit = ZXFR_XFR_FILL;
	m.stream = xfr && tcp && t.key == NULL && out->flush != NULL;
	if (qtype == LDNS_RR_TYPE_AXFR) {
		m.split = 1;
		rc = answer_xfr(&a, NULL, tcp);
	} else if (qtype == LDNS_RR_TYPE_IXFR) {
		m.split = tcp;
		if (ixfr_serial(p, &serial) < 0) {
			mb_restart(&m, m.limit, 0);
			rc = mb_simple(&m, R_FORMERR);
			goto out;
		}
		rc = answer_xfr(&a, &serial, tcp);
	} else {
		rc = answer_query(&a, qname, qtype);
		if (rc == -EMSGSIZE && !tcp) {
			/* truncated: header and question, TC */
			mb_restart(&m, m.limit, 0);
			m.hdr[2] |= 0x02;
			rc = mb_begin(&m, 1);
		}
	}
	if (rc < 0)
		goto fail;
	if ((rc = mb_end(&m)) < 0)
		goto fail;
	if (t.key != NULL && (rc = tsig_sign(out, &t)) < 0)
		goto fail;
	goto out;
refused:
	atomic_fetch_add(&x->nrefused, 1);
	mb_restart(&m, m.limit, 0);
	m.hdr[2] &= (uint8_t)~0x04;
	rc = mb_simple(&m, R_REFUSED);
	goto out;
fail:
	mb_restart(&m, m.limit, 0);
	m.reserve = 0;
	m.edns = 0;
	m.hdr[2] &= (uint8_t)~0x04;
	(void)mb_simple(&m, R_SERVFAIL);
out:
	zview_rend(txn);
	zone_release(&z);
	json_decref(keys);
	ldns_pkt_free(p);
	return rc;
}
