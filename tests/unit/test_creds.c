/* The credentials chain, source by source: environment; the shared credentials and config
 * files (two profiles, "[profile x]" sections, region); precedence; web identity against
 * a local STS stand-in; IMDSv2 against a local metadata stand-in; expired credentials;
 * malformed INI with line numbers; and that no error message carries a secret.
 *
 * Every test runs with HOME pointed at a fresh temporary directory and every AWS_*
 * variable cleared. The stand-ins are threads answering on 127.0.0.1 (port 0), one request
 * per connection, with bounded waits; they record each request so the test can check what
 * the client sent (the token from the token file, the RoleArn, the IMDS token header). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "libdiag/aws/creds.h"

/* Fake, recognisable secrets: a test greps every error message for them. */
#define ENV_AKID "AKIAENVEXAMPLE000001"
#define ENV_SECRET "envSecret/EXAMPLE+0000000000000000000000"
#define ENV_TOKEN "envSessionToken//EXAMPLE=="
#define DEF_AKID "AKIADEFAULTEXAMPLE01"
#define DEF_SECRET "defaultSecret/EXAMPLE+000000000000000000"
#define WORK_AKID "AKIAWORKEXAMPLE00001"
#define WORK_SECRET "workSecret/EXAMPLE+000000000000000000000"
#define WORK_TOKEN "workToken/EXAMPLE+=="
#define CFG_AKID "AKIACONFIGEXAMPLE001"
#define CFG_SECRET "configSecret/EXAMPLE+00000000000000000000"
#define WEB_TOKEN "eyJhbGciOiJSUzI1NiIsImtpZCI6IkVYQU1QTEUifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6dnBuIn0.c2lnbmF0dXJl+/="
#define STS_AKID "ASIASTSEXAMPLE000001"
#define STS_SECRET "stsSecret/EXAMPLE+0000000000000000000000"
#define STS_TOKEN "FwoGZXIvYXdzEXAMPLESTSSESSIONTOKEN+/=="
#define IMDS_AKID "ASIAIMDSEXAMPLE00001"
#define IMDS_SECRET "imdsSecret/EXAMPLE+000000000000000000000"
#define IMDS_TOKEN "IQoJb3JpZ2luX2VjEXAMPLEIMDSTOKEN+/=="
#define IMDS_API_TOKEN "AQAEAEXAMPLEimdsApiToken=="
#define ROLE_ARN "arn:aws:iam::123456789012:role/rosa-vpn-doctor"
#define ROLE_ARN_ENC "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Frosa-vpn-doctor"

/* 2030-01-01T00:00:00Z and a "now" well before it. */
#define FUTURE "2030-01-01T00:00:00Z"
#define FUTURE_EPOCH 1893456000LL
#define NOW ((time_t)1700000000)

static const char *const secrets[] = {ENV_SECRET, ENV_TOKEN, DEF_SECRET, WORK_SECRET,
				      WORK_TOKEN, CFG_SECRET, WEB_TOKEN, STS_SECRET,
				      STS_TOKEN, IMDS_SECRET, IMDS_TOKEN, IMDS_API_TOKEN};

static void assert_no_secret(const struct diag_error *err)
{
	char text[512];

	diag_error_text(err, text, sizeof text);
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (strstr(text, secrets[i]))
			fail_msg("error message carries a secret: %s", text);
	/* Also no 16-byte piece of the web identity token (a JWT's header). */
	if (strstr(text, "eyJhbGciOiJSUzI1"))
		fail_msg("error message carries the web identity token: %s", text);
}

static void error_contains(const struct diag_error *err, enum diag_exit code,
			   const char *needle)
{
	char text[512];

	diag_error_text(err, text, sizeof text);
	if (err->code != code)
		fail_msg("exit code %d, want %d (%s)", err->code, code, text);
	if (needle && !strstr(text, needle))
		fail_msg("error \"%s\" lacks \"%s\"", text, needle);
	assert_no_secret(err);
}

/* ---- environment, HOME, files ------------------------------------------------------- */

static const char *const aws_vars[] = {
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
	"AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
	"AWS_STS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL",
	"AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_DISABLED", "AWS_CA_BUNDLE",
	"http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy",
};

static char home[256];

static void rm_rf(const char *dir)
{
	char cmd[512];

	if (dir[0] && strncmp(dir, "/tmp/", 5) == 0) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "test_creds: could not remove %s\n", dir);
	}
}

