/* The live EC2 client end to end against tests/aws-stub/ec2_stub.py: an HTTPS stand-in
 * for EC2 on 127.0.0.1 that checks every request's SigV4 signature with botocore, plus
 * STS and IMDSv2 stand-ins and a CONNECT proxy. A live load must give the same model
 * dump as the offline loader reading the same objects as AWS CLI JSON
 * (testdata/aws-live/json); throttling is retried; errors carry the right exit code, name
 * the API action and never a secret; every credentials source yields a signed, accepted
 * request. Skips (with a message) when python3, botocore or openssl is missing. Runs from
 * the project root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "libdiag/aws/creds.h"
#include "libdiag/aws/dump.h"
#include "libdiag/aws/ec2_client.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/aws/model.h"
#include "libdiag/http.h"

#define REGION "us-east-1"
#define VPN_ID "vpn-0a1b2c3d4e5f67890"

/* Test credentials, one set per source; the stub knows them all (config.json). */
#define ENV_AKID "AKIAENVEXAMPLE000001"
#define ENV_SECRET "envSecret/Key+EXAMPLE0000000000000000001"
#define TOK_AKID "ASIAENVTOKENEXAMPLE1"
#define TOK_SECRET "envTokenSecret/Key+EXAMPLE00000000000002"
#define TOK_TOKEN "IQoJb3JpZ2luX2VjEnvSessionToken//EXAMPLE+token/value=="
#define PROF_AKID "AKIAPROFILEEXAMPLE01"
#define PROF_SECRET "profileSecret/Key+EXAMPLE000000000000003"
#define STS_AKID "ASIASTSEXAMPLE000001"
#define STS_SECRET "stsSecret/Key+EXAMPLE0000000000000000004"
#define STS_TOKEN "FwoGZXIvYXdzEStsSessionToken//EXAMPLE+sts/token=="
#define IMDS_AKID "ASIAIMDSEXAMPLE00001"
#define IMDS_SECRET "imdsSecret/Key+EXAMPLE000000000000000005"
#define IMDS_TOKEN "IQoJb3JpZ2luX2VjImdsSessionToken//EXAMPLE+imds/tok=="
#define WRONG_SECRET "wrongSecret/Key+EXAMPLE00000000000000009"
#define ROLE_ARN "arn:aws:iam::111122223333:role/vpn-doctor"
#define WEB_TOKEN "eyJhbGciOiJSUzI1NiJ9.web-identity-token-EXAMPLE.signature"

static const char *const secrets[] = {
	ENV_SECRET, TOK_SECRET, TOK_TOKEN, PROF_SECRET, STS_SECRET, STS_TOKEN,
	IMDS_SECRET, IMDS_TOKEN, WRONG_SECRET, WEB_TOKEN,
};

static struct {
	int ready;
	char skip_why[200];
	char dir[64];
	char ca[128];
	char endpoint[64];      /* https://127.0.0.1:PORT */
	char plain[64];         /* http://127.0.0.1:PORT */
	int proxy_port;
	FILE *stub;
} g;

/* ---- helpers ----------------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void path_in_dir(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", g.dir, name);
}

/* A request to the stub's plain-http control port; returns the body (caller frees). */
static char *control(const char *method, const char *path)
{
	char url[256];
	struct http_request rq;
	struct http_response rs;
	struct diag_error e;
	char *body;

	snprintf(url, sizeof url, "%s%s", g.plain, path);
	memset(&rq, 0, sizeof rq);
	rq.method = method;
	rq.url = url;
	rq.no_proxy = true;
	if (strcmp(method, "POST") == 0) {
		rq.body = "";
		rq.body_len = 0;
	}
	diag_error_clear(&e);
	assert_int_equal(http_request(&rq, &rs, &e), 0);
	assert_int_equal(rs.status, 200);
	body = strdup(rs.body);
	http_response_free(&rs);
	return body;
}

static void control_post(const char *path)
{
	free(control("POST", path));
}

static cJSON *stub_stats(void)
{
	char *body = control("GET", "/_control/stats");
	cJSON *j = cJSON_Parse(body);

	free(body);
	assert_non_null(j);
	return j;
}

/* How many requests the stub saw for action (NULL: all); *bad counts the ones whose
 * signature failed. */
static int stub_count(const cJSON *stats, const char *action, int *bad)
{
	const cJSON *r;
	int n = 0;

	if (bad)
		*bad = 0;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(stats, "requests"))
	{
		const cJSON *a = cJSON_GetObjectItem(r, "action");

		if (action && (!cJSON_IsString(a) || strcmp(a->valuestring, action) != 0))
			continue;
		n++;
		if (bad && !cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")))
			(*bad)++;
	}
	return n;
}

static int stub_number(const cJSON *stats, const char *key)
{
	return cJSON_GetObjectItem(stats, key)->valueint;
}

/* The params of the stub's request number idx for action. */
static const cJSON *stub_params(const cJSON *stats, const char *action, int idx)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(stats, "requests"))
	{
		const cJSON *a = cJSON_GetObjectItem(r, "action");

		if (cJSON_IsString(a) && strcmp(a->valuestring, action) == 0 && idx-- == 0)
			return cJSON_GetObjectItem(r, "params");
	}
	return NULL;
}

