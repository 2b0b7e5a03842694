/* What the Cisco ASA and IOS/IOS-XE parsers share: a line reader that splits a "show
 * running-config" text into indented, tokenised lines (skipping '!' and ':' comments),
 * the algorithm names both dialects use, and an intermediate store of the named objects
 * (policies, transform sets, profiles, crypto-map entries, access lists, interfaces,
 * keys) that the two parsers fill and cisco_build() turns into devconf peers once the
 * whole file has been read, since Cisco objects refer to each other by name in any order.
 *
 * Nothing here keeps a pre-shared key: a key is judged (AWS's rules) where it is read and
 * only "set" / "weak" survive. */
#ifndef LIBDIAG_DEVCONF_CISCO_H
#define LIBDIAG_DEVCONF_CISCO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libdiag/devconf/devconf.h"

#define CISCO_TOK_MAX 48   /* tokens kept per line; the rest are ignored */
#define CISCO_NAMES_MAX 8  /* names in one "set transform-set" / "set peer" list */
#define CISCO_DEPTH_MAX 32 /* object-group nesting */
#define CISCO_UNKNOWN_ALG 0xFFFF
#define CISCO_STORE_MAX 20000 /* objects of one kind; more is refused (bounds lookups) */

struct cisco_tok {
	const char *s;
	size_t n;
};

struct cisco_line {
	int no;          /* 1-based line number */
	size_t indent;   /* leading blanks */
	size_t n;        /* tokens */
	struct cisco_tok t[CISCO_TOK_MAX];
};

struct cisco_reader {
	const char *text;
	size_t len, off;
	int no;
};

void cisco_reader_init(struct cisco_reader *r, const char *text, size_t len);
/* The next line that is neither blank nor a comment ('!' or ':' first); false at the end.
 * Never reads past len. */
bool cisco_next_line(struct cisco_reader *r, struct cisco_line *l);
/* Token i equals word (ASCII case-insensitive); false when there is no token i. */
bool cisco_is(const struct cisco_line *l, size_t i, const char *word);
bool cisco_tok_is(struct cisco_tok t, const char *word);
/* Token i as a decimal number in [min, max]; false when absent or not such a number. */
bool cisco_num(const struct cisco_line *l, size_t i, long min, long max, long *out);
/* Token i copied into the model's arena (NULL when absent or out of memory). */
const char *cisco_str(struct devconf_model *m, const struct cisco_line *l, size_t i);
/* "what 'token'" with the token cut to 40 bytes, for error messages. Never call it on a
 * token that may be a key. */
int cisco_fail_tok(struct devconf_model *m, const struct cisco_line *l, size_t i,
		   struct diag_error *err, const char *what);

/* A pre-shared key's verdict: breaks AWS's rules (8-64 characters of [A-Za-z0-9._], not
 * starting with '0')? A key shown masked ("*****") or stored encrypted cannot be judged
 * and is not weak. */
bool cisco_psk_weak(struct cisco_tok key);

/* An IPv4 dotted quad. */
bool cisco_v4(const char *s, size_t n, uint32_t *out);
/* "ADDR MASK" as a CIDR written into out: mask is a netmask (ASA) or, with wildcard, an
 * IOS wildcard mask. Returns false for a malformed address or a non-contiguous mask. */
bool cisco_cidr(struct cisco_tok addr, struct cisco_tok mask, bool wildcard, char *out,
		size_t outlen);

/* ---- algorithm names ------------------------------------------------------------------ */

/* The PRF that goes with an integrity algorithm (SHA1 -> PRF SHA1, ...); 0 for none. */
uint16_t cisco_prf_of(uint16_t integ);
bool cisco_is_aead(uint16_t encr);
/* Adds the transforms for one hash name ("sha", "sha256", "sha-256", "sha1", "md5",
 * "sha384", "sha512", ...) as IKE_T_INTEG (integ) and / or IKE_T_PRF (prf).
 * Unknown names give CISCO_UNKNOWN_ALG. */
uint16_t cisco_hash_id(struct cisco_tok t);
uint16_t cisco_prf_id(struct cisco_tok t);
/* An encryption name in any of the Cisco spellings ("aes", "aes-256", "aes-cbc-256",
 * "aes-gcm-256", "3des", "esp-aes-256", ...), leading "esp-" ignored. Unknown names give
 * CISCO_UNKNOWN_ALG and key length 0. */
