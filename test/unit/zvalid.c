/*
 * Unit tests for lib/zvalid.c: names, emails, record data of every type,
 * zone and recordset bodies, and wire form.  Table driven: each table row
 * becomes one cmocka test (and one TAP line).  The tempest rows come from
 * designate-tempest-plugin's data sets (invalid_mx_dataset.json,
 * invalid_sshfp_dataset.json, invalid_txt_dataset.json,
 * valid_txt_dataset.json, recordset_data_invalid.json,
 * recordset_wildcard_data.json).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "zerr.h"
#include "zfault.h"
#include "zvalid.h"

/* Long strings, filled in by main() before the tests run. */
static char	label63[128], label64[128], name254[2048], name255[2048];
static char	email256[1024], desc160[400], desc161[400], desc160u8[800];
static char	txt256q[1024], txt300u[310], txt300split[1024];
static char	hex64[65], hex128[129], attr51[60];
static char	body_rdesc161[600], body_desc161[600], body_desc160u8[1000], body_attr51[200];

/*
 * Helpers.
 */

static void
fill(char *buf, size_t n, char c)
{
	memset(buf, c, n);
	buf[n] = '\0';
}

static void
assert_path(const struct zfault *f, const char *want)
{
	json_t	*e;
	char	*got;

	assert_non_null(f->errors);
	e = json_array_get(f->errors, 0);
	assert_non_null(e);
	got = json_dumps(json_object_get(e, "path"), JSON_COMPACT);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
assert_validator(const struct zfault *f, const char *want)
{
	json_t	*e;

	e = json_array_get(f->errors, 0);
	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e,
	    "validator")), want);
}

/*
 * Names and emails.
 */

enum { K_ZONE, K_RRSET, K_EMAIL };

struct namecase {
	int		 kind;
	const char	*in;
	int		 ok;
};

static const struct namecase names[] = {
	{ K_ZONE,  "example.org.",		1 },
	{ K_ZONE,  "EXAMPLE.Org.",		1 },
	{ K_ZONE,  "a.b.c.d.e.",		1 },
	{ K_ZONE,  "xn--bcher-kva.example.",	1 },
	{ K_ZONE,  "under_score.example.",	1 },
	{ K_ZONE,  "a-b.example.",		1 },
	{ K_ZONE,  "0.192.in-addr.arpa.",	1 },
	{ K_ZONE,  label63,			1 },
	{ K_ZONE,  name254,			1 },
	{ K_ZONE,  "example.org",		0 },
	{ K_ZONE,  "not a zone",		0 },
	{ K_ZONE,  "",				0 },
	{ K_ZONE,  ".",				0 },
	{ K_ZONE,  "a..b.",			0 },
	{ K_ZONE,  ".example.",			0 },
	{ K_ZONE,  "-a.example.",		0 },
	{ K_ZONE,  "a-.example.",		0 },
	{ K_ZONE,  "*.example.org.",		0 },
	{ K_ZONE,  "ex*ample.org.",		0 },
	{ K_ZONE,  "a b.example.",		0 },
	{ K_ZONE,  "a@b.example.",		0 },
	{ K_ZONE,  "caf\xc3\xa9.example.",	0 },
	{ K_ZONE,  label64,			0 },
	{ K_ZONE,  name255,			0 },
	{ K_RRSET, "www.example.org.",		1 },
	{ K_RRSET, "*.example.org.",		1 },
	{ K_RRSET, "*.sub.example.org.",	1 },
	{ K_RRSET, "_sip._tcp.example.org.",	1 },
	{ K_RRSET, "a.*.example.org.",		0 },
	{ K_RRSET, "*a.example.org.",		0 },
	{ K_RRSET, "**.example.org.",		0 },
	{ K_RRSET, "www.example.org",		0 },
	{ K_RRSET, "www..example.org.",		0 },
	{ K_RRSET, "-www.example.org.",		0 },
	{ K_RRSET, label64,			0 },
	{ K_EMAIL, "joe@example.org",		1 },
	{ K_EMAIL, "host.master@example.org",	1 },
	{ K_EMAIL, "a_b-c@sub.example.org",	1 },
	{ K_EMAIL, "joe",			0 },
	{ K_EMAIL, "joe@@example.org",		0 },
	{ K_EMAIL, "a@b@example.org",		0 },
	{ K_EMAIL, "@example.org",		0 },
	{ K_EMAIL, "joe@",			0 },
	{ K_EMAIL, "joe@-example.org",		0 },
	{ K_EMAIL, "joe @example.org",		0 },
	{ K_EMAIL, "joe@example.org.",		0 },
	{ K_EMAIL, "joe+tag@example.org",	0 },
	{ K_EMAIL, email256,			0 },
};

static void
name_case(void **state)
{
	const struct namecase	*c = *state;
	struct zfault		 f = ZFAULT_INIT;
	int			 rc;

	switch (c->kind) {
	case K_ZONE:
		rc = zvalid_zone_name(c->in, &f);
		break;
	case K_RRSET:
		rc = zvalid_rrset_name(c->in, &f);
		break;
	default:
		rc = zvalid_email(c->in, &f);
		break;
	}
	if (c->ok) {
		assert_int_equal(rc, 0);
	} else {
		assert_int_equal(rc, ZE_FAULT);
		assert_int_equal(f.status, 400);
		assert_string_equal(f.type, "invalid_object");
		assert_path(&f, c->kind == K_EMAIL ? "[\"email\"]" :
		    "[\"name\"]");
	}
	zfault_release(&f);
}

/*
 * Record data.
 */

struct reccase {
	const char	*type;
	const char	*data;
	int		 ok;
};

#define SSHFP40	"0123456789abcdef0123456789ABCDEF01234567"
#define B64	"KR1L0GbocaIOOim1+qdHtOSrDcOsGiI2NCcxuX2/Tqc="
#define NAPTRR	"!^.*$!sip:info@example.com!"