static const char *param(const cJSON *params, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(params, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Every variable that could steer the credentials chain, the region, the endpoint or a
 * proxy; HOME points at the temporary directory so ~/.aws is empty; IMDS is off unless a
 * test turns it on. */
static void reset_env(void)
{
	static const char *const vars[] = {
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
		"AWS_DEFAULT_REGION", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_ROLE_SESSION_NAME", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_STS_ENDPOINT_URL",
		"AWS_CA_BUNDLE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EC2",
		"AWS_ENDPOINT_URL_STS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
		"AWS_MAX_ATTEMPTS", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "HTTPS_PROXY", "https_proxy",
		"HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
	};
	char p[160];

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	setenv("HOME", g.dir, 1);
	path_in_dir(p, sizeof p, "no-credentials");
	setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
	path_in_dir(p, sizeof p, "no-config");
	setenv("AWS_CONFIG_FILE", p, 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
}

static void env_creds(const char *akid, const char *secret, const char *token)
{
	setenv("AWS_ACCESS_KEY_ID", akid, 1);
	setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
	if (token)
		setenv("AWS_SESSION_TOKEN", token, 1);
}

static void base_opts(struct aws_live_opts *o, struct aws_live_stats *st)
{
	memset(o, 0, sizeof *o);
	o->region = REGION;
	o->endpoint_url = g.endpoint;
	o->ca_bundle = g.ca;
	o->stats = st;
}

static void assert_no_secret(const struct diag_error *e)
{
	char text[600];

	diag_error_text(e, text, sizeof text);
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		if (strstr(text, secrets[i]) || strstr(e->where, secrets[i])) {
			print_error("secret %zu leaked: %s\n", i, text);
			fail();
		}
	}
	assert_null(strstr(text, "Authorization"));
	assert_null(strstr(text, "AWS4-HMAC-SHA256"));
}

/* The dump without "Sources" (files offline, API actions live). */
static char *dump_text(const struct aws_model *m)
{
	cJSON *j = aws_model_to_json(m);
	char *s;

	assert_non_null(j);
	cJSON_DeleteItemFromObjectCaseSensitive(j, "Sources");
	s = cJSON_Print(j);
	cJSON_Delete(j);
	assert_non_null(s);
	return s;
}

static void offline_model(const char *const *dirs, struct aws_model *m)
{
	struct diag_error e;
	char text[600];

	aws_model_init(m, 0);
	diag_error_clear(&e);
	for (; *dirs; dirs++) {
		if (aws_load_dir(m, *dirs, &e) != 0) {
			print_error("%s\n", diag_error_text(&e, text, sizeof text));
			fail();
		}
	}
}

/* A live load that must succeed, into m (the caller frees it). */
static void live_model(const struct aws_live_opts *o, struct aws_model *m)
{
	struct diag_error e;
	char text[600];

	aws_model_init(m, 0);
	diag_error_clear(&e);
	if (aws_live_load(m, o, &e) != 0) {
		print_error("live load failed (%d): %s\n", e.code,
			    diag_error_text(&e, text, sizeof text));
		fail();
	}
}

/* A live load that must succeed; returns its dump. */
static char *live_ok(const struct aws_live_opts *o)
{
	struct aws_model m;
	char *s;

	live_model(o, &m);
	s = dump_text(&m);
	aws_model_free(&m);
	return s;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The dump redacts the pre-shared keys; compare them in memory instead (never printed). */
static void assert_same_secrets(const struct aws_model *a, const struct aws_model *b)
{
	size_t keys = 0;

	assert_int_equal(a->n_vpn_connections, b->n_vpn_connections);
	for (size_t i = 0; i < a->n_vpn_connections; i++) {
		const struct aws_vpn_connection *x = &a->vpn_connections[i];
		const struct aws_vpn_connection *y = &b->vpn_connections[i];

		assert_true(same_str(x->cgw_config_xml, y->cgw_config_xml));
		assert_int_equal(x->n_tunnels, y->n_tunnels);
		for (size_t t = 0; t < x->n_tunnels; t++) {
			assert_true(same_str(x->tunnels[t].pre_shared_key,
					     y->tunnels[t].pre_shared_key));
			keys += x->tunnels[t].pre_shared_key != NULL;
		}
		assert_int_equal(!x->cgw_config, !y->cgw_config);
		for (size_t t = 0; x->cgw_config && t < x->cgw_config->n_tunnels; t++) {
			assert_true(same_str(x->cgw_config->tunnels[t].pre_shared_key,
					     y->cgw_config->tunnels[t].pre_shared_key));
			keys += x->cgw_config->tunnels[t].pre_shared_key != NULL;
		}
	}
	assert_int_equal(keys, 4); /* two tunnels, each in TunnelOptions and in the XML */
}

/* Live (with o) and offline (every directory of dirs) give the same dump and keys. */
static void assert_live_is_offline(const struct aws_live_opts *o, const char *const *dirs)
{
	struct aws_model live, offline;
	char *a, *b;

	live_model(o, &live);
	offline_model(dirs, &offline);
	a = dump_text(&live);
	b = dump_text(&offline);
	if (strcmp(a, b) != 0) {
		print_error("live dump:\n%s\noffline dump:\n%s\n", a, b);
		fail();
	}
	assert_same_secrets(&live, &offline);
	free(a);
	free(b);
	aws_model_free(&live);
	aws_model_free(&offline);
}

/* Runs a live load that must fail with code; err receives the error. */
static void live_fails(const struct aws_live_opts *o, enum diag_exit code,
		       struct diag_error *e)
{
	struct aws_model m;
	char text[600];

	aws_model_init(&m, 0);
	diag_error_clear(e);
	assert_int_equal(aws_live_load(&m, o, e), -1);
	aws_model_free(&m);
	if (e->code != code) {
		print_error("want exit %d, got %d: %s\n", code, e->code,
			    diag_error_text(e, text, sizeof text));
		fail();
	}
	assert_no_secret(e);
}

/* A live load that must fail, whatever the code; returns it. */
static enum diag_exit live_fails_any(const struct aws_live_opts *o, struct diag_error *e)
{
	struct aws_model m;

	aws_model_init(&m, 0);
	diag_error_clear(e);
	assert_int_equal(aws_live_load(&m, o, e), -1);
	aws_model_free(&m);
	assert_int_not_equal(e->code, 0);
	assert_no_secret(e);
	return e->code;
}

static void assert_all_signed(int want_requests)
{
	cJSON *st = stub_stats();
	int bad, n = stub_count(st, NULL, &bad);

	assert_int_equal(bad, 0);
	if (want_requests >= 0)
		assert_int_equal(n, want_requests);
	cJSON_Delete(st);
}

/* ---- setup ------------------------------------------------------------------------- */

static int have(const char *cmd)
{
	return system(cmd) == 0;
}

static void write_config(void)
{
	char p[160], text[2048];

	snprintf(text, sizeof text,
		 "{\"region\": \"" REGION "\",\n"
		 " \"keys\": {\n"
		 "  \"" ENV_AKID "\": {\"secret\": \"" ENV_SECRET "\"},\n"
		 "  \"" TOK_AKID "\": {\"secret\": \"" TOK_SECRET "\", \"token\": \"" TOK_TOKEN
		 "\"},\n"
		 "  \"" PROF_AKID "\": {\"secret\": \"" PROF_SECRET "\"},\n"
		 "  \"" STS_AKID "\": {\"secret\": \"" STS_SECRET "\", \"token\": \"" STS_TOKEN
		 "\"},\n"
		 "  \"" IMDS_AKID "\": {\"secret\": \"" IMDS_SECRET "\", \"token\": \""
		 IMDS_TOKEN "\"}},\n"
		 " \"sts\": {\"role_arn\": \"" ROLE_ARN "\", \"token\": \"" WEB_TOKEN
		 "\", \"issue\": \"" STS_AKID "\"},\n"
		 " \"imds\": {\"role\": \"vpn-doctor-node\", \"issue\": \"" IMDS_AKID "\"}}\n");
	path_in_dir(p, sizeof p, "config.json");
	write_file(p, text);
}

static int group_setup(void **state)
{
	char cmd[512], line[128];
	int https = 0, plain = 0;

	(void)state;
	memset(&g, 0, sizeof g);
	if (!have("python3 -c 'import botocore' >/dev/null 2>&1")) {
		snprintf(g.skip_why, sizeof g.skip_why, "python3 with botocore not found");
		return 0;
	}
	if (!have("openssl version >/dev/null 2>&1")) {
		snprintf(g.skip_why, sizeof g.skip_why, "openssl not found");
		return 0;
	}
	snprintf(g.dir, sizeof g.dir, "%s/ec2live.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(g.dir)) {
		snprintf(g.skip_why, sizeof g.skip_why, "mkdtemp failed");
		return 0;
	}
	write_config();
	snprintf(cmd, sizeof cmd,
		 "exec python3 tests/aws-stub/ec2_stub.py --dir '%s' --config '%s/config.json' "
		 "--root . --lifetime 240", g.dir, g.dir);
	g.stub = popen(cmd, "r");
	if (!g.stub || !fgets(line, sizeof line, g.stub) ||
	    sscanf(line, "https=%d http=%d proxy=%d", &https, &plain, &g.proxy_port) != 3) {
		snprintf(g.skip_why, sizeof g.skip_why, "the EC2 stub did not start");
		return 0;
	}
	snprintf(g.ca, sizeof g.ca, "%s/cert.pem", g.dir);
	snprintf(g.endpoint, sizeof g.endpoint, "https://127.0.0.1:%d", https);
	snprintf(g.plain, sizeof g.plain, "http://127.0.0.1:%d", plain);
	g.ready = 1;
	return 0;
}

static int group_teardown(void **state)
{
	static const char *const files[] = {
		"config.json", "cert.pem", "key.pem", "credentials", "config", "web-token",
		"other-ca.pem",
	};
	char p[160];

	(void)state;
	if (g.ready)
		control_post("/_control/quit");
	if (g.stub)
		pclose(g.stub);
	if (g.dir[0]) {
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			path_in_dir(p, sizeof p, files[i]);
			unlink(p);
		}
		rmdir(g.dir);
	}
	return 0;
}

/* Before each stub test: a clean environment and a stub without faults. */
static int each_setup(void **state)
{
	(void)state;
	if (!g.ready)
		return 0;
	reset_env();
	control_post("/_control/reset");
	return 0;
}

#define NEED_STUB()                                                                         \
	do {                                                                                \
		(void)state;                                                                \
		if (!g.ready) {                                                             \
			print_message("skipped: %s\n", g.skip_why);                         \
			skip();                                                             \
		}                                                                           \
	} while (0)

/* ---- the same model, live and offline ----------------------------------------------- */

static void test_live_equals_offline(void **state)
{
	static const char *const dirs[] = { "testdata/aws-live/json", NULL };
	struct aws_live_opts o;
	struct aws_live_stats st;
	const cJSON *p;
	cJSON *stats;

	NEED_STUB();
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	assert_live_is_offline(&o, dirs);

	/* six actions, route tables in two pages; every signature botocore's */
	assert_int_equal(st.requests, 7);
	assert_int_equal(st.pages, 7);
	assert_int_equal(st.retries, 0);
	assert_string_equal(st.region, REGION);
	assert_string_equal(st.creds_source, "environment");
	assert_all_signed(7);
	stats = stub_stats();
	assert_int_equal(stub_count(stats, "DescribeRouteTables", NULL), 2);
	p = stub_params(stats, "DescribeRouteTables", 0);
	assert_string_equal(param(p, "MaxResults"), "100");
	assert_null(param(p, "NextToken"));
	p = stub_params(stats, "DescribeRouteTables", 1);
	assert_string_equal(param(p, "NextToken"), "page2-token");
	assert_string_equal(param(stub_params(stats, "DescribeSubnets", 0), "MaxResults"), "100");
	assert_string_equal(param(stub_params(stats, "DescribeVpcs", 0), "MaxResults"), "100");
	/* no pagination for these three */
	assert_null(param(stub_params(stats, "DescribeVpnConnections", 0), "MaxResults"));
	assert_null(param(stub_params(stats, "DescribeVpnGateways", 0), "MaxResults"));
	assert_null(param(stub_params(stats, "DescribeCustomerGateways", 0), "MaxResults"));
	assert_string_equal(param(stub_params(stats, "DescribeVpcs", 0), "Version"),
			    AWS_EC2_API_VERSION);
	cJSON_Delete(stats);
}

static void test_tunnel_status(void **state)
{
	static const char *const dirs[] = { "testdata/aws-live/json",
					    "testdata/aws-live/json-status", NULL };
	struct aws_live_opts o;
	struct aws_live_stats st;
	cJSON *stats;
	const cJSON *p;

	NEED_STUB();
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	o.tunnel_status = true;
	assert_live_is_offline(&o, dirs);
	/* one call per tunnel of the available connection; none for the deleted one */
	assert_int_equal(st.requests, 9);
	assert_int_equal(st.tunnel_status_unavailable, 0);
	stats = stub_stats();
	assert_int_equal(stub_count(stats, "GetActiveVpnTunnelStatus", NULL), 2);
	p = stub_params(stats, "GetActiveVpnTunnelStatus", 1);
	assert_string_equal(param(p, "VpnConnectionId"), VPN_ID);
	assert_string_equal(param(p, "VpnTunnelOutsideIpAddress"), "198.51.100.20");
	cJSON_Delete(stats);
	assert_all_signed(9);
}

static void test_tunnel_status_unknown(void **state)
{
	static const char *const dirs[] = { "testdata/aws-live/json", NULL };
	struct aws_live_opts o;
	struct aws_live_stats st;

	NEED_STUB();
	control_post("/_control/tunnel-status?mode=unknown");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	o.tunnel_status = true;
	assert_live_is_offline(&o, dirs);
	/* asked once, found missing, not asked again */
	assert_int_equal(st.tunnel_status_unavailable, 1);
	assert_int_equal(st.requests, 8);
}

/* Without ec2:GetActiveVpnTunnelStatus in the policy the Describe answers still make a
 * model: the refusal is a warning, not the end of the run. */
static void test_tunnel_status_not_permitted(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct aws_model m;

	NEED_STUB();
	control_post("/_control/fault?action=GetActiveVpnTunnelStatus&code=UnauthorizedOperation"
		     "&status=403&count=10");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	o.tunnel_status = true;
	live_model(&o, &m);
	assert_true(m.n_vpn_connections >= 1);
	assert_int_equal(m.n_active_status, 0);
	assert_int_equal(st.tunnel_status_unavailable, 1); /* refused once, not asked again */
	assert_int_equal(m.warnings.n, 1);
	assert_non_null(strstr(m.warnings.v[0], "GetActiveVpnTunnelStatus: not permitted"));
	aws_model_free(&m);
}

/* The EC2 API reference's own sample answers (testdata/aws-xml), one page each, through
 * the whole live path. */
static void test_reference_examples(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct aws_model m;
	const struct aws_vpn_connection *c;

	NEED_STUB();
	control_post("/_control/docs?set=reference");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	live_model(&o, &m);
	assert_int_equal(m.n_vpn_connections, 1);
	c = aws_find_vpn_connection(&m, "vpn-1122334455aabbccd");
	assert_non_null(c);
	assert_string_equal(c->state, "available");
	assert_string_equal(c->transit_gateway_id, "tgw-00112233445566aab");
	assert_int_equal(c->n_telemetry, 2);
	assert_string_equal(c->telemetry[1].status, "UP");
	assert_int_equal(c->static_routes_only, 1);
	assert_int_equal(m.n_vpn_gateways, 1);
	assert_int_equal(aws_find_vpn_gateway(&m, "vgw-8db04f81")->amazon_side_asn, 65001);
	assert_int_equal(m.n_customer_gateways, 1);
	assert_string_equal(aws_find_customer_gateway(&m, "cgw-b4dc3961")->bgp_asn, "65534");
	assert_int_equal(m.n_route_tables, 1);
	assert_int_equal(m.route_tables[0].n_routes, 3);
	assert_int_equal(m.n_subnets, 0);
	assert_int_equal(m.n_vpcs, 0);
	assert_int_equal(st.requests, 6);
	aws_model_free(&m);
	assert_all_signed(6);
}

static void test_one_vpn_connection(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	cJSON *stats;
	const cJSON *p;

	NEED_STUB();
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	o.vpn_connection_id = VPN_ID;
	free(live_ok(&o));
	stats = stub_stats();
	assert_string_equal(param(stub_params(stats, "DescribeVpnConnections", 0),
				  "VpnConnectionId.1"), VPN_ID);
	assert_string_equal(param(stub_params(stats, "DescribeVpnGateways", 0),
				  "VpnGatewayId.1"), "vgw-0f1e2d3c4b5a69788");
	assert_string_equal(param(stub_params(stats, "DescribeCustomerGateways", 0),
				  "CustomerGatewayId.1"), "cgw-0e11f167a1b2c3d4e");
	p = stub_params(stats, "DescribeRouteTables", 0);
	assert_string_equal(param(p, "Filter.1.Name"), "vpc-id");
	assert_string_equal(param(p, "Filter.1.Value.1"), "vpc-0123456789abcdef0");
	assert_null(param(p, "Filter.1.Value.2"));
	p = stub_params(stats, "DescribeVpcs", 0);
	assert_string_equal(param(p, "Filter.1.Value.1"), "vpc-0123456789abcdef0");
	cJSON_Delete(stats);
}

/* ---- retries ----------------------------------------------------------------------- */

static void test_throttled_then_ok(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	cJSON *stats;

	NEED_STUB();
	control_post("/_control/fault?action=DescribeVpnConnections&code=RequestLimitExceeded"
		     "&status=503&count=1");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	free(live_ok(&o));
	assert_int_equal(st.retries, 1);
	assert_int_equal(st.requests, 8);
	stats = stub_stats();
	assert_int_equal(stub_count(stats, "DescribeVpnConnections", NULL), 2);
	cJSON_Delete(stats);
}

static void test_server_errors_retried(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;

	NEED_STUB();
	/* a 500 InternalError, then a bare 429 Throttling, then success */
	control_post("/_control/fault?action=DescribeVpcs&code=InternalError&status=500&count=1");
	control_post("/_control/fault?action=DescribeVpcs&code=Throttling&status=429&count=1");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	o.retry_base_ms = 1;
	free(live_ok(&o));
	assert_int_equal(st.retries, 2);
}

static void test_throttled_too_long(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	control_post("/_control/fault?action=DescribeSubnets&code=RequestLimitExceeded"
		     "&status=503&count=10&message=Request%20limit%20exceeded.");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	o.max_retries = 2;
	o.retry_base_ms = 1;
	live_fails(&o, DIAG_EXIT_UNAVAILABLE, &e);
	assert_string_equal(e.where, "ec2:DescribeSubnets");
	assert_string_equal(e.what, "RequestLimitExceeded: Request limit exceeded. "
			    "(after retries)");
	assert_int_equal(st.retries, 2);
}

static void test_max_attempts_env(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	control_post("/_control/fault?action=DescribeVpnConnections&code=Throttling"
		     "&status=400&count=10");
	setenv("AWS_MAX_ATTEMPTS", "1", 1);
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	live_fails(&o, DIAG_EXIT_UNAVAILABLE, &e);
	assert_int_equal(st.requests, 1);
	assert_int_equal(st.retries, 0);
}

/* ---- errors ------------------------------------------------------------------------ */

static void test_wrong_secret(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	env_creds(ENV_AKID, WRONG_SECRET, NULL);
	base_opts(&o, &st);
	live_fails(&o, DIAG_EXIT_NOPERM, &e);
	assert_string_equal(e.where, "ec2:DescribeVpnConnections");
	assert_non_null(strstr(e.what, "AuthFailure: "));
	assert_int_equal(st.requests, 1); /* never retried */
}

static void test_missing_session_token(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	env_creds(TOK_AKID, TOK_SECRET, NULL); /* the stub wants this key's token */
	base_opts(&o, &st);
	live_fails(&o, DIAG_EXIT_NOPERM, &e);
	assert_string_equal(e.where, "ec2:DescribeVpnConnections");
}

static void test_unauthorized(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;
	char text[600];

	NEED_STUB();
	control_post("/_control/fault?action=DescribeRouteTables&code=UnauthorizedOperation"
		     "&status=403&message=You%20are%20not%20authorized%20to%20perform%20this"
		     "%20operation.");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	live_fails(&o, DIAG_EXIT_NOPERM, &e);
	assert_string_equal(diag_error_text(&e, text, sizeof text),
			    "ec2:DescribeRouteTables: UnauthorizedOperation: You are not "
			    "authorized to perform this operation.");
}

static void test_access_denied_and_expired(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	control_post("/_control/fault?action=DescribeVpcs&code=AccessDenied&status=403");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	live_fails(&o, DIAG_EXIT_NOPERM, &e);
	assert_string_equal(e.where, "ec2:DescribeVpcs");

	control_post("/_control/fault?action=DescribeVpnGateways&code=RequestExpired"
		     "&status=400");
	live_fails(&o, DIAG_EXIT_NOPERM, &e);
	assert_string_equal(e.where, "ec2:DescribeVpnGateways");
	assert_non_null(strstr(e.what, "RequestExpired: "));
}

static void test_expired_credentials(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct aws_creds c;
	struct diag_error e;

	NEED_STUB();
	memset(&c, 0, sizeof c);
	snprintf(c.access_key_id, sizeof c.access_key_id, "%s", TOK_AKID);
	snprintf(c.secret_access_key, sizeof c.secret_access_key, "%s", TOK_SECRET);
	snprintf(c.session_token, sizeof c.session_token, "%s", TOK_TOKEN);
	snprintf(c.source, sizeof c.source, "test");
	c.expiration = 1000000000; /* 2001 */
	base_opts(&o, &st);
	o.creds = &c;
	live_fails(&o, DIAG_EXIT_NOPERM, &e);
	assert_int_equal(st.requests, 0);

	c.expiration = 0; /* the same credentials, not expiring: accepted */
	free(live_ok(&o));
	aws_creds_clear(&c);
}

static void test_other_api_error(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	control_post("/_control/fault?action=DescribeCustomerGateways"
		     "&code=InvalidParameterValue&status=400&message=bad%20value");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	live_fails(&o, DIAG_EXIT_UNAVAILABLE, &e);
	assert_string_equal(e.where, "ec2:DescribeCustomerGateways");
	assert_string_equal(e.what, "InvalidParameterValue: bad value");
	assert_int_equal(st.retries, 0);

	/* a server that echoes the secret key: the message never carries it */
	control_post("/_control/fault?action=DescribeVpnConnections&code=IncompleteSignature"
		     "&status=400&message=key%20envSecret%2FKey%2BEXAMPLE0000000000000000001"
		     "%20is%20wrong");
	live_fails(&o, DIAG_EXIT_NOPERM, &e);
	assert_string_equal(e.what, "IncompleteSignature: key <redacted> is wrong");
}

static void test_malformed_answer(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	control_post("/_control/fault?action=DescribeVpnGateways&code=malformed");
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	live_fails(&o, DIAG_EXIT_DATAERR, &e);
	assert_memory_equal(e.where, "ec2:DescribeVpnGateways", 23);
}

static void test_no_region(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	o.region = NULL;
	live_fails(&o, DIAG_EXIT_USAGE, &e);
	assert_int_equal(st.requests, 0);

	o.region = "us-east-1/../x";
	live_fails(&o, DIAG_EXIT_USAGE, &e);

	/* AWS_REGION, then AWS_DEFAULT_REGION */
	o.region = NULL;
	setenv("AWS_DEFAULT_REGION", REGION, 1);
	free(live_ok(&o));
	assert_string_equal(st.region, REGION);
}

static void test_bad_endpoint(void **state)
{
	static const char *const bad[] = {
		"ftp://127.0.0.1/", "127.0.0.1:443", "https://user:pw@127.0.0.1/",
		"https://127.0.0.1/?a=b", "",
	};
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;
	char url[96];
	cJSON *stats;
	const cJSON *r;

	NEED_STUB();
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o.endpoint_url = bad[i];
		if (!bad[i][0]) {
			/* empty means "the default": with AWS_ENDPOINT_URL_EC2 set badly */
			setenv("AWS_ENDPOINT_URL_EC2", "gopher://x", 1);
		}
		live_fails(&o, DIAG_EXIT_USAGE, &e);
	}
	assert_string_equal(e.where, "AWS_ENDPOINT_URL_EC2");
	assert_int_equal(st.requests, 0);

	/* the environment's endpoint, when no flag names one */
	setenv("AWS_ENDPOINT_URL_EC2", g.endpoint, 1);
	o.endpoint_url = NULL;
	free(live_ok(&o));

	/* an endpoint with a path (a gateway in front of EC2): sent and signed as given,
	 * the port in the Host header and the signature's host; "localhost" too */
	snprintf(url, sizeof url, "%s/ec2/api/", g.endpoint);
	o.endpoint_url = url;
	free(live_ok(&o));
	snprintf(url, sizeof url, "https://localhost:%s", strrchr(g.endpoint, ':') + 1);
	free(live_ok(&o));
	assert_all_signed(21);
	stats = stub_stats();
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(stats, "requests"), 7);
	assert_string_equal(cJSON_GetObjectItem(r, "path")->valuestring, "/ec2/api/");
	assert_string_equal(cJSON_GetObjectItem(r, "host")->valuestring, g.endpoint + 8);
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(stats, "requests"), 14);
	assert_string_equal(cJSON_GetObjectItem(r, "path")->valuestring, "/");
	assert_memory_equal(cJSON_GetObjectItem(r, "host")->valuestring, "localhost:", 10);
	cJSON_Delete(stats);
}

