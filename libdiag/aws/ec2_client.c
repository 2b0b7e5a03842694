#include "libdiag/aws/ec2_client.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "libdiag/aws/creds.h"
#include "libdiag/aws/ec2_error.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/http.h"
#include "libdiag/xml.h"

struct live {
	struct aws_model *m;
	const struct aws_live_opts *o;
	struct aws_creds creds;
	char region[64];
	struct http_endpoint ep;
	unsigned max_retries, base_ms, cap_ms;
	struct aws_live_stats st;
};

/* A growable form body: "Action=...&Version=...&Name=Value..." (no secrets). */
struct form {
	char *p;
	size_t len, cap;
	int oom;
};

/* ---- retry policy ------------------------------------------------------------------ */

static bool in_list(const char *code, const char *const *list)
{
	for (; code && *list; list++)
		if (strcmp(code, *list) == 0)
			return true;
	return false;
}

/* botocore's standard retry mode names these (botocore/retries/standard.py). */
static const char *const throttle_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
	"TooManyRequestsException", "ProvisionedThroughputExceededException",
	"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
	"LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
	"EC2ThrottledException", NULL,
};

static const char *const transient_codes[] = {
	"RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
	"ServiceUnavailable", "Unavailable", NULL,
};

static const char *const noperm_codes[] = {
	"AuthFailure", "UnauthorizedOperation", "AccessDenied", "AccessDeniedException",
	"SignatureDoesNotMatch", "IncompleteSignature", "InvalidClientTokenId",
	"UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException",
	"RequestExpired", "MissingAuthenticationToken", "InvalidToken", "OptInRequired",
	"Blocked", "PendingVerification", "AuthFailure.ServiceLinkedRoleCreationNotPermitted",
	NULL,
};

bool aws_ec2_retryable(const char *code, long http_status)
{
	if (in_list(code, throttle_codes) || in_list(code, transient_codes))
		return true;
	if (in_list(code, noperm_codes))
		return false;
	return http_status == 429 || http_status == 500 || http_status == 502 ||
	       http_status == 503 || http_status == 504;
}

enum diag_exit aws_ec2_error_exit(const char *code)
{
	return in_list(code, noperm_codes) ? DIAG_EXIT_NOPERM : DIAG_EXIT_UNAVAILABLE;
}

unsigned aws_retry_delay_ms(unsigned attempt, unsigned base_ms, unsigned cap_ms, unsigned r)
{
	unsigned long long ceil = base_ms;

	for (unsigned i = 0; i < attempt && ceil < cap_ms; i++)
		ceil *= 2;
	if (ceil > cap_ms)
		ceil = cap_ms;
	if (ceil == 0)
		return 0;
	return (unsigned)(r % ceil);
}

static void backoff(struct live *l, unsigned attempt)
{
	unsigned r = 0, ms;
	struct timespec ts;

	if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
		r = (unsigned)time(NULL) * 2654435761u;
	ms = aws_retry_delay_ms(attempt, l->base_ms, l->cap_ms, r);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	l->st.retries++;
}

/* ---- the form body ----------------------------------------------------------------- */

static void form_add(struct form *f, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	size_t need = f->len + 1 + 3 * (nl + vl) + 2;
	long n;

	if (f->oom)
		return;
	if (need > f->cap) {
		size_t cap = f->cap ? f->cap : 256;
		char *p;

		while (cap < need)
			cap *= 2;
		p = realloc(f->p, cap);
		if (!p) {
			f->oom = 1;
			return;
		}
		f->p = p;
		f->cap = cap;
	}
	if (f->len)
		f->p[f->len++] = '&';
	n = sigv4_uri_encode(name, nl, 0, f->p + f->len, f->cap - f->len);
	if (n < 0) {
		f->oom = 1;
		return;
	}
	f->len += (size_t)n;
	f->p[f->len++] = '=';
	n = sigv4_uri_encode(value, vl, 0, f->p + f->len, f->cap - f->len);
	if (n < 0) {
		f->oom = 1;
		return;
	}
	f->len += (size_t)n;
	f->p[f->len] = '\0';
}

static void form_start(struct form *f, const char *action)
{
	memset(f, 0, sizeof *f);
	form_add(f, "Action", action);
	form_add(f, "Version", AWS_EC2_API_VERSION);
}