static int setup(void **state)
{
	char aws[300];

	(void)state;
	for (size_t i = 0; i < sizeof aws_vars / sizeof aws_vars[0]; i++)
		unsetenv(aws_vars[i]);
	setenv("NO_PROXY", "127.0.0.1,localhost", 1);
	/* Off unless a test turns it on: no test may wait on 169.254.169.254. */
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	snprintf(home, sizeof home, "/tmp/test_creds.XXXXXX");
	assert_non_null(mkdtemp(home));
	setenv("HOME", home, 1);
	snprintf(aws, sizeof aws, "%s/.aws", home);
	assert_int_equal(mkdir(aws, 0700), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_rf(home);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void write_home(const char *rel, const char *text)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", home, rel);
	write_file(path, text);
}

/* A temp file (mkstemp) with text; path into out. */
static void temp_file(const char *text, char *out, size_t len)
{
	int fd;

	snprintf(out, len, "%s/tmp.XXXXXX", home);
	fd = mkstemp(out);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static const char credentials_file[] =
	"# two profiles\n"
	"[default]\n"
	"aws_access_key_id = " DEF_AKID "\n"
	"aws_secret_access_key=" DEF_SECRET "\n"
	"\n"
	"[work]\r\n"
	"  aws_access_key_id = " WORK_AKID "\r\n"
	"aws_secret_access_key = " WORK_SECRET "\r\n"
	"aws_session_token = " WORK_TOKEN "\r\n"
	"; a comment\n";

static const char config_file[] =
	"[default]\n"
	"region = eu-west-1\n"
	"output = json\n"
	"s3 =\n"
	"    max_concurrent_requests = 20\n"
	"    max_queue_size = 1000\n"
	"\n"
	"[profile work]\n"
	"region=us-west-2\n"
	"[profile   cfgonly]\n"
	"aws_access_key_id = " CFG_AKID "\n"
	"aws_secret_access_key = " CFG_SECRET "\n"
	"region: ap-southeast-2\n"
	"[nopfx]\n"
	"region = sa-east-1\n"
	"[profile assumer]\n"
	"role_arn = arn:aws:iam::123456789012:role/x\n"
	"source_profile = default\n";

static void write_shared_files(void)
{
	write_home(".aws/credentials", credentials_file);
	write_home(".aws/config", config_file);
}

/* ---- a loopback HTTP stand-in ------------------------------------------------------- */

enum stand_in_mode { STAND_IN_STS, STAND_IN_IMDS };

struct srv_req {
	char method[16];
	char path[512];
	char headers[8192];
	char body[16384];
};

struct stand_in {
	enum stand_in_mode mode;
	int lfd;
	unsigned short port;
	pthread_t th;
	int max_requests;
	/* STS */
	int sts_status;
	const char *sts_body;
	/* IMDS */
	int imds_list_status;          /* 200 or 404 */
	bool imds_refuse_token;        /* answer the token PUT with 403 */
	const char *imds_creds_json;
	/* What arrived. */
	struct srv_req reqs[8];
	int n;
};

/* The value of header name in r (case-insensitive), or NULL. */
static const char *hdr_value(const struct srv_req *r, const char *name, char *out, size_t len)
{
	const char *p = r->headers;
	size_t nl = strlen(name);

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		size_t l = eol ? (size_t)(eol - p) : strlen(p);

		if (l > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			size_t vl = l - nl - 1;

			while (vl && *v == ' ') {
				v++;
				vl--;
			}
			if (vl >= len)
				vl = len - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return out;
		}
		p = eol ? eol + 2 : NULL;
	}
	return NULL;
}

static int read_some(int fd, char *buf, size_t len)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	if (poll(&pfd, 1, 3000) <= 0)
		return -1;
	return (int)read(fd, buf, len);
}

/* Reads one request; -1 on timeout or a malformed request. */
static int read_request(int fd, struct srv_req *r)
{
	char buf[32768];
	size_t n = 0;
	char *end = NULL, cl[32];
	long want = 0;

	memset(r, 0, sizeof *r);
	while (!end) {
		int got = read_some(fd, buf + n, sizeof buf - 1 - n);

		if (got <= 0)
			return -1;
		n += (size_t)got;
		buf[n] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (n >= sizeof buf - 1 && !end)
			return -1;
	}
	*end = '\0';
	if (sscanf(buf, "%15s %511s", r->method, r->path) != 2)
		return -1;
	const char *h = strstr(buf, "\r\n");

	snprintf(r->headers, sizeof r->headers, "%s\r\n", h ? h + 2 : "");
	if (hdr_value(r, "Content-Length", cl, sizeof cl))
		want = strtol(cl, NULL, 10);
	if (want < 0 || (size_t)want >= sizeof r->body)
		return -1;
	if (hdr_value(r, "Expect", cl, sizeof cl) &&
	    write(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) != 25)
		return -1;
	size_t have = n - (size_t)(end + 4 - buf);

	memcpy(r->body, end + 4, have);
	while (have < (size_t)want) {
		int got = read_some(fd, r->body + have, (size_t)want - have);

		if (got <= 0)
			return -1;
		have += (size_t)got;
	}
	r->body[have] = '\0';
	return 0;
}

static void respond(int fd, int status, const char *ctype, const char *body)
{
	char head[512];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n",
			 status, ctype, strlen(body));

	if (write(fd, head, (size_t)n) != n || write(fd, body, strlen(body)) < 0)
		fprintf(stderr, "stand-in: write: %s\n", strerror(errno));
}

static void answer_imds(struct stand_in *s, int fd, const struct srv_req *r)
{
	char v[512];
	bool token_ok = hdr_value(r, "X-aws-ec2-metadata-token", v, sizeof v) &&
			strcmp(v, IMDS_API_TOKEN) == 0;

	if (strcmp(r->method, "PUT") == 0 && s->imds_refuse_token)
		respond(fd, 403, "text/plain", "");
	else if (strcmp(r->method, "PUT") == 0 && strcmp(r->path, "/latest/api/token") == 0 &&
		 hdr_value(r, "X-aws-ec2-metadata-token-ttl-seconds", v, sizeof v))
		respond(fd, 200, "text/plain", IMDS_API_TOKEN);
	else if (strcmp(r->method, "GET") != 0 || !token_ok)
		respond(fd, 401, "text/plain", "");
	else if (strcmp(r->path, "/latest/meta-data/iam/security-credentials/") == 0)
		respond(fd, s->imds_list_status, "text/plain",
			s->imds_list_status == 200 ? "vpn-doctor-role" : "");
	else if (strcmp(r->path, "/latest/meta-data/iam/security-credentials/vpn-doctor-role") ==
		 0)
		respond(fd, 200, "text/plain", s->imds_creds_json);
	else
		respond(fd, 404, "text/plain", "");
}

