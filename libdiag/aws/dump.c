/* The model dump of libdiag/aws/dump.h: one walk over the schema tables, the loader's
 * walk in reverse. Secrets are never copied into the tree, only the word "<redacted>". */
#include "libdiag/aws/dump.h"

#include <string.h>

#include "libdiag/aws/schema.h"
#include "libdiag/redact.h"

static const void *get_ptr(const char *at)
{
	const void *p;

	memcpy(&p, at, sizeof p);
	return p;
}

/* Adds v to obj under name, or frees it; returns 0, or -1 when v is NULL or adding
 * fails. */
static int add(cJSON *obj, const char *name, cJSON *v)
{
	if (!v)
		return -1;
	if (!cJSON_AddItemToObject(obj, name, v)) {
		cJSON_Delete(v);
		return -1;
	}
	return 0;
}

static int add_to_array(cJSON *arr, cJSON *v)
{
	if (!v)
		return -1;
	if (!cJSON_AddItemToArray(arr, v)) {
		cJSON_Delete(v);
		return -1;
	}
	return 0;
}

/* [{"Value": x}, ...] or [{ITEM: x}, ...]. */
static cJSON *value_list(const struct aws_field *f, const char *base)
{
	const char *inner = f->kind == AWS_K_FIELD_STRS ? f->item_json : "Value";
	cJSON *arr = cJSON_CreateArray();
	size_t n = f->kind == AWS_K_VALUE_INTS ? ((const struct aws_ints *)(base + f->off))->n
					       : ((const struct aws_strs *)(base + f->off))->n;

	for (size_t i = 0; arr && i < n; i++) {
		cJSON *item = cJSON_CreateObject();
		cJSON *v;

		if (f->kind == AWS_K_VALUE_INTS) {
			v = cJSON_CreateNumber(
				(double)((const struct aws_ints *)(base + f->off))->v[i]);
		} else {
			const char *s = ((const struct aws_strs *)(base + f->off))->v[i];

			v = cJSON_CreateString(s ? s : "");
		}
		if (!item || add(item, inner, v) < 0 || add_to_array(arr, item) < 0) {
			if (!item) /* add() owns v only when it is called */
				cJSON_Delete(v);
			cJSON_Delete(item);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static cJSON *dump_object(const struct aws_schema *s, const char *base);

static cJSON *dump_list(const struct aws_schema *sub, const char *arr, size_t n)
{
	cJSON *out = cJSON_CreateArray();

	for (size_t i = 0; out && i < n; i++) {
		if (add_to_array(out, dump_object(sub, arr + i * sub->size)) < 0) {
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}

/* Adds field f of the struct at base to obj when it is present. Returns 0 or -1 (out of
 * memory). */
static int dump_field(const struct aws_field *f, const char *base, cJSON *obj)
{
	const char *s = NULL;
	long v = 0;
	cJSON *child;

	switch (f->kind) {
	case AWS_K_STR:
		s = *(char *const *)(base + f->off);
		return s ? add(obj, f->json, cJSON_CreateString(s)) : 0;
	case AWS_K_SECRET:
		s = *(char *const *)(base + f->off);
		return s ? add(obj, f->json, cJSON_CreateString(REDACTED)) : 0;
	case AWS_K_TARGET:
		s = *(char *const *)(base + f->off);
		if (!s || !*(const char *const *)(base + f->aux_off) ||
		    strcmp(*(const char *const *)(base + f->aux_off), f->json) != 0)
			return 0;
		return add(obj, f->json, cJSON_CreateString(s));
	case AWS_K_INT:
		v = *(const long *)(base + f->off);
		return v != AWS_ABSENT ? add(obj, f->json, cJSON_CreateNumber((double)v)) : 0;
	case AWS_K_BOOL:
		v = *(const long *)(base + f->off);
		return v != AWS_ABSENT ? add(obj, f->json, cJSON_CreateBool(v != 0)) : 0;
	case AWS_K_VALUE_STRS:
	case AWS_K_FIELD_STRS:
		if (((const struct aws_strs *)(base + f->off))->n == 0)
			return 0;
		return add(obj, f->json, value_list(f, base));
	case AWS_K_VALUE_INTS:
		if (((const struct aws_ints *)(base + f->off))->n == 0)
			return 0;
		return add(obj, f->json, value_list(f, base));
	case AWS_K_OBJECT:
		if (!(child = dump_object(f->sub, base + f->off)))
			return -1;
		if (!child->child) {
			cJSON_Delete(child);
			return 0;
		}
		return add(obj, f->json, child);
	case AWS_K_LIST: {
		size_t n = *(const size_t *)(base + f->n_off);

		return n ? add(obj, f->json, dump_list(f->sub, get_ptr(base + f->off), n)) : 0;
	}
	case AWS_K_PTR_OBJECT: {
		const char *p = get_ptr(base + f->off);

		return p ? add(obj, f->json, dump_object(f->sub, p)) : 0;
	}
	}
	return 0;
}

static cJSON *dump_object(const struct aws_schema *s, const char *base)
{
	cJSON *obj = cJSON_CreateObject();

	for (size_t i = 0; obj && i < s->n_fields; i++) {
		if (dump_field(&s->fields[i], base, obj) < 0) {
			cJSON_Delete(obj);
			return NULL;
		}
	}
	return obj;
}

cJSON *aws_model_to_json(const struct aws_model *m)
{
	const char *mb = (const char *)m;
	cJSON *out = cJSON_CreateObject(), *src;

	for (size_t i = 0; out && i < aws_n_docs; i++) {
		const struct aws_doc *d = &aws_docs[i];

		if (add(out, d->json, dump_list(d->schema, get_ptr(mb + d->arr_off),
						 *(const size_t *)(mb + d->n_off))) < 0) {
			cJSON_Delete(out);
			return NULL;
		}
	}
	if (!out || !(src = cJSON_AddArrayToObject(out, "Sources"))) {
		cJSON_Delete(out);
		return NULL;
	}
	for (size_t i = 0; i < m->sources.n; i++) {
		const char *s = m->sources.v[i] ? m->sources.v[i] : "";

		if (add_to_array(src, cJSON_CreateString(s)) < 0) {
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}
