#include <errno.h>
#include <string.h>
#include <sysexits.h>

#include "zerr.h"

const char *
zerr_str(int rc)
{
	switch (rc) {
	case 0:			return "ok";
	case ZE_CONFLICT:	return "conflict";
	case ZE_BADMSG:		return "malformed message";
	case ZE_NATS:		return "nats failure";
	case ZE_DB:		return "database failure";
	case ZE_NORESP:		return "no responders";
	case ZE_TIMEOUT:	return "timed out";
	case ZE_CONFIG:		return "invalid configuration";
	case ZE_NOTFOUND:	return "not found";
	case ZE_EXISTS:		return "already exists";
	case ZE_FAULT:		return "request refused";
	case ZE_DNS:		return "dns failure";
	case ZE_USAGE:		return "bad usage";
	case ZE_NOINPUT:	return "no such file";
	}
	if (rc < 0 && rc > -1000)
		return strerror(-rc);
	return "unknown error";
}

int
zerr_exit(int rc)
{
	switch (rc) {
	case 0:			return EX_OK;
	case ZE_BADMSG:		return EX_DATAERR;
	case ZE_NATS:
	case ZE_NORESP:		return EX_UNAVAILABLE;
	case ZE_TIMEOUT:
	case ZE_CONFLICT:	return EX_TEMPFAIL;
	case ZE_CONFIG:		return EX_CONFIG;
	case ZE_USAGE:		return EX_USAGE;
	case ZE_NOINPUT:	return EX_NOINPUT;
	case ZE_DB:		return EX_CANTCREAT;
	case -ENOMEM:		return EX_OSERR;
	case -ENOENT:		return EX_NOINPUT;
	case -EACCES:
	case -EPERM:		return EX_NOPERM;
	case -EIO:		return EX_IOERR;
	}
	return EX_SOFTWARE;
}
