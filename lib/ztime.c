#include <sys/time.h>

#include <stdio.h>
#include <string.h>

#include "ztime.h"

double
ztime_now(char *buf, size_t len)
{
	struct timeval	tv;
	struct tm	tm;
	char		b[32];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06ld", b, (long)tv.tv_usec);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

time_t
ztime_parse(const char *s)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}