/* Filter.1.Name=NAME, Filter.1.Value.N=v[N-1]. */
static void form_filter(struct form *f, const char *name, char *const *v, size_t n)
{
	char key[48];

	if (n == 0)
		return;
	form_add(f, "Filter.1.Name", name);
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof key, "Filter.1.Value.%zu", i + 1);
		form_add(f, key, v[i]);
	}
}

/* ---- one API call ------------------------------------------------------------------ */

/* Hands a local error to the caller's, keeping diag_fail's "first error wins" rule. */
static void keep_error(struct diag_error *err, const struct diag_error *e)
{
	if (err && err->code == 0)
		*err = *e;
}

/* Replaces every occurrence of a secret in s (a message from the server) by "<redacted>";
 * no EC2 message should echo one, and this makes sure. */
static void scrub(char *s, size_t cap, const struct aws_creds *c)
{
	static const char red[] = "<redacted>";
	const char *secrets[2] = { c->secret_access_key, c->session_token };

	for (size_t i = 0; i < 2; i++) {
		size_t sl = strlen(secrets[i]);
		char *from = s, *hit;

		if (sl < 4)
			continue;
		while ((hit = strstr(from, secrets[i])) != NULL) {
			size_t tail = strlen(hit + sl);

			if ((size_t)(hit - s) + sizeof red + tail > cap) {
				hit[0] = '\0';
				break;
			}
			memmove(hit + sizeof red - 1, hit + sl, tail + 1);
			memcpy(hit, red, sizeof red - 1);
			from = hit + sizeof red - 1;
		}
		/* A fragment of a secret (the server cut its echo short) starts like it: end
		 * the text there rather than print part of a key. */
		if (sl >= 16) {
			char head[13];
			char *frag;

			memcpy(head, secrets[i], 12);
			head[12] = '\0';
			if ((frag = strstr(s, head)) != NULL && (size_t)(frag - s) + sizeof red <= cap)
				memcpy(frag, red, sizeof red);
			else if (frag)
				frag[0] = '\0';
			OPENSSL_cleanse(head, sizeof head);
		}
	}
}

/* " (the local clock is N s off the server's)" when the Date header says so. */
static void skew_note(const char *date, char *out, size_t len)
{
	struct tm tm;
	time_t server, now = time(NULL);
	long long d;

	out[0] = '\0';
	memset(&tm, 0, sizeof tm);
	if (!date[0] || !strptime(date, "%a, %d %b %Y %H:%M:%S", &tm))
		return;
	server = timegm(&tm);
	d = (long long)now - (long long)server;
	if (d > 300 || d < -300)
		snprintf(out, len, " (the local clock is %lld s %s the server's)",
			 d < 0 ? -d : d, d < 0 ? "behind" : "ahead of");
}

/* Signs and sends one attempt. Returns http_request's result. */
static int send_signed(struct live *l, const char *source, const struct form *f,
		       struct http_response *rs, struct diag_error *err)
{
	char date[SIGV4_AMZ_DATE_LEN], auth[1024], h_auth[1100], h_host[300], h_date[48];
	char h_token[sizeof l->creds.session_token + 32];
	const char *hdrs[6];
	size_t n = 0;
	struct sigv4_request r;
	struct http_request req;
	int rc;

	memset(rs, 0, sizeof *rs);
	sigv4_amz_date(time(NULL), date);
	hdrs[n++] = "Content-Type: application/x-www-form-urlencoded; charset=utf-8";
	snprintf(h_host, sizeof h_host, "Host: %s", l->ep.host);
	hdrs[n++] = h_host;
	snprintf(h_date, sizeof h_date, "X-Amz-Date: %s", date);
	hdrs[n++] = h_date;
	h_token[0] = '\0';
	if (l->creds.session_token[0]) {
		snprintf(h_token, sizeof h_token, "X-Amz-Security-Token: %s",
			 l->creds.session_token);
		hdrs[n++] = h_token;
	}
	memset(&r, 0, sizeof r);
	r.method = "POST";
	r.host = l->ep.host;
	r.path = l->ep.path;
	r.headers = hdrs;
	r.n_headers = n;
	r.body = f->p;
	r.body_len = f->len;
	rc = sigv4_sign(&r, &l->creds, l->region, "ec2", date, auth, sizeof auth, NULL, 0,
			NULL, 0, err);
	if (rc == 0) {
		snprintf(h_auth, sizeof h_auth, "Authorization: %s", auth);
		hdrs[n++] = h_auth;
		hdrs[n] = NULL;
		memset(&req, 0, sizeof req);
		req.method = "POST";
		req.url = l->ep.url;
		req.headers = hdrs;
		req.body = f->p;
		req.body_len = f->len;
		req.ca_bundle = l->o->ca_bundle;
		req.connect_timeout_ms = l->o->connect_timeout_ms;
		req.timeout_ms = l->o->timeout_ms;
		req.what = source;
		l->st.requests++;
		rc = http_request(&req, rs, err);
	}
	OPENSSL_cleanse(h_token, sizeof h_token);
	return rc;
}