static const struct reccase records[] = {
	{ "A",		"192.0.2.1",				1 },
	{ "A",		"0.0.0.0",				1 },
	{ "A",		"255.255.255.255",			1 },
	{ "A",		"999.1.1.1",				0 },
	{ "A",		"1.2.3",				0 },
	{ "A",		"1.2.3.4.5",				0 },
	{ "A",		"01.2.3.4",				0 },
	{ "A",		"1.2.3.4 ",				0 },
	{ "A",		"a.b.c.d",				0 },
	{ "A",		"::1",					0 },
	{ "A",		"",					0 },
	{ "AAAA",	"2001:db8::1",				1 },
	{ "AAAA",	"::1",					1 },
	{ "AAAA",	"::ffff:192.0.2.1",			1 },
	{ "AAAA",	"2001:0db8:0000:0000:0000:0000:0000:0001", 1 },
	{ "AAAA",	"2001:db8::g",				0 },
	{ "AAAA",	"192.0.2.1",				0 },
	{ "AAAA",	"2001:db8:::1",				0 },
	{ "AAAA",	"1:2:3:4:5:6:7:8:9",			0 },
	{ "CNAME",	"target.example.org.",			1 },
	{ "CNAME",	"target.example.org",			0 },
	{ "CNAME",	"*.example.org.",			0 },
	{ "CNAME",	"a..example.org.",			0 },
	{ "CNAME",	"-x.example.org.",			0 },
	{ "MX",		"10 mail.example.org.",			1 },
	{ "MX",		"0 mail.example.org.",			1 },
	{ "MX",		"65535 mx.example.",			1 },
	{ "MX",		"0 .",					1 },
	{ "MX",		"10 (mail.example.",			0 },
	{ "MX",		"10 -mail.example.",			0 },
	/* tempest invalid_mx_dataset.json */
	{ "MX",		" mail.example.org.",			0 },
	{ "MX",		"-0 mail.example.org.",			0 },
	{ "MX",		"-1 mail.example.org.",			0 },
	{ "MX",		"010 mail.example.org.",		0 },
	{ "MX",		"+1 mail.example.org.",			0 },
	{ "MX",		"65536 mx.example.",			0 },
	{ "MX",		"10 mail.example.org",			0 },
	{ "MX",		"10  mail.example.org.",		0 },
	{ "MX",		"10 mail.example.org. extra",		0 },
	{ "MX",		"mail.example.org.",			0 },
	{ "NS",		"ns1.example.org.",			1 },
	{ "NS",		"ns1.example.org",			0 },
	{ "NS",		"192.0.2.1",				0 },
	{ "PTR",	"host.example.org.",			1 },
	{ "PTR",	"host",					0 },
	{ "SPF",	"v=spf1",				1 },
	{ "SPF",	"\"v=spf1; a -all\"",			1 },
	{ "SPF",	"\"v=spf1 include:x.example -all\"",	1 },
	{ "SPF",	"v=spf1 a -all",			0 },
	{ "SPF",	"\"v=spf1 \"a\" -all\"",		0 },
	{ "SPF",	"\"v=spf1",				0 },
	{ "SPF",	"\"v=spf1\nx\"",			0 },
	{ "TXT",	"\"Can you read me?\"",			1 },
	{ "TXT",	"simple",				1 },
	{ "TXT",	"semi;colon",				1 },
	{ "TXT",	"\"a\\\"b\"",				1 },
	{ "TXT",	"\"part1\" \"part2\"",			1 },
	{ "TXT",	txt300split,				1 },
	/* tempest valid_txt_dataset.json */
	{ "TXT",	"\"\\ \"",				1 },
	{ "TXT",	"\"\\    \"",				1 },
	{ "TXT",	"\"the txts    \"",			1 },
	/* tempest invalid_txt_dataset.json */
	{ "TXT",	"\\",					0 },
	{ "TXT",	"\\\\",					0 },
	{ "TXT",	"testtext\\",				0 },
	{ "TXT",	"two words",				0 },
	{ "TXT",	"\"unbalanced",				0 },
	{ "TXT",	"unbalanced\"",				0 },
	{ "TXT",	"\"",					0 },
	{ "TXT",	"\"a\"b\"",				0 },
	{ "TXT",	"\"line\nbreak\"",			0 },
	{ "TXT",	txt256q,				0 },
	{ "TXT",	txt300u,				0 },
	{ "SRV",	"10 60 5060 sip.example.org.",		1 },
	{ "SRV",	"0 0 0 t.example.",			1 },
	{ "SRV",	"10 60 5060 sip.example.org",		0 },
	{ "SRV",	"10 60 70000 sip.example.org.",		0 },
	{ "SRV",	"10 60 sip.example.org.",		0 },
	{ "SRV",	"a 60 5060 sip.example.org.",		0 },
	{ "SSHFP",	"1 1 " SSHFP40,				1 },
	{ "SSHFP",	"1 1 0123456789",			1 },
	{ "SSHFP",	"4 2 HEX64",				1 },
	{ "SSHFP",	"0 0 0123456789",			1 },
	/* tempest invalid_sshfp_dataset.json */
	{ "SSHFP",	"-0 1 " SSHFP40,			0 },
	{ "SSHFP",	"1 -0 " SSHFP40,			0 },
	{ "SSHFP",	"-1 1 " SSHFP40,			0 },
	{ "SSHFP",	"1 -1 " SSHFP40,			0 },
	{ "SSHFP",	"1 1 -0",				0 },
	{ "SSHFP",	"5 1 " SSHFP40,				0 },
	{ "SSHFP",	"1 3 " SSHFP40,				0 },
	{ "SSHFP",	"01 1 " SSHFP40,			0 },
	{ "SSHFP",	"1 1 012345678",			0 },
	{ "SSHFP",	"1 1 " SSHFP40 "8",			0 },
	{ "SSHFP",	"1 1 xyz0123456",			0 },
	{ "SSHFP",	"1 1",					0 },
	{ "CAA",	"0 issue letsencrypt.org",		1 },
	{ "CAA",	"0 issuewild ca.example.net",		1 },
	{ "CAA",	"0 issue letsencrypt.org; account=12345", 1 },
	{ "CAA",	"0 issue ca.example; a=1; b=2",		1 },
	{ "CAA",	"1 iodef mailto:security@example.org",	1 },
	{ "CAA",	"0 iodef mailto:sec+caa@example.org",	1 },
	{ "CAA",	"0 iodef https://iodef.example.org/report", 1 },
	{ "CAA",	"0 iodef http://iodef.example.org/",	1 },
	{ "CAA",	"2 issue letsencrypt.org",		0 },
	{ "CAA",	"0 issue letsencrypt.org;account=1",	0 },
	{ "CAA",	"0 issue letsencrypt.org; account",	0 },
	{ "CAA",	"0 issue -bad.example",			0 },
	{ "CAA",	"0 issue \"letsencrypt.org\"",		0 },
	{ "CAA",	"0 tbs foo",				0 },
	{ "CAA",	"0 ISSUE letsencrypt.org",		0 },
	{ "CAA",	"0 iodef ftp://x.example/",		0 },
	{ "CAA",	"0 iodef https://example.org",		0 },
	{ "CAA",	"0 iodef mailto:bad",			0 },
	{ "CAA",	"0 iodef mailto:a b@example.org",	0 },
	{ "CAA",	"0 issue",				0 },
	{ "NAPTR",	"100 10 S SIP+D2U " NAPTRR " _sip._udp.example.com.", 1 },
	{ "NAPTR",	"100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.com.", 1 },
	{ "NAPTR",	"10 100 \"u\" \"E2U+sip\" \"" NAPTRR "i\" x.example.", 1 },
	{ "NAPTR",	"0 0 \"\" \"\" \"\" x.example.",	1 },
	{ "NAPTR",	"100 10 X SIP+D2U " NAPTRR " x.example.", 0 },
	{ "NAPTR",	"100 10 S 1SIP " NAPTRR " x.example.",	0 },
	{ "NAPTR",	"100 10 S SIP+ " NAPTRR " x.example.",	0 },
	{ "NAPTR",	"100 10 S SIP !^.*$!! x.example.",	0 },
	{ "NAPTR",	"100 10 S SIP ^.*$ x.example.",		0 },
	{ "NAPTR",	"100 10 S SIP 1a1b1 x.example.",	0 },
	{ "NAPTR",	"100 10 S SIP+D2U " NAPTRR,		0 },
	{ "NAPTR",	"70000 10 S SIP " NAPTRR " x.example.",	0 },
	{ "NAPTR",	"100 10 S SIP " NAPTRR " x.example",	0 },
	{ "CERT",	"PKIX 1 RSASHA256 " B64,		1 },
	{ "CERT",	"1 1 255 " B64,				1 },
	{ "CERT",	"IPGP 0 ED448 AAAA BBBB",		1 },
	{ "CERT",	"OID 65535 ECDSAP256SHA256 " B64,	1 },
	{ "CERT",	"DPKIX 1 RSASHA256 " B64,		1 },
	{ "CERT",	"FOO 1 RSASHA256 " B64,			0 },
	{ "CERT",	"pkix 1 RSASHA256 " B64,		0 },
	{ "CERT",	"PKIX 70000 RSASHA256 " B64,		0 },
	{ "CERT",	"PKIX 1 FOO " B64,			0 },
	{ "CERT",	"PKIX 1 256 " B64,			0 },
	{ "CERT",	"PKIX 1 RSASHA256 not*base64",		0 },
	{ "CERT",	"PKIX 1 RSASHA256 AAA",			0 },
	{ "CERT",	"PKIX 1 RSASHA256",			0 },
	{ "SVCB",	"1 svc.example.net. alpn=h2,h3 port=8443", 1 },
	{ "SVCB",	"0 svc.example.net.",			1 },
	{ "SVCB",	"1 svc.example.net. ipv4hint=192.0.2.1,192.0.2.2 "
			"ipv6hint=2001:db8::1",			1 },
	{ "SVCB",	"1 svc.example.net. dohpath=/dns-query{?dns}", 1 },
	{ "SVCB",	"1 svc.example.net. mandatory=alpn alpn=h2", 1 },
	{ "SVCB",	"1 svc.example.net. alpn=h2 no-default-alpn", 1 },
	{ "SVCB",	"1 svc.example.net. ech=AEX+/w==",	1 },
	{ "SVCB",	"1 svc.example.net. alpn=h9",		0 },
	{ "SVCB",	"1 svc.example.net. port=http",		0 },
	{ "SVCB",	"1 svc.example.net. port=70000",	0 },
	{ "SVCB",	"1 svc.example.net. ipv4hint=300.1.1.1", 0 },
	{ "SVCB",	"1 svc.example.net. ipv6hint=192.0.2.1", 0 },
	{ "SVCB",	"1 svc.example.net. no-default-alpn",	0 },
	{ "SVCB",	"1 svc.example.net. mandatory=port alpn=h2", 0 },
	{ "SVCB",	"1 svc.example.net. foo=bar",		0 },
	{ "SVCB",	"1 svc.example.net. alpn",		0 },
	{ "SVCB",	"1 svc.example.net. dohpath=dns-query{?dns}", 0 },
	{ "SVCB",	"1 svc.example.net. dohpath=/dns-query", 0 },
	{ "SVCB",	"1 svc.example.net. alpn=h2 alpn=h3",	0 },
	{ "SVCB",	"1 svc.example.net. ech=a\\b",		0 },
	{ "SVCB",	"70000 svc.example.net.",		0 },
	{ "SVCB",	"1 svc.example.net",			0 },
	{ "HTTPS",	"1 web.example.net. alpn=h2",		1 },
	{ "HTTPS",	"1 web.example.net. dohpath=/dns-query{?dns}", 0 },
	{ "TLSA",	"3 1 1 HEX64",				1 },
	{ "TLSA",	"3 1 1 ( HEX32 HEX32 )",		1 },
	{ "TLSA",	"0 0 0 abcdef",				1 },
	{ "TLSA",	"3 1 2 HEX128",				1 },
	{ "TLSA",	"3 1 1 abcd",				0 },
	{ "TLSA",	"3 1 0 abc",				0 },
	{ "TLSA",	"3 1 0 xyz1",				0 },
	{ "TLSA",	"256 1 1 HEX64",			0 },
	{ "TLSA",	"3 1",					0 },
	{ "TLSA",	"3 1 2 HEX64",				0 },
	{ "SOA",	"ns1.example.org. hostmaster.example.org. "
			"1 3600 600 86400 3600",		1 },
	{ "SOA",	"ns1.example.org. hostmaster.example.org. "
			"1 3600 600 86400",			0 },
	{ "SOA",	"ns1 hostmaster.example.org. 1 2 3 4 5", 0 },
	{ "SOA",	"ns1.example.org. hostmaster.example.org. "
			"4294967296 2 3 4 5",			0 },
	{ "FOO",	"x",					0 },
	{ "a",		"192.0.2.1",				0 },
};

