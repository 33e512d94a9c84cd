/*
 * Notifications: Designate-style events on the JetStream stream
 * ZONE_EVENTS (subjects zone.events.<event_type>), kept for
 * [events] max_age_s so that consumers can replay from any point.
 *
 * An event is the oslo notification envelope:
 *   {"event_type": "dns.zone.create", "payload": {...}, "priority": "INFO",
 *    "publisher_id": "central.<host>", "timestamp": "2026-11-25 17:50:00.123456",
 *    "message_id": "<uuid>"}
 * Publishing states a Nats-Msg-Id, so a copy that repeats an event inside
 * [events] duplicate_window_s stores nothing twice.
 */
#ifndef ZEVENTS_H
#define ZEVENTS_H

#include <stdint.h>

#include <jansson.h>

#include "zcfg.h"
#include "znats.h"

#define ZEV_STREAM	"ZONE_EVENTS"
#define ZEV_SUBJECTS	"zone.events.>"
#define ZEV_PREFIX	"zone.events."

/* Create the stream when missing (idempotent; safe from many copies). */
int	zevents_ensure(struct znats *, const struct zcfg *);
/* A new event; `payload' is stolen.  publisher NULL: "<prog>.<host>". */
json_t	*zevents_new(const char *event_type, json_t *payload,
	    const char *publisher);
/* Publish `ev' on zone.events.<event_type> with message id `msgid' (NULL:
 * none) and wait for the stream's ack; *seq (may be NULL) gets the stream
 * sequence, 0 when the stream dropped it as a duplicate. */
int	zevents_publish(struct znats *, const json_t *ev, const char *msgid,
	    uint64_t *seq);


/*
 * The relay: publishes the events that zone-central wrote into journal
 * messages ("events": [...]) to ZONE_EVENTS, in journal order, with
 * message id "j<journal seq>.<index>".  Any number of copies may run;
 * one at a time works, under the KV lock "events-relay" (zone_locks).
 * Its position (the last journal sequence relayed) is kept in the KV
 * bucket zone_state, key events-relay, written about once a second; a
 * copy that takes over resumes there, and whatever it sends again is
 * dropped by the stream's duplicate window.
 */
struct zevents_relay;

int	zevents_relay_start(struct zevents_relay **, struct znats *,
	    const struct zcfg *, const char *owner);
void	zevents_relay_stop(struct zevents_relay *);
/* Events published so far by this copy. */
unsigned long	zevents_relay_count(const struct zevents_relay *);

/*
 * Follow the stream from sequence `since' + 1 (since < 0: only new
 * events): fn gets each event with its "seq" added; a non-zero return
 * stops.  Returns after idle_ms without an event (idle_ms <= 0: never).
 */
typedef int	(*zevents_fn)(json_t *ev, uint64_t seq, void *arg);
int	zevents_follow(struct znats *, int64_t since, int idle_ms,
	    zevents_fn, void *);

#endif