static void test_tls_and_network_errors(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;
	char p[160];

	NEED_STUB();
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);

	/* a CA that did not sign the stub's certificate: not retried */
	path_in_dir(p, sizeof p, "other-ca.pem");
	assert_int_equal(system("openssl req -x509 -newkey rsa:2048 -nodes -days 1 "
				"-subj /CN=other -keyout /dev/null -out \"$HOME/other-ca.pem\" "
				">/dev/null 2>&1"), 0);
	o.ca_bundle = p;
	live_fails(&o, DIAG_EXIT_UNAVAILABLE, &e);
	assert_string_equal(e.where, "ec2:DescribeVpnConnections: 127.0.0.1");
	assert_int_equal(st.requests, 1);

	/* no CA file at all */
	path_in_dir(p, sizeof p, "no-such-ca.pem");
	live_fails(&o, DIAG_EXIT_NOINPUT, &e);

	/* AWS_CA_BUNDLE when no option names one */
	o.ca_bundle = NULL;
	setenv("AWS_CA_BUNDLE", g.ca, 1);
	free(live_ok(&o));

	/* nobody listening: retried, then 69 naming the host */
	o.endpoint_url = "https://127.0.0.1:1";
	o.max_retries = 2;
	o.retry_base_ms = 1;
	live_fails(&o, DIAG_EXIT_UNAVAILABLE, &e);
	assert_string_equal(e.where, "ec2:DescribeVpnConnections: 127.0.0.1");
	assert_int_equal(st.requests, 3);
}

