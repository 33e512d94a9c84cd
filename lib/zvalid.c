/*
 * Validation of zone and recordset bodies and of record data, after
 * api-v2.md 1.2, 3.2, 3.5, 4.2, 4.5 and 4.7.  Pure functions: no I/O,
 * no logging.  Record data is checked twice: by the rules of the spec,
 * and by ldns, which must be able to parse "owner ttl IN TYPE data".
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "zerr.h"
#include "zfault.h"
#include "zuuid.h"
#include "zvalid.h"

#define NAME_MAX_LEN	254		/* "shorter than 255" */
#define DESC_MAX	160
#define EMAIL_MAX	255
#define ATTR_MAX	50
#define TTL_MAX		2147483647LL
#define MAXFIELDS	64

struct fld {
	const char	*p;
	size_t		 n;
};

static const char *const zone_keys[] = {
	"name", "email", "ttl", "description", "type", "masters",
	"attributes", NULL
};
static const char *const zone_ro_keys[] = {
	"id", "pool_id", "project_id", "serial", "status", "action",
	"version", "created_at", "updated_at", "transferred_at", "shared",
	"links", NULL
};
static const char *const zone_immutable[] = {
	"name", "type", "attributes", NULL
};
static const char *const rrset_keys[] = {
	"name", "type", "records", "ttl", "description", NULL
};
static const char *const rrset_ro_keys[] = {
	"id", "zone_id", "zone_name", "project_id", "status", "action",
	"version", "created_at", "updated_at", "links", NULL
};

static const char *const cert_types[] = {
	"PKIX", "SPKI", "PGP", "IPKIX", "ISPKI", "IPGP", "ACPKIX",
	"IACPKIX", "URI", "OID", "DPKIX", "DPTR", NULL
};
/* Numbers for the mnemonics above; -1: none known to ldns or IANA. */
static const int cert_type_nums[] = {
	1, 2, 3, 4, 5, 6, 7, 8, 253, 254, -1, -1
};
static const char *const cert_algos[] = {
	"RSAMD5", "DSA", "RSASHA1", "DSA-NSEC3-SHA1", "RSASHA1-NSEC3-SHA1",
	"RSASHA256", "RSASHA512", "ECC-GOST", "ECDSAP256SHA256",
	"ECDSAP384SHA384", "ED25519", "ED448", NULL
};
static const int cert_algo_nums[] = {
	1, 3, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16
};

static const char *const svcb_alpns[] = {
	"h3", "h2", "h2c", "http/1.1", "http/1.0", NULL
};

static int	chk_a(const char *);
static int	chk_aaaa(const char *);
static int	chk_name(const char *);
static int	chk_mx(const char *);
static int	chk_txt(const char *);
static int	chk_spf(const char *);
static int	chk_srv(const char *);
static int	chk_sshfp(const char *);
static int	chk_caa(const char *);
static int	chk_naptr(const char *);
static int	chk_cert(const char *);
static int	chk_svcb(const char *);
static int	chk_https(const char *);
static int	chk_tlsa(const char *);
static int	chk_soa(const char *);

static const struct rtype {
	const char	 *name;
	int		(*check)(const char *);
} rtypes[] = {
	{ "A",		chk_a },
	{ "AAAA",	chk_aaaa },
	{ "CNAME",	chk_name },
	{ "MX",		chk_mx },
	{ "SRV",	chk_srv },
	{ "TXT",	chk_txt },
	{ "SPF",	chk_spf },
	{ "NS",		chk_name },
	{ "PTR",	chk_name },
	{ "SSHFP",	chk_sshfp },
	{ "SOA",	chk_soa },
	{ "NAPTR",	chk_naptr },
	{ "CAA",	chk_caa },
	{ "CERT",	chk_cert },
	{ "HTTPS",	chk_https },
	{ "SVCB",	chk_svcb },
	{ "TLSA",	chk_tlsa },
	{ NULL,		NULL }
};

/*
 * Small helpers.
 */

static json_t *
unconst(const json_t *j)
{
	return (json_t *)(uintptr_t)j;
}

static int
in_list(const char *s, const char *const *list)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return (int)i;
	return -1;
}

/* Length in characters (code points) of a UTF-8 string. */
static size_t
u8len(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Copy a field into a NUL-terminated buffer; -1 if it does not fit. */
static int
fld_str(const struct fld *f, char *buf, size_t sz)
{
	if (f->n >= sz)
		return -1;
	memcpy(buf, f->p, f->n);
	buf[f->n] = '\0';
	return 0;
}

static int
fld_eq(const struct fld *f, const char *s)
{
	return f->n == strlen(s) && memcmp(f->p, s, f->n) == 0;
}

/*
 * Split on single spaces, like Python's str.split(' ', nmax - 1) when
 * `rest' is set (the last field takes the remainder), else like
 * str.split(' ').  Empty fields are kept.  Returns the number of fields,
 * or nmax + 1 when there are more than nmax.
 */
static int
split_sp(const char *s, struct fld *f, int nmax, int rest)
{
	const char	*p = s, *q;
	int		 n = 0;

	for (;;) {
		if (n == nmax)
			return nmax + 1;
		if (rest && n == nmax - 1)
			q = p + strlen(p);
		else if ((q = strchr(p, ' ')) == NULL)
			q = p + strlen(p);
		f[n].p = p;
		f[n].n = (size_t)(q - p);
		n++;
		if (*q == '\0')
			return n;
		p = q + 1;
	}
}

/* Split on runs of white space; no empty fields. */
static int
split_ws(const char *s, struct fld *f, int nmax)
{
	int	n = 0;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			return n;
		if (n == nmax)
			return nmax + 1;
		f[n].p = s;
		while (*s != '\0' && !isspace((unsigned char)*s))
			s++;
		f[n].n = (size_t)(s - f[n].p);
		n++;
	}
}

/* Canonical decimal: no sign, no leading zero, not empty, <= max. */
static int
int_canon(const struct fld *f, long max, long *out)
{
	size_t	i;
	long	v = 0;

	if (f->n == 0 || f->n > 10 || (f->n > 1 && f->p[0] == '0'))
		return -1;
	for (i = 0; i < f->n; i++) {
		if (!isdigit((unsigned char)f->p[i]))
			return -1;
		v = v * 10 + (f->p[i] - '0');
	}
	if (v > max)
		return -1;
	if (out != NULL)
		*out = v;
	return 0;
}