/* Expand HEX32/HEX64/HEX128 placeholders into a malloc'd string. */
static char *
expand(const char *s)
{
	static const struct {
		const char	*tok;
		size_t		 n;
	} toks[] = { { "HEX128", 128 }, { "HEX64", 64 }, { "HEX32", 32 } };
	char	*out, *o;
	size_t	 i;

	out = malloc(strlen(s) * 30 + 1);
	assert_non_null(out);
	for (o = out; *s != '\0';) {
		for (i = 0; i < 3; i++)
			if (strncmp(s, toks[i].tok, strlen(toks[i].tok)) == 0)
				break;
		if (i < 3) {
			memcpy(o, hex128, toks[i].n);
			o += toks[i].n;
			s += strlen(toks[i].tok);
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

static void
record_case(void **state)
{
	const struct reccase	*c = *state;
	struct zfault		 f = ZFAULT_INIT;
	char			*data;
	int			 rc;

	data = expand(c->data);
	rc = zvalid_record(c->type, data, 3, &f);
	if (c->ok) {
		if (rc != 0)
			print_error("%s\n", f.message);
		assert_int_equal(rc, 0);
	} else {
		assert_int_equal(rc, ZE_FAULT);
		assert_int_equal(f.status, 400);
		assert_string_equal(f.type, "invalid_object");
		if (strcmp(c->type, "FOO") == 0 || strcmp(c->type, "a") == 0) {
			assert_path(&f, "[\"type\"]");
		} else {
			assert_path(&f, "[\"records\",3]");
			assert_validator(&f, "format");
		}
	}
	zfault_release(&f);
	free(data);
}

/*
 * Bodies.
 */

#define ZCUR	"{\"id\":\"a86dba58-0043-4cc6-a1bb-69d5e86f3ca3\"," \
	"\"pool_id\":\"794ccc2c-d751-44fe-b57f-8894c9f5c842\"," \
	"\"project_id\":\"4335d1f0f79311e2b7780800200c9a66\"," \
	"\"name\":\"example.org.\",\"email\":\"joe@example.org\"," \
	"\"ttl\":7200,\"serial\":1404757531,\"status\":\"ACTIVE\"," \
	"\"action\":\"NONE\",\"description\":\"zone\",\"masters\":[]," \
	"\"type\":\"PRIMARY\",\"transferred_at\":null,\"shared\":false," \
	"\"version\":1,\"created_at\":\"2014-07-07T18:25:31.275934\"," \
	"\"updated_at\":null,\"attributes\":{}," \
	"\"links\":{\"self\":\"https://dns.example/v2/zones/a86d\"}}"
#define ZSEC	"{\"id\":\"b86dba58-0043-4cc6-a1bb-69d5e86f3ca3\"," \
	"\"name\":\"sec.example.org.\",\"email\":\"managed@example.net\"," \
	"\"ttl\":3600,\"masters\":[\"192.0.2.1\"],\"type\":\"SECONDARY\"," \
	"\"attributes\":{}}"
#define RCUR	"{\"id\":\"f7b10e9b-0cae-4a91-b162-562bc6096648\"," \
	"\"zone_id\":\"a86dba58-0043-4cc6-a1bb-69d5e86f3ca3\"," \
	"\"zone_name\":\"example.org.\",\"project_id\":\"p1\"," \
	"\"name\":\"www.example.org.\",\"type\":\"A\"," \
	"\"records\":[\"192.0.2.1\"],\"ttl\":null,\"description\":null," \
	"\"status\":\"ACTIVE\",\"action\":\"NONE\",\"version\":1," \
	"\"created_at\":\"2014-10-24T19:59:44.000000\",\"updated_at\":null," \
	"\"links\":{\"self\":\"x\"}}"
#define RMX	"{\"id\":\"1\",\"name\":\"example.org.\",\"type\":\"MX\"}"
#define RSOA	"{\"id\":\"2\",\"name\":\"example.org.\",\"type\":\"SOA\"}"
#define RTLSA	"{\"id\":\"3\",\"name\":\"www.example.org.\",\"type\":\"TLSA\"}"

enum { B_ZONE, B_RRSET };

struct bodycase {
	const char	*desc;
	int		 kind;
	const char	*body;
	const char	*cur;
	const char	*etype;		/* NULL: valid */
	const char	*validator;	/* NULL: not checked */
	const char	*path;		/* NULL: not checked */
};

#define OK	NULL, NULL, NULL
#define IO(v, p) "invalid_object", v, p
#define BR	"bad_request", NULL, NULL

static const struct bodycase bodies[] = {
	/* zone create */
	{ "zone create minimal", B_ZONE,
	  "{\"name\":\"example.org.\",\"email\":\"joe@example.org\"}",
	  NULL, OK },
	{ "zone create all fields", B_ZONE,
	  "{\"name\":\"example.org.\",\"email\":\"joe@example.org\","
	  "\"ttl\":7200,\"description\":\"a zone\",\"type\":\"PRIMARY\","
	  "\"masters\":[],\"attributes\":{\"service_tier\":\"gold\"}}",
	  NULL, OK },
	{ "zone create ttl 0", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":0}", NULL, OK },
	{ "zone create ttl max", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":2147483647}",
	  NULL, OK },
	{ "zone create description null", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"description\":null}",
	  NULL, OK },
	{ "zone create description 160 multibyte chars", B_ZONE,
	  body_desc160u8, NULL, OK },
	{ "zone create without name", B_ZONE,
	  "{\"email\":\"joe@example.org\"}", NULL,
	  IO("required", "[\"name\"]") },
	{ "zone create name without dot", B_ZONE,
	  "{\"name\":\"not a zone\",\"email\":\"joe@example.org\"}", NULL,
	  IO("format", "[\"name\"]") },
	{ "zone create wildcard name", B_ZONE,
	  "{\"name\":\"*.example.org.\",\"email\":\"joe@example.org\"}", NULL,
	  IO("format", "[\"name\"]") },
	{ "zone create name not a string", B_ZONE,
	  "{\"name\":42,\"email\":\"joe@example.org\"}", NULL,
	  IO("type", "[\"name\"]") },
	{ "zone create without email", B_ZONE,
	  "{\"name\":\"example.org.\"}", NULL,
	  IO("required", "[\"type\",\"email\"]") },
	{ "zone create bad email", B_ZONE,
	  "{\"name\":\"example.org.\",\"email\":\"joe\"}", NULL,
	  IO("format", "[\"email\"]") },
	{ "zone create email not a string", B_ZONE,
	  "{\"name\":\"example.org.\",\"email\":[]}", NULL,
	  IO("type", "[\"email\"]") },
	{ "zone create ttl string", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":\"3600\"}", NULL,
	  IO("type", "[\"ttl\"]") },
	{ "zone create ttl float", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":3600.5}", NULL,
	  IO("type", "[\"ttl\"]") },
	{ "zone create ttl 3600.0", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":3600.0}", NULL,
	  IO("type", "[\"ttl\"]") },
	{ "zone create ttl bool", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":true}", NULL,
	  IO("type", "[\"ttl\"]") },
	{ "zone create ttl null", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":null}", NULL,
	  IO("type", "[\"ttl\"]") },
	{ "zone create ttl -1", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":-1}", NULL,
	  IO("minimum", "[\"ttl\"]") },
	{ "zone create ttl 2147483648", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"ttl\":2147483648}",
	  NULL, IO("maximum", "[\"ttl\"]") },
	{ "zone create description 161", B_ZONE, body_desc161, NULL,
	  IO("maxLength", "[\"description\"]") },
	{ "zone create description number", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"description\":1}",
	  NULL, IO("type", "[\"description\"]") },
	{ "zone create unknown key", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"x\":1}", NULL,
	  IO("additionalProperties", "[]") },
	{ "zone create read-only id", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"id\":\"x\"}", NULL,
	  IO("not_allowed", "[\"id\"]") },
	{ "zone create read-only status", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"status\":\"ACTIVE\"}",
	  NULL, IO("not_allowed", "[\"status\"]") },
	{ "zone create type CATALOG", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\",\"type\":\"CATALOG\"}",
	  NULL, IO("enum", "[\"type\"]") },
	{ "zone create PRIMARY with masters", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\","
	  "\"masters\":[\"192.0.2.1\"]}", NULL,
	  IO("maxItems", "[\"masters\"]") },
	{ "zone create SECONDARY", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\",\"masters\":"
	  "[\"192.0.2.1\",\"192.0.2.2:5353\",\"[2001:db8::1]:53\","
	  "\"2001:db8::2\",\"ns.example.net\"]}", NULL, OK },
	{ "zone create SECONDARY without masters", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\"}", NULL,
	  IO("required", "[\"masters\"]") },
	{ "zone create SECONDARY empty masters", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\",\"masters\":[]}", NULL,
	  IO("required", "[\"masters\"]") },
	{ "zone create SECONDARY with email", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\",\"email\":\"a@e.org\","
	  "\"masters\":[\"192.0.2.1\"]}", NULL,
	  IO("not_allowed", "[\"email\"]") },
	{ "zone create SECONDARY with ttl", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\",\"ttl\":300,"
	  "\"masters\":[\"192.0.2.1\"]}", NULL,
	  IO("not_allowed", "[\"ttl\"]") },
	{ "zone create master port 0", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\","
	  "\"masters\":[\"192.0.2.1:0\"]}", NULL,
	  IO("format", "[\"masters\",0]") },
	{ "zone create master bad address", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\","
	  "\"masters\":[\"192.0.2.1\",\"999.1.1.1\"]}", NULL,
	  IO("format", "[\"masters\",1]") },
	{ "zone create master bad port", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\","
	  "\"masters\":[\"host:port\"]}", NULL,
	  IO("format", "[\"masters\",0]") },
	{ "zone create master unclosed bracket", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\","
	  "\"masters\":[\"[2001:db8::1\"]}", NULL,
	  IO("format", "[\"masters\",0]") },
	{ "zone create masters not a list", B_ZONE,
	  "{\"name\":\"e.org.\",\"type\":\"SECONDARY\","
	  "\"masters\":\"192.0.2.1\"}", NULL, IO("type", "[\"masters\"]") },
	{ "zone create attribute value too long", B_ZONE, body_attr51, NULL,
	  IO("maxLength", "[\"attributes\",\"k\"]") },
	{ "zone create attribute value not a string", B_ZONE,
	  "{\"name\":\"e.org.\",\"email\":\"a@e.org\","
	  "\"attributes\":{\"k\":1}}", NULL,
	  IO("type", "[\"attributes\",\"k\"]") },
	{ "zone create body not an object", B_ZONE, "[1]", NULL,
	  IO("type", "[]") },
	/* zone update */
	{ "zone update email ttl description", B_ZONE,
	  "{\"email\":\"new@example.org\",\"ttl\":600,\"description\":\"x\"}",
	  ZCUR, OK },
	{ "zone update without email", B_ZONE, "{\"ttl\":600}", ZCUR, OK },
	{ "zone update read-only keys unchanged", B_ZONE,
	  "{\"id\":\"a86dba58-0043-4cc6-a1bb-69d5e86f3ca3\","
	  "\"status\":\"ACTIVE\",\"serial\":1404757531,\"ttl\":600}",
	  ZCUR, OK },
	{ "zone update whole object round trip", B_ZONE, ZCUR, ZCUR, OK },
	{ "zone update serial changed", B_ZONE, "{\"serial\":1}", ZCUR,
	  IO("not_allowed", "[\"serial\"]") },
	{ "zone update status changed", B_ZONE, "{\"status\":\"ERROR\"}",
	  ZCUR, IO("not_allowed", "[\"status\"]") },
	{ "zone update id changed", B_ZONE, "{\"id\":\"x\"}", ZCUR,
	  IO("not_allowed", "[\"id\"]") },
	{ "zone update name same", B_ZONE, "{\"name\":\"example.org.\"}",
	  ZCUR, OK },
	{ "zone update name changed", B_ZONE, "{\"name\":\"other.org.\"}",
	  ZCUR, IO("not_allowed", "[\"name\"]") },
	{ "zone update type changed", B_ZONE, "{\"type\":\"SECONDARY\"}",
	  ZCUR, IO("not_allowed", "[\"type\"]") },
	{ "zone update attributes changed", B_ZONE,
	  "{\"attributes\":{\"a\":\"b\"}}", ZCUR,
	  IO("not_allowed", "[\"attributes\"]") },
	{ "zone update unknown key", B_ZONE, "{\"foo\":\"bar\"}", ZCUR,
	  IO("additionalProperties", "[]") },
	{ "zone update bad email", B_ZONE, "{\"email\":\"a@b@c\"}", ZCUR,
	  IO("format", "[\"email\"]") },
	{ "zone update ttl too big", B_ZONE, "{\"ttl\":4294967296}", ZCUR,
	  IO("maximum", "[\"ttl\"]") },
	{ "zone update PRIMARY masters", B_ZONE,
	  "{\"masters\":[\"192.0.2.1\"]}", ZCUR,
	  IO("maxItems", "[\"masters\"]") },
	{ "zone update SECONDARY masters", B_ZONE,
	  "{\"masters\":[\"192.0.2.9\"],\"description\":\"d\"}", ZSEC, OK },
	{ "zone update SECONDARY empty masters", B_ZONE,
	  "{\"masters\":[]}", ZSEC, IO("required", "[\"masters\"]") },
	{ "zone update SECONDARY email", B_ZONE,
	  "{\"email\":\"x@example.org\"}", ZSEC,
	  IO("not_allowed", "[\"email\"]") },
	{ "zone update SECONDARY ttl", B_ZONE, "{\"ttl\":60}", ZSEC,
	  IO("not_allowed", "[\"ttl\"]") },
	/* recordset create */
	{ "rrset create A", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\","
	  "\"records\":[\"192.0.2.1\",\"192.0.2.2\"],\"ttl\":300,"
	  "\"description\":\"web\"}", NULL, OK },
	{ "rrset create empty records", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\",\"records\":[]}",
	  NULL, OK },
	{ "rrset create ttl null", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\",\"ttl\":null}",
	  NULL, OK },
	{ "rrset create bad A (err-400-bad-a)", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\","
	  "\"records\":[\"999.1.1.1\"]}", NULL,
	  IO("format", "[\"records\",0]") },
	{ "rrset create bad third record", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\","
	  "\"records\":[\"192.0.2.1\",\"192.0.2.2\",\"1.2.3\"]}", NULL,
	  IO("format", "[\"records\",2]") },
	{ "rrset create without name", B_RRSET,
	  "{\"type\":\"A\",\"records\":[]}", NULL,
	  IO("required", "[\"name\"]") },
	{ "rrset create without type", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"records\":[]}", NULL,
	  IO("required", "[\"type\"]") },
	{ "rrset create unknown type", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"FOO\"}", NULL,
	  IO("enum", "[\"type\"]") },
	{ "rrset create unknown key", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\",\"x\":1}", NULL,
	  IO("additionalProperties", "[]") },
	{ "rrset create read-only id", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\",\"id\":\"1\"}", NULL,
	  IO("not_allowed", "[\"id\"]") },
	{ "rrset create records not a list", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\","
	  "\"records\":\"192.0.2.1\"}", NULL, IO("type", "[\"records\"]") },
	{ "rrset create record not a string", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\",\"records\":[1]}",
	  NULL, IO("type", "[\"records\",0]") },
	{ "rrset create ttl string", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\",\"ttl\":\"300\"}",
	  NULL, IO("type", "[\"ttl\"]") },
	{ "rrset create ttl -1", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"A\",\"ttl\":-1}",
	  NULL, IO("minimum", "[\"ttl\"]") },
	{ "rrset create name without dot", B_RRSET,
	  "{\"name\":\"www.example.org\",\"type\":\"A\"}", NULL,
	  IO("format", "[\"name\"]") },
	{ "rrset create SOA", B_RRSET,
	  "{\"name\":\"example.org.\",\"type\":\"SOA\",\"records\":"
	  "[\"ns1.example.org. joe.example.org. 1 3600 600 86400 3600\"]}",
	  NULL, BR },
	{ "rrset create TLSA good name", B_RRSET,
	  "{\"name\":\"_443._tcp.www.example.org.\",\"type\":\"TLSA\","
	  "\"records\":[\"0 0 0 abcdef\"]}", NULL, OK },
	{ "rrset create TLSA plain name", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"TLSA\","
	  "\"records\":[\"0 0 0 abcdef\"]}", NULL, BR },
	{ "rrset create TLSA port not numeric", B_RRSET,
	  "{\"name\":\"_https._tcp.example.org.\",\"type\":\"TLSA\"}", NULL,
	  BR },
	{ "rrset create TLSA port too big", B_RRSET,
	  "{\"name\":\"_70000._tcp.example.org.\",\"type\":\"TLSA\"}", NULL,
	  BR },
	{ "rrset create SRV good name", B_RRSET,
	  "{\"name\":\"_sip._tcp.example.org.\",\"type\":\"SRV\","
	  "\"records\":[\"10 60 5060 sip.example.org.\"]}", NULL, OK },
	{ "rrset create SRV plain name", B_RRSET,
	  "{\"name\":\"sip.example.org.\",\"type\":\"SRV\"}", NULL,
	  IO("format", "[\"name\"]") },
	{ "rrset create NS wildcard", B_RRSET,
	  "{\"name\":\"*.example.org.\",\"type\":\"NS\"}", NULL,
	  IO("format", "[\"name\"]") },
	{ "rrset create CNAME duplicate records collapse", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"CNAME\",\"records\":"
	  "[\"t.example.org.\",\"t.example.org.\"]}", NULL, OK },
	/* tempest recordset_data_invalid.json */
	{ "tempest CNAME multiple", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"type\":\"CNAME\",\"records\":"
	  "[\"target1.example.org.\",\"target2.example.org.\"]}", NULL, BR },
	{ "tempest CNAME at Apex (null name)", B_RRSET,
	  "{\"name\":null,\"type\":\"CNAME\","
	  "\"records\":[\"target1.example.org.\"]}", NULL,
	  IO("type", "[\"name\"]") },
	/* tempest recordset_wildcard_data.json */
	{ "tempest A at APEX", B_RRSET,
	  "{\"name\":\"*.example.org.\",\"type\":\"A\",\"records\":"
	  "[\"192.0.2.1\",\"192.0.2.2\",\"192.0.2.3\"]}", NULL, OK },
	{ "tempest A under APEX", B_RRSET,
	  "{\"name\":\"*.sub.example.org.\",\"type\":\"A\",\"records\":"
	  "[\"192.0.2.1\",\"192.0.2.2\",\"192.0.2.3\"]}", NULL, OK },
	{ "tempest AAAA at APEX", B_RRSET,
	  "{\"name\":\"*.example.org.\",\"type\":\"AAAA\",\"records\":"
	  "[\"2001:db8::1\",\"2001:db8::1\",\"2001:db8::\"]}", NULL, OK },
	{ "tempest AAAA under APEX", B_RRSET,
	  "{\"name\":\"*.sub.example.org.\",\"type\":\"AAAA\",\"records\":"
	  "[\"2001:db8::1\",\"2001:db8::1\",\"2001:db8::\"]}", NULL, OK },
	{ "tempest MX at APEX", B_RRSET,
	  "{\"name\":\"*.example.org.\",\"type\":\"MX\",\"records\":"
	  "[\"10 mail1.example.org.\",\"20 mail2.example.org.\"]}", NULL, OK },
	{ "tempest MX under APEX", B_RRSET,
	  "{\"name\":\"*.sub.example.org.\",\"type\":\"MX\",\"records\":"
	  "[\"10 mail.example.org.\"]}", NULL, OK },
	{ "tempest SPF at APEX", B_RRSET,
	  "{\"name\":\"*.example.org.\",\"type\":\"SPF\",\"records\":"
	  "[\"\\\"v=spf1; a -all\\\"\"]}", NULL, OK },
	{ "tempest SPF under APEX", B_RRSET,
	  "{\"name\":\"*.sub.example.org.\",\"type\":\"SPF\",\"records\":"
	  "[\"\\\"v=spf1; a -all\\\"\"]}", NULL, OK },
	{ "tempest TXT at APEX", B_RRSET,
	  "{\"name\":\"*.example.org.\",\"type\":\"TXT\",\"records\":"
	  "[\"\\\"Can you read me?\\\"\"]}", NULL, OK },
	{ "tempest TXT under APEX", B_RRSET,
	  "{\"name\":\"*.sub.example.org.\",\"type\":\"TXT\",\"records\":"
	  "[\"\\\"Can you read me?\\\"\"]}", NULL, OK },
	/* recordset update */
	{ "rrset update records and ttl", B_RRSET,
	  "{\"records\":[\"192.0.2.9\"],\"ttl\":600}", RCUR, OK },
	{ "rrset update whole object round trip", B_RRSET, RCUR, RCUR, OK },
	{ "rrset update name same", B_RRSET,
	  "{\"name\":\"www.example.org.\",\"records\":[]}", RCUR, OK },
	{ "rrset update name changed", B_RRSET,
	  "{\"name\":\"ftp.example.org.\"}", RCUR,
	  IO("not_allowed", "[\"name\"]") },
	{ "rrset update type changed", B_RRSET, "{\"type\":\"AAAA\"}", RCUR,
	  IO("not_allowed", "[\"type\"]") },
	{ "rrset update id changed", B_RRSET, "{\"id\":\"other\"}", RCUR,
	  IO("not_allowed", "[\"id\"]") },
	{ "rrset update zone_id changed", B_RRSET, "{\"zone_id\":\"z\"}",
	  RCUR, IO("not_allowed", "[\"zone_id\"]") },
	{ "rrset update records use current type", B_RRSET,
	  "{\"records\":[\"-1 mail.example.org.\"]}", RMX,
	  IO("format", "[\"records\",0]") },
	{ "rrset update SOA", B_RRSET, "{\"ttl\":300}", RSOA, BR },
	{ "rrset update TLSA name re-checked", B_RRSET, "{\"ttl\":300}",
	  RTLSA, BR },
	{ "rrset update description too long", B_RRSET, body_rdesc161, RCUR,
	  IO("maxLength", "[\"description\"]") },
};

static void
body_case(void **state)
{
	const struct bodycase	*c = *state;
	struct zfault		 f = ZFAULT_INIT;
	json_t			*body, *cur = NULL;
	json_error_t		 err;
	int			 rc;

	body = json_loads(c->body, JSON_DECODE_ANY, &err);
	if (body == NULL)
		print_error("body: %s\n", err.text);
	assert_non_null(body);
	if (c->cur != NULL) {
		cur = json_loads(c->cur, 0, &err);
		assert_non_null(cur);
	}
	if (c->kind == B_ZONE)
		rc = zvalid_zone_body(body, cur, &f);
	else
		rc = zvalid_rrset_body(body, cur, &f);
	if (c->etype == NULL) {
		if (rc != 0)
			print_error("%s: %s\n", f.type, f.message);
		assert_int_equal(rc, 0);
	} else {
		assert_int_equal(rc, ZE_FAULT);
		assert_int_equal(f.status, 400);
		assert_string_equal(f.type, c->etype);
		if (c->validator != NULL)
			assert_validator(&f, c->validator);
		if (c->path != NULL)
			assert_path(&f, c->path);
		if (strcmp(c->etype, "bad_request") == 0)
			assert_null(f.errors);
	}
	zfault_release(&f);
	json_decref(body);
	json_decref(cur);
}

/*
 * Single tests.
 */

/* The errors[] entry of err-400-bad-a.txt. */
static void
bad_a_matches_designate(void **state)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*got, *want;

	(void)state;
	assert_int_equal(zvalid_record("A", "999.1.1.1", 0, &f), ZE_FAULT);
	got = zfault_json(&f);
	want = json_loads("{\"code\": 400, \"type\": \"invalid_object\", "
	    "\"message\": \"'999.1.1.1' is not a 'A' Record\", "
	    "\"errors\": {\"errors\": [{\"path\": [\"records\", 0], "
	    "\"message\": \"'999.1.1.1' is not a 'A' Record\", "
	    "\"validator\": \"format\", \"validator_value\": [\"A\"]}]}}",
	    0, NULL);
	assert_non_null(want);
	assert_true(json_equal(got, want));
	json_decref(got);
	json_decref(want);
	zfault_release(&f);
}

/* The errors[] entry of err-400-no-email.txt. */
static void
no_email_matches_designate(void **state)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*body, *e;

	(void)state;
	body = json_pack("{s:s}", "name", "example.org.");
	assert_int_equal(zvalid_zone_body(body, NULL, &f), ZE_FAULT);
	e = json_array_get(f.errors, 0);
	assert_string_equal(json_string_value(json_object_get(e, "message")),
	    "'email' is a required property");
	assert_string_equal(json_string_value(json_object_get(e,
	    "validator_value")), "email");
	assert_path(&f, "[\"type\",\"email\"]");
	json_decref(body);
	zfault_release(&f);
}

static void
unknown_key_message(void **state)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*body;

	(void)state;
	body = json_pack("{s:s,s:s,s:i}", "name", "e.org.", "email",
	    "a@e.org", "x", 1);
	assert_int_equal(zvalid_zone_body(body, NULL, &f), ZE_FAULT);
	assert_string_equal(f.message,
	    "Additional properties are not allowed ('x' was unexpected)");
	json_decref(body);
	zfault_release(&f);
}