static void *stand_in_main(void *arg)
{
	struct stand_in *s = arg;

	while (s->n < s->max_requests) {
		struct pollfd pfd = {.fd = s->lfd, .events = POLLIN};
		int fd;

		if (poll(&pfd, 1, 5000) <= 0)
			break;
		fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			break;
		struct srv_req *r = &s->reqs[s->n];

		if (read_request(fd, r) == 0) {
			s->n++;
			if (s->mode == STAND_IN_STS)
				respond(fd, s->sts_status, "text/xml", s->sts_body);
			else
				answer_imds(s, fd, r);
		}
		close(fd);
	}
	return NULL;
}

static int listen_loopback(unsigned short *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void stand_in_start(struct stand_in *s, enum stand_in_mode mode, int max_requests)
{
	s->mode = mode;
	s->max_requests = max_requests;
	s->lfd = listen_loopback(&s->port);
	assert_int_equal(pthread_create(&s->th, NULL, stand_in_main, s), 0);
}

/* Unblocks the thread (it may still wait in accept) and joins it. */
static void stand_in_stop(struct stand_in *s)
{
	shutdown(s->lfd, SHUT_RDWR);
	pthread_join(s->th, NULL);
	close(s->lfd);
}

/* A loopback listener whose accept queue is full (backlog 0, one connection parked in it,
 * never accepted): Linux drops further SYNs, so a connect hangs as it does towards
 * 169.254.169.254 off EC2. *parked is that first connection; close both afterwards. */
static int full_listener(unsigned short *port, int *parked)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 0), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	*port = ntohs(a.sin_port);
	*parked = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*parked >= 0);
	assert_int_equal(connect(*parked, (struct sockaddr *)&a, sizeof a), 0);
	return fd;
}

/* A loopback port nobody listens on: connections are refused at once. */
static unsigned short closed_port(void)
{
	unsigned short port;
	int fd = listen_loopback(&port);

	close(fd);
	return port;
}

static const char sts_ok[] =
	"<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
	"  <AssumeRoleWithWebIdentityResult>\n"
	"    <SubjectFromWebIdentityToken>system:serviceaccount:vpn:doctor</SubjectFromWebIdentityToken>\n"
	"    <Audience>sts.amazonaws.com</Audience>\n"
	"    <AssumedRoleUser>\n"
	"      <Arn>arn:aws:sts::123456789012:assumed-role/rosa-vpn-doctor/test-session</Arn>\n"
	"      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:test-session</AssumedRoleId>\n"
	"    </AssumedRoleUser>\n"
	"    <Credentials>\n"
	"      <SessionToken>" STS_TOKEN "</SessionToken>\n"
	"      <SecretAccessKey>" STS_SECRET "</SecretAccessKey>\n"
	"      <Expiration>" FUTURE "</Expiration>\n"
	"      <AccessKeyId>" STS_AKID "</AccessKeyId>\n"
	"    </Credentials>\n"
	"    <Provider>oidc.example.com</Provider>\n"
	"  </AssumeRoleWithWebIdentityResult>\n"
	"  <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>\n"
	"</AssumeRoleWithWebIdentityResponse>\n";

static const char sts_expired[] =
	"<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
	"<AssumeRoleWithWebIdentityResult><Credentials>"
	"<SessionToken>" STS_TOKEN "</SessionToken><SecretAccessKey>" STS_SECRET "</SecretAccessKey>"
	"<Expiration>2020-01-01T00:00:00.000Z</Expiration><AccessKeyId>" STS_AKID "</AccessKeyId>"
	"</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";

static const char sts_denied[] =
	"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
	"<Type>Sender</Type><Code>AccessDenied</Code>"
	"<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error>"
	"<RequestId>1</RequestId></ErrorResponse>";

/* An error whose message quotes the token: the message must be dropped. */
static const char sts_quoting[] =
	"<ErrorResponse><Error><Code>InvalidIdentityToken</Code>"
	"<Message>Bad token " WEB_TOKEN "</Message></Error></ErrorResponse>";

/* ---- tests: environment --------------------------------------------------------------- */

static void test_env(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};

	(void)state;
	setenv("AWS_ACCESS_KEY_ID", ENV_AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET, 1);
	setenv("AWS_SESSION_TOKEN", ENV_TOKEN, 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_string_equal(c.source, "environment");
	assert_string_equal(c.access_key_id, ENV_AKID);
	assert_string_equal(c.secret_access_key, ENV_SECRET);
	assert_string_equal(c.session_token, ENV_TOKEN);
	assert_int_equal(c.expiration, 0);

	/* A future expiration is fine. */
	setenv("AWS_CREDENTIAL_EXPIRATION", FUTURE, 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_int_equal(c.expiration, FUTURE_EPOCH);
	aws_creds_clear(&c);

	/* Half-set: an error naming both variables, no secret. */
	unsetenv("AWS_CREDENTIAL_EXPIRATION");
	unsetenv("AWS_ACCESS_KEY_ID");
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOPERM, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID");
	assert_string_equal(c.secret_access_key, "");
}

static void test_env_expired(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};

	(void)state;
	setenv("AWS_ACCESS_KEY_ID", ENV_AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET, 1);
	setenv("AWS_CREDENTIAL_EXPIRATION", "2023-11-14T22:13:00+00:00", 1); /* NOW - 20 s */
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOPERM, "environment: credentials expired at 2023-11-14T22:13:00Z");
	assert_string_equal(c.access_key_id, "");
	/* Expiring within the 60 s margin counts as expired too. */
	diag_error_clear(&err);
	setenv("AWS_CREDENTIAL_EXPIRATION", "2023-11-14T22:13:50Z", 1); /* NOW + 30 s */
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOPERM, "expired");
	diag_error_clear(&err);
	setenv("AWS_CREDENTIAL_EXPIRATION", "yesterday", 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_DATAERR, "AWS_CREDENTIAL_EXPIRATION");
}

