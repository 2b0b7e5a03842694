/* A customer gateway's configuration, whatever the vendor, in one normalized model: the
 * peers it talks IKE to, their phase 1 and phase 2 proposals, lifetimes, DPD, who
 * initiates, NAT-T, traffic selectors, route- or policy-based, and whether a pre-shared
 * key is set (never the key). One parser per dialect fills it (devconf_<dialect>.c);
 * devconf.c detects the dialect and dispatches. What AWS makes of the model is judged in
 * checks/, not here.
 *
 * Proposals reuse the IKE codec's struct ike_proposal: a list of IKEv2 transforms (type,
 * ID, key length). A vendor's phase 1 policy becomes one proposal with its encryption,
 * integrity/PRF and DH transforms; a phase 2 transform set one proposal with ENCR, INTEG
 * and (PFS) DH. IKEv1 devices are modelled the same way: one proposal per policy /
 * transform set, so "per whole transform" is "per proposal".
 *
 * Everything (strings, arrays) lives in the model's arena; devconf_free releases it. An
 * unknown value is DEVCONF_UNSET (numbers) or NULL (strings). Every peer and child keeps
 * the line where it was defined, for evidence. */
#ifndef LIBDIAG_DEVCONF_H
#define LIBDIAG_DEVCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/arena.h"
#include "libdiag/error.h"
#include "libdiag/ike/ike_proposal.h"

#define DEVCONF_UNSET (-1L)
#define DEVCONF_MAX_BYTES (16u << 20) /* a larger file is refused (exit 65) */

enum devconf_format {
	DEVCONF_UNKNOWN = 0,
	DEVCONF_SWANCTL,        /* strongSwan swanctl.conf */
	DEVCONF_STRONGSWAN_IPSEC, /* strongSwan ipsec.conf (stroke) */
	DEVCONF_LIBRESWAN,      /* libreswan / openswan ipsec.conf */
	DEVCONF_CISCO_ASA,
	DEVCONF_CISCO_IOS,      /* IOS and IOS-XE */
	DEVCONF_JUNOS,          /* set-style and bracketed */
	DEVCONF_PANOS,          /* PAN-OS XML */
	DEVCONF_FORTIOS,
	DEVCONF_AWS_GENERIC,    /* AWS's "Generic" text download */
	DEVCONF_AWS_XML,        /* CustomerGatewayConfiguration XML */
	DEVCONF_FORMAT_COUNT,
};

/* Who starts the tunnel. */
enum devconf_startup {
	DEVCONF_START_UNKNOWN = 0,
	DEVCONF_START_INITIATE, /* brings it up at once (start, auto=start, initiate) */
	DEVCONF_START_ON_TRAFFIC, /* trap / auto=route / crypto map on interesting traffic */
	DEVCONF_START_RESPOND,  /* waits for the peer (none, auto=add, passive, respond-only) */
};

enum devconf_dpd_action {
	DEVCONF_DPD_UNKNOWN = 0,
	DEVCONF_DPD_NONE,       /* clear / none */
	DEVCONF_DPD_RESTART,
	DEVCONF_DPD_HOLD,       /* trap */
	DEVCONF_DPD_CLEAR,
};

#define DEVCONF_PROPOSALS_MAX 16
#define DEVCONF_TS_MAX 32

/* One phase 2 security association the device asks for: a swanctl child, an ipsec.conf
 * conn's SA, a crypto-map ACL line, a Junos traffic-selector / proxy-identity, a PAN-OS
 * proxy ID, a FortiOS phase2-interface. */
struct devconf_child {
	const char *name;
	int line;
	struct ike_proposal esp[DEVCONF_PROPOSALS_MAX]; /* ENCR, INTEG, DH = PFS group */
	size_t nesp;
	long lifetime_s;        /* phase 2 lifetime in seconds */
	long lifetime_kb;       /* phase 2 lifetime in kilobytes (Cisco, Junos) */
	const char *local_ts[DEVCONF_TS_MAX];  /* CIDRs, "0.0.0.0/0", or as written */
	size_t nlocal_ts;
	const char *remote_ts[DEVCONF_TS_MAX];
	size_t nremote_ts;
	enum devconf_startup startup; /* child-level start action where the dialect has one */
	bool pfs_set;           /* a PFS group was configured (in esp[].DH) */
};

struct devconf_peer {
	const char *name;       /* conn / tunnel-group / gateway name */
	int line;
	const char *remote_addr; /* the AWS outside address, as written */
	const char *local_addr;  /* the device's own outside address / interface */
	const char *local_id, *remote_id;
	unsigned ike_versions;  /* bit 1: IKEv1, bit 2: IKEv2; 0: unknown */
	unsigned initiate_version; /* the version it starts with when it initiates (1 or 2);
				    * 0: unknown (strongSwan's "any" starts with IKEv2) */
	bool aggressive;        /* IKEv1 aggressive mode */
	struct ike_proposal ike[DEVCONF_PROPOSALS_MAX]; /* phase 1, in the device's order */
	size_t nike;
	long ike_lifetime_s;
	long dpd_delay_s, dpd_timeout_s, dpd_retries;
	enum devconf_dpd_action dpd_action;
	enum devconf_startup startup;
	int natt;               /* DEVCONF_UNSET, 0 off, 1 on / auto, 2 forced */
	bool route_based;       /* VTI / tunnel interface / st0 / xfrm interface */
	const char *tunnel_if;  /* its name */
	bool psk_set;           /* a pre-shared key is configured (the key is never kept) */
	bool psk_weak;          /* set but breaks AWS's PSK rules (length 8-64, characters,
				 * not starting with 0), when the parser can tell without
				 * keeping the key */
	struct devconf_child *children;
	size_t nchildren, cap_children;
};