static void
cname_multiple_message(void **state)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*body;

	(void)state;
	body = json_pack("{s:s,s:s,s:[s,s]}", "name", "www.e.org.", "type",
	    "CNAME", "records", "a.e.org.", "b.e.org.");
	assert_int_equal(zvalid_rrset_body(body, NULL, &f), ZE_FAULT);
	assert_string_equal(f.type, "bad_request");
	assert_string_equal(f.message,
	    "CNAME recordsets may not have more than 1 record");
	json_decref(body);
	zfault_release(&f);
}

static void
every_listed_type_is_known(void **state)
{
	static const char *const types[] = {
		"A", "AAAA", "CNAME", "MX", "SRV", "TXT", "SPF", "NS", "PTR",
		"SSHFP", "SOA", "NAPTR", "CAA", "CERT", "HTTPS", "SVCB",
		"TLSA", NULL
	};
	struct zfault	f = ZFAULT_INIT;
	size_t		i;

	(void)state;
	for (i = 0; types[i] != NULL; i++)
		assert_int_equal(zvalid_type(types[i], &f), 0);
	assert_int_equal(zvalid_type("ANY", &f), ZE_FAULT);
	zfault_release(&f);
}

static void
wire_a_record(void **state)
{
	static const uint8_t want[] = {
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'o', 'r', 'g', 0,
		0, 1, 0, 1,		/* A IN */
		0, 0, 1, 44,		/* ttl 300 */
		0, 4, 192, 0, 2, 1
	};
	uint8_t	*out;
	size_t	 len;

	(void)state;
	assert_int_equal(zvalid_rr_wire("WWW.Example.ORG.", "A", 300,
	    "192.0.2.1", &out, &len), 0);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	free(out);
}

