/* Readiness notification on a descriptor (s6 style): "\n" then close. */
#ifndef ZREADY_H
#define ZREADY_H

/* Parse -d's argument: a descriptor >= 3 that is open; -1 if unusable. */
int	zready_parse(const char *);
void	zready_done(int fd);

#endif
