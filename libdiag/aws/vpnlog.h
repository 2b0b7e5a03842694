/* AWS Site-to-Site VPN tunnel activity logs (CloudWatch Logs): a streaming reader and a
 * classifier for the messages AWS documents.
 *
 * Input the reader accepts (detected from the content, whatever the file is called):
 *   - JSON format, one event per line, as the log group holds it. Two spellings of the
 *     fields are documented (log-contents.md, and the current user guide's table, which
 *     gives each field's JSON key in parentheses) and both are read:
 *       VpnLogCreationTimestamp       event_timestamp (epoch) / timestamp (readable)
 *       VpnConnectionId, TunnelOutsideIPAddress   (or resource_id "vpn-..._IP", or the
 *                                                  log stream name)
 *       TunnelDPDEnabled              dpd_enabled
 *       TunnelCGWNATTDetectionStatus  nat_t_detected
 *       TunnelIKEPhase1State          ike_phase1_state
 *       TunnelIKEPhase2State          ike_phase2_state
 *       VpnLogDetail                  details
 *   - the AWS CLI's `aws logs filter-log-events` and `aws logs get-log-events` output
 *     ({"events": [{"logStreamName", "timestamp" (ms), "message": "<JSON event>"}], ...}),
 *     pretty-printed over many lines (streamed, never loaded whole) or compact on one.
 * Text output format (LogOutputFormat=text) is not read: AWS documents that the option
 * exists but not what a text line looks like, so such a file is refused as malformed.
 * BGP log records (type BGPStatus / RouteStatus) are recognised and skipped.
 *
 * Bad records are counted and skipped, not fatal: a support engineer wants the rest of the
 * file. The first one's place ("FILE:LINE: what") is kept in vpnlog_stats. A file that
 * yields no tunnel event at all is an error (exit 65). */
#ifndef LIBDIAG_AWS_VPNLOG_H
#define LIBDIAG_AWS_VPNLOG_H

#include <stdint.h>
#include <stdio.h>

#include "libdiag/error.h"

#define VPNLOG_MAX_LINE (1024u * 1024u)   /* bytes in one line (or one event) */
#define VPNLOG_MAX_EVENTS 10000000u       /* events in one file */
#define VPNLOG_MAX_SKIP (15u << 20)       /* bytes skipped of one over-long line */
#define VPNLOG_MAX_LINES 100000000u       /* lines in one file, blank ones included */

/* Phase 1 / phase 2 state as AWS names them (compared without case). */
enum vpnlog_state {
	VPNLOG_STATE_ABSENT,      /* field missing */
	VPNLOG_STATE_ESTABLISHED,
	VPNLOG_STATE_REKEYING,
	VPNLOG_STATE_NEGOTIATING,
	VPNLOG_STATE_DOWN,
	VPNLOG_STATE_OTHER,       /* a value AWS does not document; the raw text is kept */
};

#define VPNLOG_UNKNOWN (-1)      /* tri-state booleans: -1 unknown, 0 false, 1 true */

/* One tunnel log event. Every pointer is valid only during the callback; strings are
 * NULL when the field is absent and valid UTF-8 otherwise. */
struct vpnlog_event {
	const char *timestamp;        /* as written, or formatted from the epoch; never NULL */
	int64_t epoch_ms;             /* -1 when no time could be read */
	const char *vpn_connection_id;
	const char *outside_ip;       /* AWS end of the tunnel */
	const char *phase1_text, *phase2_text; /* the state fields as written */
	enum vpnlog_state phase1, phase2;
	int nat_t_detected;           /* tri-state */
	int dpd_enabled;              /* tri-state */
	const char *detail;           /* VpnLogDetail */
	const char *log_stream;       /* logStreamName of a filter-log-events record */
	const char *source;           /* file name as given */
	unsigned long line;           /* line where the event (or its record) starts */
};

/* Returns 0 to go on, or -1 (having filled err) to stop the read. */
typedef int (*vpnlog_event_fn)(void *arg, const struct vpnlog_event *ev,
			       struct diag_error *err);

enum vpnlog_format {
	VPNLOG_FMT_NONE,        /* nothing read yet */
	VPNLOG_FMT_LINES,       /* one JSON event per line */
	VPNLOG_FMT_CLI,         /* filter-log-events / get-log-events output */
};

struct vpnlog_stats {
	enum vpnlog_format format;
	uint64_t events;        /* handed to the callback */
	uint64_t bad;           /* malformed records skipped */
	uint64_t ignored;       /* well-formed records that are not tunnel events (BGP logs) */
	unsigned long lines;    /* lines read */
	struct diag_error first_bad; /* where and what of the first bad record (code 0: none) */
};