static void
wire_txt_semicolon_kept(void **state)
{
	uint8_t	*out;
	size_t	 len;

	(void)state;
	assert_int_equal(zvalid_rr_wire("t.example.", "TXT", 60, "abc;def",
	    &out, &len), 0);
	/* owner 11, type/class/ttl 8, rdlength 2, then 7 "abc;def" */
	assert_int_equal(len, 11 + 8 + 2 + 1 + 7);
	assert_memory_equal(out + 22, "abc;def", 7);
	free(out);
}

static void
wire_forms_ldns_lacks(void **state)
{
	uint8_t	*out;
	size_t	 len;

	(void)state;
	assert_int_equal(zvalid_rr_wire("e.org.", "CAA", 60,
	    "0 issue letsencrypt.org; account=1", &out, &len), 0);
	free(out);
	assert_int_equal(zvalid_rr_wire("e.org.", "CERT", 60,
	    "IPGP 0 ED448 AAAA", &out, &len), 0);
	free(out);
	assert_int_equal(zvalid_rr_wire("e.org.", "NAPTR", 60,
	    "100 10 S SIP+D2U " NAPTRR " _sip._udp.e.org.", &out, &len), 0);
	free(out);
	assert_int_equal(zvalid_rr_wire("_443._tcp.e.org.", "TLSA", 60,
	    "3 1 0 ( ab cd )", &out, &len), 0);
	free(out);
	assert_int_equal(zvalid_rr_wire("e.org.", "SOA", 60,
	    "ns1.e.org. joe.e.org. 1 3600 600 86400 3600", &out, &len), 0);
	free(out);
}

