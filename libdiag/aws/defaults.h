/* The tunnel values AWS supports and the defaults it applies to absent tunnel options,
 * read from the one data table libdiag/aws/tunnel_values.def.
 *
 * The loaders keep what AWS wrote (absent stays AWS_ABSENT / NULL / empty);
 * aws_tunnel_effective() fills the gaps and says which values it filled, so a report can
 * tell "set to 28800" from "absent, so AWS uses 28800". The lookups answer the question a
 * check asks of a device's proposal: would AWS accept this value at all? */
#ifndef LIBDIAG_AWS_DEFAULTS_H
#define LIBDIAG_AWS_DEFAULTS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "libdiag/arena.h"
#include "libdiag/aws/model.h"

/* One per option of the table, in table order. */
enum aws_tunnel_field {
#define AWS_TV_NUM(id, field, json, min, max, def, alt, src) AWS_TF_##id,
#define AWS_TV_ENUM(id, field, json, def, src) AWS_TF_##id,
#define AWS_TV_BOOL(id, field, json, def, src) AWS_TF_##id,
#define AWS_TV_STRS(id, field, json, src) AWS_TF_##id,
#define AWS_TV_INTS(id, field, json, src) AWS_TF_##id,
#include "libdiag/aws/tunnel_values.def"
	AWS_TF_COUNT
};

/* The bit of a field in aws_tunnel_effective()'s defaulted_mask. */
#define AWS_TF_BIT(f) (1u << (f))

enum aws_tv_kind { AWS_TV_KIND_NUM, AWS_TV_KIND_ENUM, AWS_TV_KIND_BOOL, AWS_TV_KIND_STRS,
		   AWS_TV_KIND_INTS };

/* One row of the table, with the values it accepts. */
struct aws_tunnel_value_info {
	enum aws_tunnel_field field;
	enum aws_tv_kind kind;
	const char *json;               /* AWS CLI name: "Phase1LifetimeSeconds" */
	long min, max;                  /* NUM: the range AWS accepts (max LONG_MAX: none) */
	long def, alt_def;              /* NUM, BOOL: the default, and a second default some
					 * AWS documents give (equal to def when there is none) */
	const char *def_str;            /* ENUM: the default */
	const char *const *strs;        /* ENUM, STRS: the accepted values (STRS: also the
					 * default set) */
	size_t n_strs;
	const long *ints;               /* INTS: the accepted values, also the default set */
	size_t n_ints;
	const char *source;             /* where the row comes from */
};

/* The row of f, or NULL when f is out of range. */
const struct aws_tunnel_value_info *aws_tunnel_info(enum aws_tunnel_field f);
/* The row with that AWS CLI name ("DpdTimeoutSeconds"; the request spellings
 * "DPDTimeoutSeconds", "IKEVersions" too), or NULL. */
const struct aws_tunnel_value_info *aws_tunnel_info_by_json(const char *json);

/* Copies *in to *out and fills every absent value with AWS's default, setting
 * AWS_TF_BIT(field) in *defaulted_mask (may be NULL) for each value it filled. Absent
 * lists become the full list of accepted values (what AWS offers when nothing is set).
 * out shares in's strings; filled lists live in a (the model's arena, say) or, when a
 * is NULL or full, in static storage: treat *out as read-only. */
void aws_tunnel_effective(const struct aws_tunnel_options *in, struct aws_tunnel_options *out,
			  unsigned *defaulted_mask, struct arena *a);

/* Would AWS accept this value for the option? Strings compare without case ("aes128"
 * is AES128), as device configurations write them either way. */
bool aws_tunnel_accepts_str(enum aws_tunnel_field f, const char *v);
bool aws_tunnel_accepts_int(enum aws_tunnel_field f, long v);

bool aws_supported_ike_version(const char *v);          /* ikev1, ikev2 */
bool aws_supported_phase1_encryption(const char *v);
bool aws_supported_phase2_encryption(const char *v);
bool aws_supported_phase1_integrity(const char *v);
bool aws_supported_phase2_integrity(const char *v);
bool aws_supported_phase1_dh(long group);
bool aws_supported_phase2_dh(long group);
bool aws_supported_dpd_action(const char *v);
bool aws_supported_startup_action(const char *v);
/* NUM options: v within [min, max] of the row. */
bool aws_tunnel_in_range(enum aws_tunnel_field f, long v);

/* The constraints between options that a range cannot say, checked on effective values
 * (absent ones are skipped): the phase 2 lifetime must be less than the phase 1
 * lifetime, the rekey margin at most half the phase 2 lifetime, StartupAction start
 * needs IKEv2 allowed. Returns the bit set (AWS_TF_BIT of the later field of each
 * broken pair: PHASE2_LIFETIME, REKEY_MARGIN, STARTUP_ACTION), 0 when all hold. */
unsigned aws_tunnel_relations(const struct aws_tunnel_options *eff);

#endif
