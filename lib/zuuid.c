#include <sys/random.h>

#include <ctype.h>
#include <stdint.h>
#include <time.h>

#include "zuuid.h"

static int
zuuid_dash(int i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

void
zuuid_new(char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	static unsigned		 ctr;
	unsigned char		 b[16];
	struct timespec		 ts;
	int			 i, o = 0;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
		/* not expected on Linux >= 3.17; still unique enough */
		clock_gettime(CLOCK_REALTIME, &ts);
		for (i = 0; i < 16; i++)
			b[i] = (unsigned char)((ts.tv_nsec >> (i % 4 * 8)) ^
			    (ts.tv_sec >> (i % 8)) ^ __atomic_add_fetch(&ctr, 1,
			    __ATOMIC_RELAXED) ^ (i * 131));
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	for (i = 0; i < 16; i++) {
		if (zuuid_dash(o))
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

int
zuuid_valid(const char *s)
{
	int	i;

	for (i = 0; i < ZUUID_LEN; i++) {
		if (zuuid_dash(i)) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return s[ZUUID_LEN] == '\0';
}