/* ---- credentials sources ------------------------------------------------------------ */

static void assert_signed_by(const char *akid)
{
	cJSON *st = stub_stats();
	const cJSON *r;
	int n = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(st, "requests"))
	{
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
		assert_string_equal(cJSON_GetObjectItem(r, "akid")->valuestring, akid);
		n++;
	}
	assert_int_equal(n, 7);
	cJSON_Delete(st);
}

static void test_creds_env_with_token(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;

	NEED_STUB();
	env_creds(TOK_AKID, TOK_SECRET, TOK_TOKEN);
	base_opts(&o, &st);
	free(live_ok(&o));
	assert_signed_by(TOK_AKID);
}

static void test_creds_profile(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	char p[160];

	NEED_STUB();
	path_in_dir(p, sizeof p, "credentials");
	write_file(p, "[default]\naws_access_key_id = AKIAWRONGDEFAULT0000\n"
		      "aws_secret_access_key = " WRONG_SECRET "\n\n"
		      "[vpn-prod]\naws_access_key_id = " PROF_AKID "\n"
		      "aws_secret_access_key = " PROF_SECRET "\n");
	setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
	path_in_dir(p, sizeof p, "config");
	write_file(p, "[default]\nregion = eu-west-1\n\n[profile vpn-prod]\nregion = " REGION
		      "\noutput = json\n");
	setenv("AWS_CONFIG_FILE", p, 1);
	base_opts(&o, &st);
	o.profile = "vpn-prod";
	o.region = NULL; /* from the profile */
	free(live_ok(&o));
	assert_string_equal(st.region, REGION);
	assert_non_null(strstr(st.creds_source, "vpn-prod"));
	assert_signed_by(PROF_AKID);

	/* AWS_PROFILE names it too */
	control_post("/_control/reset");
	setenv("AWS_PROFILE", "vpn-prod", 1);
	o.profile = NULL;
	free(live_ok(&o));
	assert_signed_by(PROF_AKID);
}