/* Any integer text: optional sign, digits, value in min..max. */
static int
int_any(const struct fld *f, long min, long max, long *out)
{
	size_t	i = 0;
	long	v = 0;
	int	neg = 0;

	if (f->n > 0 && (f->p[0] == '+' || f->p[0] == '-')) {
		neg = f->p[0] == '-';
		i = 1;
	}
	if (i == f->n)
		return -1;
	for (; i < f->n; i++) {
		if (!isdigit((unsigned char)f->p[i]))
			return -1;
		if (v > 1000000000000L)
			return -1;
		v = v * 10 + (f->p[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return -1;
	if (out != NULL)
		*out = v;
	return 0;
}

static int
is_hex(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

/* Strict base64: alphabet, '=' padding only at the end, length % 4. */
static int
is_b64(const char *p, size_t n)
{
	size_t	i, pad = 0;

	if (n == 0 || n % 4 != 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0)
			return 0;
		if (!isalnum((unsigned char)p[i]) && p[i] != '+' &&
		    p[i] != '/')
			return 0;
	}
	return pad <= 2;
}

static int
is_ipv4(const char *s)
{
	struct in_addr	a;

	return inet_pton(AF_INET, s, &a) == 1;
}

static int
is_ipv6(const char *s)
{
	struct in6_addr	a;

	return inet_pton(AF_INET6, s, &a) == 1;
}

/*
 * Names.  Returns NULL when `s' is a valid name, else the reason.  With
 * `wild', a leading "*" label is allowed.
 */
static const char *
name_bad(const char *s, int wild)
{
	const char	*p, *lab;
	size_t		 len = strlen(s);

	if (len == 0 || s[len - 1] != '.')
		return "does not end with a dot";
	if (len > NAME_MAX_LEN)
		return "is longer than 254 characters";
	p = s;
	if (wild && p[0] == '*' && p[1] == '.')
		p += 2;
	while (*p != '\0') {
		lab = p;
		for (; *p != '\0' && *p != '.'; p++) {
			if (*p == '*')
				return "contains a '*'";
			if (!isalnum((unsigned char)*p) && *p != '_' &&
			    *p != '-')
				return "contains an invalid character";
		}
		if (p == lab)
			return "has an empty label";
		if (p - lab > 63)
			return "has a label longer than 63 characters";
		if (lab[0] == '-' || p[-1] == '-')
			return "has a label starting or ending with '-'";
		p++;		/* the dot */
	}
	return NULL;
}

/* A name given as a field, checked with name_bad. */
static int
fld_name_ok(const struct fld *f)
{
	char	buf[NAME_MAX_LEN + 2];

	if (fld_str(f, buf, sizeof(buf)) < 0)
		return 0;
	return name_bad(buf, 0) == NULL;
}

/*
 * Faults.
 */

/* Add "validator_value" to the one errors[] entry; steals `vv'. */
static int
fault_vv(struct zfault *f, json_t *vv)
{
	json_t	*e;

	e = json_array_get(f->errors, 0);
	if (e != NULL && vv != NULL)
		json_object_set_new(e, "validator_value", vv);
	else
		json_decref(vv);
	return ZE_FAULT;
}

static json_t *
path1(const char *k)
{
	return json_pack("[s]", k);
}

static json_t *
path2(const char *k, const char *k2)
{
	return json_pack("[s,s]", k, k2);
}

static json_t *
pathi(const char *k, int i)
{
	return json_pack("[s,i]", k, i);
}

static int
type_fault(struct zfault *f, json_t *path, const json_t *v,
    const char *want)
{
	char	*s;
	int	 rc;

	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	rc = zfault_schema(f, "type", path, "%s is not of type %s",
	    s != NULL ? s : "value", want);
	free(s);
	return rc;
}

static int
rec_fault(struct zfault *f, const char *type, const char *data, int idx)
{
	zfault_schema(f, "format", pathi("records", idx),
	    "'%s' is not a '%s' Record", data, type);
	return fault_vv(f, json_pack("[s]", type));
}

/*
 * Text for ldns.  Some forms the API accepts are not ldns presentation
 * format: unquoted TXT/SPF strings (';' would start a comment), unquoted
 * CAA values, bare NAPTR strings, CERT mnemonics ldns does not know,
 * TLSA hex split by white space and parentheses.  Returns a malloc'd
 * string, or NULL with errno set (ENOMEM, or EINVAL when the data
 * cannot be rewritten).
 */

struct sbuf {
	char	*s;
	size_t	 len, cap;
	int	 err;
};

static void
sb_addn(struct sbuf *b, const char *p, size_t n)
{
	char	*ns;
	size_t	 ncap;

	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap == 0 ? 64 : b->cap;
		while (b->len + n + 1 > ncap)
			ncap *= 2;
		if ((ns = realloc(b->s, ncap)) == NULL) {
			b->err = 1;
			return;
		}
		b->s = ns;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

/* Quoted string with '"' and, when `bs', '\' escaped. */
static void
sb_quote(struct sbuf *b, const char *p, size_t n, int bs)
{
	size_t	i;

	sb_add(b, "\"");
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || (bs && p[i] == '\\'))
			sb_add(b, "\\");
		sb_addn(b, p + i, 1);
	}
	sb_add(b, "\"");
}

/* Strip one pair of wrapping double quotes. */
static void
unquote(struct fld *f)
{
	if (f->n >= 2 && f->p[0] == '"' && f->p[f->n - 1] == '"') {
		f->p++;
		f->n -= 2;
	}
}

static char *
ldns_text(const char *type, const char *data)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
	struct fld	 f[MAXFIELDS];
	char		 num[16];
	size_t		 n;
	int		 i, nf, k;

	if (strcmp(type, "TXT") == 0 || strcmp(type, "SPF") == 0) {
		n = strlen(data);
		if (n >= 2 && data[0] == '"' && data[n - 1] == '"')
			sb_add(&b, data);
		else
			sb_quote(&b, data, n, 0);
	} else if (strcmp(type, "CAA") == 0) {
		if (split_sp(data, f, 3, 1) != 3)
			goto inval;
		sb_addn(&b, f[0].p, f[0].n);
		sb_add(&b, " ");
		sb_addn(&b, f[1].p, f[1].n);
		sb_add(&b, " ");
		sb_quote(&b, f[2].p, f[2].n, 1);
	} else if (strcmp(type, "NAPTR") == 0) {
		if (split_sp(data, f, 6, 0) != 6)
			goto inval;
		for (i = 0; i < 6; i++) {
			if (i > 0)
				sb_add(&b, " ");
			if (i >= 2 && i <= 4) {
				unquote(&f[i]);
				sb_add(&b, "\"");
				sb_addn(&b, f[i].p, f[i].n);
				sb_add(&b, "\"");
			} else
				sb_addn(&b, f[i].p, f[i].n);
		}
	} else if (strcmp(type, "CERT") == 0) {
		if (split_sp(data, f, 4, 1) != 4)
			goto inval;
		for (i = 0; i < 3; i++) {
			char	tok[32];

			if (fld_str(&f[i], tok, sizeof(tok)) < 0)
				goto inval;
			k = -1;
			if (i == 0 && (k = in_list(tok, cert_types)) >= 0)
				k = cert_type_nums[k] >= 0 ? cert_type_nums[k] :
				    -2;
			else if (i == 2 && (k = in_list(tok, cert_algos)) >= 0)
				k = cert_algo_nums[k];
			if (k == -2)
				goto inval;
			if (k >= 0) {
				snprintf(num, sizeof(num), "%d", k);
				sb_add(&b, num);
			} else
				sb_add(&b, tok);
			sb_add(&b, " ");
		}
		sb_addn(&b, f[3].p, f[3].n);
	} else if (strcmp(type, "TLSA") == 0) {
		char	*tmp, *p;

		if ((tmp = strdup(data)) == NULL)
			return NULL;
		for (p = tmp; *p != '\0'; p++)
			if (*p == '(' || *p == ')')
				*p = ' ';
		nf = split_ws(tmp, f, MAXFIELDS);
		if (nf < 4 || nf > MAXFIELDS) {
			free(tmp);
			goto inval;
		}
		for (i = 0; i < nf; i++) {
			sb_addn(&b, f[i].p, f[i].n);
			if (i < 3)
				sb_add(&b, " ");
		}
		free(tmp);
	} else
		sb_add(&b, data);

	if (b.err) {
		free(b.s);
		errno = ENOMEM;
		return NULL;
	}
	return b.s;
inval:
	free(b.s);
	errno = EINVAL;
	return NULL;
}

/* A ';' outside double quotes starts a comment for ldns. */
static int
bare_special(const char *s)
{
	int	q = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			continue;
		}
		if (*s == '"')
			q = !q;
		else if (!q && *s == ';')
			return 1;
		else if (*s == '\n' || *s == '\r')
			return 1;
	}
	return 0;
}