/* ---- tests: shared files -------------------------------------------------------------- */

static void test_profiles(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	char region[64];

	(void)state;
	write_shared_files();
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_string_equal(c.source, "profile default");
	assert_string_equal(c.access_key_id, DEF_AKID);
	assert_string_equal(c.secret_access_key, DEF_SECRET);
	assert_string_equal(c.session_token, "");

	o.profile = "work";
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_string_equal(c.source, "profile work");
	assert_string_equal(c.access_key_id, WORK_AKID);
	assert_string_equal(c.secret_access_key, WORK_SECRET);
	assert_string_equal(c.session_token, WORK_TOKEN);

	/* AWS_PROFILE when no profile is given. */
	o.profile = NULL;
	setenv("AWS_PROFILE", "work", 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_string_equal(c.access_key_id, WORK_AKID);
	unsetenv("AWS_PROFILE");

	/* Credentials in the config file's "[profile   cfgonly]" section. */
	o.profile = "cfgonly";
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_string_equal(c.source, "profile cfgonly");
	assert_string_equal(c.access_key_id, CFG_AKID);
	aws_creds_clear(&c);

	/* Regions come from the config file's profile. */
	assert_int_equal(aws_region_resolve(NULL, region, sizeof region, &err), 1);
	assert_string_equal(region, "eu-west-1");
	assert_int_equal(aws_region_resolve("work", region, sizeof region, &err), 1);
	assert_string_equal(region, "us-west-2");
	assert_int_equal(aws_region_resolve("cfgonly", region, sizeof region, &err), 1);
	assert_string_equal(region, "ap-southeast-2");
	/* "[nopfx]" in the config file is not profile nopfx. */
	assert_int_equal(aws_region_resolve("nopfx", region, sizeof region, &err), 0);
	assert_string_equal(region, "");
	/* The environment beats the file. */
	setenv("AWS_DEFAULT_REGION", "ca-central-1", 1);
	assert_int_equal(aws_region_resolve("work", region, sizeof region, &err), 1);
	assert_string_equal(region, "ca-central-1");
	setenv("AWS_REGION", "me-south-1", 1);
	assert_int_equal(aws_region_resolve("work", region, sizeof region, &err), 1);
	assert_string_equal(region, "me-south-1");
	assert_int_equal(err.code, 0);
}

static void test_profile_errors(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW, .profile = "nosuch"};

	(void)state;
	write_shared_files();
	/* A named profile that does not exist. */
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOPERM, "profile nosuch: not found");

	/* role_arn + source_profile: said plainly, not silently skipped. */
	diag_error_clear(&err);
	o.profile = "assumer";
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_UNAVAILABLE, "source_profile is not supported");

	/* A key id without its secret, with the file and line. */
	diag_error_clear(&err);
	write_home(".aws/credentials", "[default]\n\naws_access_key_id = " DEF_AKID "\n");
	o.profile = NULL;
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOPERM,
		       "~/.aws/credentials:3: profile default: aws_access_key_id without "
		       "aws_secret_access_key");

	/* A default profile with nothing in it and no other source. */
	diag_error_clear(&err);
	write_home(".aws/credentials", "[default]\n");
	write_home(".aws/config", "[default]\nregion = eu-west-1\n");
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOPERM, "none found: tried environment, profile default");
	error_contains(&err, DIAG_EXIT_NOPERM, "imds (disabled)");

	/* No files at all (and no HOME): the same one-line error. */
	diag_error_clear(&err);
	unsetenv("HOME");
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOPERM, "none found");
	setenv("HOME", home, 1);
}

static void test_file_overrides(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW, .profile = "other"};
	char creds[512], cfg[512], region[64];

	(void)state;
	write_shared_files(); /* must be ignored */
	temp_file("[other]\naws_access_key_id=" WORK_AKID "\naws_secret_access_key=" WORK_SECRET
		  "\n",
		  creds, sizeof creds);
	temp_file("[profile other]\nregion = eu-north-1\n", cfg, sizeof cfg);
	setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
	setenv("AWS_CONFIG_FILE", cfg, 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_string_equal(c.access_key_id, WORK_AKID);
	assert_int_equal(aws_region_resolve("other", region, sizeof region, &err), 1);
	assert_string_equal(region, "eu-north-1");
	aws_creds_clear(&c);

	/* A configured file that is a directory: an error naming it. */
	setenv("AWS_CONFIG_FILE", home, 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOINPUT, home);
}