static void test_creds_web_identity(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;
	cJSON *stats;
	char p[160], p2[160], sts[96];

	NEED_STUB();
	path_in_dir(p, sizeof p, "web-token");
	write_file(p, WEB_TOKEN "\n");
	setenv("AWS_ROLE_ARN", ROLE_ARN, 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", p, 1);
	setenv("AWS_ROLE_SESSION_NAME", "vpn-doctor-test", 1);
	base_opts(&o, &st);
	/* STS over HTTPS, verified with the CA bundle the EC2 calls use (--cacert) */
	snprintf(sts, sizeof sts, "%s/", g.endpoint);
	o.sts_endpoint = sts;
	free(live_ok(&o));
	assert_signed_by(STS_AKID);
	stats = stub_stats();
	assert_int_equal(stub_number(stats, "sts"), 1);
	cJSON_Delete(stats);

	/* without that CA the stub's certificate is refused: STS is never answered and EC2
	 * never called */
	control_post("/_control/reset");
	o.ca_bundle = NULL;
	live_fails(&o, DIAG_EXIT_UNAVAILABLE, &e);
	assert_string_equal(e.where, "web identity");
	assert_non_null(strstr(e.what, "STS AssumeRoleWithWebIdentity: "));
	assert_int_equal(st.requests, 0);
	/* a CA bundle that cannot be read: 66, naming the STS call */
	path_in_dir(p2, sizeof p2, "no-such-ca.pem");
	o.ca_bundle = p2;
	live_fails(&o, DIAG_EXIT_NOINPUT, &e);
	assert_string_equal(e.where, "web identity");
	assert_int_equal(st.requests, 0);
	stats = stub_stats();
	assert_int_equal(stub_number(stats, "sts"), 0);
	cJSON_Delete(stats);
	/* AWS_CA_BUNDLE reaches STS too when no option names a bundle */
	o.ca_bundle = NULL;
	setenv("AWS_CA_BUNDLE", g.ca, 1);
	free(live_ok(&o));
	assert_signed_by(STS_AKID);
	unsetenv("AWS_CA_BUNDLE");
	o.ca_bundle = g.ca;

	/* a token STS refuses: an error, and neither token appears in it */
	write_file(p, "not-the-right-token\n");
	live_fails_any(&o, &e);
	assert_int_equal(st.requests, 0);
}

static void test_creds_imds(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	cJSON *stats;

	NEED_STUB();
	unsetenv("AWS_EC2_METADATA_DISABLED");
	base_opts(&o, &st);
	o.imds_endpoint = g.plain;
	free(live_ok(&o));
	assert_signed_by(IMDS_AKID);
	stats = stub_stats();
	assert_true(stub_number(stats, "imds") >= 3); /* token, role name, credentials */
	cJSON_Delete(stats);
}

static void test_no_credentials(void **state)
{
	struct aws_live_opts o;
	struct aws_live_stats st;
	struct diag_error e;

	NEED_STUB();
	base_opts(&o, &st);
	live_fails(&o, DIAG_EXIT_NOPERM, &e);
	assert_int_equal(st.requests, 0);
}

/* ---- proxies ----------------------------------------------------------------------- */

static void test_https_proxy(void **state)
{
	static const char *const names[] = { "HTTPS_PROXY", "https_proxy", "ALL_PROXY" };
	struct aws_live_opts o;
	struct aws_live_stats st;
	char proxy[64];
	cJSON *stats;

	NEED_STUB();
	env_creds(ENV_AKID, ENV_SECRET, NULL);
	base_opts(&o, &st);
	snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", g.proxy_port);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		control_post("/_control/reset");
		setenv(names[i], proxy, 1);
		free(live_ok(&o));
		stats = stub_stats();
		/* one CONNECT tunnel per request: an easy handle each */
		assert_int_equal(stub_number(stats, "proxy"), 7);
		cJSON_Delete(stats);

		/* NO_PROXY / no_proxy (an address here) bypass it */
		control_post("/_control/reset");
		setenv(i % 2 ? "no_proxy" : "NO_PROXY", "localhost,127.0.0.1", 1);
		free(live_ok(&o));
		stats = stub_stats();
		assert_int_equal(stub_number(stats, "proxy"), 0);
		assert_int_equal(stub_count(stats, NULL, NULL), 7);
		cJSON_Delete(stats);
		unsetenv(names[i]);
		unsetenv("NO_PROXY");
		unsetenv("no_proxy");
	}
}