/*
 * Parse "owner ttl IN TYPE data" with ldns.  Returns 0 and `*rrp', ZE_DNS
 * or -ENOMEM.
 */
static int
rr_parse(const char *owner, const char *type, uint32_t ttl,
    const char *data, ldns_rr **rrp)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
	ldns_rr		*rr = NULL;
	ldns_rr_type	 t;
	ldns_status	 st;
	char		*txt = NULL, num[16];
	size_t		 n;
	int		 rc = ZE_DNS;

	*rrp = NULL;
	n = strlen(owner);
	if (n == 0 || owner[n - 1] != '.' ||
	    strpbrk(owner, " \t\r\n;()\"\\$") != NULL)
		return ZE_DNS;
	if (type[0] == '\0' || strpbrk(type, " \t\r\n") != NULL ||
	    (t = ldns_get_rr_type_by_name(type)) == 0)
		return ZE_DNS;
	if ((txt = ldns_text(type, data)) == NULL) {
		rc = errno == ENOMEM ? -ENOMEM : ZE_DNS;
		goto out;
	}
	if (bare_special(txt))
		goto out;
	snprintf(num, sizeof(num), "%u", (unsigned int)ttl);
	sb_add(&b, owner);
	sb_add(&b, " ");
	sb_add(&b, num);
	sb_add(&b, " IN ");
	sb_add(&b, type);
	sb_add(&b, " ");
	sb_add(&b, txt);
	if (b.err) {
		rc = -ENOMEM;
		goto out;
	}
	st = ldns_rr_new_frm_str(&rr, b.s, 0, NULL, NULL);
	if (st == LDNS_STATUS_MEM_ERR) {
		rc = -ENOMEM;
		goto out;
	}
	if (st != LDNS_STATUS_OK || ldns_rr_get_type(rr) != t ||
	    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
		goto out;
	*rrp = rr;
	rr = NULL;
	rc = 0;
out:
	ldns_rr_free(rr);
	free(txt);
	free(b.s);
	return rc;
}

/*
 * Record data, one function per type: 0 good, -1 bad.
 */

static int
chk_a(const char *s)
{
	return is_ipv4(s) ? 0 : -1;
}

static int
chk_aaaa(const char *s)
{
	return is_ipv6(s) ? 0 : -1;
}

static int
chk_name(const char *s)
{
	return name_bad(s, 0) == NULL ? 0 : -1;
}

/* Exchange: ends with '.', max 255; a valid name, or "." (null MX). */
static int
chk_mx(const char *s)
{
	struct fld	f[3];

	if (split_sp(s, f, 2, 0) != 2)
		return -1;
	if (int_canon(&f[0], 65535, NULL) < 0)
		return -1;
	if (f[1].n == 0 || f[1].n > 255 || f[1].p[f[1].n - 1] != '.')
		return -1;
	if (fld_eq(&f[1], "."))
		return 0;
	return fld_name_ok(&f[1]) ? 0 : -1;
}

/*
 * TXT and SPF: no newline; quoted iff it starts with '"' and ends with
 * '"'; unquoted: no white space; quoted: one or more "..." strings
 * separated by spaces, inner '"' escaped.  TXT also: no trailing '\',
 * each string at most 255 characters.
 */
static int
chk_txtlike(const char *s, int txt)
{
	const char	*p;
	size_t		 n = strlen(s), len;

	if (n == 0 || strpbrk(s, "\n\r") != NULL)
		return -1;
	if (txt && s[n - 1] == '\\')
		return -1;
	if (s[0] != '"' && s[n - 1] != '"') {
		for (p = s; *p != '\0'; p++)
			if (isspace((unsigned char)*p))
				return -1;
		if (txt && n > 255)
			return -1;
		return 0;
	}
	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return -1;		/* unbalanced */
	p = s;
	for (;;) {
		p++;			/* opening quote */
		for (len = 0; *p != '"'; p++, len++) {
			if (*p == '\0')
				return -1;
			if (*p == '\\' && *++p == '\0')
				return -1;
		}
		if (txt && len > 255)
			return -1;
		p++;			/* closing quote */
		if (*p == '\0')
			return 0;
		if (*p != ' ')
			return -1;	/* an unescaped inner quote */
		while (*p == ' ')
			p++;
		if (*p != '"')
			return -1;
	}
}

static int
chk_txt(const char *s)
{
	return chk_txtlike(s, 1);
}

static int
chk_spf(const char *s)
{
	return chk_txtlike(s, 0);
}

static int
chk_srv(const char *s)
{
	struct fld	f[4];
	int		i;

	if (split_sp(s, f, 4, 0) != 4)
		return -1;
	for (i = 0; i < 3; i++)
		if (int_any(&f[i], 0, 65535, NULL) < 0)
			return -1;
	return fld_name_ok(&f[3]) ? 0 : -1;
}

static int
chk_sshfp(const char *s)
{
	struct fld	f[3];

	if (split_sp(s, f, 3, 0) != 3)
		return -1;
	if (int_canon(&f[0], 4, NULL) < 0 || int_canon(&f[1], 2, NULL) < 0)
		return -1;
	if (!is_hex(f[2].p, f[2].n))
		return -1;
	if ((f[2].n < 10 || f[2].n > 40) && f[2].n != 64)
		return -1;
	return 0;
}

/* "domain" + ".", as a zone name. */
static int
domain_ok(const char *p, size_t n)
{
	char	buf[NAME_MAX_LEN + 2];

	if (n + 1 >= sizeof(buf))
		return 0;
	memcpy(buf, p, n);
	buf[n] = '.';
	buf[n + 1] = '\0';
	return name_bad(buf, 0) == NULL;
}

static int
alnum_run(const char *p, const char *end)
{
	const char	*q = p;

	while (q < end && isalnum((unsigned char)*q))
		q++;
	return (int)(q - p);
}

