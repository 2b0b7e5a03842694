/* libFuzzer target for the AWS CLI JSON loader, the model dump and the EC2 XML renaming.
 * Promises checked on every input:
 *   - a load either succeeds or fails with an exit code and a message;
 *   - the dump of what loaded has no secret: every PreSharedKey,
 *     CustomerGatewayConfiguration and IkePreSharedKey in it is "<redacted>";
 *   - the dump loads back, and dumps again to the same JSON (Sources and the parsed
 *     configuration, which cannot survive redaction, aside);
 *   - the input read as an element tree renames without crashing, and what it renames to
 *     loads or fails cleanly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "libdiag/aws/dump.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/redact.h"

#define ARENA_LIMIT ((size_t)16 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

/* Every member named like a secret holds "<redacted>". */
static void check_redacted(const cJSON *v)
{
	const cJSON *c;

	if (v->string && (strcmp(v->string, "PreSharedKey") == 0 ||
			  strcmp(v->string, "CustomerGatewayConfiguration") == 0 ||
			  strcmp(v->string, "IkePreSharedKey") == 0))
		check(cJSON_IsString(v) && strcmp(v->valuestring, REDACTED) == 0);
	cJSON_ArrayForEach(c, v)
		check_redacted(c);
}

/* Removes what a reload cannot reproduce. */
static void strip(cJSON *dump)
{
	cJSON *vpns = cJSON_GetObjectItemCaseSensitive(dump, "VpnConnections"), *v;

	cJSON_DeleteItemFromObjectCaseSensitive(dump, "Sources");
	cJSON_ArrayForEach(v, vpns)
		cJSON_DeleteItemFromObjectCaseSensitive(v, "CustomerGatewayConfigurationParsed");
}

/* The model's dump, checked and printed without the parts a reload loses; NULL only
 * when memory runs out. */
static char *dump_text(const struct aws_model *m)
{
	cJSON *d = aws_model_to_json(m);
	char *s;

	if (!d)
		return NULL;
	check_redacted(d);
	strip(d);
	s = cJSON_PrintUnformatted(d);
	cJSON_Delete(d);
	return s;
}

static void roundtrip(const struct aws_model *m)
{
	struct diag_error err = {0};
	struct aws_model m2;
	char *d1 = dump_text(m), *d2;
	cJSON *full;

	if (!d1)
		return;
	/* The full dump (with Sources) is what vpn-aws --json prints: it must load. */
	full = aws_model_to_json(m);
	if (full) {
		char *s = cJSON_PrintUnformatted(full);

		aws_model_init(&m2, ARENA_LIMIT);
		if (s) {
			int rc = aws_load_json(&m2, s, strlen(s), "dump.json", &err);

			check(rc == 0 || err.code == DIAG_EXIT_SOFTWARE);
			if (rc == 0) {
				d2 = dump_text(&m2);
				if (d2)
					check(strcmp(d1, d2) == 0);
				free(d2);
			}
		}
		free(s);
		aws_model_free(&m2);
		cJSON_Delete(full);
	}
	free(d1);
}

static void fuzz_load(const uint8_t *data, size_t size)
{
	struct diag_error err = {0};
	struct aws_model m;
	int rc;

	aws_model_init(&m, ARENA_LIMIT);
	rc = aws_load_json(&m, (const char *)data, size, "fuzz.json", &err);
	check(rc == 0 ? err.code == 0 : err.code != 0 && err.what[0]);
	if (rc == 0) {
		check(m.sources.n == 1);
		roundtrip(&m);
	} else {
		/* A failed load leaves the model empty. */
		check(m.n_vpn_connections == 0 && m.n_route_tables == 0 && m.sources.n == 0);
	}
	aws_model_free(&m);
}

static void fuzz_rename(const uint8_t *data, size_t size)
{
	struct diag_error err = {0};
	struct aws_model m;
	cJSON *tree = cJSON_ParseWithLength((const char *)data, size), *j;

	if (!tree)
		return;
	j = aws_xml_tree_to_json(tree, "ec2:Fuzz", &err);
	if (!j) {
		check(err.code != 0);
	} else {
		aws_model_init(&m, ARENA_LIMIT);
		if (aws_load_json_cjson(&m, j, "ec2:Fuzz", &err) == 0)
			roundtrip(&m);
		else
			check(err.code != 0);
		aws_model_free(&m);
		aws_json_free_wiped(j);
	}
	cJSON_Delete(tree);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_load(data, size);
	fuzz_rename(data, size);
	return 0;
}