/* ---- pieces without the stub -------------------------------------------------------- */

static void test_retry_policy(void **state)
{
	(void)state;
	assert_true(aws_ec2_retryable("RequestLimitExceeded", 503));
	assert_true(aws_ec2_retryable("Throttling", 400));
	assert_true(aws_ec2_retryable("ThrottlingException", 400));
	assert_true(aws_ec2_retryable("InternalError", 500));
	assert_true(aws_ec2_retryable(NULL, 429));
	assert_true(aws_ec2_retryable(NULL, 502));
	assert_true(aws_ec2_retryable("SomethingNew", 503));
	assert_false(aws_ec2_retryable("AuthFailure", 401));
	assert_false(aws_ec2_retryable("UnauthorizedOperation", 403));
	assert_false(aws_ec2_retryable("InvalidParameterValue", 400));
	assert_false(aws_ec2_retryable(NULL, 404));
	assert_int_equal(aws_ec2_error_exit("UnauthorizedOperation"), DIAG_EXIT_NOPERM);
	assert_int_equal(aws_ec2_error_exit("AccessDenied"), DIAG_EXIT_NOPERM);
	assert_int_equal(aws_ec2_error_exit("AuthFailure"), DIAG_EXIT_NOPERM);
	assert_int_equal(aws_ec2_error_exit("ExpiredToken"), DIAG_EXIT_NOPERM);
	assert_int_equal(aws_ec2_error_exit("RequestLimitExceeded"), DIAG_EXIT_UNAVAILABLE);
	assert_int_equal(aws_ec2_error_exit(NULL), DIAG_EXIT_UNAVAILABLE);

	/* full jitter: [0, min(cap, base * 2^attempt)) */
	assert_int_equal(aws_retry_delay_ms(0, 100, 5000, 0), 0);
	assert_int_equal(aws_retry_delay_ms(0, 100, 5000, 99), 99);
	assert_int_equal(aws_retry_delay_ms(0, 100, 5000, 100), 0);
	assert_int_equal(aws_retry_delay_ms(3, 100, 5000, 799), 799);
	assert_int_equal(aws_retry_delay_ms(3, 100, 5000, 800), 0);
	assert_int_equal(aws_retry_delay_ms(6, 100, 5000, 4999), 4999);
	assert_int_equal(aws_retry_delay_ms(6, 100, 5000, 5000), 0);
	assert_int_equal(aws_retry_delay_ms(40, 100, 5000, 0xffffffffu), 0xffffffffu % 5000);
	assert_int_equal(aws_retry_delay_ms(3, 0, 5000, 7), 0);
}