static int
chk_caa(const char *s)
{
	struct fld	 f[3];
	const char	*p, *end, *semi, *at, *host;
	int		 k;

	if (split_sp(s, f, 3, 1) != 3)
		return -1;
	if (int_any(&f[0], 0, 1, NULL) < 0)
		return -1;
	p = f[2].p;
	end = p + f[2].n;
	if (fld_eq(&f[1], "issue") || fld_eq(&f[1], "issuewild")) {
		semi = memchr(p, ';', f[2].n);
		if (!domain_ok(p, (size_t)((semi != NULL ? semi : end) - p)))
			return -1;
		while (semi != NULL) {
			/* "; key=value": a space, alnum key, '=', alnum */
			p = semi + 1;
			if (p >= end || *p != ' ')
				return -1;
			p++;
			if ((k = alnum_run(p, end)) == 0)
				return -1;
			p += k;
			if (p >= end || *p++ != '=')
				return -1;
			if ((k = alnum_run(p, end)) == 0)
				return -1;
			p += k;
			if (p == end)
				break;
			if (*p != ';')
				return -1;
			semi = p;
		}
		return 0;
	}
	if (!fld_eq(&f[1], "iodef"))
		return -1;
	if (f[2].n > 7 && strncmp(p, "mailto:", 7) == 0) {
		p += 7;
		if ((at = memchr(p, '@', (size_t)(end - p))) == NULL)
			return -1;
		/* local part: [A-Za-z0-9_-]+ ('+' [A-Za-z0-9_-]+)? */
		k = 0;
		for (; p < at; p++) {
			if (*p == '+') {
				if (k++ > 0 || p == f[2].p + 7 || p + 1 == at)
					return -1;
			} else if (!isalnum((unsigned char)*p) && *p != '_' &&
			    *p != '-')
				return -1;
		}
		if (at == f[2].p + 7)
			return -1;
		return domain_ok(at + 1, (size_t)(end - at - 1)) ? 0 : -1;
	}
	if (f[2].n > 7 && strncmp(p, "http://", 7) == 0)
		host = p + 7;
	else if (f[2].n > 8 && strncmp(p, "https://", 8) == 0)
		host = p + 8;
	else
		return -1;
	if ((p = memchr(host, '/', (size_t)(end - host))) == NULL)
		return -1;
	return domain_ok(host, (size_t)(p - host)) ? 0 : -1;
}

static int
naptr_service_ok(const struct fld *f)
{
	size_t	i;
	int	start = 1;

	if (f->n == 0)
		return 1;
	for (i = 0; i < f->n; i++) {
		if (start) {
			if (!isalpha((unsigned char)f->p[i]))
				return 0;
			start = 0;
		} else if (f->p[i] == '+')
			start = 1;
		else if (!isalnum((unsigned char)f->p[i]))
			return 0;
	}
	return !start;
}

/* Empty, or d ere d repl d [i] with d not a digit, 'i' or '\'. */
static int
naptr_regexp_ok(const struct fld *f)
{
	const char	*p = f->p;
	size_t		 n = f->n, i;
	char		 d;

	if (n == 0)
		return 1;
	d = p[0];
	if (isdigit((unsigned char)d) || d == 'i' || d == '\\')
		return 0;
	if (p[n - 1] == 'i')
		n--;
	if (n < 4 || p[n - 1] != d)
		return 0;
	/* a delimiter between, followed by a non-empty replacement */
	for (i = 1; i + 2 < n; i++)
		if (p[i] == d)
			return 1;
	return 0;
}

static int
chk_naptr(const char *s)
{
	struct fld	f[6];
	size_t		i;

	if (strpbrk(s, "\n\r") != NULL)
		return -1;
	if (split_sp(s, f, 6, 0) != 6)
		return -1;
	if (int_any(&f[0], 0, 65535, NULL) < 0 ||
	    int_any(&f[1], 0, 65535, NULL) < 0)
		return -1;
	for (i = 2; i <= 4; i++) {
		unquote(&f[i]);
		if (f[i].n > 255)
			return -1;
	}
	for (i = 0; i < f[2].n; i++)
		if (strchr("APSUapsu", f[2].p[i]) == NULL)
			return -1;
	if (!naptr_service_ok(&f[3]) || !naptr_regexp_ok(&f[4]))
		return -1;
	if (f[5].n > 255 || !fld_name_ok(&f[5]))
		return -1;
	return 0;
}

static int
chk_cert(const char *s)
{
	struct fld	 f[4];
	char		 tok[32], *b64 = NULL;
	size_t		 i, n;
	int		 ok;

	if (split_sp(s, f, 4, 1) != 4)
		return -1;
	if (fld_str(&f[0], tok, sizeof(tok)) < 0 ||
	    (in_list(tok, cert_types) < 0 &&
	    int_any(&f[0], 0, 65535, NULL) < 0))
		return -1;
	if (int_any(&f[1], 0, 65535, NULL) < 0)
		return -1;
	if (fld_str(&f[2], tok, sizeof(tok)) < 0 ||
	    (in_list(tok, cert_algos) < 0 &&
	    int_any(&f[2], 0, 255, NULL) < 0))
		return -1;
	/* base64, spaces allowed */
	if ((b64 = malloc(f[3].n + 1)) == NULL)
		return -1;
	for (i = 0, n = 0; i < f[3].n; i++)
		if (f[3].p[i] != ' ')
			b64[n++] = f[3].p[i];
	ok = is_b64(b64, n);
	free(b64);
	return ok ? 0 : -1;
}

/* A comma list where each item passes `ok'. */
static int
commas_ok(const char *v, int (*ok)(const char *))
{
	char	 buf[256], *p, *c;

	if (strlcpy(buf, v, sizeof(buf)) >= sizeof(buf))
		return 0;
	for (p = buf;; p = c + 1) {
		if ((c = strchr(p, ',')) != NULL)
			*c = '\0';
		if (!ok(p))
			return 0;
		if (c == NULL)
			return 1;
	}
}

static int
alpn_ok(const char *s)
{
	return in_list(s, svcb_alpns) >= 0;
}

static int
chk_svcbx(const char *s, int https)
{
	struct fld	 f[MAXFIELDS];
	char		 key[32], val[256], mand[256], *p, *c;
	const char	*keys[MAXFIELDS];
	int		 nf, i, j, nkeys = 0, has_alpn = 0, has_nda = 0, bare;
	struct fld	 kv;

	mand[0] = '\0';
	if ((nf = split_sp(s, f, MAXFIELDS, 0)) > MAXFIELDS || nf < 2)
		return -1;
	if (int_any(&f[0], 0, 65535, NULL) < 0 || !fld_name_ok(&f[1]))
		return -1;
	for (i = 2; i < nf; i++) {
		bare = fld_eq(&f[i], "no-default-alpn");
		if (bare) {
			strlcpy(key, "no-default-alpn", sizeof(key));
			has_nda = 1;
			val[0] = '\0';
		} else {
			if ((c = memchr(f[i].p, '=', f[i].n)) == NULL)
				return -1;
			kv.p = f[i].p;
			kv.n = (size_t)(c - f[i].p);
			if (fld_str(&kv, key, sizeof(key)) < 0)
				return -1;
			kv.p = c + 1;
			kv.n = f[i].n - kv.n - 1;
			if (fld_str(&kv, val, sizeof(val)) < 0)
				return -1;
		}
		for (j = 0; j < nkeys; j++)
			if (strcmp(keys[j], key) == 0)
				return -1;	/* duplicate key */
		if (strcmp(key, "alpn") == 0) {
			keys[nkeys++] = "alpn";
			has_alpn = 1;
			if (!commas_ok(val, alpn_ok))
				return -1;
		} else if (strcmp(key, "ipv4hint") == 0) {
			keys[nkeys++] = "ipv4hint";
			if (!commas_ok(val, is_ipv4))
				return -1;
		} else if (strcmp(key, "ipv6hint") == 0) {
			keys[nkeys++] = "ipv6hint";
			if (!commas_ok(val, is_ipv6))
				return -1;
		} else if (strcmp(key, "port") == 0) {
			keys[nkeys++] = "port";
			kv.p = val;
			kv.n = strlen(val);
			if (val[0] == '+' || val[0] == '-' ||
			    int_any(&kv, 0, 65535, NULL) < 0)
				return -1;
		} else if (strcmp(key, "ech") == 0) {
			keys[nkeys++] = "ech";
			if (strchr(val, '\\') != NULL ||
			    !is_b64(val, strlen(val)))
				return -1;
		} else if (strcmp(key, "no-default-alpn") == 0) {
			keys[nkeys++] = "no-default-alpn";
			if (!bare)
				return -1;	/* takes no value */
		} else if (strcmp(key, "mandatory") == 0) {
			keys[nkeys++] = "mandatory";
			strlcpy(mand, val, sizeof(mand));
			if (mand[0] == '\0')
				return -1;
		} else if (strcmp(key, "dohpath") == 0) {
			keys[nkeys++] = "dohpath";
			if (https || val[0] != '/' || strlen(val) < 7 ||
			    strstr(val, "{?dns}") == NULL)
				return -1;
		} else
			return -1;
	}
	if (has_nda && !has_alpn)
		return -1;
	if (mand[0] != '\0') {
		for (p = mand;; p = c + 1) {
			if ((c = strchr(p, ',')) != NULL)
				*c = '\0';
			for (j = 0; j < nkeys; j++)
				if (strcmp(keys[j], p) == 0)
					break;
			if (j == nkeys || strcmp(p, "mandatory") == 0)
				return -1;
			if (c == NULL)
				break;
		}
	}
	return 0;
}

