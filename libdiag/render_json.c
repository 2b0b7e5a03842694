#include <stdlib.h>
#include <string.h>

#include "libdiag/redact.h"
#include "libdiag/render.h"
#include "libdiag/utf8.h"

/* Adds item under key; frees item and returns false when either allocation failed. */
static bool put(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return false;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return false;
	}
	return true;
}

static cJSON *str_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

/* One finding, keys in schema order, evidence already redacted. NULL on OOM. */
static cJSON *finding_to_json(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	if (!put(o, "check", cJSON_CreateString(f->check ? f->check : "")) ||
	    !put(o, "status", cJSON_CreateString(diag_status_name(f->status))) ||
	    !put(o, "subject", cJSON_CreateString(f->subject ? f->subject : "")) ||
	    !put(o, "summary", cJSON_CreateString(f->summary ? f->summary : "")) ||
	    !put(o, "evidence", f->evidence ? redact_copy(f->evidence) : cJSON_CreateObject()) ||
	    !put(o, "fix", str_or_null(f->fix)) || !put(o, "ref", str_or_null(f->ref)) ||
	    (f->section && !put(o, "section", cJSON_CreateString(f->section)))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *cause_to_json(const struct report_cause *c)
{
	cJSON *o = cJSON_CreateObject(), *idx = cJSON_CreateArray();

	if (!o || !idx) {
		cJSON_Delete(o);
		cJSON_Delete(idx);
		return NULL;
	}
	for (size_t i = 0; i < c->nfindings; i++)
		if (!cJSON_AddItemToArray(idx, cJSON_CreateNumber((double)c->findings[i]))) {
			cJSON_Delete(idx);
			cJSON_Delete(o);
			return NULL;
		}
	if (!put(o, "id", cJSON_CreateString(c->id)) ||
	    !put(o, "title", cJSON_CreateString(c->title)) ||
	    !put(o, "section", cJSON_CreateString(c->section)) ||
	    !put(o, "severity", cJSON_CreateString(diag_status_name(c->severity))) ||
	    !put(o, "reasoning", cJSON_CreateString(c->reasoning)) || !put(o, "findings", idx)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *report_to_json(const struct report *r)
{
	cJSON *root = cJSON_CreateObject(), *findings = cJSON_CreateArray();

	if (!root || !findings)
		goto oom;
	for (size_t i = 0; i < r->n; i++) {
		cJSON *f = finding_to_json(&r->findings[i]);

		if (!f || !cJSON_AddItemToArray(findings, f)) {
			cJSON_Delete(f);
			goto oom;
		}
	}
	if (!put(root, "tool", cJSON_CreateString(r->tool ? r->tool : "")) ||
	    !put(root, "version", cJSON_CreateString(r->version ? r->version : "")) ||
	    !put(root, "schema_version", cJSON_CreateNumber(REPORT_SCHEMA_VERSION)) ||
	    (r->scope && !put(root, "scope", cJSON_CreateString(r->scope)))) {
		goto oom;
	}
	if (!put(root, "findings", findings)) {
		findings = NULL; /* put freed it */
		goto oom;
	}
	findings = NULL;
	if (!put(root, "verdict", cJSON_CreateString(diag_status_name(report_verdict(r)))))
		goto oom;
	if (r->ncauses) {
		cJSON *causes = cJSON_CreateArray();

		for (size_t i = 0; causes && i < r->ncauses; i++) {
			cJSON *c = cause_to_json(&r->causes[i]);

			if (!c || !cJSON_AddItemToArray(causes, c)) {
				cJSON_Delete(c);
				cJSON_Delete(causes);
				goto oom;
			}
		}
		if (!put(root, "root_causes", causes))
			goto oom;
	}
	return root;
oom:
	cJSON_Delete(findings);
	cJSON_Delete(root);
	return NULL;
}

/* One line of compact JSON and a newline, so reports concatenate as NDJSON. */
char *render_json(const struct report *r)
{
	cJSON *root = report_to_json(r);
	char *printed, *out = NULL;
	size_t n;

	if (!root)
		return NULL;
	printed = json_print_utf8(root, false);
	cJSON_Delete(root);
	if (!printed)
		return NULL;
	n = strlen(printed);
	out = malloc(n + 2);
	if (out) {
		memcpy(out, printed, n);
		memcpy(out + n, "\n", 2);
	}
	cJSON_free(printed);
	return out;
}
