/*
 * test/bench/dnsbench.c: the client side of test/bench/dns.sh.
 *
 * Built by dns.sh with
 *	cc -O2 -o $T/dnsbench dnsbench.c -lcurl -lpthread
 *
 *   dnsbench prop URL PROJECT ZONE_ID ZONE N MODE PREFIX PORT...
 *	N recordset creates (A, distinct names PREFIX-i.ZONE) in one zone
 *	through the API, one client.  t0 is when the 202 returns; then each
 *	PORT (127.0.0.1) gets "PREFIX-i.ZONE A" every millisecond until it
 *	answers with a record; t1 - t0 per port.  MODE: "wait" (the next
 *	create once the last PORT has answered), or a number of
 *	milliseconds between the 202 and the next create (0: back to back;
 *	the answers are then awaited in parallel).  Since the creates are
 *	sequential, the serials of their changes rise, so only the oldest
 *	unanswered name of each port is polled.  Prints one line per change
 *	("i t0 api_us port1_us port2_us ...": t0 in Unix seconds, the rest
 *	in microseconds, -1 = not answered in 10 s) on
 *	stdout and a summary line "RESULT ..." last.
 *
 *   dnsbench zones URL PROJECT N CONC PREFIX [PORT...]
 *	N zone creates PREFIX-i.bench.test. with CONC clients (threads, each
 *	a keep-alive connection); then the SOA of every zone is asked of
 *	every PORT, again and again (a sweep every 20 ms over the zones not
 *	yet served), until each one is served with AA.  Prints
 *	"RESULT creates=N failed=F api_s=S port=P all_s=S ..." (seconds
 *	from the first create).
 *
 *   dnsbench post URL PROJECT CONC <BODIES
 *	POST each line of BODIES to URL with CONC clients; prints
 *	"RESULT posts=N failed=F s=S" and the first failure's answer.
 *
 *   dnsbench axfr PORT ZONE
 *	One AXFR over TCP; prints "RESULT ms=M bytes=B messages=M rrs=R".
 *	Only the records' headers are walked (until the closing SOA).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXPORTS 8

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
die(const char *m)
{
	fprintf(stderr, "dnsbench: %s: %s\n", m, strerror(errno));
	exit(1);
}

/* ------------------------------------------------------------ DNS */

/* build_query: a query (RD off) for NAME/QTYPE with id ID; its length. */
static int
build_query(uint8_t *b, uint16_t id, const char *name, uint16_t qtype)
{
	int n = 12;
	const char *p = name;

	memset(b, 0, 12);
	b[0] = id >> 8;
	b[1] = id & 0xff;
	b[5] = 1;			/* qdcount */
	while (*p) {
		const char *dot = strchr(p, '.');
		int l = dot ? (int)(dot - p) : (int)strlen(p);

		if (l == 0)
			break;
		b[n++] = (uint8_t)l;
		memcpy(b + n, p, l);
		n += l;
		p += l;
		if (*p == '.')
			p++;
	}
	b[n++] = 0;
	b[n++] = qtype >> 8;
	b[n++] = qtype & 0xff;
	b[n++] = 0;
	b[n++] = 1;			/* IN */
	return n;
}

/* positive: a response with AA, NOERROR and an answer. */
static int
positive(const uint8_t *b, ssize_t n)
{
	if (n < 12 || !(b[2] & 0x80))
		return 0;
	return (b[2] & 0x04) && (b[3] & 0x0f) == 0 && (b[6] << 8 | b[7]) > 0;
}

static int
udp_socket(int port, struct sockaddr_in *sa)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	if (s < 0)
		die("socket");
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)sa, sizeof(*sa)) < 0)
		die("connect");
	return s;
}

/* ------------------------------------------------------------ HTTP */

static size_t
sink(char *p, size_t sz, size_t n, void *u)
{
	(void)p;
	(void)u;
	return sz * n;
}