static void
wire_errors(void **state)
{
	uint8_t	*out;
	size_t	 len;

	(void)state;
	assert_int_equal(zvalid_rr_wire("e.org.", "A", 60, "1.2.3", &out,
	    &len), ZE_DNS);
	assert_null(out);
	assert_int_equal(zvalid_rr_wire("e.org", "A", 60, "192.0.2.1", &out,
	    &len), ZE_DNS);
	assert_int_equal(zvalid_rr_wire("e.org.", "NOPE", 60, "x", &out,
	    &len), ZE_DNS);
	assert_int_equal(zvalid_rr_wire("a b.e.org.", "A", 60, "192.0.2.1",
	    &out, &len), ZE_DNS);
	assert_int_equal(zvalid_rr_wire("e.org.", "MX", 60, "10 x. ; y",
	    &out, &len), ZE_DNS);
}

/*
 * Fixtures and main.
 */

static void
setup_strings(void)
{
	char	l62[70], l61[70], buf[300];

	fill(label63, 63, 'a');
	strlcat(label63, ".example.", sizeof(label63));
	fill(label64, 64, 'a');
	strlcat(label64, ".example.", sizeof(label64));
	/* 3 x (63 + 1) = 192, + 61 + 1 = 254 */
	fill(buf, 63, 'a');
	fill(l61, 61, 'b');
	fill(l62, 62, 'b');
	snprintf(name254, sizeof(name254), "%s.%s.%s.%s.", buf, buf, buf,
	    l61);
	snprintf(name255, sizeof(name255), "%s.%s.%s.%s.", buf, buf, buf,
	    l62);
	assert_int_equal(strlen(name254), 254);
	assert_int_equal(strlen(name255), 255);
	fill(buf, 244, 'j');
	snprintf(email256, sizeof(email256), "%s@example.org", buf);
	fill(desc160, 160, 'd');
	fill(desc161, 161, 'd');
	desc160u8[0] = '\0';
	while (strlen(desc160u8) < 320)
		strlcat(desc160u8, "\xc3\xa9", sizeof(desc160u8));
	fill(buf, 256, 't');
	snprintf(txt256q, sizeof(txt256q), "\"%s\"", buf);
	fill(txt300u, 300, 'u');
	fill(buf, 150, 's');
	snprintf(txt300split, sizeof(txt300split), "\"%s\" \"%s\"", buf,
	    buf);
	fill(hex128, 128, 'a');
	memcpy(hex128, "0123456789ABCDEFabcdef", 22);
	memcpy(hex64, hex128, 64);
	hex64[64] = '\0';
	fill(attr51, 51, 'v');
	snprintf(body_desc161, sizeof(body_desc161), "{\"name\":\"e.org.\","
	    "\"email\":\"a@e.org\",\"description\":\"%s\"}", desc161);
	snprintf(body_rdesc161, sizeof(body_rdesc161),
	    "{\"description\":\"%s\"}", desc161);
	snprintf(body_desc160u8, sizeof(body_desc160u8), "{\"name\":\"e.org."
	    "\",\"email\":\"a@e.org\",\"description\":\"%s\"}", desc160u8);
	snprintf(body_attr51, sizeof(body_attr51), "{\"name\":\"e.org.\","
	    "\"email\":\"a@e.org\",\"attributes\":{\"k\":\"%s\"}}", attr51);
}