/* The EC2 error document of a failed answer: code and message, "" when unreadable. */
static void read_api_error(const struct live *l, const struct http_response *rs, char *code,
			   size_t code_len, char *msg, size_t msg_len)
{
	/* Scrub the server's whole text before anything is cut to fit: a session token is
	 * longer than the message buffer, and a cut inside it would leave its start behind. */
	char full_code[4096], full_msg[16384];

	if (aws_ec2_error_parse(rs->body, rs->len, full_code, sizeof full_code, full_msg,
				sizeof full_msg, NULL, 0) != 0)
		full_code[0] = full_msg[0] = '\0';
	scrub(full_code, sizeof full_code, &l->creds);
	scrub(full_msg, sizeof full_msg, &l->creds);
	snprintf(code, code_len, "%s", full_code);
	snprintf(msg, msg_len, "%s", full_msg);
	OPENSSL_cleanse(full_code, sizeof full_code);
	OPENSSL_cleanse(full_msg, sizeof full_msg);
}

/* Calls action with body f, retrying as the policy says. Returns the answer's tree as
 * aws_xml_tree_to_json made it (the caller frees it with aws_json_free_wiped), or NULL with
 * err filled; *api_code (when not NULL) receives the EC2 error code of a final API error. */
static cJSON *ec2_call(struct live *l, const char *action, const struct form *f,
		       char *api_code, size_t api_code_len, struct diag_error *err)
{
	char source[96], code[128], msg[512], skew[96];
	struct http_response rs;
	struct diag_error e;
	cJSON *tree, *json;

	snprintf(source, sizeof source, "ec2:%s", action);
	if (api_code)
		api_code[0] = '\0';
	if (f->oom)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, source, "out of memory"), NULL;
	for (unsigned attempt = 0;; attempt++) {
		bool last = attempt >= l->max_retries;

		diag_error_clear(&e);
		if (send_signed(l, source, f, &rs, &e) != 0) {
			if (rs.transient && !last) {
				backoff(l, attempt);
				continue;
			}
			keep_error(err, &e);
			return NULL;
		}
		if (rs.status == 200)
			break;
		read_api_error(l, &rs, code, sizeof code, msg, sizeof msg);
		if (aws_ec2_retryable(code[0] ? code : NULL, rs.status) && !last) {
			http_response_free(&rs);
			backoff(l, attempt);
			continue;
		}
		skew_note(rs.date, skew, sizeof skew);
		if (api_code)
			snprintf(api_code, api_code_len, "%s", code);
		if (code[0])
			diag_fail(err, aws_ec2_error_exit(code), source, "%s: %s%s%s", code,
				  msg[0] ? msg : "(no message)",
				  aws_ec2_error_exit(code) == DIAG_EXIT_NOPERM ? skew : "",
				  attempt ? " (after retries)" : "");
		else
			diag_fail(err, rs.status == 401 || rs.status == 403 ? DIAG_EXIT_NOPERM :
				  DIAG_EXIT_UNAVAILABLE, source, "HTTP status %ld%s", rs.status,
				  attempt ? " (after retries)" : "");
		http_response_free(&rs);
		return NULL;
	}
	tree = xml_to_tree(rs.body, rs.len, source, err);
	http_response_free(&rs);
	if (!tree)
		return NULL;
	json = aws_xml_tree_to_json(tree, source, err);
	xml_tree_free(tree);
	return json;
}

/* Loads one answer into the model; *next receives its NextToken (or ""). */
static int load_answer(struct live *l, const char *action, cJSON *json, char *next,
		       size_t next_len, struct diag_error *err)
{
	char source[96];
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(json, "NextToken");
	int rc;

	snprintf(source, sizeof source, "ec2:%s", action);
	if (next)
		next[0] = '\0';
	if (next && cJSON_IsString(tok) && tok->valuestring[0]) {
		if (strlen(tok->valuestring) >= next_len) {
			aws_json_free_wiped(json);
			return diag_fail(err, DIAG_EXIT_DATAERR, source, "NextToken too long");
		}
		snprintf(next, next_len, "%s", tok->valuestring);
	}
	rc = aws_load_json_cjson(l->m, json, source, err);
	aws_json_free_wiped(json);
	if (rc == 0)
		l->st.pages++;
	return rc;
}

