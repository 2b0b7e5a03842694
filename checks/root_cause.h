/* The most likely root cause, reasoned across the checks' findings, and the grouping of
 * findings as AWS's troubleshooting guide groups them. Rules are tried in order; each
 * names the findings that support it, so the report can say why. Pure: reads a report,
 * writes nothing but its result. */
#ifndef CHECKS_ROOT_CAUSE_H
#define CHECKS_ROOT_CAUSE_H

#include <stddef.h>

#include "libdiag/report.h"

/* The troubleshooting guide's sections. */
enum rc_group {
	RC_GROUP_NOT_CONNECTED,     /* "tunnel not connected" */
	RC_GROUP_NOT_STAYING_UP,    /* "tunnel does not stay up" */
	RC_GROUP_SECOND_TUNNEL,     /* "second tunnel down" */
	RC_GROUP_NO_TRAFFIC,        /* "traffic does not pass" */
	RC_GROUP_OTHER,
	RC_GROUP_COUNT,
};

const char *rc_group_title(enum rc_group g);
/* The section a check id belongs to ("srcip.match" -> not connected). */
enum rc_group rc_group_of(const char *check);

#define RC_MAX 8
#define RC_EVIDENCE_MAX 6

struct root_cause {
	const char *id;           /* "source_address", "phase1", ... */
	const char *title;        /* one line: "IKE comes from an address AWS does not know" */
	enum rc_group group;
	enum diag_status severity; /* fail or warn */
	size_t evidence[RC_EVIDENCE_MAX]; /* indexes of the findings that support it */
	size_t nevidence;
	char reasoning[400];      /* how the findings combine */
};

/* Fills causes (most likely first) from the report's findings; returns how many. */
size_t root_causes(const struct report *r, struct root_cause *causes, size_t max);

#endif