static void test_url_host(void **state)
{
	static const struct {
		const char *url, *host;
	} cases[] = {
		{ "https://ec2.us-east-1.amazonaws.com/", "ec2.us-east-1.amazonaws.com" },
		{ "https://127.0.0.1:8443", "127.0.0.1" },
		{ "http://user:pw@host.example:80/p?q#f", "host.example" },
		{ "https://[::1]:8443/x", "[::1]" },
		{ "host-only", "host-only" },
		{ "", "" },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(http_url_host(cases[i].url, out, sizeof out), cases[i].host);
	assert_string_equal(http_url_host("https://abcdefgh/", out, 4), "abc");
	assert_string_equal(http_user_agent(), "vpn-doctor/" VPN_DOCTOR_VERSION);
}

static void test_endpoint_parse(void **state)
{
	struct http_endpoint ep;
	struct diag_error e;

	(void)state;
	diag_error_clear(&e);
	assert_int_equal(http_endpoint_parse("https://127.0.0.1:8443", "x", &ep, &e), 0);
	assert_string_equal(ep.host, "127.0.0.1:8443");
	assert_string_equal(ep.path, "/");
	assert_string_equal(ep.url, "https://127.0.0.1:8443/");
	assert_int_equal(http_endpoint_parse("https://EC2.example.com:443/a/./b/../c", "x", &ep,
					     &e), 0);
	assert_string_equal(ep.host, "EC2.example.com");
	assert_string_equal(ep.path, "/a/c");
	assert_int_equal(http_endpoint_parse("http://[::1]:8080/", "x", &ep, &e), 0);
	assert_string_equal(ep.host, "[::1]:8080");
	assert_int_equal(http_endpoint_parse("http://localhost:80", "x", &ep, &e), 0);
	assert_string_equal(ep.host, "localhost");
	assert_int_equal(http_endpoint_parse("file:///etc/passwd", "--endpoint-url", &ep, &e),
			 -1);
	assert_int_equal(e.code, DIAG_EXIT_USAGE);
	assert_string_equal(e.where, "--endpoint-url");
}

int main(void)
{
	const struct CMUnitTest stub_tests[] = {
		cmocka_unit_test_setup(test_live_equals_offline, each_setup),
		cmocka_unit_test_setup(test_tunnel_status, each_setup),
		cmocka_unit_test_setup(test_tunnel_status_unknown, each_setup),
		cmocka_unit_test_setup(test_tunnel_status_not_permitted, each_setup),
		cmocka_unit_test_setup(test_reference_examples, each_setup),
		cmocka_unit_test_setup(test_one_vpn_connection, each_setup),
		cmocka_unit_test_setup(test_throttled_then_ok, each_setup),
		cmocka_unit_test_setup(test_server_errors_retried, each_setup),
		cmocka_unit_test_setup(test_throttled_too_long, each_setup),
		cmocka_unit_test_setup(test_max_attempts_env, each_setup),
		cmocka_unit_test_setup(test_wrong_secret, each_setup),
		cmocka_unit_test_setup(test_missing_session_token, each_setup),
		cmocka_unit_test_setup(test_unauthorized, each_setup),
		cmocka_unit_test_setup(test_access_denied_and_expired, each_setup),
		cmocka_unit_test_setup(test_expired_credentials, each_setup),
		cmocka_unit_test_setup(test_other_api_error, each_setup),
		cmocka_unit_test_setup(test_malformed_answer, each_setup),
		cmocka_unit_test_setup(test_no_region, each_setup),
		cmocka_unit_test_setup(test_bad_endpoint, each_setup),
		cmocka_unit_test_setup(test_tls_and_network_errors, each_setup),
		cmocka_unit_test_setup(test_creds_env_with_token, each_setup),
		cmocka_unit_test_setup(test_creds_profile, each_setup),
		cmocka_unit_test_setup(test_creds_web_identity, each_setup),
		cmocka_unit_test_setup(test_creds_imds, each_setup),
		cmocka_unit_test_setup(test_no_credentials, each_setup),
		cmocka_unit_test_setup(test_https_proxy, each_setup),
	};
	const struct CMUnitTest plain_tests[] = {
		cmocka_unit_test(test_retry_policy),
		cmocka_unit_test(test_url_host),
		cmocka_unit_test(test_endpoint_parse),
	};
	int failed = cmocka_run_group_tests_name("ec2_live_pieces", plain_tests, NULL, NULL);

	return failed + cmocka_run_group_tests_name("ec2_live_stub", stub_tests, group_setup,
						    group_teardown);
}