static char *
shorten(const char *s)
{
	char	*o;
	size_t	 i, n = strlen(s);

	if ((o = malloc(48)) == NULL)
		return NULL;
	for (i = 0; i < n && i < 40; i++)
		o[i] = (s[i] == '\n') ? '~' : s[i];
	o[i] = '\0';
	if (n > 40)
		strlcat(o, "...", 48);
	return o;
}

/*
 * Admin object bodies (api-v2.md 10.1-10.3, 10.5): one test per kind,
 * each a table of bodies, whether they pass, and the path of the error.
 */
struct obody {
	const char	*body;
	const char	*cur;		/* NULL: a create */
	int		 ok;
	const char	*path;		/* errors[0].path[0], "" for none */
};

typedef int	(*obody_fn)(const json_t *, const json_t *, struct zfault *);

static void
obodies(const struct obody *t, size_t n, obody_fn fn)
{
	struct zfault	 f = ZFAULT_INIT;
	json_t		*b, *c, *p;
	json_error_t	 e;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++) {
		b = json_loads(t[i].body, JSON_DECODE_ANY, &e);
		c = t[i].cur != NULL ? json_loads(t[i].cur, 0, &e) : NULL;
		assert_non_null(b);
		rc = fn(b, c, &f);
		if ((rc == 0) != t[i].ok)
			fail_msg("%s: got %d (%s), expected %s", t[i].body, rc,
			    f.message, t[i].ok ? "ok" : "a fault");
		if (rc != 0) {
			assert_int_equal(f.status, 400);
			assert_string_equal(f.type, "invalid_object");
			p = json_array_get(json_object_get(json_array_get(
			    f.errors, 0), "path"), 0);
			if (strcmp(json_string_value(p) != NULL ?
			    json_string_value(p) : "", t[i].path) != 0)
				fail_msg("%s: error path %s, expected %s",
				    t[i].body, json_string_value(p), t[i].path);
		}
		zfault_release(&f);
		json_decref(b);
		json_decref(c);
	}
}

static int
quota_fn(const json_t *b, const json_t *c, struct zfault *f)
{
	(void)c;
	return zvalid_quota_body(b, f);
}

static void
tld_bodies(void **state)
{
	static const struct obody t[] = {
		{ "{\"name\":\"com\"}", NULL, 1, "" },
		{ "{\"name\":\"co.uk\",\"description\":null}", NULL, 1, "" },
		{ "{\"name\":\"xn--p1ai\"}", NULL, 1, "" },
		{ "{\"name\":\"com.\"}", NULL, 0, "name" },
		{ "{\"name\":\"\"}", NULL, 0, "name" },
		{ "{\"name\":\"-a\"}", NULL, 0, "name" },
		{ "{\"name\":\"a-\"}", NULL, 0, "name" },
		{ "{\"name\":\"a..b\"}", NULL, 0, "name" },
		{ "{\"name\":\".a\"}", NULL, 0, "name" },
		{ "{\"name\":\"a b\"}", NULL, 0, "name" },
		{ "{\"name\":1}", NULL, 0, "name" },
		{ "{}", NULL, 0, "name" },
		{ "{\"name\":\"a\",\"x\":1}", NULL, 0, "" },
		{ "[]", NULL, 0, "" },
		{ "{\"description\":\"d\"}", "{\"id\":\"i\",\"name\":\"a\"}", 1,
		    "" },
		{ "{\"id\":\"i\"}", "{\"id\":\"i\",\"name\":\"a\"}", 1, "" },
		{ "{\"id\":\"j\"}", "{\"id\":\"i\",\"name\":\"a\"}", 0, "id" },
		{ "{\"description\":7}", "{\"id\":\"i\",\"name\":\"a\"}", 0,
		    "description" },
	};

	(void)state;
	obodies(t, sizeof(t) / sizeof(t[0]), zvalid_tld_body);
}