static int
chk_svcb(const char *s)
{
	return chk_svcbx(s, 0);
}

static int
chk_https(const char *s)
{
	return chk_svcbx(s, 1);
}

static int
chk_tlsa(const char *s)
{
	struct fld	 f[MAXFIELDS];
	char		*tmp, *p;
	long		 mtype;
	size_t		 hexlen = 0;
	int		 nf, i, rc = -1;

	if ((tmp = strdup(s)) == NULL)
		return -1;
	for (p = tmp; *p != '\0'; p++)
		if (*p == '(' || *p == ')')
			*p = ' ';
	nf = split_ws(tmp, f, MAXFIELDS);
	if (nf < 4 || nf > MAXFIELDS)
		goto out;
	if (int_any(&f[0], 0, 255, NULL) < 0 ||
	    int_any(&f[1], 0, 255, NULL) < 0 ||
	    int_any(&f[2], 0, 255, &mtype) < 0)
		goto out;
	for (i = 3; i < nf; i++) {
		if (!is_hex(f[i].p, f[i].n))
			goto out;
		hexlen += f[i].n;
	}
	if (hexlen % 2 != 0)
		goto out;
	if ((mtype == 1 && hexlen != 64) || (mtype == 2 && hexlen != 128))
		goto out;
	rc = 0;
out:
	free(tmp);
	return rc;
}

static int
chk_soa(const char *s)
{
	struct fld	f[8];
	int		i;

	if (split_ws(s, f, 7) != 7)
		return -1;
	if (!fld_name_ok(&f[0]) || !fld_name_ok(&f[1]))
		return -1;
	for (i = 2; i < 7; i++)
		if (int_any(&f[i], 0, 4294967295L, NULL) < 0 ||
		    f[i].p[0] == '-' || f[i].p[0] == '+')
			return -1;
	return 0;
}

static const struct rtype *
rtype_find(const char *type)
{
	const struct rtype	*t;

	for (t = rtypes; t->name != NULL; t++)
		if (strcmp(t->name, type) == 0)
			return t;
	return NULL;
}

/* CERT with a type mnemonic that has no number: ldns cannot check it. */
static int
cert_unmapped(const char *data)
{
	struct fld	f[4];
	char		tok[32];
	int		k;

	if (split_sp(data, f, 4, 1) != 4 ||
	    fld_str(&f[0], tok, sizeof(tok)) < 0)
		return 0;
	return (k = in_list(tok, cert_types)) >= 0 && cert_type_nums[k] < 0;
}

/*
 * Public functions.
 */

int
zvalid_zone_name(const char *name, struct zfault *f)
{
	const char	*why;

	if ((why = name_bad(name, 0)) == NULL)
		return 0;
	if (strcmp(why, "does not end with a dot") == 0)
		return zfault_schema(f, "format", path1("name"),
		    "Domain %s does not end with a dot", name);
	return zfault_schema(f, "format", path1("name"),
	    "Domain %s is invalid: it %s", name, why);
}

int
zvalid_rrset_name(const char *name, struct zfault *f)
{
	const char	*why;

	if ((why = name_bad(name, 1)) == NULL)
		return 0;
	if (strcmp(why, "does not end with a dot") == 0)
		return zfault_schema(f, "format", path1("name"),
		    "Name %s does not end with a dot", name);
	return zfault_schema(f, "format", path1("name"),
	    "Name %s is invalid: it %s", name, why);
}

int
zvalid_email(const char *email, struct zfault *f)
{
	char		 buf[EMAIL_MAX + 2];
	const char	*at;
	size_t		 n = strlen(email);

	if (n > EMAIL_MAX)
		return zfault_schema(f, "maxLength", path1("email"),
		    "'%s' is too long", email);
	if ((at = strchr(email, '@')) == NULL || strchr(at + 1, '@') != NULL)
		goto bad;
	memcpy(buf, email, n);
	buf[at - email] = '.';
	buf[n] = '.';
	buf[n + 1] = '\0';
	if (name_bad(buf, 0) != NULL)
		goto bad;
	return 0;
bad:
	zfault_schema(f, "format", path1("email"), "'%s' is not a 'email'",
	    email);
	return fault_vv(f, json_string("email"));
}

int
zvalid_type(const char *type, struct zfault *f)
{
	if (rtype_find(type) != NULL)
		return 0;
	return zfault_schema(f, "enum", path1("type"),
	    "'%s' is not a valid record type", type);
}

int
zvalid_record(const char *type, const char *data, int idx,
    struct zfault *f)
{
	const struct rtype	*t;
	ldns_rr			*rr = NULL;
	int			 rc;

	if ((t = rtype_find(type)) == NULL)
		return zvalid_type(type, f);
	if (data[0] == '\0' || t->check(data) < 0)
		return rec_fault(f, type, data, idx);
	if (strcmp(type, "CERT") == 0 && cert_unmapped(data))
		return 0;
	rc = rr_parse("zvalid.invalid.", type, 3600, data, &rr);
	ldns_rr_free(rr);
	if (rc == -ENOMEM)
		return zfault_set(f, 500, "unknown", "out of memory");
	if (rc < 0)
		return rec_fault(f, type, data, idx);
	return 0;
}

/*
 * Bodies.
 */

