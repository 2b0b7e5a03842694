/* Streams probe targets (address, port) from target specifications without expanding
 * them in memory: names, addresses, CIDRs, ranges, comma lists, from arguments or from a
 * file (one or more specs a line, '#' comments). A /8 costs the same memory as one host. */
#ifndef LIBDIAG_TARGETS_H
#define LIBDIAG_TARGETS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libdiag/addr.h"
#include "libdiag/ports.h"

#define TARGETS_DEFAULT_MAX 65536u

struct target_opts {
	int family;          /* AF_UNSPEC, AF_INET or AF_INET6 (-4/-6) */
	bool numeric;        /* -n: never resolve names */
	uint64_t max_targets; /* address x port pairs; 0 means TARGETS_DEFAULT_MAX */
};

struct target {
	struct diag_addr addr;
	uint16_t port;
	const char *name; /* the name as written, or NULL for numeric specs; valid until the
			     next call of target_iter_next */
	const char *resolve_error; /* set when name did not resolve; addr is then unset */
};

struct target_iter {
	struct target_opts opts;
	const struct port_list *ports;
	/* spec sources, used in order: argument vector, then a file */
	char *const *argv;
	int argc, argi;
	FILE *fp;
	const char *fp_name;
	unsigned line;
	char linebuf[1024];
	char *lp;            /* rest of the current line, or of the current argument */
	char argbuf[1024];
	char where[192];     /* place of the current spec, for errors */
	/* current spec */
	bool have_spec;
	struct diag_addr cur, last;
	bool skip_net_bcast;
	struct diag_addr net, bcast;
	char name[256];
	bool named;
	const char *resolve_error;
	/* current port */
	size_t port_range;
	uint32_t port_next;
	bool have_addr;
	uint64_t emitted;
};

/* fp may be NULL; fp_name names it in errors ("-" reads as "stdin"). */
void target_iter_init(struct target_iter *it, const struct target_opts *opts,
		      const struct port_list *ports, char *const *argv, int argc, FILE *fp,
		      const char *fp_name);
/* 1: *out holds the next target; 0: no more; -1: err says which spec is bad. */
int target_iter_next(struct target_iter *it, struct target *out, struct diag_error *err);

/* Counts the targets the specs would yield (names count one each) without resolving;
 * saturates at UINT64_MAX. Fails like target_iter_next on a malformed spec, and naming
 * the spec that crosses opts->max_targets when the total exceeds it. */
int targets_count(char *const *argv, int argc, FILE *fp, const char *fp_name,
		  const struct target_opts *opts, const struct port_list *ports,
		  uint64_t *count, struct diag_error *err);

#endif
