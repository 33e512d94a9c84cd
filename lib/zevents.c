#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "zerr.h"
#include "zevents.h"
#include "zuuid.h"

#define NS	1000000000LL

int
zevents_ensure(struct znats *z, const struct zcfg *cfg)
{
	jsStreamConfig	 sc;
	jsStreamInfo	*si = NULL;
	jsErrCode	 jerr = 0;
	natsStatus	 s;
	const char	*subjects[] = { ZEV_SUBJECTS };

	s = js_GetStreamInfo(&si, z->js, ZEV_STREAM, NULL, &jerr);
	if (s == NATS_NOT_FOUND) {
		jsStreamConfig_Init(&sc);
		sc.Name = ZEV_STREAM;
		sc.Subjects = subjects;
		sc.SubjectsLen = 1;
		sc.Storage = js_FileStorage;
		sc.Replicas = (int)zcfg_int(cfg, "nats", "replicas");
		sc.MaxAge = zcfg_int(cfg, "events", "max_age_s") * NS;
		sc.Duplicates = zcfg_int(cfg, "events", "duplicate_window_s") *
		    NS;
		if (sc.MaxAge > 0 && sc.Duplicates > sc.MaxAge)
			sc.Duplicates = sc.MaxAge;
		sc.AllowDirect = true;
		s = js_AddStream(&si, z->js, &sc, NULL, &jerr);
		if (s == NATS_ERR && jerr == 10058)	/* made by another copy */
			s = NATS_OK;
	}
	jsStreamInfo_Destroy(si);
	return znats_err(s);
}

json_t *
zevents_new(const char *event_type, json_t *payload, const char *publisher)
{
	struct timeval	tv;
	struct tm	tm;
	char		ts[64], id[ZUUID_LEN + 1], host[256], pub[300];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02d %02d:%02d:%02d.%06ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
	zuuid_new(id);
	if (publisher == NULL) {
		if (gethostname(host, sizeof(host)) != 0)
			strlcpy(host, "localhost", sizeof(host));
		host[sizeof(host) - 1] = '\0';
		snprintf(pub, sizeof(pub), "central.%s", host);
		publisher = pub;
	}
	return json_pack("{s:s,s:o,s:s,s:s,s:s,s:s}", "event_type", event_type,
	    "payload", payload != NULL ? payload : json_object(),
	    "priority", "INFO", "publisher_id", publisher, "timestamp", ts,
	    "message_id", id);
}

int
zevents_publish(struct znats *z, const json_t *ev, const char *msgid,
    uint64_t *seq)
{
	const char	*type = json_string_value(json_object_get(ev,
			    "event_type"));
	char		 subj[256], *data;
	natsMsg		*m = NULL;
	jsPubAck	*ack = NULL;
	jsPubOptions	 po;
	jsErrCode	 jerr = 0;
	natsStatus	 s;

	if (seq != NULL)
		*seq = 0;
	if (type == NULL || *type == '\0' ||
	    (size_t)snprintf(subj, sizeof(subj), "%s%s", ZEV_PREFIX, type) >=
	    sizeof(subj))
		return ZE_BADMSG;
	if ((data = json_dumps(ev, JSON_COMPACT)) == NULL)
		return -ENOMEM;
	s = natsMsg_Create(&m, subj, NULL, data, (int)strlen(data));
	free(data);
	if (s != NATS_OK)
		return znats_err(s);
	jsPubOptions_Init(&po);
	po.MsgId = msgid;
	po.MaxWait = z->timeout_ms;
	s = js_PublishMsg(&ack, z->js, m, &po, &jerr);
	if (s == NATS_OK && seq != NULL && !ack->Duplicate)
		*seq = ack->Sequence;
	jsPubAck_Destroy(ack);
	natsMsg_Destroy(m);
	return znats_err(s);
}