/* TTL: a JSON integer 0..2147483647 (null allowed when `nullok'). */
static int
ttl_check(const json_t *v, int nullok, struct zfault *f)
{
	json_int_t	n;

	if (nullok && json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return type_fault(f, path1("ttl"), v,
		    nullok ? "'integer', 'null'" : "'integer'");
	n = json_integer_value(v);
	if (n < 0)
		return zfault_schema(f, "minimum", path1("ttl"),
		    "%lld is less than the minimum of 0", (long long)n);
	if (n > TTL_MAX)
		return zfault_schema(f, "maximum", path1("ttl"),
		    "%lld is greater than the maximum of %lld",
		    (long long)n, TTL_MAX);
	return 0;
}

static int
desc_check(const json_t *v, struct zfault *f)
{
	if (json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return type_fault(f, path1("description"), v,
		    "'string', 'null'");
	if (u8len(json_string_value(v)) > DESC_MAX)
		return zfault_schema(f, "maxLength", path1("description"),
		    "'%s' is too long", json_string_value(v));
	return 0;
}

/*
 * Unknown keys and read-only keys.  `ro' keys are tolerated when equal
 * to cur's value; `imm' keys are allowed, but on update (cur != NULL)
 * only with cur's value.
 */
static int
keys_check(const json_t *body, const json_t *cur, const char *const *ok,
    const char *const *ro, const char *const *imm, struct zfault *f)
{
	const char	*key;
	json_t		*v;

	json_object_foreach(unconst(body), key, v) {
		if (in_list(key, ok) >= 0) {
			if (cur == NULL || imm == NULL ||
			    in_list(key, imm) < 0)
				continue;
			if (!json_equal(v, json_object_get(cur, key)))
				return zfault_schema(f, "not_allowed",
				    path1(key), "'%s' is immutable and may "
				    "not be changed", key);
			continue;
		}
		if (in_list(key, ro) >= 0) {
			if (cur != NULL &&
			    json_equal(v, json_object_get(cur, key)))
				continue;
			return zfault_schema(f, "not_allowed", path1(key),
			    "'%s' is a read-only property", key);
		}
		return zfault_schema(f, "additionalProperties", json_array(),
		    "Additional properties are not allowed ('%s' was "
		    "unexpected)", key);
	}
	return 0;
}

/* host, host:port, [v6], [v6]:port; port 1..65535. */
static int
master_ok(const char *s)
{
	char		 host[NAME_MAX_LEN + 2];
	const char	*colon, *port = NULL, *p;
	struct fld	 pf;
	size_t		 n;

	if (s[0] == '[') {
		if ((p = strchr(s, ']')) == NULL)
			return 0;
		n = (size_t)(p - s - 1);
		if (n >= sizeof(host))
			return 0;
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (!is_ipv6(host))
			return 0;
		if (p[1] == '\0')
			return 1;
		if (p[1] != ':')
			return 0;
		port = p + 2;
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') != NULL) {
		return is_ipv6(s);
	} else {
		n = colon != NULL ? (size_t)(colon - s) : strlen(s);
		if (n == 0 || n >= sizeof(host) - 1)
			return 0;
		memcpy(host, s, n);
		host[n] = '\0';
		if (strspn(host, "0123456789.") == n) {
			if (!is_ipv4(host))
				return 0;
		} else {
			if (host[n - 1] != '.') {
				host[n] = '.';
				host[n + 1] = '\0';
			}
			if (name_bad(host, 0) != NULL)
				return 0;
		}
		if (colon != NULL)
			port = colon + 1;
	}
	if (port == NULL)
		return 1;
	pf.p = port;
	pf.n = strlen(port);
	return int_canon(&pf, 65535, NULL) == 0 && !fld_eq(&pf, "0");
}

static int
masters_check(const json_t *v, struct zfault *f)
{
	size_t	 i;
	json_t	*m;

	if (!json_is_array(v))
		return type_fault(f, path1("masters"), v, "'array'");
	json_array_foreach(v, i, m) {
		if (!json_is_string(m))
			return type_fault(f, pathi("masters", (int)i), m,
			    "'string'");
		if (!master_ok(json_string_value(m)))
			return zfault_schema(f, "format",
			    pathi("masters", (int)i),
			    "'%s' is not a 'host' or 'host:port'",
			    json_string_value(m));
	}
	return 0;
}

static int
attributes_check(const json_t *v, struct zfault *f)
{
	const char	*key;
	json_t		*a;

	if (!json_is_object(v))
		return type_fault(f, path1("attributes"), v, "'object'");
	json_object_foreach(unconst(v), key, a) {
		if (u8len(key) > ATTR_MAX)
			return zfault_schema(f, "maxLength",
			    path2("attributes", key), "'%s' is too long", key);
		if (!json_is_string(a))
			return type_fault(f, path2("attributes", key), a,
			    "'string'");
		if (u8len(json_string_value(a)) > ATTR_MAX)
			return zfault_schema(f, "maxLength",
			    path2("attributes", key), "'%s' is too long",
			    json_string_value(a));
	}
	return 0;
}

int
zvalid_zone_body(const json_t *body, const json_t *cur, struct zfault *f)
{
	const json_t	*name, *email, *ttl, *desc, *type, *masters, *attrs;
	const char	*ztype = "PRIMARY";
	int		 rc, secondary;

	if (!json_is_object(body))
		return type_fault(f, json_array(), body, "'object'");
	if ((rc = keys_check(body, cur, zone_keys, zone_ro_keys,
	    zone_immutable, f)) != 0)
		return rc;

	name = json_object_get(body, "name");
	email = json_object_get(body, "email");
	ttl = json_object_get(body, "ttl");
	desc = json_object_get(body, "description");
	type = json_object_get(body, "type");
	masters = json_object_get(body, "masters");
	attrs = json_object_get(body, "attributes");

	/* name (on update it equals cur's, see keys_check) */
	if (cur == NULL) {
		if (name == NULL)
			return zfault_schema(f, "required", path1("name"),
			    "'name' is a required property");
		if (!json_is_string(name))
			return type_fault(f, path1("name"), name, "'string'");
		if ((rc = zvalid_zone_name(json_string_value(name), f)) != 0)
			return rc;
	}
	if (email != NULL) {
		if (!json_is_string(email))
			return type_fault(f, path1("email"), email,
			    "'string'");
		if ((rc = zvalid_email(json_string_value(email), f)) != 0)
			return rc;
	}
	if (ttl != NULL && (rc = ttl_check(ttl, 0, f)) != 0)
		return rc;
	if (desc != NULL && (rc = desc_check(desc, f)) != 0)
		return rc;
	if (type != NULL) {
		if (!json_is_string(type))
			return type_fault(f, path1("type"), type, "'string'");
		ztype = json_string_value(type);
		if (strcmp(ztype, "PRIMARY") != 0 &&
		    strcmp(ztype, "SECONDARY") != 0)
			return zfault_schema(f, "enum", path1("type"),
			    "'%s' is not one of ['PRIMARY', 'SECONDARY']",
			    ztype);
	} else if (cur != NULL &&
	    json_is_string(json_object_get(cur, "type")))
		ztype = json_string_value(json_object_get(cur, "type"));
	if (masters != NULL && (rc = masters_check(masters, f)) != 0)
		return rc;
	if (cur == NULL && attrs != NULL &&
	    (rc = attributes_check(attrs, f)) != 0)
		return rc;

	secondary = strcmp(ztype, "SECONDARY") == 0;
	if (!secondary) {
		if (masters != NULL && json_array_size(masters) > 0)
			return zfault_schema(f, "maxItems", path1("masters"),
			    "masters must be empty for PRIMARY zones");
		if (cur == NULL && email == NULL) {
			zfault_schema(f, "required", path2("type", "email"),
			    "'email' is a required property");
			return fault_vv(f, json_string("email"));
		}
		return 0;
	}
	if ((cur == NULL || masters != NULL) &&
	    json_array_size(masters) == 0)
		return zfault_schema(f, "required", path1("masters"),
		    "'masters' is a required property for SECONDARY zones");
	if (email != NULL && (cur == NULL ||
	    !json_equal(email, json_object_get(cur, "email"))))
		return zfault_schema(f, "not_allowed", path1("email"),
		    "'email' is not allowed for SECONDARY zones");
	if (ttl != NULL && (cur == NULL ||
	    !json_equal(ttl, json_object_get(cur, "ttl"))))
		return zfault_schema(f, "not_allowed", path1("ttl"),
		    "'ttl' is not allowed for SECONDARY zones");
	return 0;
}

/* _<port>._<proto>.<...>, port 0..65535 */
static int
tlsa_name_ok(const char *name)
{
	const char	*d1, *d2;
	struct fld	 port;

	if (name[0] != '_' || (d1 = strchr(name, '.')) == NULL)
		return 0;
	port.p = name + 1;
	port.n = (size_t)(d1 - name - 1);
	if (port.n == 0 || port.p[0] == '+' || port.p[0] == '-' ||
	    int_any(&port, 0, 65535, NULL) < 0)
		return 0;
	if (d1[1] != '_' || (d2 = strchr(d1 + 1, '.')) == NULL ||
	    d2 - d1 < 3)
		return 0;
	return 1;
}

/* _service._proto.<at least one more label> */
static int
srv_name_ok(const char *name)
{
	const char	*p = name, *d;
	int		 i;

	for (i = 0; i < 2; i++) {
		if (p[0] != '_' || (d = strchr(p, '.')) == NULL || d - p < 2)
			return 0;
		p = d + 1;
	}
	return *p != '\0';
}

int
zvalid_rrset_body(const json_t *body, const json_t *cur, struct zfault *f)
{
	const json_t	*name, *type, *records, *ttl, *desc, *r, *r2;
	const char	*rtype, *rname;
	size_t		 i, j, ndistinct;
	int		 rc;

	if (!json_is_object(body))
		return type_fault(f, json_array(), body, "'object'");
	if ((rc = keys_check(body, cur, rrset_keys, rrset_ro_keys, NULL,
	    f)) != 0)
		return rc;

	name = json_object_get(body, "name");
	type = json_object_get(body, "type");
	records = json_object_get(body, "records");
	ttl = json_object_get(body, "ttl");
	desc = json_object_get(body, "description");

	if (cur == NULL && name == NULL)
		return zfault_schema(f, "required", path1("name"),
		    "'name' is a required property");
	if (cur == NULL && type == NULL)
		return zfault_schema(f, "required", path1("type"),
		    "'type' is a required property");
	if (name != NULL) {
		if (!json_is_string(name))
			return type_fault(f, path1("name"), name, "'string'");
		if (cur != NULL && (!json_is_string(json_object_get(cur,
		    "name")) || strcasecmp(json_string_value(name),
		    json_string_value(json_object_get(cur, "name"))) != 0))
			return zfault_schema(f, "not_allowed", path1("name"),
			    "'name' is immutable and may not be changed");
		if ((rc = zvalid_rrset_name(json_string_value(name), f)) != 0)
			return rc;
	}
	if (type != NULL) {
		if (!json_is_string(type))
			return type_fault(f, path1("type"), type, "'string'");
		if (cur != NULL && !json_equal(type,
		    json_object_get(cur, "type")))
			return zfault_schema(f, "not_allowed", path1("type"),
			    "'type' is immutable and may not be changed");
		if ((rc = zvalid_type(json_string_value(type), f)) != 0)
			return rc;
	}
	if (ttl != NULL && (rc = ttl_check(ttl, 1, f)) != 0)
		return rc;
	if (desc != NULL && (rc = desc_check(desc, f)) != 0)
		return rc;

	rtype = json_string_value(type != NULL ? type :
	    json_object_get(cur, "type"));
	rname = json_string_value(name != NULL ? name :
	    json_object_get(cur, "name"));
	if (rtype == NULL)
		return zfault_schema(f, "required", path1("type"),
		    "'type' is a required property");
	if ((rc = zvalid_type(rtype, f)) != 0)
		return rc;

	if (rname != NULL && strcmp(rtype, "SRV") == 0 &&
	    !srv_name_ok(rname))
		return zfault_schema(f, "format", path1("name"),
		    "Name %s is not a SRV record name", rname);
	if (rname != NULL && strcmp(rtype, "NS") == 0 &&
	    strchr(rname, '*') != NULL)
		return zfault_schema(f, "format", path1("name"),
		    "NS recordset name %s may not be a wildcard", rname);

	if (records != NULL) {
		if (!json_is_array(records))
			return type_fault(f, path1("records"), records,
			    "'array'");
		json_array_foreach(records, i, r) {
			if (!json_is_string(r))
				return type_fault(f, pathi("records", (int)i),
				    r, "'string'");
			if ((rc = zvalid_record(rtype, json_string_value(r),
			    (int)i, f)) != 0)
				return rc;
		}
	}

	if (strcmp(rtype, "SOA") == 0)
		return zfault_set(f, 400, "bad_request", "%s a SOA "
		    "recordset is not allowed", cur == NULL ? "Creating" :
		    "Updating");
	if (strcmp(rtype, "TLSA") == 0 && rname != NULL &&
	    !tlsa_name_ok(rname))
		return zfault_set(f, 400, "bad_request", "TLSA recordset "
		    "name %s must have the form _<port>._<proto>.<name>",
		    rname);
	if (strcmp(rtype, "CNAME") == 0 && records != NULL) {
		/* duplicates are collapsed */
		ndistinct = 0;
		json_array_foreach(records, i, r) {
			for (j = 0; j < i; j++) {
				r2 = json_array_get(records, j);
				if (strcasecmp(json_string_value(r),
				    json_string_value(r2)) == 0)
					break;
			}
			if (j == i)
				ndistinct++;
		}
		if (ndistinct > 1)
			return zfault_set(f, 400, "bad_request",
			    "CNAME recordsets may not have more than 1 "
			    "record");
	}
	return 0;
}

int
zvalid_rr_wire(const char *owner, const char *type, uint32_t ttl,
    const char *data, uint8_t **out, size_t *outlen)
{
	ldns_rr		*rr = NULL;
	ldns_status	 st;
	int		 rc;

	*out = NULL;
	*outlen = 0;
	if ((rc = rr_parse(owner, type, ttl, data, &rr)) != 0)
		return rc;
	ldns_dname2canonical(ldns_rr_owner(rr));
	st = ldns_rr2wire(out, rr, LDNS_SECTION_ANSWER, outlen);
	if (st != LDNS_STATUS_OK) {
		free(*out);
		*out = NULL;
		*outlen = 0;
		rc = st == LDNS_STATUS_MEM_ERR ? -ENOMEM : ZE_DNS;
	}
	ldns_rr_free(rr);
	return rc;
}

/*
 * Admin objects: TLDs, blacklists, TSIG keys, quotas (api-v2.md 10).
 */

static const char *const tld_keys[] = { "name", "description", NULL };
static const char *const blacklist_keys[] = { "pattern", "description",
    NULL };
static const char *const tsigkey_keys[] = { "name", "algorithm", "secret",
    "scope", "resource_id", NULL };
static const char *const obj_ro_keys[] = { "id", "created_at",
    "updated_at", "links", NULL };
static const char *const tsig_algorithms[] = { "hmac-md5", "hmac-sha1",
    "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512", NULL };
static const char *const tsig_scopes[] = { "POOL", "ZONE", NULL };
const char *const zvalid_quota_keys[] = { "zones", "zone_recordsets",
    "zone_records", "recordset_records", "api_export_size", NULL };

/* A required (on create) string member, checked for type and length. */
static int
str_member(const json_t *body, const json_t *cur, const char *key,
    size_t maxlen, const json_t **out, struct zfault *f)
{
	const json_t	*v = json_object_get(body, key);

	*out = v;
	if (v == NULL) {
		if (cur == NULL)
			return zfault_schema(f, "required", path1(key),
			    "'%s' is a required property", key);
		return 0;
	}
	if (!json_is_string(v))
		return type_fault(f, path1(key), v, "'string'");
	if (json_string_length(v) == 0)
		return zfault_schema(f, "minLength", path1(key),
		    "'' is too short");
	if (u8len(json_string_value(v)) > maxlen)
		return zfault_schema(f, "maxLength", path1(key),
		    "'%.64s' is too long", json_string_value(v));
	return 0;
}

static int
enum_member(const json_t *v, const char *key, const char *const *list,
    const char *shown, struct zfault *f)
{
	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return type_fault(f, path1(key), v, "'string'");
	if (in_list(json_string_value(v), list) < 0)
		return zfault_schema(f, "enum", path1(key),
		    "'%.64s' is not one of %s", json_string_value(v), shown);
	return 0;
}

int
zvalid_tld_name(const char *name, struct zfault *f)
{
	char		 buf[NAME_MAX_LEN + 2];
	const char	*why;
	size_t		 n = strlen(name);

	if (n == 0 || name[n - 1] == '.')
		why = n == 0 ? "is empty" : "ends with a dot";
	else if (n + 1 >= sizeof(buf))
		why = "is longer than 254 characters";
	else {
		memcpy(buf, name, n);
		buf[n] = '.';
		buf[n + 1] = '\0';
		why = name_bad(buf, 0);
	}
	if (why != NULL)
		return zfault_schema(f, "format", path1("name"),
		    "'%.64s' is not a 'tldname': it %s", name, why);
	return 0;
}

int
zvalid_tld_body(const json_t *body, const json_t *cur, struct zfault *f)
{
	const json_t	*name, *desc;
	int		 rc;

	if (!json_is_object(body))
		return type_fault(f, json_array(), body, "'object'");
	if ((rc = keys_check(body, cur, tld_keys, obj_ro_keys, NULL, f)) != 0)
		return rc;
	if ((rc = str_member(body, cur, "name", NAME_MAX_LEN, &name, f)) != 0)
		return rc;
	if (name != NULL &&
	    (rc = zvalid_tld_name(json_string_value(name), f)) != 0)
		return rc;
	if ((desc = json_object_get(body, "description")) != NULL)
		return desc_check(desc, f);
	return 0;
}

int
zvalid_regex(const char *pattern, struct zfault *f)
{
	regex_t	re;
	char	err[128];
	int	rc;

	if ((rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(rc, &re, err, sizeof(err));
		return zfault_schema(f, "format", path1("pattern"),
		    "'%.64s' is not a 'regex': %s", pattern, err);
	}
	regfree(&re);
	return 0;
}

int
zvalid_blacklist_body(const json_t *body, const json_t *cur,
    struct zfault *f)
{
	const json_t	*pat, *desc;
	int		 rc;

	if (!json_is_object(body))
		return type_fault(f, json_array(), body, "'object'");
	if ((rc = keys_check(body, cur, blacklist_keys, obj_ro_keys, NULL,
	    f)) != 0)
		return rc;
	if ((rc = str_member(body, cur, "pattern", 255, &pat, f)) != 0)
		return rc;
	if (pat != NULL && (rc = zvalid_regex(json_string_value(pat), f)) != 0)
		return rc;
	if ((desc = json_object_get(body, "description")) != NULL)
		return desc_check(desc, f);
	return 0;
}

/* A TSIG key name or secret: no control characters. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
zvalid_tsigkey_body(const json_t *body, const json_t *cur,
    struct zfault *f)
{
	const json_t	*name, *secret, *rid;
	int		 rc;

	if (!json_is_object(body))
		return type_fault(f, json_array(), body, "'object'");
	if ((rc = keys_check(body, cur, tsigkey_keys, obj_ro_keys, NULL,
	    f)) != 0)
		return rc;
	if ((rc = str_member(body, cur, "name", 160, &name, f)) != 0)
		return rc;
	if (name != NULL && !printable(json_string_value(name)))
		return zfault_schema(f, "format", path1("name"),
		    "the name holds a control character");
	if (cur == NULL && json_object_get(body, "algorithm") == NULL)
		return zfault_schema(f, "required", path1("algorithm"),
		    "'algorithm' is a required property");
	if ((rc = enum_member(json_object_get(body, "algorithm"), "algorithm",
	    tsig_algorithms, "['hmac-md5', 'hmac-sha1', 'hmac-sha224', "
	    "'hmac-sha256', 'hmac-sha384', 'hmac-sha512']", f)) != 0)
		return rc;
	if ((rc = str_member(body, cur, "secret", 160, &secret, f)) != 0)
		return rc;
	if (secret != NULL && !printable(json_string_value(secret)))
		return zfault_schema(f, "format", path1("secret"),
		    "the secret holds a control character");
	if (cur == NULL && json_object_get(body, "scope") == NULL)
		return zfault_schema(f, "required", path1("scope"),
		    "'scope' is a required property");
	if ((rc = enum_member(json_object_get(body, "scope"), "scope",
	    tsig_scopes, "['POOL', 'ZONE']", f)) != 0)
		return rc;
	if ((rc = str_member(body, cur, "resource_id", 36, &rid, f)) != 0)
		return rc;
	if (rid != NULL && !zuuid_valid(json_string_value(rid)))
		return zfault_schema(f, "format", path1("resource_id"),
		    "'%.64s' is not a 'uuid'", json_string_value(rid));
	return 0;
}

int
zvalid_quota_body(const json_t *body, struct zfault *f)
{
	const char	*key;
	json_t		*v;

	if (!json_is_object(body))
		return type_fault(f, json_array(), body, "'object'");
	json_object_foreach(unconst(body), key, v) {
		if (in_list(key, zvalid_quota_keys) < 0)
			return zfault_schema(f, "additionalProperties",
			    json_array(), "Additional properties are not "
			    "allowed ('%.64s' was unexpected)", key);
		if (!json_is_integer(v))
			return type_fault(f, path1(key), v, "'integer'");
		if (json_integer_value(v) < -1)
			return zfault_schema(f, "minimum", path1(key),
			    "%" JSON_INTEGER_FORMAT " is less than the "
			    "minimum of -1", json_integer_value(v));
		if (json_integer_value(v) > TTL_MAX)
			return zfault_schema(f, "maximum", path1(key),
			    "%" JSON_INTEGER_FORMAT " is greater than the "
			    "maximum of 2147483647", json_integer_value(v));
	}
	return 0;
}
