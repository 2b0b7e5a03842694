/* libFuzzer target for xml_to_tree and aws_ec2_error_parse. A document either becomes a
 * tree of objects, arrays and strings with one root member, which prints as JSON and
 * parses back to the same tree, or fails with "SOURCE:LINE:COL" and "XML error: " plus a
 * fixed message (expat's or one of ours), so no text from the input reaches an error. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "libdiag/aws/ec2_error.h"
#include "libdiag/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

/* Every value is an object, an array or a string; depth is bounded by the nesting limit
 * (an element adds at most an object and a repeat array, an item list one array). */
static void check_value(const cJSON *v, int depth)
{
	check(depth <= 2 * XML_MAX_DEPTH + 2);
	if (cJSON_IsString(v)) {
		check(v->valuestring != NULL);
		return;
	}
	check(cJSON_IsObject(v) || cJSON_IsArray(v));
	for (const cJSON *c = v->child; c; c = c->next) {
		check(cJSON_IsObject(v) ? c->string != NULL : c->string == NULL);
		check_value(c, depth + 1);
	}
}

static bool fixed_message(const char *m)
{
	static const char *const ours[] = {
		"elements nested deeper than 64",
		"more than 200000 elements",
		"more than 200000 attributes",
		"document type declarations (DOCTYPE) are not allowed",
		"entity declarations are not allowed",
		"out of memory",
		"no element found",
	};

	for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
		if (strcmp(m, ours[i]) == 0)
			return true;
	for (int code = 1; code < 100; code++) {
		const XML_LChar *s = XML_ErrorString((enum XML_Error)code);

		if (s && strcmp(m, s) == 0)
			return true;
	}
	return false;
}

static void check_error(const struct diag_error *err)
{
	const char *w = err->where;

	check(err->code == DIAG_EXIT_DATAERR || err->code == DIAG_EXIT_SOFTWARE);
	check(strncmp(err->what, "XML error: ", 11) == 0);
	check(fixed_message(err->what + 11));
	check(strncmp(w, "fuzz:", 5) == 0);
	w += 5;
	check(strspn(w, "0123456789") > 0);
	w += strspn(w, "0123456789");
	check(*w++ == ':');
	check(strspn(w, "0123456789") == strlen(w) && *w);
}

static void check_error_doc(const uint8_t *data, size_t size)
{
	char code[32], msg[64], rid[16];

	if (aws_ec2_error_parse((const char *)data, size, code, sizeof code, msg, sizeof msg, rid,
				sizeof rid) < 0) {
		check(!code[0] && !msg[0] && !rid[0]);
		return;
	}
	for (const char *p = msg; *p; p++)
		check((unsigned char)*p >= 0x20 && *p != 0x7f);
	check(strlen(code) < sizeof code && strlen(rid) < sizeof rid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_error err = {0};
	cJSON *t = xml_to_tree((const char *)data, size, "fuzz", &err);

	if (!t) {
		check_error(&err);
	} else {
		char *s, *s2;
		cJSON *back;

		check(err.code == 0);
		check(cJSON_IsObject(t) && cJSON_GetArraySize(t) == 1);
		check_value(t->child, 1);
		/* Compared as text: cJSON_Compare walks each object both ways at every level,
		 * which is exponential in the depth. */
		s = cJSON_PrintUnformatted(t);
		check(s != NULL);
		back = cJSON_Parse(s);
		check(back != NULL);
		s2 = cJSON_PrintUnformatted(back);
		check(s2 != NULL && strcmp(s, s2) == 0);
		cJSON_Delete(back);
		free(s);
		free(s2);
		xml_tree_free(t);
	}
	check_error_doc(data, size);
	return 0;
}
