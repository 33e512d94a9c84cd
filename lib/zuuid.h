/* UUIDs: random version 4, lower case with dashes, as the API shows them. */
#ifndef ZUUID_H
#define ZUUID_H

#define ZUUID_LEN	36

/* Write a new UUID4 and its NUL into out[37]. */
void	zuuid_new(char *out);
/* 1 when s is exactly 8-4-4-4-12 hex digits, else 0. */
int	zuuid_valid(const char *s);

#endif
