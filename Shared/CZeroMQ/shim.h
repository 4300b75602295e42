#ifndef HUDDLE_CZEROMQ_SHIM_H
#define HUDDLE_CZEROMQ_SHIM_H

#include <zmq.h>
// The owner thread of an async socket sleeps in zmq_poll on its socket plus an eventfd,
// which other threads write to wake it up.
#include <sys/eventfd.h>
#include <errno.h>

/// errno as an int; Swift cannot read the thread-local macro directly on every platform.
static inline int czmq_errno(void) { return errno; }

#endif
