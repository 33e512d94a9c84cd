#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "zready.h"

int
zready_parse(const char *s)
{
	char	*end;
	long	 fd;

	fd = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || fd < 3 || fd > INT_MAX)
		return -1;
	if (fcntl((int)fd, F_GETFD) == -1)
		return -1;
	return (int)fd;
}

void
zready_done(int fd)
{
	if (fd < 0)
		return;
	(void)write(fd, "\n", 1);
	close(fd);
}