typedef void (*params_fn)(struct form *f, const void *ctx);

/* Calls action page after page (MaxResults=100 when paginate, NextToken followed). */
static int ec2_load(struct live *l, const char *action, bool paginate, params_fn params,
		    const void *ctx, struct diag_error *err)
{
	char next[4096], prev[4096], source[96];
	struct form f;
	unsigned pages = 0;
	int rc;

	next[0] = prev[0] = '\0';
	snprintf(source, sizeof source, "ec2:%s", action);
	do {
		cJSON *json;

		form_start(&f, action);
		if (params)
			params(&f, ctx);
		if (paginate) {
			form_add(&f, "MaxResults", "100");
			if (next[0])
				form_add(&f, "NextToken", next);
		}
		json = ec2_call(l, action, &f, NULL, 0, err);
		free(f.p);
		if (!json)
			return -1;
		snprintf(prev, sizeof prev, "%s", next);
		rc = load_answer(l, action, json, paginate ? next : NULL, sizeof next, err);
		if (rc != 0)
			return -1;
		if (next[0] && strcmp(next, prev) == 0)
			return diag_fail(err, DIAG_EXIT_UNAVAILABLE, source,
					 "NextToken repeats itself; giving up");
		if (++pages >= AWS_LIVE_MAX_PAGES && next[0])
			return diag_fail(err, DIAG_EXIT_UNAVAILABLE, source,
					 "more than %d pages; giving up", AWS_LIVE_MAX_PAGES);
	} while (paginate && next[0]);
	return 0;
}

/* ---- what to ask for --------------------------------------------------------------- */

struct scope {
	const char *vpn_id, *vgw_id, *cgw_id;
	char *vpcs[64];
	size_t n_vpcs;
};

static void p_vpn(struct form *f, const void *ctx)
{
	const struct scope *s = ctx;

	if (s->vpn_id)
		form_add(f, "VpnConnectionId.1", s->vpn_id);
}

static void p_vgw(struct form *f, const void *ctx)
{
	const struct scope *s = ctx;

	if (s->vgw_id)
		form_add(f, "VpnGatewayId.1", s->vgw_id);
}

static void p_cgw(struct form *f, const void *ctx)
{
	const struct scope *s = ctx;

	if (s->cgw_id)
		form_add(f, "CustomerGatewayId.1", s->cgw_id);
}

static void p_vpcs(struct form *f, const void *ctx)
{
	const struct scope *s = ctx;

	form_filter(f, "vpc-id", s->vpcs, s->n_vpcs);
}

/* With a VPN connection id: its gateways, and the VPCs attached to its VGW. */
static int narrow(struct live *l, struct scope *s, struct diag_error *err)
{
	const struct aws_vpn_connection *c = aws_find_vpn_connection(l->m, s->vpn_id);

	if (!c)
		return diag_fail(err, DIAG_EXIT_UNAVAILABLE, "ec2:DescribeVpnConnections",
				 "VPN connection %s not found in region %s", s->vpn_id,
				 l->region);
	s->vgw_id = c->vpn_gateway_id;
	s->cgw_id = c->customer_gateway_id;
	return 0;
}

static void vgw_vpcs(struct live *l, struct scope *s)
{
	const struct aws_vpn_gateway *g = aws_find_vpn_gateway(l->m, s->vgw_id);

	for (size_t i = 0; g && i < g->n_attachments; i++) {
		const struct aws_vpc_attachment *a = &g->attachments[i];

		if (!a->vpc_id || s->n_vpcs >= sizeof s->vpcs / sizeof s->vpcs[0])
			continue;
		if (a->state && strcmp(a->state, "attached") != 0 &&
		    strcmp(a->state, "attaching") != 0)
			continue;
		s->vpcs[s->n_vpcs++] = a->vpc_id;
	}
}

/* GetActiveVpnTunnelStatus for one tunnel. Returns 0 (loaded), 1 (the API is not
 * available), -1 (err filled). */
static int tunnel_status(struct live *l, const char *vpn_id, const char *ip,
			 struct diag_error *err)
{
	static const char action[] = "GetActiveVpnTunnelStatus";
	char code[128];
	size_t before = l->m->n_active_status;
	struct aws_active_status *a;
	struct diag_error e;
	struct form f;
	cJSON *json;

