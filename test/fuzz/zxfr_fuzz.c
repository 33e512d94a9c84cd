/*
 * libFuzzer harness over zxfr_answer: any bytes as a query, over UDP
 * or TCP (the first byte decides), from an allowed source or not,
 * against a small view with a plain zone, a zone whose pool wants TSIG
 * and a catalog zone.
 *
 * Built by `make fuzz' with clang -fsanitize=fuzzer,address,undefined
 * from this file and every source of lib/.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zview.h"
#include "zxfr.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define P1 "aaaaaaaa-1111-4111-8111-111111111111"
#define P2 "bbbbbbbb-2222-4222-8222-222222222222"
#define Z1 "11111111-1111-4111-8111-111111111111"
#define Z2 "22222222-2222-4222-8222-222222222222"

static const char *msgs[] = {
	"{\"pool\":{\"id\":\"" P1 "\",\"ns_records\":[{\"hostname\":"
	    "\"ns1.example.net.\",\"priority\":1}],\"catalog_zone\":{\"fqdn\":"
	    "\"cat.test.\",\"refresh\":30},\"tsig_keys\":[]}}",
	"{\"pool\":{\"id\":\"" P2 "\",\"tsig_keys\":[{\"name\":\"k\","
	    "\"algorithm\":\"hmac-sha256\",\"secret\":\"c2VjcmV0\"}]}}",
	"{\"zone_id\":\"" Z1 "\",\"zone\":{\"id\":\"" Z1 "\",\"name\":"
	    "\"example.test.\",\"pool_id\":\"" P1 "\",\"ttl\":60,\"serial\":1},"
	    "\"rrsets_put\":[{\"id\":\"a\",\"zone_id\":\"" Z1 "\",\"name\":"
	    "\"example.test.\",\"type\":\"SOA\",\"ttl\":null,\"records\":"
	    "[\"ns1.example.net. h.example.net. 1 60 60 60 60\"]},{\"id\":\"b\","
	    "\"zone_id\":\"" Z1 "\",\"name\":\"www.example.test.\",\"type\":\"A\","
	    "\"ttl\":null,\"records\":[\"192.0.2.1\"]}]}",
	"{\"zone_id\":\"" Z1 "\",\"zone\":{\"id\":\"" Z1 "\",\"name\":"
	    "\"example.test.\",\"pool_id\":\"" P1 "\",\"ttl\":60,\"serial\":2},"
	    "\"rrsets_put\":[{\"id\":\"a\",\"zone_id\":\"" Z1 "\",\"name\":"
	    "\"example.test.\",\"type\":\"SOA\",\"ttl\":null,\"records\":"
	    "[\"ns1.example.net. h.example.net. 2 60 60 60 60\"]},{\"id\":\"c\","
	    "\"zone_id\":\"" Z1 "\",\"name\":\"example.test.\",\"type\":\"MX\","
	    "\"ttl\":null,\"records\":[\"10 mx.example.test.\"]}]}",
	"{\"zone_id\":\"" Z2 "\",\"zone\":{\"id\":\"" Z2 "\",\"name\":"
	    "\"secure.test.\",\"pool_id\":\"" P2 "\",\"ttl\":60,\"serial\":5},"
	    "\"rrsets_put\":[{\"id\":\"d\",\"zone_id\":\"" Z2 "\",\"name\":"
	    "\"secure.test.\",\"type\":\"SOA\",\"ttl\":null,\"records\":"
	    "[\"ns1.example.net. h.example.net. 5 60 60 60 60\"]}]}",
};

static struct zview	view;
static struct zxfr	xfr;
static struct zxfr_out	out = ZXFR_OUT_INIT;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct zview_msg	m[sizeof(msgs) / sizeof(msgs[0])];
	char			dir[] = "/tmp/zxfr-fuzzXXXXXX";
	uint64_t		applied;
	size_t			i;

	(void)argc;
	(void)argv;
	if (mkdtemp(dir) == NULL || zview_open(&view, dir, 16) < 0)
		abort();
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		m[i].seq = i + 1;
		m[i].data = msgs[i];
		m[i].len = strlen(msgs[i]);
	}
	if (zview_apply(&view, m, sizeof(m) / sizeof(m[0]), &applied) < 0 ||
	    zxfr_init(&xfr, &view, "127.0.0.0/8", 1024) < 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in	sin;

	if (size < 1)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl((data[0] & 2) ? 0x7f000001 : 0xc0000201);
	(void)zxfr_answer(&xfr, data + 1, size - 1, data[0] & 1,
	    (data[0] & 4) ? NULL : (struct sockaddr *)&sin, &out);
	return 0;
}
