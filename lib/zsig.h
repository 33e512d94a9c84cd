/* Signals: blocked before any thread starts, then taken with sigtimedwait. */
#ifndef ZSIG_H
#define ZSIG_H

#include <signal.h>

/* Block TERM, INT, HUP, USR1 in this thread (and the threads it makes);
 * ignore SIGPIPE.  Fills `set' with the blocked set. */
void	zsig_block(sigset_t *set);
/* Wait up to `ms' for a signal of `set'; returns it or 0. */
int	zsig_wait(const sigset_t *set, int ms);

#endif
