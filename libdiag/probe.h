/* The probe engine: many non-blocking TCP connects, UDP exchanges or ICMP echoes in
 * flight at once over one epoll set, each classified the way a network engineer reads it.
 *
 * Targets are pulled from a callback one at a time (never expanded in memory) and results
 * pushed to another as they complete, in completion order. Memory is one slot per unit of
 * concurrency, whatever the size of the sweep. A fast sweep runs one worker thread per
 * CPU; the callbacks are still called one at a time, never concurrently. */
#ifndef LIBDIAG_PROBE_H
#define LIBDIAG_PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/addr.h"
#include "libdiag/error.h"

enum probe_proto { PROBE_TCP, PROBE_UDP, PROBE_ICMP };

enum probe_state {
	PROBE_OPEN,          /* TCP handshake completed; UDP reply; ICMP echo reply */
	PROBE_REFUSED,       /* TCP RST */
	PROBE_CLOSED,        /* UDP: ICMP port unreachable */
	PROBE_FILTERED,      /* TCP/ICMP: no answer before the timeout */
	PROBE_OPEN_FILTERED, /* UDP: no answer at all; proves nothing either way */
	PROBE_UNREACHABLE,   /* ICMP destination unreachable (other than port), or no route */
	PROBE_ERROR,         /* a local error: errno text in err, or a name that did not resolve */
	PROBE_STATE_COUNT
};

#define PROBE_DEFAULT_TIMEOUT_MS 3000
#define PROBE_MAX_CONCURRENCY 8192
#define PROBE_UDP_PAYLOAD_MAX 512

struct probe_opts {
	enum probe_proto proto;
	unsigned concurrency;  /* 0: probe_default_concurrency(); shared by all workers */
	unsigned workers;      /* threads; 0: probe_default_workers() */
	double rate;           /* probes started per second; 0: unlimited */
	uint32_t timeout_ms;   /* per probe; 0: PROBE_DEFAULT_TIMEOUT_MS */
	unsigned udp_tries;    /* UDP datagrams per probe, spread over the timeout; 0: 2 */
	bool have_src;         /* -s */
	struct diag_addr src;
	uint16_t src_port;     /* -p; 0: any */
	/* UDP payload for every port, overriding the built-in ones (IKE on 500/4500, DNS on 53) */
	const uint8_t *udp_payload;
	size_t udp_payload_len;
	bool udp_payload_set;
	volatile sig_atomic_t *stop; /* set by a signal handler to end early; may be NULL */
};

struct probe_target {
	struct diag_addr addr;
	uint16_t port;         /* ignored for ICMP */
	const char *name;      /* as the user wrote it, or NULL; copied by the engine */
	const char *resolve_error; /* the name did not resolve: reported as PROBE_ERROR */
};

struct probe_result {
	struct diag_addr addr;
	uint16_t port;
	enum probe_proto proto;
	const char *name;      /* valid during the callback only */
	enum probe_state state;
	int err;               /* errno of refusals, unreachables and errors; 0 otherwise */
	const char *detail;    /* resolver message, or NULL */
	bool icmp;             /* an ICMP error was received: type, code and sender below */
	uint8_t icmp_type, icmp_code;
	struct diag_addr icmp_from;
	uint64_t rtt_us;       /* open, refused, closed: time to the answer */
	uint64_t started_us;   /* CLOCK_REALTIME when the probe started */
	uint32_t sent, rcvd;   /* payload bytes; what nc -vv prints */
	uint64_t seq;          /* order in which the target was pulled, from 0 */
};

struct probe_stats {
	uint64_t started, done;
	uint64_t by_state[PROBE_STATE_COUNT];
	uint64_t elapsed_us;
	unsigned concurrency;  /* what was used */
	bool interrupted;
};

/* 1: *out filled; 0: no more targets; -1: stop with err set by the callback. */
typedef int (*probe_next_fn)(void *arg, struct probe_target *out, struct diag_error *err);
typedef void (*probe_result_fn)(void *arg, const struct probe_result *res);

/* Runs every target through the engine. Returns 0 when all targets were probed (or the
 * stop flag was raised), -1 with err set when it could not (no epoll, a bad target
 * callback, ICMP echo not permitted: DIAG_EXIT_NOPERM). */
int probe_run(const struct probe_opts *opts, probe_next_fn next, void *next_arg,
	      probe_result_fn done, void *done_arg, struct probe_stats *stats,
	      struct diag_error *err);

/* Raises RLIMIT_NOFILE to its hard limit and returns the concurrency that fits in it
 * (capped at PROBE_MAX_CONCURRENCY). */
unsigned probe_default_concurrency(void);

/* One worker thread per online CPU, at most 4. */
unsigned probe_default_workers(void);

const char *probe_state_name(enum probe_state s); /* "open", "open|filtered", ... */
const char *probe_proto_name(enum probe_proto p); /* "tcp", "udp", "icmp" */
/* "host-unreachable", "admin-prohibited", ... for an ICMP(v6) unreachable; NULL otherwise. */
const char *probe_icmp_name(int family, uint8_t type, uint8_t code);

/* The built-in UDP payload for a port (IKE on 500 and 4500, DNS on 53), or NULL. */
const uint8_t *probe_udp_builtin(uint16_t port, size_t *len);

#endif