/* Reads every event of fp (named source in messages; "-" reads as "stdin") and calls cb
 * for each in file order. Returns 0 when at least one event was read, whatever was skipped;
 * -1 when the file is empty, holds no tunnel event, exceeds VPNLOG_MAX_EVENTS, cannot be
 * read, or cb stopped it; err then says why ("FILE:LINE: what", code 65, or 66 for a read
 * error). st may be NULL. */
int vpnlog_read_stats(FILE *fp, const char *source, vpnlog_event_fn cb, void *arg,
		      struct vpnlog_stats *st, struct diag_error *err);
int vpnlog_read(FILE *fp, const char *source, vpnlog_event_fn cb, void *arg,
		struct diag_error *err);

/* ---- time ------------------------------------------------------------------------- */

/* Parses "2024-05-01 10:00:03", "2024-05-01T10:00:03.123Z", "...+02:00", " UTC" suffixes
 * and bare epoch seconds or milliseconds; a time without a zone is UTC. Returns 0 and
 * *ms, or -1. */
int vpnlog_parse_time(const char *s, int64_t *ms);
/* "2024-05-01T10:00:03Z" ("...03.123Z" when there are milliseconds); buf >= 32. */
const char *vpnlog_format_time(int64_t ms, char *buf, size_t len);

/* ---- classifier ------------------------------------------------------------------- */

enum vpnlog_category {
	VPNLOG_CAT_UNCLASSIFIED,      /* a message not in the catalogue: kept and counted */
	/* from the state fields, not from messages */
	VPNLOG_CAT_PHASE1_UP,
	VPNLOG_CAT_PHASE1_DOWN,
	VPNLOG_CAT_PHASE2_UP,
	VPNLOG_CAT_PHASE2_DOWN,
	VPNLOG_CAT_NAT_T_DETECTED,
	/* from VpnLogDetail messages (log-contents.md) */
	VPNLOG_CAT_PSK_MISMATCH,
	VPNLOG_CAT_AUTH_FAILED,
	VPNLOG_CAT_NO_PROPOSAL_PHASE1,
	VPNLOG_CAT_NO_PROPOSAL_PHASE2,
	VPNLOG_CAT_TS_UNACCEPTABLE,
	VPNLOG_CAT_PHASE2_FAILED_KEEP_PHASE1,
	VPNLOG_CAT_PHASE1_TIMEOUT,
	VPNLOG_CAT_DPD_TIMEOUT,
	VPNLOG_CAT_PEER_DEAD,
	VPNLOG_CAT_CHILD_COLLISION,
	VPNLOG_CAT_DELETE_RECEIVED,
	VPNLOG_CAT_CHILD_SA_NEGOTIATION,
	VPNLOG_CAT_COUNT
};

enum vpnlog_severity {
	VPNLOG_SEV_INFO,  /* routine: counted, no finding of its own */
	VPNLOG_SEV_WARN,
	VPNLOG_SEV_FAIL,
};

#define VPNLOG_IKEV1 0x1u
#define VPNLOG_IKEV2 0x2u

/* One known message. pattern is AWS's text verbatim; a placeholder ({retry_count}, xxxx,
 * xxx) stands for one word of up to 64 characters, a space for any run of white space,
 * " - " for any one separator (-, :, ;, |, a bullet or a dash) or white space, and letters
 * match without case. A message matches when the pattern occurs in it. */
struct vpnlog_msg {
	const char *pattern;
	enum vpnlog_category category;
	unsigned ike;                 /* VPNLOG_IKEV1 | VPNLOG_IKEV2 */
	enum vpnlog_severity severity;
	const char *meaning;          /* AWS's explanation, one sentence */
	const char *fix;
	const char *source;           /* "log-contents.md: IKEv2 Error Messages" */
};

extern const struct vpnlog_msg vpnlog_catalogue[];
extern const size_t vpnlog_catalogue_len;

/* The catalogue row whose pattern occurs in detail, or NULL (unclassified, or no detail). */
const struct vpnlog_msg *vpnlog_classify(const char *detail);
/* True when pattern (catalogue syntax) occurs in text. */
int vpnlog_match(const char *pattern, const char *text);

const char *vpnlog_category_name(enum vpnlog_category c);  /* "psk_mismatch" */
enum vpnlog_severity vpnlog_category_severity(enum vpnlog_category c);
const char *vpnlog_state_name(enum vpnlog_state s);        /* "Established", ... */
const char *vpnlog_ike_name(unsigned ike);                 /* "IKEv1", "IKEv1/IKEv2" */

/* Copies text into out (NUL-terminated, at most len-1 bytes, never splitting a UTF-8
 * sequence; a cut ends in "...") with the value after anything that names a secret and
 * then ':' or '=' ("psk=", "PreSharedKey:", "pre-shared key: ", "token = ", "key:")
 * replaced by "<redacted>". AWS's messages never hold a key; this is for the ones
 * vpn-doctor does not know. Returns out. */
char *vpnlog_scrub(const char *text, char *out, size_t len);

#define VPNLOG_REF "https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html"

#endif