/* A proposal the file defines but no peer uses (a Junos proposal no policy lists, a PAN-OS
 * crypto profile no gateway or tunnel names): kept for evidence and golden tests, never
 * judged. note says what the proposal cannot show ("ah", "bundle") or is NULL. */
struct devconf_unused {
	const char *name;
	int line;
	bool esp;               /* phase 2 (ESP/AH) rather than phase 1 */
	struct ike_proposal p;
	long lifetime_s;
	const char *note;
};

struct devconf_model {
	enum devconf_format format;
	const char *file;
	struct devconf_peer *peers;
	size_t npeers, cap_peers;
	size_t skipped;         /* statements the parser did not know and skipped */
	struct devconf_unused *unused; /* defined, not used (see above) */
	size_t nunused, cap_unused;
	struct arena arena;
};

/* The dialect's name ("swanctl", "ipsec.conf", "libreswan", "asa", "ios", "junos",
 * "panos", "fortios", "aws-generic", "aws-xml") and back (NULL / DEVCONF_UNKNOWN). */
const char *devconf_format_name(enum devconf_format f);
enum devconf_format devconf_format_parse(const char *name);

/* Which dialect text[0..len) is, from its statements (not its file name). Returns
 * DEVCONF_UNKNOWN with why filled (for the "no known format" error). */
enum devconf_format devconf_detect(const char *text, size_t len, char *why, size_t whylen);

/* Parses text[0..len) as format (DEVCONF_UNKNOWN: detect). file names the input in
 * errors ("file:line: ..."). The model is initialised here; free it with devconf_free
 * even on failure. Returns 0, or -1 with err: DIAG_EXIT_DATAERR for a file that is no
 * known format or a statement that is malformed in a way the parser cannot skip (with
 * file:line), DIAG_EXIT_SOFTWARE for memory. Unknown statements are skipped (counted in
 * skipped), not fatal. No error message quotes a pre-shared key. */
int devconf_parse(const char *text, size_t len, enum devconf_format format, const char *file,
		  struct devconf_model *m, struct diag_error *err);
void devconf_free(struct devconf_model *m);

/* Parsers: each fills an initialised model (format and file already set). Same
 * contract as devconf_parse. */
typedef int (*devconf_parser)(const char *text, size_t len, struct devconf_model *m,
			      struct diag_error *err);
int devconf_parse_swanctl(const char *text, size_t len, struct devconf_model *m,
			  struct diag_error *err);
int devconf_parse_ipsec_conf(const char *text, size_t len, struct devconf_model *m,
			     struct diag_error *err); /* strongSwan and libreswan */
int devconf_parse_asa(const char *text, size_t len, struct devconf_model *m,
		      struct diag_error *err);
int devconf_parse_ios(const char *text, size_t len, struct devconf_model *m,
		      struct diag_error *err);
int devconf_parse_junos(const char *text, size_t len, struct devconf_model *m,
			struct diag_error *err);
int devconf_parse_panos(const char *text, size_t len, struct devconf_model *m,
			struct diag_error *err);
int devconf_parse_fortios(const char *text, size_t len, struct devconf_model *m,
			  struct diag_error *err);
int devconf_parse_aws_generic(const char *text, size_t len, struct devconf_model *m,
			      struct diag_error *err);
int devconf_parse_aws_xml(const char *text, size_t len, struct devconf_model *m,
			  struct diag_error *err);

/* ---- helpers every parser uses -------------------------------------------------------- */

/* A new peer / child (zeroed, numbers DEVCONF_UNSET), or NULL when memory runs out. */
struct devconf_peer *devconf_add_peer(struct devconf_model *m, const char *name, int line);
struct devconf_child *devconf_add_child(struct devconf_model *m, struct devconf_peer *p,
					const char *name, int line);
/* The peer of that name, or NULL. */
struct devconf_peer *devconf_find_peer(struct devconf_model *m, const char *name);
const char *devconf_strdup(struct devconf_model *m, const char *s, size_t n);
/* Appends one transform to a proposal (ignored past IKE_PROP_MAX; duplicates kept once). */
void devconf_add_transform(struct ike_proposal *p, uint8_t type, uint16_t id,
			   uint16_t keylen);
/* Appends a proposal in strongSwan syntax ("aes256-sha256-modp2048"; with esp the DH
 * group is the PFS group) to list[*n] (at most DEVCONF_PROPOSALS_MAX; more are counted
 * in skipped). Algorithms the codec does not know are kept leniently. Returns 0, or -1
 * with err (DIAG_EXIT_DATAERR, "file:line: ...") for a proposal that cannot be read. */
int devconf_add_strongswan(struct devconf_model *m, int line, const char *s, bool esp,
			   struct ike_proposal *list, size_t *n, struct diag_error *err);
/* Adds a traffic selector ("10.0.0.0/16", kept as written) to a child. */
void devconf_add_ts(struct devconf_model *m, struct devconf_child *c, bool local,
		    const char *ts, size_t n);
/* Fails with "file:line: what" (DIAG_EXIT_DATAERR). */
int devconf_fail(struct devconf_model *m, int line, struct diag_error *err, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));

/* A text dump of the model (one line per fact, stable order) for golden tests and
 * `vpn-ike check --dump`. Returns a malloc'ed string, or NULL. */
char *devconf_dump(const struct devconf_model *m);

#endif
