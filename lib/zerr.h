/*
 * Error codes: 0 is success, -errno for system causes, project codes
 * from -1000 down.  zerr_exit() is the one place that maps a code to a
 * sysexits(3) status, and only bin/ calls it.
 */
#ifndef ZERR_H
#define ZERR_H

enum {
	ZE_CONFLICT	= -1000,	/* optimistic lock lost, try again */
	ZE_BADMSG	= -1001,	/* malformed message or JSON */
	ZE_NATS		= -1002,	/* NATS failure */
	ZE_DB		= -1003,	/* LMDB failure */
	ZE_NORESP	= -1004,	/* no responder for a request */
	ZE_TIMEOUT	= -1005,	/* request or wait timed out */
	ZE_CONFIG	= -1006,	/* invalid configuration */
	ZE_NOTFOUND	= -1007,	/* no such object */
	ZE_EXISTS	= -1008,	/* object already there */
	ZE_FAULT	= -1009,	/* an API fault was filled in */
	ZE_DNS		= -1010,	/* ldns failure */
	ZE_USAGE	= -1011,	/* bad arguments */
	ZE_NOINPUT	= -1012,	/* named input file missing */
};

const char	*zerr_str(int);
int		 zerr_exit(int);

#endif
