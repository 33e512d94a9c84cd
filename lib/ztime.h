/* Time stamps as the API shows them: "2026-11-25T17:50:00.123456", UTC. */
#ifndef ZTIME_H
#define ZTIME_H

#include <stddef.h>
#include <time.h>

/* Write the current time into buf (at least 27 bytes); returns it in
 * seconds since the epoch. */
double	ztime_now(char *buf, size_t len);
/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS..." (fraction and zone
 * letter ignored, UTC); 0 when s is NULL or not such a time. */
time_t	ztime_parse(const char *s);

#endif