	form_start(&f, action);
	form_add(&f, "VpnConnectionId", vpn_id);
	form_add(&f, "VpnTunnelOutsideIpAddress", ip);
	diag_error_clear(&e);
	json = ec2_call(l, action, &f, code, sizeof code, &e);
	free(f.p);
	if (!json) {
		if (strcmp(code, "UnknownOperation") == 0 || strcmp(code, "InvalidAction") == 0) {
			l->st.tunnel_status_unavailable++;
			return 1;
		}
		/* The negotiated values are a bonus: without the permission for them the
		 * Describe answers still make a model, so say so and go on. */
		if (strcmp(code, "UnauthorizedOperation") == 0 || strcmp(code, "AccessDenied") == 0 ||
		    strcmp(code, "AccessDeniedException") == 0) {
			char **w = ARENA_PUSH(&l->m->arena, l->m->warnings.v, l->m->warnings.n,
					      l->m->warnings.cap);

			l->st.tunnel_status_unavailable++;
			if (w)
				*w = arena_strdup(&l->m->arena,
						  "ec2:GetActiveVpnTunnelStatus: not permitted "
						  "(ec2:GetActiveVpnTunnelStatus missing from the "
						  "policy); negotiated values not shown");
			return 1;
		}
		keep_error(err, &e);
		return -1;
	}
	if (load_answer(l, action, json, NULL, 0, err) != 0)
		return -1;
	/* The answer does not repeat the request's ids; the model wants them. */
	for (size_t i = before; i < l->m->n_active_status; i++) {
		a = &l->m->active_status[i];
		if (!a->vpn_connection_id)
			a->vpn_connection_id = arena_strdup(&l->m->arena, vpn_id);
		if (!a->outside_ip)
			a->outside_ip = arena_strdup(&l->m->arena, ip);
		if (!a->vpn_connection_id || !a->outside_ip)
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "ec2:GetActiveVpnTunnelStatus",
					 "out of memory");
	}
	return 0;
}

static int all_tunnel_status(struct live *l, size_t first, struct diag_error *err)
{
	for (size_t i = first; i < l->m->n_vpn_connections; i++) {
		const struct aws_vpn_connection *c = &l->m->vpn_connections[i];
		size_t n = c->n_tunnels ? c->n_tunnels : c->n_telemetry;

		if (!c->id || (c->state && strcmp(c->state, "deleted") == 0))
			continue;
		for (size_t t = 0; t < n; t++) {
			const char *ip = c->n_tunnels ? c->tunnels[t].outside_ip :
							c->telemetry[t].outside_ip;
			int rc;

			if (!ip)
				continue;
			rc = tunnel_status(l, c->id, ip, err);
			if (rc < 0)
				return -1;
			if (rc > 0)
				return 0;
		}
	}
	return 0;
}

static int load_all(struct live *l, struct diag_error *err)
{
	struct scope s;
	size_t first_vpn = l->m->n_vpn_connections;

	memset(&s, 0, sizeof s);
	s.vpn_id = l->o->vpn_connection_id;
	if (ec2_load(l, "DescribeVpnConnections", false, p_vpn, &s, err) != 0)
		return -1;
	if (s.vpn_id && narrow(l, &s, err) != 0)
		return -1;
	if ((!s.vpn_id || s.vgw_id) &&
	    ec2_load(l, "DescribeVpnGateways", false, p_vgw, &s, err) != 0)
		return -1;
	if ((!s.vpn_id || s.cgw_id) &&
	    ec2_load(l, "DescribeCustomerGateways", false, p_cgw, &s, err) != 0)
		return -1;
	if (s.vpn_id)
		vgw_vpcs(l, &s);
	if (ec2_load(l, "DescribeRouteTables", true, p_vpcs, &s, err) != 0 ||
	    ec2_load(l, "DescribeSubnets", true, p_vpcs, &s, err) != 0 ||
	    ec2_load(l, "DescribeVpcs", true, p_vpcs, &s, err) != 0)
		return -1;
	if (l->o->tunnel_status)
		return all_tunnel_status(l, first_vpn, err);
	return 0;
}

/* ---- set-up ------------------------------------------------------------------------ */

static bool region_ok(const char *r)
{
	size_t n = strlen(r);

	if (n == 0 || n > 40)
		return false;
	for (; *r; r++)
		if (!islower((unsigned char)*r) && !isdigit((unsigned char)*r) && *r != '-')
			return false;
	return true;
}