static void
blacklist_bodies(void **state)
{
	static const struct obody t[] = {
		{ "{\"pattern\":\"^evil\\\\.\"}", NULL, 1, "" },
		{ "{\"pattern\":\".*\\\\.example\\\\.com\\\\.$\"}", NULL, 1,
		    "" },
		{ "{\"pattern\":\"(a|b)+c{1,3}[[:digit:]]\"}", NULL, 1, "" },
		{ "{\"pattern\":\"(\"}", NULL, 0, "pattern" },
		{ "{\"pattern\":\"[a-\"}", NULL, 0, "pattern" },
		{ "{\"pattern\":\"a{2,1}\"}", NULL, 0, "pattern" },
		{ "{\"pattern\":\"*a\"}", NULL, 0, "pattern" },
		{ "{\"pattern\":\"(?i)a\"}", NULL, 0, "pattern" },
		{ "{\"pattern\":\"\"}", NULL, 0, "pattern" },
		{ "{\"pattern\":null}", NULL, 0, "pattern" },
		{ "{}", NULL, 0, "pattern" },
		{ "{\"pattern\":\"a\",\"name\":\"b\"}", NULL, 0, "" },
		{ "{\"description\":\"d\"}", "{\"id\":\"i\",\"pattern\":\"a\"}",
		    1, "" },
	};

	(void)state;
	obodies(t, sizeof(t) / sizeof(t[0]), zvalid_blacklist_body);
}

#define TK(n, a, s, sc, r)						\
	"{\"name\":\"" n "\",\"algorithm\":\"" a "\",\"secret\":\"" s	\
	"\",\"scope\":\"" sc "\",\"resource_id\":\"" r "\"}"
#define U1	"794ccc2c-d751-44fe-b57f-8894c9f5c842"

static void
tsigkey_bodies(void **state)
{
	static const struct obody t[] = {
		{ TK("k", "hmac-sha256", "c2VjcmV0", "POOL", U1), NULL, 1, "" },
		{ TK("k.example.", "hmac-md5", "YQ==", "ZONE", U1), NULL, 1,
		    "" },
		{ TK("k", "hmac-sha3", "c2VjcmV0", "POOL", U1), NULL, 0,
		    "algorithm" },
		{ TK("Example tsigkey", "hmac-sha256", "SomeSecretKey", "POOL",
		    U1), NULL, 1, "" },
		{ TK("k", "hmac-sha256", "a\\nb", "POOL", U1), NULL, 0,
		    "secret" },
		{ TK("k", "hmac-sha256", "", "POOL", U1), NULL, 0, "secret" },
		{ TK("k", "hmac-sha256", "c2VjcmV0", "TENANT", U1), NULL, 0,
		    "scope" },
		{ TK("k", "hmac-sha256", "c2VjcmV0", "POOL", "x"), NULL, 0,
		    "resource_id" },
		{ TK("a\\tkey", "hmac-sha256", "c2VjcmV0", "POOL", U1), NULL, 0,
		    "name" },
		{ "{\"name\":\"k\",\"algorithm\":\"hmac-sha1\",\"secret\":"
		    "\"YQ==\",\"scope\":\"POOL\"}", NULL, 0, "resource_id" },
		{ "{\"secret\":\"YWJj\"}", "{\"id\":\"i\",\"name\":\"k\"}", 1,
		    "" },
		{ "{\"scope\":\"zone\"}", "{\"id\":\"i\",\"name\":\"k\"}", 0,
		    "scope" },
	};

	(void)state;
	obodies(t, sizeof(t) / sizeof(t[0]), zvalid_tsigkey_body);
}

static void
quota_bodies(void **state)
{
	static const struct obody t[] = {
		{ "{}", NULL, 1, "" },
		{ "{\"zones\":-1,\"zone_recordsets\":0}", NULL, 1, "" },
		{ "{\"api_export_size\":2147483647}", NULL, 1, "" },
		{ "{\"zones\":-2}", NULL, 0, "zones" },
		{ "{\"zones\":2147483648}", NULL, 0, "zones" },
		{ "{\"zones\":\"1\"}", NULL, 0, "zones" },
		{ "{\"zones\":1.0}", NULL, 0, "zones" },
		{ "{\"zones\":false}", NULL, 0, "zones" },
		{ "{\"domains\":1}", NULL, 0, "" },
		{ "[]", NULL, 0, "" },
	};

	(void)state;
	obodies(t, sizeof(t) / sizeof(t[0]), quota_fn);
}

int
main(void)
{
	static const struct CMUnitTest singles[] = {
		cmocka_unit_test(bad_a_matches_designate),
		cmocka_unit_test(no_email_matches_designate),
		cmocka_unit_test(unknown_key_message),
		cmocka_unit_test(cname_multiple_message),
		cmocka_unit_test(every_listed_type_is_known),
		cmocka_unit_test(wire_a_record),
		cmocka_unit_test(wire_txt_semicolon_kept),
		cmocka_unit_test(wire_forms_ldns_lacks),
		cmocka_unit_test(wire_errors),
		cmocka_unit_test(tld_bodies),
		cmocka_unit_test(blacklist_bodies),
		cmocka_unit_test(tsigkey_bodies),
		cmocka_unit_test(quota_bodies),
	};
	static const char *const kinds[] = { "zone name", "rrset name",
	    "email" };
	struct CMUnitTest	*tests;
	char			*s, name[160];
	size_t			 i, n = 0, total;
	int			 rc;

	setup_strings();
	total = sizeof(names) / sizeof(names[0]) +
	    sizeof(records) / sizeof(records[0]) +
	    sizeof(bodies) / sizeof(bodies[0]) +
	    sizeof(singles) / sizeof(singles[0]);
	if ((tests = calloc(total, sizeof(*tests))) == NULL)
		return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		s = shorten(names[i].in);
		snprintf(name, sizeof(name), "%s '%s' %s", kinds[names[i].kind],
		    s, names[i].ok ? "is accepted" : "is rejected");
		free(s);
		tests[n].name = strdup(name);
		tests[n].test_func = name_case;
		tests[n].initial_state = (void *)(uintptr_t)&names[i];
		n++;
	}
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		s = shorten(records[i].data);
		snprintf(name, sizeof(name), "record %s '%s' %s",
		    records[i].type, s,
		    records[i].ok ? "is accepted" : "is rejected");
		free(s);
		tests[n].name = strdup(name);
		tests[n].test_func = record_case;
		tests[n].initial_state = (void *)(uintptr_t)&records[i];
		n++;
	}
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		snprintf(name, sizeof(name), "%s %s", bodies[i].desc,
		    bodies[i].etype == NULL ? "is accepted" : "is rejected");
		tests[n].name = strdup(name);
		tests[n].test_func = body_case;
		tests[n].initial_state = (void *)(uintptr_t)&bodies[i];
		n++;
	}
	for (i = 0; i < sizeof(singles) / sizeof(singles[0]); i++)
		tests[n++] = singles[i];

	cmocka_set_message_output(CM_OUTPUT_TAP);
	rc = _cmocka_run_group_tests("zvalid", tests, n, NULL, NULL);
	for (i = 0; i < n - sizeof(singles) / sizeof(singles[0]); i++)
		free((char *)(uintptr_t)tests[i].name);
	free(tests);
	return rc;
}
