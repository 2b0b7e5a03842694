/* The defaults table of libdiag/aws/tunnel_values.def turned into data and code: the
 * accepted-value arrays, the info rows, and aws_tunnel_effective(), all generated from the
 * same rows. */
#include "libdiag/aws/defaults.h"

#include <pthread.h>
#include <string.h>
#include <strings.h>

/* ---- the accepted values: two parallel arrays each, in table order ------------------ */
/* The .def keeps each option's values together, right after the option's row, so an
 * option's values are one slice of these arrays (test_aws_json checks it). */
static const enum aws_tunnel_field str_field[] = {
#define AWS_TV_STR(id, value, src) AWS_TF_##id,
#include "libdiag/aws/tunnel_values.def"
};
static const char *const str_value[] = {
#define AWS_TV_STR(id, value, src) value,
#include "libdiag/aws/tunnel_values.def"
};
static const enum aws_tunnel_field int_field[] = {
#define AWS_TV_INT(id, value, src) AWS_TF_##id,
#include "libdiag/aws/tunnel_values.def"
};
static const long int_value[] = {
#define AWS_TV_INT(id, value, src) value,
#include "libdiag/aws/tunnel_values.def"
};
#define N(a) (sizeof(a) / sizeof *(a))

/* ---- info rows ---------------------------------------------------------------------- */
#define AWS_TV_NUM(id, field, json, min, max, def, alt, src)                                 \
	{AWS_TF_##id, AWS_TV_KIND_NUM, json, min, max, def, alt, NULL, NULL, 0, NULL, 0, src},
#define AWS_TV_ENUM(id, field, json, def, src)                                              \
	{AWS_TF_##id, AWS_TV_KIND_ENUM, json, 0, 0, 0, 0, def, NULL, 0, NULL, 0, src},
#define AWS_TV_BOOL(id, field, json, def, src)                                              \
	{AWS_TF_##id, AWS_TV_KIND_BOOL, json, 0, 1, def, def, NULL, NULL, 0, NULL, 0, src},
#define AWS_TV_STRS(id, field, json, src)                                                   \
	{AWS_TF_##id, AWS_TV_KIND_STRS, json, 0, 0, 0, 0, NULL, NULL, 0, NULL, 0, src},
#define AWS_TV_INTS(id, field, json, src)                                                   \
	{AWS_TF_##id, AWS_TV_KIND_INTS, json, 0, 0, 0, 0, NULL, NULL, 0, NULL, 0, src},
static struct aws_tunnel_value_info rows[AWS_TF_COUNT] = {
#include "libdiag/aws/tunnel_values.def"
};

/* The slice of field f in a value array: its first index and its length. */
static size_t slice(const enum aws_tunnel_field *fields, size_t n, enum aws_tunnel_field f,
		    size_t *first)
{
	size_t i = 0, len = 0;

	while (i < n && fields[i] != f)
		i++;
	*first = i;
	while (i + len < n && fields[i + len] == f)
		len++;
	return len;
}

static void point_rows(void)
{
	for (size_t f = 0; f < AWS_TF_COUNT; f++) {
		size_t first, n = slice(str_field, N(str_field), f, &first);

		rows[f].strs = n ? &str_value[first] : NULL;
		rows[f].n_strs = n;
		n = slice(int_field, N(int_field), f, &first);
		rows[f].ints = n ? &int_value[first] : NULL;
		rows[f].n_ints = n;
	}
}

/* The rows, pointed at their slices of the value arrays once, before the first lookup. */
static const struct aws_tunnel_value_info *table(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, point_rows);
	return rows;
}

const struct aws_tunnel_value_info *aws_tunnel_info(enum aws_tunnel_field f)
{
	if ((unsigned)f >= AWS_TF_COUNT)
		return NULL;
	return &table()[f];
}

const struct aws_tunnel_value_info *aws_tunnel_info_by_json(const char *json)
{
	static const struct {
		const char *request, *output;
	} spellings[] = {
		{"DPDTimeoutSeconds", "DpdTimeoutSeconds"},
		{"DPDTimeoutAction", "DpdTimeoutAction"},
		{"IKEVersions", "IkeVersions"},
	};

	if (!json)
		return NULL;
	for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++)
		if (strcmp(json, spellings[i].request) == 0)
			json = spellings[i].output;
	for (size_t i = 0; i < AWS_TF_COUNT; i++)
		if (strcmp(table()[i].json, json) == 0)
			return &table()[i];
	return NULL;
}

/* ---- effective values --------------------------------------------------------------- */
/* A copy of a default list in the arena, so the caller may treat it like any loaded
 * list; the static array itself when there is no arena or no room. */
static void default_strs(struct aws_strs *s, const struct aws_tunnel_value_info *r,
			 struct arena *a)
{
	char **v = a ? arena_alloc(a, r->n_strs * sizeof *v) : NULL;

	for (size_t i = 0; v && i < r->n_strs; i++)
		v[i] = (char *)r->strs[i];
	s->v = v ? v : (char **)r->strs;
	s->n = s->cap = r->n_strs;
}

static void default_ints(struct aws_ints *s, const struct aws_tunnel_value_info *r,
			 struct arena *a)
{
	long *v = a ? arena_alloc(a, r->n_ints * sizeof *v) : NULL;

	if (v)
		memcpy(v, r->ints, r->n_ints * sizeof *v);
	s->v = v ? v : (long *)r->ints;
	s->n = s->cap = r->n_ints;
}

void aws_tunnel_effective(const struct aws_tunnel_options *in, struct aws_tunnel_options *out,
			  unsigned *defaulted_mask, struct arena *a)
{
	const struct aws_tunnel_value_info *t = table();
	unsigned mask = 0;

	*out = *in;
#define AWS_TV_NUM(id, field, json, min, max, def, alt, src)                                 \
	if (in->field == AWS_ABSENT) {                                                      \
		out->field = (def);                                                         \
		mask |= AWS_TF_BIT(AWS_TF_##id);                                            \
	}
#define AWS_TV_BOOL(id, field, json, def, src)                                              \
	if (in->field == AWS_ABSENT) {                                                      \
		out->field = (def);                                                         \
		mask |= AWS_TF_BIT(AWS_TF_##id);                                            \
	}
#define AWS_TV_ENUM(id, field, json, def, src)                                              \
	if (!in->field) {                                                                   \
		out->field = (char *)(def);                                                 \
		mask |= AWS_TF_BIT(AWS_TF_##id);                                            \
	}
#define AWS_TV_STRS(id, field, json, src)                                                   \
	if (in->field.n == 0) {                                                             \
		default_strs(&out->field, &t[AWS_TF_##id], a);                              \
		mask |= AWS_TF_BIT(AWS_TF_##id);                                            \
	}
#define AWS_TV_INTS(id, field, json, src)                                                   \
	if (in->field.n == 0) {                                                             \
		default_ints(&out->field, &t[AWS_TF_##id], a);                              \
		mask |= AWS_TF_BIT(AWS_TF_##id);                                            \
	}
#include "libdiag/aws/tunnel_values.def"
	if (defaulted_mask)
		*defaulted_mask = mask;
}

/* ---- lookups ------------------------------------------------------------------------ */
bool aws_tunnel_accepts_str(enum aws_tunnel_field f, const char *v)
{
	const struct aws_tunnel_value_info *r = aws_tunnel_info(f);

	if (!r || !v)
		return false;
	for (size_t i = 0; i < r->n_strs; i++)
		if (strcasecmp(r->strs[i], v) == 0)
			return true;
	return false;
}

bool aws_tunnel_accepts_int(enum aws_tunnel_field f, long v)
{
	const struct aws_tunnel_value_info *r = aws_tunnel_info(f);

	if (!r)
		return false;
	if (r->kind == AWS_TV_KIND_NUM || r->kind == AWS_TV_KIND_BOOL)
		return v >= r->min && v <= r->max;
	for (size_t i = 0; i < r->n_ints; i++)
		if (r->ints[i] == v)
			return true;
	return false;
}

bool aws_tunnel_in_range(enum aws_tunnel_field f, long v)
{
	const struct aws_tunnel_value_info *r = aws_tunnel_info(f);

	return r && r->kind == AWS_TV_KIND_NUM && v >= r->min && v <= r->max;
}

bool aws_supported_ike_version(const char *v)
{
	return aws_tunnel_accepts_str(AWS_TF_IKE_VERSIONS, v);
}

bool aws_supported_phase1_encryption(const char *v)
{
	return aws_tunnel_accepts_str(AWS_TF_PHASE1_ENCRYPTION, v);
}

bool aws_supported_phase2_encryption(const char *v)
{
	return aws_tunnel_accepts_str(AWS_TF_PHASE2_ENCRYPTION, v);
}

bool aws_supported_phase1_integrity(const char *v)
{
	return aws_tunnel_accepts_str(AWS_TF_PHASE1_INTEGRITY, v);
}

bool aws_supported_phase2_integrity(const char *v)
{
	return aws_tunnel_accepts_str(AWS_TF_PHASE2_INTEGRITY, v);
}

bool aws_supported_phase1_dh(long group)
{
	return aws_tunnel_accepts_int(AWS_TF_PHASE1_DH, group);
}

bool aws_supported_phase2_dh(long group)
{
	return aws_tunnel_accepts_int(AWS_TF_PHASE2_DH, group);
}

bool aws_supported_dpd_action(const char *v)
{
	return aws_tunnel_accepts_str(AWS_TF_DPD_ACTION, v);
}

bool aws_supported_startup_action(const char *v)
{
	return aws_tunnel_accepts_str(AWS_TF_STARTUP_ACTION, v);
}

unsigned aws_tunnel_relations(const struct aws_tunnel_options *e)
{
	unsigned bad = 0;

	if (e->phase1_lifetime_s != AWS_ABSENT && e->phase2_lifetime_s != AWS_ABSENT &&
	    e->phase2_lifetime_s >= e->phase1_lifetime_s)
		bad |= AWS_TF_BIT(AWS_TF_PHASE2_LIFETIME);
	if (e->phase2_lifetime_s != AWS_ABSENT && e->rekey_margin_s != AWS_ABSENT &&
	    e->rekey_margin_s > e->phase2_lifetime_s / 2)
		bad |= AWS_TF_BIT(AWS_TF_REKEY_MARGIN);
	if (e->startup_action && strcasecmp(e->startup_action, "start") == 0 &&
	    e->ike_versions.n > 0) {
		bool v2 = false;

		for (size_t i = 0; i < e->ike_versions.n; i++)
			if (e->ike_versions.v[i] && strcasecmp(e->ike_versions.v[i], "ikev2") == 0)
				v2 = true;
		if (!v2)
			bad |= AWS_TF_BIT(AWS_TF_STARTUP_ACTION);
	}
	return bad;
}
