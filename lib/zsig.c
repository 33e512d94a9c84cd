#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "zsig.h"

void
zsig_block(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
zsig_wait(const sigset_t *set, int ms)
{
	struct timespec	ts;
	int		sig;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	sig = sigtimedwait(set, NULL, &ts);
	return sig < 0 ? 0 : sig;
}