static CURL *
http_new(const char *project, struct curl_slist **hdrs)
{
	CURL *c = curl_easy_init();
	char h[256];

	if (c == NULL)
		die("curl_easy_init");
	snprintf(h, sizeof(h), "X-Auth-Project-ID: %s", project);
	*hdrs = curl_slist_append(NULL, h);
	*hdrs = curl_slist_append(*hdrs, "Content-Type: application/json");
	*hdrs = curl_slist_append(*hdrs, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	return c;
}

/* http_post: POST BODY to URL; the HTTP status (0 on a transport error). */
static long
http_post(CURL *c, const char *url, const char *body)
{
	long code = 0;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (curl_easy_perform(c) != CURLE_OK)
		return 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

/* ------------------------------------------------------------ prop */

static struct {
	int n, nports;
	int ports[MAXPORTS];
	const char *zone, *prefix;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int posted;		/* changes whose 202 has returned */
	int stop;
	int64_t *t0;		/* per change: when the 202 returned */
	int64_t *t1[MAXPORTS];	/* per change and port: first answer, or -1 */
	int oldest[MAXPORTS];	/* per port: oldest change not answered */
} P;

#define PROP_TIMEOUT_US 10000000

static void *
prop_poller(void *arg)
{
	int s[MAXPORTS];
	struct sockaddr_in sa;
	struct pollfd pf[MAXPORTS];
	int64_t sent[MAXPORTS];
	uint8_t q[512], r[4096];
	char name[512];
	int i;

	(void)arg;
	for (i = 0; i < P.nports; i++) {
		s[i] = udp_socket(P.ports[i], &sa);
		pf[i].fd = s[i];
		pf[i].events = POLLIN;
		sent[i] = 0;
	}
	for (;;) {
		int posted, done = 1;
		int64_t now = now_us(), next = now + 1000;

		pthread_mutex_lock(&P.mu);
		posted = P.posted;
		if (P.stop && posted == P.n) {
			for (i = 0; i < P.nports; i++)
				if (P.oldest[i] < P.n)
					done = 0;
			if (done) {
				pthread_mutex_unlock(&P.mu);
				break;
			}
		}
		pthread_mutex_unlock(&P.mu);
		for (i = 0; i < P.nports; i++) {
			int k = P.oldest[i];

			if (k >= posted)
				continue;
			if (now - P.t0[k] > PROP_TIMEOUT_US) {
				pthread_mutex_lock(&P.mu);
				P.t1[i][k] = -1;
				P.oldest[i]++;
				pthread_cond_broadcast(&P.cv);
				pthread_mutex_unlock(&P.mu);
				sent[i] = 0;
				continue;
			}
			if (now - sent[i] >= 1000) {
				int ql;

				snprintf(name, sizeof(name), "%s-%d.%s",
				    P.prefix, k, P.zone);
				ql = build_query(q, (uint16_t)k, name, 1);
				send(s[i], q, ql, 0);
				sent[i] = now;
			}
		}
		/* Wait for answers until the next millisecond tick. */
		while ((now = now_us()) < next) {
			int w = (int)((next - now + 999) / 1000), any = 0;

			if (poll(pf, P.nports, w) <= 0)
				break;
			for (i = 0; i < P.nports; i++) {
				ssize_t n;

				if (!(pf[i].revents & POLLIN))
					continue;
				while ((n = recv(s[i], r, sizeof(r), 0)) > 0) {
					int k = P.oldest[i];

					if (n < 12 || (r[0] << 8 | r[1]) !=
					    (uint16_t)k || k >= P.n)
						continue;
					if (!positive(r, n))
						continue;
					pthread_mutex_lock(&P.mu);
					P.t1[i][k] = now_us();
					P.oldest[i]++;
					pthread_cond_broadcast(&P.cv);
					pthread_mutex_unlock(&P.mu);
					sent[i] = 0;
					any = 1;
				}
			}
			if (any)	/* ask for the next one at once */
				break;
		}
	}
	for (i = 0; i < P.nports; i++)
		close(s[i]);
	return NULL;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* pct: the P-th percentile (nearest rank) of the N values of V, sorted. */
static double
pct(int64_t *v, int n, double p)
{
	int k;

	if (n == 0)
		return -1;
	k = (int)(p / 100.0 * n + 0.999999) - 1;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k] / 1000.0;
}

static int
cmd_prop(int argc, char **argv)
{
	const char *url, *project, *zid, *mode;
	char purl[1024], body[1024], name[512];
	struct curl_slist *hdrs;
	pthread_t th;
	int64_t *api, *v, wall0;
	int i, j, spacing = -1, fails = 0;
	CURL *c;

	if (argc < 9)
		return 64;
	url = argv[1];
	project = argv[2];
	zid = argv[3];
	P.zone = argv[4];
	P.n = atoi(argv[5]);
	mode = argv[6];
	P.prefix = argv[7];
	if (strcmp(mode, "wait") != 0)
		spacing = atoi(mode);
	for (i = 8; i < argc && P.nports < MAXPORTS; i++)
		P.ports[P.nports++] = atoi(argv[i]);
	P.t0 = calloc(P.n, sizeof(int64_t));
	api = calloc(P.n, sizeof(int64_t));
	v = calloc(P.n, sizeof(int64_t));
	for (j = 0; j < P.nports; j++)
		P.t1[j] = calloc(P.n, sizeof(int64_t));
	pthread_mutex_init(&P.mu, NULL);
	pthread_cond_init(&P.cv, NULL);
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		wall0 = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 -
		    now_us();
	}
	snprintf(purl, sizeof(purl), "%s/v2/zones/%s/recordsets", url, zid);
	c = http_new(project, &hdrs);
	if (pthread_create(&th, NULL, prop_poller, NULL) != 0)
		die("pthread_create");
	for (i = 0; i < P.n; i++) {
		int64_t a;
		long code;

		snprintf(name, sizeof(name), "%s-%d.%s", P.prefix, i, P.zone);
		snprintf(body, sizeof(body),
		    "{\"name\":\"%s\",\"type\":\"A\",\"records\":[\"192.0.2.%d\"]}",
		    name, i % 250 + 1);
		a = now_us();
		code = http_post(c, purl, body);
		P.t0[i] = now_us();
		api[i] = P.t0[i] - a;
		if (code != 202) {
			fprintf(stderr, "dnsbench: POST %s: %ld\n", name, code);
			fails++;
		}
		pthread_mutex_lock(&P.mu);
		P.posted = i + 1;
		if (spacing < 0)
			for (j = 0; j < P.nports; j++)
				while (P.oldest[j] <= i)
					pthread_cond_wait(&P.cv, &P.mu);
		pthread_mutex_unlock(&P.mu);
		if (spacing > 0)
			usleep(spacing * 1000);
	}
	pthread_mutex_lock(&P.mu);
	P.stop = 1;
	pthread_mutex_unlock(&P.mu);
	pthread_join(th, NULL);

	for (i = 0; i < P.n; i++) {
		printf("%d %.3f %lld", i, (P.t0[i] + wall0) / 1e6,
		    (long long)api[i]);
		for (j = 0; j < P.nports; j++)
			printf(" %lld", P.t1[j][i] < 0 ? -1LL :
			    (long long)(P.t1[j][i] - P.t0[i]));
		printf("\n");
	}
	qsort(api, P.n, sizeof(int64_t), cmp64);
	printf("RESULT n=%d failed=%d api_p50=%.2f api_p99=%.2f",
	    P.n, fails, pct(api, P.n, 50), pct(api, P.n, 99));
	for (j = 0; j < P.nports; j++) {
		int m = 0, lost = 0;

		for (i = 0; i < P.n; i++) {
			if (P.t1[j][i] < 0)
				lost++;
			else
				v[m++] = P.t1[j][i] - P.t0[i];
		}
		qsort(v, m, sizeof(int64_t), cmp64);
		printf(" port%d=%d p50=%.2f p99=%.2f max=%.2f lost=%d", j,
		    P.ports[j], pct(v, m, 50), pct(v, m, 99),
		    pct(v, m, 100), lost);
	}
	printf("\n");
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	return 0;
}

/* ------------------------------------------------------------ zones */

static struct {
	const char *url, *project, *prefix;
	int n;
	int next;
	int failed;
	pthread_mutex_t mu;
} Z;

static void *
zones_client(void *arg)
{
	struct curl_slist *hdrs;
	char purl[1024], body[1024];
	CURL *c = http_new(Z.project, &hdrs);

	(void)arg;
	snprintf(purl, sizeof(purl), "%s/v2/zones", Z.url);
	for (;;) {
		int i = __atomic_fetch_add(&Z.next, 1, __ATOMIC_SEQ_CST);

		if (i >= Z.n)
			break;
		snprintf(body, sizeof(body), "{\"name\":\"%s-%d.bench.test.\","
		    "\"email\":\"h@bench.test\",\"ttl\":300}", Z.prefix, i);
		if (http_post(c, purl, body) != 202)
			__atomic_fetch_add(&Z.failed, 1, __ATOMIC_SEQ_CST);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	return NULL;
}

/* served: ask PORT for the SOA of every zone not yet served by it, in
 * windows of 64 queries in flight; mark those answered.  The count left. */
static int
sweep(int s, const char *prefix, int n, char *ok)
{
	uint8_t q[512], r[4096];
	char name[512];
	int i = 0, left = 0, inflight = 0;
	int64_t deadline;

	for (;;) {
		while (i < n && inflight < 64) {
			if (!ok[i]) {
				int ql;

				snprintf(name, sizeof(name), "%s-%d.bench.test.",
				    prefix, i);
				ql = build_query(q, (uint16_t)i, name, 6);
				if (send(s, q, ql, 0) < 0)
					break;
				inflight++;
			}
			i++;
		}
		if (inflight == 0)
			break;
		deadline = now_us() + 50000;
		/* Drain until this window is answered (or 50 ms). */
		while (inflight > 0 && now_us() < deadline) {
			struct pollfd pf = { s, POLLIN, 0 };
			ssize_t m;

			if (poll(&pf, 1, 5) <= 0)
				continue;
			while ((m = recv(s, r, sizeof(r), 0)) > 0) {
				int k = r[0] << 8 | r[1];

				if (inflight > 0)
					inflight--;
				if (k < n && positive(r, m))
					ok[k] = 1;
			}
		}
		inflight = 0;	/* lost ones are asked again in the next sweep */
	}
	for (i = 0; i < n; i++)
		if (!ok[i])
			left++;
	return left;
}

static int
cmd_zones(int argc, char **argv)
{
	int conc, nports = 0, ports[MAXPORTS], socks[MAXPORTS], left[MAXPORTS];
	int64_t t0, tapi, tall[MAXPORTS];
	char *ok[MAXPORTS];
	pthread_t th[64];
	struct sockaddr_in sa;
	int i, pending;

	if (argc < 6)
		return 64;
	Z.url = argv[1];
	Z.project = argv[2];
	Z.n = atoi(argv[3]);
	conc = atoi(argv[4]);
	Z.prefix = argv[5];
	if (conc < 1 || conc > 64 || Z.n > 65535)
		return 64;
	for (i = 6; i < argc && nports < MAXPORTS; i++) {
		ports[nports] = atoi(argv[i]);
		socks[nports] = udp_socket(ports[nports], &sa);
		ok[nports] = calloc(Z.n, 1);
		left[nports] = Z.n;
		tall[nports] = -1;
		nports++;
	}
	t0 = now_us();
	for (i = 0; i < conc; i++)
		pthread_create(&th[i], NULL, zones_client, NULL);
	for (i = 0; i < conc; i++)
		pthread_join(th[i], NULL);
	tapi = now_us();
	do {
		int64_t s = now_us();

		pending = 0;
		for (i = 0; i < nports; i++) {
			if (left[i] == 0)
				continue;
			left[i] = sweep(socks[i], Z.prefix, Z.n, ok[i]);
			if (left[i] == 0)
				tall[i] = now_us();
			else
				pending++;
		}
		if (now_us() - t0 > 120000000)
			break;
		if (pending && now_us() - s < 20000)
			usleep(20000 - (now_us() - s));
	} while (pending);
	printf("RESULT creates=%d failed=%d api_s=%.3f", Z.n, Z.failed,
	    (tapi - t0) / 1e6);
	for (i = 0; i < nports; i++)
		printf(" port%d=%d all_s=%.3f left=%d", i, ports[i],
		    tall[i] < 0 ? -1.0 : (tall[i] - t0) / 1e6, left[i]);
	printf("\n");
	return 0;
}

/* ------------------------------------------------------------ post */

static struct {
	const char *url, *project;
	char **lines;
	int n, next, failed;
} B;

static size_t
keep_first(char *p, size_t sz, size_t n, void *u)
{
	fwrite(p, sz, n, (FILE *)u);
	return sz * n;
}

static void *
post_client(void *arg)
{
	struct curl_slist *hdrs;
	CURL *c = http_new(B.project, &hdrs);

	(void)arg;
	for (;;) {
		int i = __atomic_fetch_add(&B.next, 1, __ATOMIC_SEQ_CST);
		long code;

		if (i >= B.n)
			break;
		code = http_post(c, B.url, B.lines[i]);
		if (code != 202 && code != 201 &&
		    __atomic_fetch_add(&B.failed, 1, __ATOMIC_SEQ_CST) == 0) {
			fprintf(stderr, "dnsbench: POST line %d: %ld ", i + 1, code);
			curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_first);
			curl_easy_setopt(c, CURLOPT_WRITEDATA, stderr);
			http_post(c, B.url, B.lines[i]);
			curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
			fprintf(stderr, "\n");
		}
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	return NULL;
}

static int
cmd_post(int argc, char **argv)
{
	pthread_t th[64];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int i, conc, alloc = 0;
	int64_t t0;

	if (argc < 4)
		return 64;
	B.url = argv[1];
	B.project = argv[2];
	conc = atoi(argv[3]);
	if (conc < 1 || conc > 64)
		return 64;
	while ((len = getline(&line, &cap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = 0;
		if (B.n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			B.lines = realloc(B.lines, alloc * sizeof(char *));
		}
		B.lines[B.n++] = strdup(line);
	}
	t0 = now_us();
	for (i = 0; i < conc; i++)
		pthread_create(&th[i], NULL, post_client, NULL);
	for (i = 0; i < conc; i++)
		pthread_join(th[i], NULL);
	printf("RESULT posts=%d failed=%d s=%.3f\n", B.n, B.failed,
	    (now_us() - t0) / 1e6);
	return B.failed ? 1 : 0;
}

/* ------------------------------------------------------------ axfr */

static int
readn(int s, uint8_t *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(s, b + got, n - got);

		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

/* skip_name: the offset after the (possibly compressed) name at OFF. */
static int
skip_name(const uint8_t *b, int n, int off)
{
	while (off < n) {
		if (b[off] == 0)
			return off + 1;
		if ((b[off] & 0xc0) == 0xc0)
			return off + 2;
		off += b[off] + 1;
	}
	return -1;
}

static int
cmd_axfr(int argc, char **argv)
{
	struct sockaddr_in sa;
	uint8_t q[514], *m = malloc(65536);
	int s, ql, soas = 0, one = 1;
	long bytes = 0, msgs = 0, rrs = 0;
	int64_t t0, t1;

	if (argc < 3)
		return 64;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	t0 = now_us();
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	ql = build_query(q + 2, 0x4242, argv[2], 252);
	q[0] = ql >> 8;
	q[1] = ql & 0xff;
	if (write(s, q, ql + 2) != ql + 2)
		die("write");
	while (soas < 2) {
		uint8_t l[2];
		int len, off, qd, an, k;

		if (readn(s, l, 2) < 0) {
			fprintf(stderr, "dnsbench: AXFR cut short\n");
			return 1;
		}
		len = l[0] << 8 | l[1];
		if (readn(s, m, len) < 0 || len < 12) {
			fprintf(stderr, "dnsbench: AXFR cut short\n");
			return 1;
		}
		bytes += len + 2;
		msgs++;
		if ((m[3] & 0x0f) != 0) {
			fprintf(stderr, "dnsbench: AXFR rcode %d\n", m[3] & 0x0f);
			return 1;
		}
		qd = m[4] << 8 | m[5];
		an = m[6] << 8 | m[7];
		off = 12;
		for (k = 0; k < qd && off > 0; k++) {
			off = skip_name(m, len, off);
			off += 4;
		}
		for (k = 0; k < an && off > 0 && off + 10 <= len + 0; k++) {
			int type;

			off = skip_name(m, len, off);
			if (off < 0 || off + 10 > len)
				break;
			type = m[off] << 8 | m[off + 1];
			off += 10 + (m[off + 8] << 8 | m[off + 9]);
			rrs++;
			if (type == 6)
				soas++;
		}
	}
	t1 = now_us();
	close(s);
	printf("RESULT ms=%.2f bytes=%ld messages=%ld rrs=%ld\n",
	    (t1 - t0) / 1000.0, bytes, msgs, rrs);
	return 0;
}

int
main(int argc, char **argv)
{
	int rc = 64;

	setvbuf(stdout, NULL, _IOLBF, 0);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (argc >= 2 && strcmp(argv[1], "prop") == 0)
		rc = cmd_prop(argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "zones") == 0)
		rc = cmd_zones(argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "post") == 0)
		rc = cmd_post(argc - 1, argv + 1);
	else if (argc >= 2 && strcmp(argv[1], "axfr") == 0)
		rc = cmd_axfr(argc - 1, argv + 1);
	if (rc == 64)
		fprintf(stderr, "usage: dnsbench prop URL PROJECT ZONE_ID ZONE N "
		    "wait|MS PREFIX PORT...\n"
		    "       dnsbench zones URL PROJECT N CONC PREFIX [PORT...]\n"
		    "       dnsbench post URL PROJECT CONC <BODIES\n"
		    "       dnsbench axfr PORT ZONE\n");
	curl_global_cleanup();
	return rc;
}