static void test_precedence(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	char url[64], tok[512];

	(void)state;
	write_shared_files();
	/* Web identity configured too, but pointing at a closed port: never reached. */
	temp_file(WEB_TOKEN, tok, sizeof tok);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", closed_port());
	setenv("AWS_ROLE_ARN", ROLE_ARN, 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_STS_ENDPOINT_URL", url, 1);
	setenv("AWS_ACCESS_KEY_ID", ENV_AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", ENV_SECRET, 1);
	/* Environment beats the files. */
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_string_equal(c.source, "environment");
	assert_string_equal(c.access_key_id, ENV_AKID);
	/* Then the files beat web identity. */
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	assert_string_equal(c.source, "profile default");
	/* Without files, web identity is tried (and here fails: the port is closed). */
	write_home(".aws/credentials", "");
	write_home(".aws/config", "");
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_UNAVAILABLE, "web identity: STS AssumeRoleWithWebIdentity");
	aws_creds_clear(&c);
}

/* ---- tests: web identity -------------------------------------------------------------- */

static void check_sts_request(const struct srv_req *r, const char *session)
{
	char v[256], want[600], enc[512];

	assert_string_equal(r->method, "POST");
	assert_string_equal(r->path, "/");
	assert_non_null(hdr_value(r, "Content-Type", v, sizeof v));
	assert_string_equal(v, "application/x-www-form-urlencoded");
	/* Unsigned. */
	assert_null(hdr_value(r, "Authorization", v, sizeof v));
	assert_non_null(strstr(r->body, "Action=AssumeRoleWithWebIdentity"));
	assert_non_null(strstr(r->body, "Version=2011-06-15"));
	assert_non_null(strstr(r->body, "RoleArn=" ROLE_ARN_ENC "&"));
	snprintf(want, sizeof want, "RoleSessionName=%s", session);
	assert_non_null(strstr(r->body, want));
	/* The token from the token file (its trailing newline trimmed), form-encoded. */
	assert_true(sigv4_uri_encode(WEB_TOKEN, strlen(WEB_TOKEN), 0, enc, sizeof enc) > 0);
	snprintf(want, sizeof want, "WebIdentityToken=%s", enc);
	assert_non_null(strstr(r->body, want));
	assert_int_equal(strlen(strstr(r->body, want)), strlen(want));
}

static void test_web_identity_env(void **state)
{
	struct stand_in s = {.sts_status = 200, .sts_body = sts_ok};
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	char url[64], tok[512];

	(void)state;
	stand_in_start(&s, STAND_IN_STS, 1);
	temp_file(WEB_TOKEN "\n", tok, sizeof tok);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", s.port);
	setenv("AWS_ROLE_ARN", ROLE_ARN, 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_ROLE_SESSION_NAME", "test-session", 1);
	setenv("AWS_STS_ENDPOINT_URL", url, 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	stand_in_stop(&s);
	assert_int_equal(s.n, 1);
	check_sts_request(&s.reqs[0], "test-session");
	assert_string_equal(c.source, "web identity");
	assert_string_equal(c.access_key_id, STS_AKID);
	assert_string_equal(c.secret_access_key, STS_SECRET);
	assert_string_equal(c.session_token, STS_TOKEN);
	assert_int_equal(c.expiration, FUTURE_EPOCH);
	aws_creds_clear(&c);
	for (size_t i = 0; i < sizeof c; i++)
		assert_int_equal(((unsigned char *)&c)[i], 0);
}

static void test_web_identity_profile(void **state)
{
	struct stand_in s = {.sts_status = 200, .sts_body = sts_ok};
	struct aws_creds c;
	struct diag_error err = {0};
	char url[64], cfg[1024];
	struct aws_creds_opts o = {.now = NOW, .profile = "rosa", .sts_endpoint = url};

	(void)state;
	stand_in_start(&s, STAND_IN_STS, 1);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", s.port);
	write_home("token", WEB_TOKEN);
	snprintf(cfg, sizeof cfg,
		 "[profile rosa]\nrole_arn = " ROLE_ARN "\nweb_identity_token_file = ~/token\n"
		 "role_session_name = from-profile\nregion = us-east-2\n");
	write_home(".aws/config", cfg);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	stand_in_stop(&s);
	assert_int_equal(s.n, 1);
	check_sts_request(&s.reqs[0], "from-profile");
	assert_string_equal(c.source, "web identity (profile rosa)");
	assert_string_equal(c.access_key_id, STS_AKID);
	aws_creds_clear(&c);
}

/* The files a privileged caller opens before the drop: both shared files, the token file
 * of the environment, and the token file the profile names (only a profile that would use
 * it; a broken config file yields what is known so far and no error). */
static void test_creds_files(void **state)
{
	char paths[4][AWS_CREDS_PATH_MAX], want[AWS_CREDS_PATH_MAX];
	size_t n;

	(void)state;
	n = aws_creds_files(NULL, paths, 4);
	assert_int_equal(n, 2);
	snprintf(want, sizeof want, "%s/.aws/credentials", home);
	assert_string_equal(paths[0], want);
	snprintf(want, sizeof want, "%s/.aws/config", home);
	assert_string_equal(paths[1], want);

	write_home(".aws/config", "[profile rosa]\nrole_arn = " ROLE_ARN
		   "\nweb_identity_token_file = ~/token\n[default]\nregion = us-east-1\n");
	assert_int_equal(aws_creds_files(NULL, paths, 4), 2);
	assert_int_equal(aws_creds_files("rosa", paths, 4), 3);
	snprintf(want, sizeof want, "%s/token", home);
	assert_string_equal(paths[2], want);
	setenv("AWS_PROFILE", "rosa", 1);
	assert_int_equal(aws_creds_files(NULL, paths, 4), 3);
	assert_string_equal(paths[2], want);

	/* Environment first; the cap is kept. */
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/token", 1);
	assert_int_equal(aws_creds_files(NULL, paths, 4), 4);
	assert_string_equal(paths[2], "/var/run/secrets/token");
	assert_string_equal(paths[3], want);
	assert_int_equal(aws_creds_files(NULL, paths, 3), 3);
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");

	/* Keys in the credentials file win: the token file would not be read. */
	write_home(".aws/credentials", "[rosa]\naws_access_key_id = " WORK_AKID
		   "\naws_secret_access_key = " WORK_SECRET "\n");
	assert_int_equal(aws_creds_files(NULL, paths, 4), 2);

	/* A config file the chain will reject later: no token path, no crash. */
	write_home(".aws/credentials", "");
	write_home(".aws/config", "[profile rosa\nweb_identity_token_file = ~/token\n");
	assert_int_equal(aws_creds_files(NULL, paths, 4), 2);
}

/* Runs web identity against a stand-in answering status/body; returns the error. */
static void web_identity_fails(int status, const char *body, enum diag_exit code,
			       const char *needle)
{
	struct stand_in s = {.sts_status = status, .sts_body = body};
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	char url[64], tok[512];

	stand_in_start(&s, STAND_IN_STS, 1);
	temp_file(WEB_TOKEN, tok, sizeof tok);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", s.port);
	setenv("AWS_ROLE_ARN", ROLE_ARN, 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_STS_ENDPOINT_URL", url, 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	stand_in_stop(&s);
	assert_int_equal(s.n, 1);
	error_contains(&err, code, needle);
	assert_string_equal(c.secret_access_key, "");
}

static void test_web_identity_errors(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	char text[512];

	(void)state;
	web_identity_fails(403, sts_denied, DIAG_EXIT_NOPERM,
			   "web identity: STS AssumeRoleWithWebIdentity: HTTP 403 AccessDenied: "
			   "Not authorized");
	web_identity_fails(400, sts_quoting, DIAG_EXIT_NOPERM, "HTTP 400 InvalidIdentityToken");
	web_identity_fails(200, sts_expired, DIAG_EXIT_NOPERM,
			   "web identity: credentials expired at 2020-01-01T00:00:00Z");
	web_identity_fails(200, "<AssumeRoleWithWebIdentityResponse><Credentials>",
			   DIAG_EXIT_DATAERR, "not well-formed XML");
	web_identity_fails(200, "<r><Credentials><AccessKeyId>A</AccessKeyId></Credentials></r>",
			   DIAG_EXIT_DATAERR, "no Credentials/SecretAccessKey");
	web_identity_fails(200,
			   "<!DOCTYPE r [<!ENTITY a \"aaaa\">]><r><Credentials>&a;</Credentials></r>",
			   DIAG_EXIT_DATAERR, "DOCTYPE");
	web_identity_fails(502, "<html>bad gateway</html>", DIAG_EXIT_UNAVAILABLE, "HTTP 502");

	/* The token file is missing. */
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token", 1);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOINPUT, "token file /nonexistent/token");
	diag_error_text(&err, text, sizeof text);
	print_message("missing token file: %s\n", text);

	/* Half-set environment. */
	diag_error_clear(&err);
	unsetenv("AWS_ROLE_ARN");
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_NOPERM,
		       "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
}

/* ---- tests: IMDSv2 -------------------------------------------------------------------- */

static const char imds_ok[] =
	"{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2023-11-14T20:00:00Z\",\n"
	"  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"" IMDS_AKID "\",\n"
	"  \"SecretAccessKey\" : \"" IMDS_SECRET "\",\n  \"Token\" : \"" IMDS_TOKEN "\",\n"
	"  \"Expiration\" : \"" FUTURE "\"\n}";

static const char imds_expired[] =
	"{\"Code\":\"Success\",\"AccessKeyId\":\"" IMDS_AKID "\",\"SecretAccessKey\":\"" IMDS_SECRET
	"\",\"Token\":\"" IMDS_TOKEN "\",\"Expiration\":\"2023-11-14T22:00:00Z\"}";

static void imds_env(const struct stand_in *s)
{
	char url[64];

	snprintf(url, sizeof url, "http://127.0.0.1:%u", s->port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	unsetenv("AWS_EC2_METADATA_DISABLED");
}

static void test_imds(void **state)
{
	struct stand_in s = {.imds_list_status = 200, .imds_creds_json = imds_ok};
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	char v[256];

	(void)state;
	stand_in_start(&s, STAND_IN_IMDS, 3);
	imds_env(&s);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), 0);
	stand_in_stop(&s);
	assert_int_equal(s.n, 3);
	/* 1. PUT the token with a TTL, 2. list the role, 3. fetch it, both with the token. */
	assert_string_equal(s.reqs[0].method, "PUT");
	assert_string_equal(s.reqs[0].path, "/latest/api/token");
	assert_non_null(hdr_value(&s.reqs[0], "X-aws-ec2-metadata-token-ttl-seconds", v, sizeof v));
	assert_string_equal(v, "21600");
	assert_string_equal(s.reqs[1].method, "GET");
	assert_string_equal(s.reqs[1].path, "/latest/meta-data/iam/security-credentials/");
	assert_non_null(hdr_value(&s.reqs[1], "X-aws-ec2-metadata-token", v, sizeof v));
	assert_string_equal(v, IMDS_API_TOKEN);
	assert_string_equal(s.reqs[2].path,
			    "/latest/meta-data/iam/security-credentials/vpn-doctor-role");
	assert_non_null(hdr_value(&s.reqs[2], "X-aws-ec2-metadata-token", v, sizeof v));
	assert_string_equal(v, IMDS_API_TOKEN);
	assert_string_equal(c.source, "imds");
	assert_string_equal(c.access_key_id, IMDS_AKID);
	assert_string_equal(c.secret_access_key, IMDS_SECRET);
	assert_string_equal(c.session_token, IMDS_TOKEN);
	assert_int_equal(c.expiration, FUTURE_EPOCH);
	aws_creds_clear(&c);
}

static void test_imds_errors(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	char url[64];
	struct timespec t0, t1;

	(void)state;
	/* Expired credentials from IMDS. */
	{
		struct stand_in s = {.imds_list_status = 200, .imds_creds_json = imds_expired};

		stand_in_start(&s, STAND_IN_IMDS, 3);
		imds_env(&s);
		assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
		stand_in_stop(&s);
		error_contains(&err, DIAG_EXIT_NOPERM, "imds: credentials expired at 2023-11-14T22:00:00Z");
	}
	/* An instance without a role: nothing found. */
	{
		struct stand_in s = {.imds_list_status = 404};

		diag_error_clear(&err);
		stand_in_start(&s, STAND_IN_IMDS, 2);
		imds_env(&s);
		assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
		stand_in_stop(&s);
		assert_int_equal(s.n, 2);
		error_contains(&err, DIAG_EXIT_NOPERM, "none found");
		error_contains(&err, DIAG_EXIT_NOPERM, "imds (no IAM role attached)");
	}
	/* Something at the address refuses the IMDSv2 token: not an error of its own, the
	 * reason goes into the one-line "none found". */
	{
		struct stand_in s = {.imds_refuse_token = true};

		diag_error_clear(&err);
		stand_in_start(&s, STAND_IN_IMDS, 1);
		imds_env(&s);
		assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
		stand_in_stop(&s);
		assert_int_equal(s.n, 1);
		error_contains(&err, DIAG_EXIT_NOPERM,
			       "imds (token request answered HTTP 403)");
	}
	/* A malformed credentials document. */
	{
		struct stand_in s = {.imds_list_status = 200,
				     .imds_creds_json = "{\"Code\":\"Success\",\"AccessKeyId\":1}"};

		diag_error_clear(&err);
		stand_in_start(&s, STAND_IN_IMDS, 3);
		imds_env(&s);
		assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
		stand_in_stop(&s);
		error_contains(&err, DIAG_EXIT_DATAERR, "imds: $.AccessKeyId");
	}
	/* Disabled: the stand-in sees nothing. */
	{
		struct stand_in s = {.imds_list_status = 200, .imds_creds_json = imds_ok};

		diag_error_clear(&err);
		stand_in_start(&s, STAND_IN_IMDS, 1);
		imds_env(&s);
		setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
		assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
		stand_in_stop(&s);
		assert_int_equal(s.n, 0);
		error_contains(&err, DIAG_EXIT_NOPERM, "imds (disabled)");
	}
	/* Nobody listening: fails fast with the one-line "none found". */
	diag_error_clear(&err);
	snprintf(url, sizeof url, "http://127.0.0.1:%u", closed_port());
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	error_contains(&err, DIAG_EXIT_NOPERM, "none found");
	error_contains(&err, DIAG_EXIT_NOPERM, "imds (no answer: ");
	assert_true(t1.tv_sec - t0.tv_sec < 3);
}

static double elapsed_s(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The timeouts reach libcurl: IMDS's 1 s connect timeout by default (a connect that hangs
 * ends after about 1 s, well before the 5 s total), and the caller's total timeout for a
 * server that accepts and never answers, for IMDS and STS alike. */
static void test_timeouts(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	struct timespec t0;
	unsigned short port;
	char url[64], tok[512];
	double dt;
	int lfd, parked;

	(void)state;
	/* A connect that hangs: "none found" after the default 1 s connect timeout. */
	lfd = full_listener(&port, &parked);
	snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	dt = elapsed_s(&t0);
	close(parked);
	close(lfd);
	error_contains(&err, DIAG_EXIT_NOPERM, "imds (no answer: ");
	if (dt < 0.9 || dt > 2.5)
		fail_msg("IMDS connect gave up after %.2f s, want about 1 s", dt);

	/* Connected, never answered: o->timeout_ms bounds the whole request. */
	lfd = listen_loopback(&port);
	snprintf(url, sizeof url, "http://127.0.0.1:%u", port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	o.timeout_ms = 300;
	diag_error_clear(&err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	dt = elapsed_s(&t0);
	error_contains(&err, DIAG_EXIT_NOPERM, "imds (no answer: ");
	if (dt < 0.25 || dt > 2.0)
		fail_msg("IMDS request gave up after %.2f s, want about 0.3 s", dt);

	/* The same silent server as STS: an error naming web identity, after 0.3 s. */
	temp_file(WEB_TOKEN, tok, sizeof tok);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", port);
	setenv("AWS_ROLE_ARN", ROLE_ARN, 1);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_STS_ENDPOINT_URL", url, 1);
	diag_error_clear(&err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	dt = elapsed_s(&t0);
	close(lfd);
	error_contains(&err, DIAG_EXIT_UNAVAILABLE, "web identity: STS AssumeRoleWithWebIdentity: ");
	if (dt < 0.25 || dt > 2.0)
		fail_msg("STS request gave up after %.2f s, want about 0.3 s", dt);
}

/* ---- tests: the INI parser ------------------------------------------------------------ */

struct collect {
	char out[4096];
	size_t len;
	int stop_at;     /* stop (return 7) at this entry; 0: never */
	int n;
};

static int collect_cb(void *ctx, const char *section, const char *key, const char *value,
		      unsigned line)
{
	struct collect *c = ctx;
	int n = snprintf(c->out + c->len, sizeof c->out - c->len, "%s|%s=%s@%u\n", section, key,
			 value, line);

	assert_true(n > 0 && (size_t)n < sizeof c->out - c->len);
	c->len += (size_t)n;
	return ++c->n == c->stop_at ? 7 : 0;
}

static void test_ini_parse(void **state)
{
	static const char text[] =
		"\xef\xbb\xbf# comment\n"
		"; comment\n"
		"[default]\n"
		"Region = eu-west-1\n"
		"key:value:with:colons\n"
		"arn = arn:aws:iam::1:role/x=y\n"
		"empty =\n"
		"s3 =\n"
		"  max_concurrent_requests = 20\n"
		"\tmax_queue_size=1000\n"
		"multi = first\n"
		"  second\n"
		"\n"
		"[ profile  x ]   # trailing comment\r\n"
		"k = v   \r\n"
		"last = no newline";
	struct collect c = {0};
	struct diag_error err = {0};

	(void)state;
	assert_int_equal(aws_ini_parse(text, sizeof text - 1, "t", collect_cb, &c, &err), 0);
	assert_string_equal(c.out,
			    "default|region=eu-west-1@4\n"
			    "default|key=value:with:colons@5\n"
			    "default|arn=arn:aws:iam::1:role/x=y@6\n"
			    "default|empty=@7\n"
			    "default|s3=@8\n"
			    "default|s3.max_concurrent_requests=20@9\n"
			    "default|s3.max_queue_size=1000@10\n"
			    "default|multi=first\nsecond@11\n"
			    "profile  x|k=v@15\n"
			    "profile  x|last=no newline@16\n");
	/* A callback's non-zero value stops the parse and is returned. */
	memset(&c, 0, sizeof c);
	c.stop_at = 2;
	assert_int_equal(aws_ini_parse(text, sizeof text - 1, "t", collect_cb, &c, &err), 7);
	assert_int_equal(c.n, 2);
	/* Empty input. */
	memset(&c, 0, sizeof c);
	assert_int_equal(aws_ini_parse("", 0, "t", collect_cb, &c, &err), 0);
	assert_int_equal(c.n, 0);
}

static void test_ini_errors(void **state)
{
	static const struct {
		const char *text;
		size_t len;    /* 0: strlen */
		const char *want;
	} cases[] = {
		{"[default\nx = 1\n", 0, "f:1: section header without ']'"},
		{"x = 1\n", 0, "f:1: 'name = value' before any [section]"},
		{"[a]\nx = 1\n\njust words\n", 0,
		 "f:4: expected '[section]' or 'name = value'"},
		{"[a]\n= value\n", 0, "f:2: empty name before '='"},
		{"[]\n", 0, "f:1: empty section name"},
		{"[a] b\n", 0, "f:1: text after the section header"},
		{"[a]\nx = 1\n[b]\ny = \0\n", 21, "f:4: NUL byte in the line"},
		{"[a]\ns3 =\n  no equals sign\n", 0,
		 "f:3: expected 'name = value' in a nested block"},
		{"[a]\n[b[c]\n", 0, "f:2: '[' inside a section name"},
	};
	struct collect c;
	struct diag_error err;
	char text[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);

		memset(&c, 0, sizeof c);
		memset(&err, 0, sizeof err);
		assert_int_equal(aws_ini_parse(cases[i].text, len, "f", collect_cb, &c, &err), -1);
		assert_int_equal(err.code, DIAG_EXIT_DATAERR);
		assert_string_equal(diag_error_text(&err, text, sizeof text), cases[i].want);
	}
	/* A very long line. */
	{
		size_t n = (64u << 10) + 16;
		char *big = malloc(n);

		assert_non_null(big);
		memcpy(big, "[a]\nx = ", 8);
		memset(big + 8, 'v', n - 8);
		memset(&err, 0, sizeof err);
		assert_int_equal(aws_ini_parse(big, n, "f", collect_cb, &c, &err), -1);
		assert_string_equal(diag_error_text(&err, text, sizeof text),
				    "f:2: line longer than 64 KiB");
		free(big);
	}
}

/* A malformed shared file stops the chain with the file and line (and no secret). */
static void test_ini_errors_in_chain(void **state)
{
	struct aws_creds c;
	struct diag_error err = {0};
	struct aws_creds_opts o = {.now = NOW};
	char region[64];

	(void)state;
	write_home(".aws/credentials", credentials_file);
	write_home(".aws/config",
		   "[default]\nregion = eu-west-1\n\n"
		   "[profile broken\n"
		   "aws_secret_access_key = " CFG_SECRET "\n");
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_DATAERR, "~/.aws/config:4: section header without ']'");
	diag_error_clear(&err);
	assert_int_equal(aws_region_resolve(NULL, region, sizeof region, &err), -1);
	error_contains(&err, DIAG_EXIT_DATAERR, "~/.aws/config:4:");

	/* A secret too long for the struct: named by key, not echoed. */
	char big[600], text[1024];

	memset(big, 'S', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	snprintf(text, sizeof text, "[default]\naws_access_key_id = A\naws_secret_access_key = %s\n",
		 big);
	write_home(".aws/config", "");
	write_home(".aws/credentials", text);
	diag_error_clear(&err);
	assert_int_equal(aws_creds_resolve(&o, &c, &err), -1);
	error_contains(&err, DIAG_EXIT_DATAERR,
		       "~/.aws/credentials:3: aws_secret_access_key is longer than 127 bytes");
	assert_null(strstr(err.what, "SSSSSSSS"));
}

static void test_clear(void **state)
{
	struct aws_creds c;

	(void)state;
	memset(&c, 0x5a, sizeof c);
	aws_creds_clear(&c);
	for (size_t i = 0; i < sizeof c; i++)
		assert_int_equal(((unsigned char *)&c)[i], 0);
	aws_creds_clear(NULL);
	c.expiration = NOW + 61;
	assert_false(aws_creds_expired(&c, NOW));
	c.expiration = NOW + 60;
	assert_true(aws_creds_expired(&c, NOW));
	c.expiration = 0;
	assert_false(aws_creds_expired(&c, NOW));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profiles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profile_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web_identity_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web_identity_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_web_identity_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_creds_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imds_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeouts, setup, teardown),
		cmocka_unit_test(test_ini_parse),
		cmocka_unit_test(test_ini_errors),
		cmocka_unit_test_setup_teardown(test_ini_errors_in_chain, setup, teardown),
		cmocka_unit_test(test_clear),
	};

	return cmocka_run_group_tests_name("creds", tests, NULL, NULL);
}