static int resolve_region(struct live *l, struct diag_error *err)
{
	int rc;

	if (l->o->region && l->o->region[0]) {
		snprintf(l->region, sizeof l->region, "%s", l->o->region);
	} else {
		rc = aws_region_resolve(l->o->profile, l->region, sizeof l->region, err);
		if (rc < 0)
			return -1;
		if (rc == 0 || !l->region[0])
			return diag_fail(err, DIAG_EXIT_USAGE, "region",
					 "no AWS region: give --region or set AWS_REGION "
					 "(or region in the profile)");
	}
	if (!region_ok(l->region))
		return diag_fail(err, DIAG_EXIT_USAGE, "region",
				 "'%s' is not a region name (lower-case letters, digits, '-')",
				 l->region);
	return 0;
}

static bool env_true(const char *name)
{
	const char *v = getenv(name);

	return v && strcasecmp(v, "true") == 0;
}

static int resolve_endpoint(struct live *l, struct diag_error *err)
{
	const char *url = l->o->endpoint_url, *what = "--endpoint-url";
	char def[160];

	if ((!url || !*url) && !env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
		url = getenv("AWS_ENDPOINT_URL_EC2");
		what = "AWS_ENDPOINT_URL_EC2";
		if (!url || !*url) {
			url = getenv("AWS_ENDPOINT_URL");
			what = "AWS_ENDPOINT_URL";
		}
	}
	if (!url || !*url) {
		snprintf(def, sizeof def, "https://ec2.%s.amazonaws.com%s/", l->region,
			 strncmp(l->region, "cn-", 3) == 0 ? ".cn" : "");
		url = def;
		what = "endpoint";
	}
	return http_endpoint_parse(url, what, &l->ep, err);
}

static unsigned env_retries(void)
{
	const char *v = getenv("AWS_MAX_ATTEMPTS");
	char *end;
	unsigned long n;

	if (!v || !*v)
		return AWS_LIVE_MAX_RETRIES;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < 1 || n > 50)
		return AWS_LIVE_MAX_RETRIES;
	return (unsigned)(n - 1);
}

static int resolve_creds(struct live *l, struct diag_error *err)
{
	struct aws_creds_opts co;

	if (l->o->creds) {
		l->creds = *l->o->creds;
		if (!l->creds.source[0])
			snprintf(l->creds.source, sizeof l->creds.source, "caller");
	} else {
		memset(&co, 0, sizeof co);
		co.profile = l->o->profile;
		co.region = l->region;
		co.sts_endpoint = l->o->sts_endpoint;
		co.imds_endpoint = l->o->imds_endpoint;
		co.ca_bundle = l->o->ca_bundle;
		if (aws_creds_resolve(&co, &l->creds, err) != 0)
			return -1;
	}
	if (aws_creds_expired(&l->creds, time(NULL)))
		return diag_fail(err, DIAG_EXIT_NOPERM, "credentials",
				 "the credentials from %s have expired", l->creds.source);
	return 0;
}

int aws_live_load(struct aws_model *m, const struct aws_live_opts *o, struct diag_error *err)
{
	struct live *l;
	int rc = -1;

	/* on the heap: the credentials are large, and wiped before free */
	l = calloc(1, sizeof *l);
	if (!l)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "aws", "out of memory");
	l->m = m;
	l->o = o;
	l->max_retries = o->max_retries ? o->max_retries : env_retries();
	l->base_ms = o->retry_base_ms ? o->retry_base_ms : AWS_LIVE_RETRY_BASE_MS;
	l->cap_ms = o->retry_cap_ms ? o->retry_cap_ms : AWS_LIVE_RETRY_CAP_MS;
	if (resolve_region(l, err) == 0 && resolve_endpoint(l, err) == 0) {
		snprintf(l->st.region, sizeof l->st.region, "%s", l->region);
		snprintf(l->st.endpoint, sizeof l->st.endpoint, "%s", l->ep.url);
		if (resolve_creds(l, err) == 0) {
			snprintf(l->st.creds_source, sizeof l->st.creds_source, "%s",
				 l->creds.source);
			rc = load_all(l, err);
		}
	}
	if (o->stats)
		*o->stats = l->st;
	aws_creds_clear(&l->creds);
	OPENSSL_cleanse(l, sizeof *l);
	free(l);
	return rc;
}
