/*
 * zlockctl KEY OWNER STEP...: drives one zkv lock step by step for
 * test/t/5030-zkv-lock.t; one output line per step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zcfg.h"
#include "zerr.h"
#include "zkv.h"
#include "znats.h"

static const char *
res(int rc)
{
	return rc == 0 ? "ok" : rc == ZE_EXISTS ? "exists" :
	    rc == ZE_CONFLICT ? "conflict" : zerr_str(rc);
}

int
main(int argc, char *argv[])
{
	struct zcfg	cfg = ZCFG_INIT;
	struct znats	z = ZNATS_INIT;
	struct zkv_lock	l;
	kvEntry		*e;
	int64_t		t0, ms, last;
	int		i, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3 || zcfg_load(&cfg) < 0 || znats_connect(&z, &cfg,
	    "zlockctl") < 0 || (rc = zkv_lock_open(&l, &z, &cfg, argv[1],
	    argv[2])) < 0)
		return 69;
	for (i = 3; i < argc; i++) {
		char	*a = argv[i], *c = strchr(a, ':');

		ms = c != NULL ? atoll(c + 1) : 0;
		t0 = zkv_now_ms();
		if (strcmp(a, "take") == 0)
			printf("take %s\n", res(zkv_lock_take(&l)));
		else if (strcmp(a, "renew") == 0)
			printf("renew %s\n", res(zkv_lock_renew(&l)));
		else if (strcmp(a, "release") == 0)
			printf("release %s\n", res(zkv_lock_release(&l)));
		else if (strncmp(a, "sleep:", 6) == 0)
			usleep((useconds_t)ms * 1000);
		else if (strncmp(a, "hold:", 5) == 0) {
			/* "lost" with the time of the last "held" verdict */
			last = t0;
			while (zkv_now_ms() - t0 < ms &&
			    zkv_lock_tick(&l, zkv_now_ms())) {
				last = zkv_now_ms();
				usleep(100000);
			}
			if (zkv_lock_held(&l, zkv_now_ms()))
				printf("hold held\n");
			else
				printf("hold lost %lld\n",
				    (long long)(last - t0));
		} else if (strncmp(a, "waittake:", 9) == 0) {
			while (!zkv_lock_tick(&l, zkv_now_ms()) &&
			    zkv_now_ms() - t0 < ms)
				usleep(50000);
			if (zkv_lock_held(&l, zkv_now_ms()))
				printf("waittake ok %lld\n",
				    (long long)(zkv_now_ms() - t0));
			else
				printf("waittake timeout\n");
		} else if (strcmp(a, "get") == 0) {
			e = NULL;
			if (kvStore_Get(&e, l.kv, l.key) == NATS_OK)
				printf("get %s\n", kvEntry_ValueString(e));
			else
				printf("get none\n");
			kvEntry_Destroy(e);
		} else
			return 64;
	}
	/* no release: ending here is a crash as far as the lock goes */
	return 0;
}
