#ifndef HUDDLE_CZEROMQ_SHIM_H
#define HUDDLE_CZEROMQ_SHIM_H

#include <zmq.h>
// The owner thread of an async socket sleeps in zmq_poll on its socket plus an eventfd,
// which other threads write to wake it up.
#include <sys/eventfd.h>
#include <sys/prctl.h>

/// Names the calling thread (at most 15 bytes show), so owner threads are visible in tools like top.
static inline void czmq_name_current_thread(const char *name) { (void)prctl(PR_SET_NAME, name, 0, 0, 0); }

#endif