void cisco_encr_id(struct cisco_tok t, uint16_t *id, uint16_t *keylen);

/* Appends one element to a store array c->FIELD (count c->nFIELD, capacity
 * c->cap_FIELD): a zeroed element, or NULL when the store is full (CISCO_STORE_MAX) or
 * memory runs out; cisco_store_fail then says which. */
#define CISCO_PUSH(m, c, field)                                                              \
	((c)->n##field >= CISCO_STORE_MAX                                                    \
		 ? NULL                                                                      \
		 : ARENA_PUSH(&(m)->arena, (c)->field, (c)->n##field, (c)->cap_##field))
int cisco_store_fail(struct devconf_model *m, int line, size_t count, const char *what,
		     struct diag_error *err);

/* ---- the intermediate store ----------------------------------------------------------- */

/* A phase 1 policy: IOS "crypto isakmp policy", ASA "crypto ikev1|ikev2 policy", IOS
 * "crypto ikev2 proposal" (then name is set and prio unused). */
struct cisco_p1 {
	const char *name;
	long prio;
	int line;
	int version;           /* 1 or 2 */
	uint16_t encr[8], encr_kl[8];
	size_t nencr;
	uint16_t integ[8], prf[8], dh[16];
	size_t ninteg, nprf, ndh;
	long lifetime;
	bool psk_auth;
};

/* An IOS "crypto ikev2 policy": which proposals, for which local address. */
struct cisco_v2pol {
	const char *name;
	int line;
	const char *props[CISCO_NAMES_MAX];
	size_t nprops;
	const char *match_local;
};

/* A phase 2 transform set: IOS / ASA IKEv1 transform-set, ASA IKEv2 ipsec-proposal. */
struct cisco_tset {
	const char *name;
	int line;
	int version;           /* 0 IOS (either version), 1 ASA ikev1, 2 ASA ikev2 */
	uint16_t encr[8], encr_kl[8];
	size_t nencr;
	uint16_t integ[8];
	size_t ninteg;
};

/* Settings an IPsec profile and a crypto-map entry share. */
struct cisco_p2set {
	const char *tsets[CISCO_NAMES_MAX];
	int tset_ver[CISCO_NAMES_MAX]; /* 0 (IOS), 1 (ASA ikev1), 2 (ASA ikev2) */
	size_t ntsets;
	long pfs;              /* DEVCONF_UNSET: none */
	long life_s, life_kb;
	const char *ikev2_profile, *isakmp_profile;
	enum devconf_startup startup;
	bool aggressive;
	int natt;
};

/* An IPsec profile (VTI) or a crypto-map entry. */
struct cisco_p2 {
	const char *name;      /* profile or map name */
	long seq;              /* map sequence; DEVCONF_UNSET for a profile */
	int line;
	bool is_map;
	const char *acl;
	const char *peers[CISCO_NAMES_MAX];
	size_t npeers;
	struct cisco_p2set s;
};

/* An IKE profile: IOS "crypto isakmp profile" (version 1) / "crypto ikev2 profile" (2). */
struct cisco_prof {
	const char *name;
	int line;
	int version;
	const char *remote;    /* match identity (remote) address */
	const char *remote_mask;
	const char *remote_id, *local_id;
	const char *keyring;
	const char *local_addr;
	long dpd_delay, dpd_retry; /* DEVCONF_UNSET */
	long lifetime;
	bool aggressive;
	bool psk_local, psk_remote; /* authentication local/remote pre-share */
};

/* A pre-shared key for an address: IOS "crypto isakmp key", "crypto keyring" entries,
 * "crypto ikev2 keyring" peers; ASA tunnel-groups (addr is the group's name). */
struct cisco_key {
	const char *ring;      /* keyring name; NULL for global keys */
	const char *peer;      /* ikev2 keyring peer name */
	const char *addr, *mask;
	const char *local_addr;
	int version;           /* bit 1 IKEv1, bit 2 IKEv2 */
	int line;
	bool set, weak;
};

/* An ACL line that permits traffic: one child of a policy-based peer. */
struct cisco_ace {
	const char *acl;
	int line;
	const char *src_kind, *src;  /* "cidr" / "group" / "object" / "any" */
	const char *dst_kind, *dst;
};

/* An object-group network / object network member. */
struct cisco_obj {
	const char *group;     /* the group or object's name */
	bool is_group;
	int line;
	const char *kind;      /* "cidr" or "group" (group-object / network-object object) */
	const char *val;
};

struct cisco_if {
	const char *name;
	int line;
	const char *nameif;    /* ASA */
	const char *addr;      /* first "ip address" */
	const char *tun_src, *tun_dst, *tun_prof;
	bool tun_ipsec;
	const char *cmap;      /* IOS "crypto map NAME" on the interface */
};

/* ASA tunnel-group (the keys live in keys[] under the group's name). */
struct cisco_tgroup {
	const char *name;
	int line;
	bool l2l;
	long dpd_delay, dpd_retry;
	bool dpd_off;
	const char *group_policy;
	unsigned versions;     /* keys configured: bit 1 ikev1, bit 2 ikev2 */
};

struct cisco_gpol {
	const char *name;
	unsigned versions;     /* vpn-tunnel-protocol; 0 unset */
};

struct cisco_map_if {
	const char *map, *ifname;
};

struct cisco_cfg {
	bool asa;
	struct cisco_p1 *p1;
	size_t np1, cap_p1;
	struct cisco_v2pol *v2pol;
	size_t nv2pol, cap_v2pol;
	struct cisco_tset *tset;
	size_t ntset, cap_tset;
	struct cisco_p2 *p2;
	size_t np2, cap_p2;
	struct cisco_prof *prof;
	size_t nprof, cap_prof;
	struct cisco_key *key;
	size_t nkey, cap_key;
	struct cisco_ace *ace;
	size_t nace, cap_ace;
	struct cisco_obj *obj;
	size_t nobj, cap_obj;
	struct cisco_if *ifs;
	size_t nifs, cap_ifs;
	struct cisco_tgroup *tg;
	size_t ntg, cap_tg;
	struct cisco_gpol *gp;
	size_t ngp, cap_gp;
	struct cisco_map_if *mapif;
	size_t nmapif, cap_mapif;
	/* globals */
	long ka_delay, ka_retry;       /* IOS crypto isakmp keepalive */
	long v2dpd_delay, v2dpd_retry; /* IOS crypto ikev2 dpd */
	long life_s, life_kb;          /* crypto ipsec security-association lifetime */
	int natt;
};

void cisco_cfg_init(struct cisco_cfg *c, bool asa);

/* Finders: the object of that name (and version where it has one), or NULL. */
struct cisco_p2 *cisco_find_p2(struct cisco_cfg *c, const char *name, long seq, bool is_map);
struct cisco_prof *cisco_find_prof(struct cisco_cfg *c, const char *name, int version);
struct cisco_if *cisco_find_if(struct cisco_cfg *c, const char *name);
struct cisco_tgroup *cisco_find_tg(struct cisco_cfg *c, const char *name);
struct cisco_gpol *cisco_find_gp(struct cisco_cfg *c, const char *name);

/* Parses the PFS group of "set pfs [groupN]" at token i (absent: dflt). Returns false
 * for a word that is not groupN. */
bool cisco_pfs(const struct cisco_line *l, size_t i, long dflt, long *out);
/* "set security-association lifetime seconds N | kilobytes N|unlimited" from token i
 * (pointing at "seconds"/"kilobytes"); "unlimited" / "disable" give 0 kilobytes (no
 * volume limit). Returns 0, or -1 with err. */
int cisco_sa_lifetime(struct devconf_model *m, const struct cisco_line *l, size_t i,
		      long *life_s, long *life_kb, struct diag_error *err);
/* An ACL entry "permit PROTO SRC DST ..." from token i (at "permit"); deny and remark are
 * ignored. wildcard: IOS masks. Returns 0, or -1 with err. */
int cisco_ace(struct devconf_model *m, struct cisco_cfg *c, const char *acl,
	      const struct cisco_line *l, size_t i, bool wildcard, struct diag_error *err);

/* Turns the store into peers (see the .c for the rules). Returns 0, or -1 with err. */
int cisco_build(struct devconf_model *m, struct cisco_cfg *c, struct diag_error *err);

#endif
