/* The support bundle: the ustar writer (header fields, checksum, long names through pax),
 * bundle_write read back through zlib (every member 0600, the capture byte for byte, the
 * errors and their exit codes), bundle_write_fd into a file its caller opened (as the
 * process that dropped root does) with a pre-fetched XFRM dump decoded into env/xfrm.txt
 * (recorded dumps against their golden texts, a failed fetch, a malformed dump), and the
 * one text redaction on each input kind: device
 * configurations of every vendor, ipsec.secrets, AWS JSON with the customer gateway
 * configuration XML inside, EC2 XML, tunnel logs, secrets learned in one file cut from
 * another, and environment variables. */
#include <errno.h>
#include <fcntl.h>
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
#include <zlib.h>

#include "libdiag/bundle/bundle.h"
#include "libdiag/bundle/bundle_internal.h"
#include "libdiag/redact.h"
#include "libdiag/xfrm/xfrm.h"

/* ---- helpers --------------------------------------------------------------------------- */

static char tmpdir[64];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test_bundle.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(const char *name)
{
	static char p[8][256];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
	return p[k];
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static unsigned long octal_field(const unsigned char *f, size_t n)
{
	char buf[16];

	memcpy(buf, f, n);
	buf[n] = '\0';
	return strtoul(buf, NULL, 8);
}

struct entry {
	char name[1100];
	char mode[8];
	char type;
	unsigned char *data;
	size_t len;
};

struct archive {
	struct entry e[64];
	size_t n;
	bool two_zero_blocks;
};

static unsigned char *gunzip(const char *path, size_t *len)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	int r;

	assert_non_null(gz);
	assert_non_null(buf);
	while ((r = gzread(gz, buf + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)r;
		if (n == cap)
			assert_non_null(buf = realloc(buf, cap *= 2));
	}
	assert_int_equal(r, 0);
	assert_int_equal(gzclose(gz), Z_OK);
	*len = n;
	return buf;
}

/* Parses a tar stream strictly: every header's checksum, "ustar", a pax path applied. */
static void untar(const unsigned char *t, size_t len, struct archive *a)
{
	size_t off = 0;
	char pax_name[1100] = "";

	memset(a, 0, sizeof *a);
	assert_int_equal(len % BUNDLE_TAR_BLOCK, 0);
	while (off + BUNDLE_TAR_BLOCK <= len) {
		const unsigned char *h = t + off;
		static const unsigned char zero[BUNDLE_TAR_BLOCK];
		struct entry *e;
		size_t size;

		if (memcmp(h, zero, sizeof zero) == 0) {
			assert_true(off + 2 * BUNDLE_TAR_BLOCK <= len);
			assert_memory_equal(h + BUNDLE_TAR_BLOCK, zero, sizeof zero);
			a->two_zero_blocks = true;
			return;
		}
		assert_memory_equal(h + 257, "ustar\0" "00", 8);
		assert_int_equal(octal_field(h + 148, 7), bundle_tar_checksum(h));
		size = octal_field(h + 124, 11);
		assert_true(off + BUNDLE_TAR_BLOCK + size <= len);
		if (h[156] == 'x') {
			const char *rec = (const char *)h + BUNDLE_TAR_BLOCK;
			const char *p = memchr(rec, ' ', size);

			assert_non_null(p);
			assert_int_equal(strtoul(rec, NULL, 10), size);
			assert_memory_equal(p + 1, "path=", 5);
			memcpy(pax_name, p + 6, size - (size_t)(p + 6 - rec) - 1);
			pax_name[size - (size_t)(p + 6 - rec) - 1] = '\0';
		} else {
			assert_true(a->n < 64);
			e = &a->e[a->n++];
			if (pax_name[0]) {
				snprintf(e->name, sizeof e->name, "%s", pax_name);
				pax_name[0] = '\0';
			} else if (h[345]) {
				snprintf(e->name, sizeof e->name, "%.155s/%.100s", h + 345, h);
			} else {
				snprintf(e->name, sizeof e->name, "%.100s", h);
			}
			memcpy(e->mode, h + 100, 8);
			e->type = (char)h[156];
			e->data = malloc(size + 1);
			memcpy(e->data, h + BUNDLE_TAR_BLOCK, size);
			e->data[size] = '\0';
			e->len = size;
		}
		off += BUNDLE_TAR_BLOCK + (size + BUNDLE_TAR_BLOCK - 1) / BUNDLE_TAR_BLOCK * BUNDLE_TAR_BLOCK;
	}
	fail_msg("no end-of-archive blocks");
}

static void archive_free(struct archive *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->e[i].data);
}

static const struct entry *member(const struct archive *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->e[i].name, name) == 0)
			return &a->e[i];
	return NULL;
}

static void read_bundle(const char *path, struct archive *a)
{
	size_t len;
	unsigned char *t = gunzip(path, &len);

	untar(t, len, a);
	free(t);
}

/* ---- the tar writer -------------------------------------------------------------------- */

static void test_header_fields(void **state)
{
	unsigned char h[BUNDLE_TAR_BLOCK];
	unsigned sum = 0;

	(void)state;
	assert_int_equal(bundle_tar_header(h, "report.txt", '0', 0600, 1234, 1700000000), 0);
	assert_string_equal((char *)h, "report.txt");
	assert_memory_equal(h + 100, "0000600\0", 8);
	assert_memory_equal(h + 108, "0000000\0", 8);
	assert_memory_equal(h + 116, "0000000\0", 8);
	assert_memory_equal(h + 124, "00000002322\0", 12);
	assert_memory_equal(h + 136, "14524770400\0", 12);
	assert_int_equal(h[156], '0');
	assert_memory_equal(h + 257, "ustar\0" "00", 8);
	assert_string_equal((char *)h + 265, "root");
	assert_int_equal(h[345], 0); /* no prefix */
	/* the checksum: every byte, its own field counted as eight spaces */
	for (size_t i = 0; i < BUNDLE_TAR_BLOCK; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	assert_int_equal(bundle_tar_checksum(h), sum);
	assert_int_equal(octal_field(h + 148, 6), sum);
	assert_int_equal(h[154], '\0');
	assert_int_equal(h[155], ' ');
	/* mode bits beyond 07777 are dropped; a negative time is the epoch */
	assert_int_equal(bundle_tar_header(h, "x", '0', 0100600, 0, -5), 0);
	assert_memory_equal(h + 100, "0000600\0", 8);
	assert_memory_equal(h + 136, "00000000000\0", 12);
}

static void test_header_limits(void **state)
{
	unsigned char h[BUNDLE_TAR_BLOCK];
	char name[400];

	(void)state;
	/* 8 GiB - 1 fits 11 octal digits, 8 GiB does not */
	assert_int_equal(bundle_tar_header(h, "big", '0', 0600, 077777777777ULL, 0), 0);
	assert_int_equal(bundle_tar_header(h, "big", '0', 0600, 0100000000000ULL, 0), -1);
	assert_int_equal(bundle_tar_header(h, "", '0', 0600, 0, 0), -1);
	/* exactly 100 bytes: the whole name field, no NUL */
	memset(name, 'a', 100);
	name[100] = '\0';
	assert_int_equal(bundle_tar_header(h, name, '0', 0600, 0, 0), 0);
	assert_memory_equal(h, name, 100);
	assert_int_equal(h[345], 0);
	/* 101 bytes with no '/': ustar cannot hold it */
	name[100] = 'a';
	name[101] = '\0';
	assert_int_equal(bundle_tar_header(h, name, '0', 0600, 0, 0), -1);
}

static void test_header_prefix_split(void **state)
{
	unsigned char h[BUNDLE_TAR_BLOCK];
	char name[300], dir[151], file[91];

	(void)state;
	memset(dir, 'd', 150);
	dir[150] = '\0';
	memset(file, 'f', 90);
	file[90] = '\0';
	snprintf(name, sizeof name, "%s/%s", dir, file);
	assert_int_equal(bundle_tar_header(h, name, '0', 0600, 0, 0), 0);
	assert_memory_equal(h + 345, dir, 150);
	assert_int_equal(h[345 + 150], 0);
	assert_string_equal((char *)h, file);
	/* a prefix longer than 155 cannot be split off */
	char longdir[200];

	memset(longdir, 'd', 160);
	longdir[160] = '\0';
	snprintf(name, sizeof name, "%s/%s", longdir, file);
	assert_int_equal(bundle_tar_header(h, name, '0', 0600, 0, 0), -1);
}

static void test_pax_record(void **state)
{
	char buf[2048], name[1000];
	size_t n;

	(void)state;
	n = bundle_pax_path(buf, sizeof buf, "a/b");
	assert_int_equal(n, strlen("12 path=a/b\n"));
	assert_string_equal(buf, "12 path=a/b\n");
	/* the length counts its own digits, also across a power of ten */
	for (size_t k = 80; k < 1000; k += 7) {
		memset(name, 'n', k);
		name[k] = '\0';
		n = bundle_pax_path(buf, sizeof buf, name);
		assert_int_equal(strtoul(buf, NULL, 10), n);
		assert_int_equal(strlen(buf), n);
		assert_int_equal(buf[n - 1], '\n');
	}
	assert_int_equal(bundle_pax_path(buf, 10, "a/b/c/d/e"), 0);
}

/* ---- bundle_write ---------------------------------------------------------------------- */

static const char PCAP[] = "\xd4\xc3\xb2\xa1\x02\x00\x04\x00\0\0\0\0\0\0\0\0\xff\xff\0\0\x01\0\0\0"
			   "binary\0with\0NULs and a secret = NotRedactedInCaptures";

static void test_write_read_back(void **state)
{
	char longname[260];
	struct bundle_file files[4];
	struct bundle_in in = {.report_text = "text report\n", .report_json = "{\"a\":1}\n",
			       .report_md = "# md\n", .files = files, .nfiles = 4,
			       .collect_env = true};
	struct diag_error err = {0};
	struct archive a;
	struct stat st;
	const struct entry *e;
	const char *out = path_in("b.tar.gz");

	(void)state;
	write_file(path_in("swanctl.conf"), "secrets {\n ike {\n  secret = \"Sw4nSecretValue\"\n }\n}\n",
		   52);
	write_file(path_in("tunnel.log"), "charon: debug Sw4nSecretValue echoed\n", 37);
	write_file(path_in("capture.pcap"), PCAP, sizeof PCAP - 1);
	memset(longname, 'L', 200);
	memcpy(longname + 200, ".txt", 5);
	files[0] = (struct bundle_file){"config/swanctl.conf", path_in("swanctl.conf"), BUNDLE_DEVCONF};
	files[1] = (struct bundle_file){"logs/tunnel.log", path_in("tunnel.log"), BUNDLE_VPNLOG};
	files[2] = (struct bundle_file){"capture/capture.pcap", path_in("capture.pcap"), BUNDLE_PCAP};
	files[3] = (struct bundle_file){longname, path_in("tunnel.log"), BUNDLE_TEXT};
	/* an older, readable file is replaced by a private one */
	write_file(out, "old", 3);
	assert_int_equal(chmod(out, 0644), 0);
	assert_int_equal(bundle_write(out, &in, &err), 0);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	read_bundle(out, &a);
	assert_true(a.two_zero_blocks);
	for (size_t i = 0; i < a.n; i++) {
		assert_memory_equal(a.e[i].mode, "0000600\0", 8);
		assert_int_equal(a.e[i].type, '0');
		assert_null(strstr(a.e[i].name, ".."));
	}
	assert_non_null(e = member(&a, "report.txt"));
	assert_string_equal((char *)e->data, "text report\n");
	assert_non_null(e = member(&a, "report.json"));
	assert_string_equal((char *)e->data, "{\"a\":1}\n");
	assert_non_null(member(&a, "report.md"));
	assert_non_null(member(&a, "versions.txt"));
	assert_non_null(member(&a, "env/uname.txt"));
	assert_non_null(member(&a, "env/sysctl.txt"));
	assert_non_null(member(&a, "env/interfaces.txt"));
	assert_non_null(e = member(&a, "inputs/config/swanctl.conf"));
	assert_non_null(strstr((char *)e->data, "secret = \"<redacted>\""));
	assert_null(strstr((char *)e->data, "Sw4nSecretValue"));
	/* learned from the configuration, cut from the log that has no keyword before it */
	assert_non_null(e = member(&a, "inputs/logs/tunnel.log"));
	assert_string_equal((char *)e->data, "charon: debug <redacted> echoed\n");
	/* the capture as it is */
	assert_non_null(e = member(&a, "inputs/capture/capture.pcap"));
	assert_int_equal(e->len, sizeof PCAP - 1);
	assert_memory_equal(e->data, PCAP, sizeof PCAP - 1);
	/* the long name through a pax header */
	char want[300];

	snprintf(want, sizeof want, "inputs/%s", longname);
	assert_non_null(member(&a, want));
	archive_free(&a);
	/* no temporary file left beside it */
	assert_int_equal(access(path_in("b.tar.gz.XXXXXX"), F_OK), -1);
}

static void test_write_umask(void **state)
{
	struct bundle_in in = {.report_text = "r\n"};
	struct diag_error err = {0};
	struct archive a;
	struct stat st;
	mode_t old = umask(0);

	(void)state;
	assert_int_equal(bundle_write(path_in("u.tar.gz"), &in, &err), 0);
	umask(old);
	assert_int_equal(stat(path_in("u.tar.gz"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	read_bundle(path_in("u.tar.gz"), &a);
	/* without collect_env: the report and versions.txt only */
	assert_int_equal(a.n, 2);
	assert_non_null(member(&a, "report.txt"));
	assert_non_null(member(&a, "versions.txt"));
	archive_free(&a);
}

static void test_write_errors(void **state)
{
	struct bundle_file f = {"config/x.conf", NULL, BUNDLE_DEVCONF};
	struct bundle_in in = {.report_text = "r\n", .files = &f, .nfiles = 1};
	struct diag_error err = {0};

	(void)state;
	/* an input that does not exist: 66, named by its path, no output */
	f.path = path_in("missing.conf");
	assert_int_equal(bundle_write(path_in("e1.tar.gz"), &in, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	assert_string_equal(err.where, path_in("missing.conf"));
	assert_int_equal(access(path_in("e1.tar.gz"), F_OK), -1);
	/* a capture that is a directory */
	diag_error_clear(&err);
	f.path = tmpdir;
	f.kind = BUNDLE_PCAP;
	assert_int_equal(bundle_write(path_in("e1.tar.gz"), &in, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	/* an output that cannot be created: 73 */
	diag_error_clear(&err);
	in.nfiles = 0;
	assert_int_equal(bundle_write(path_in("no/such/dir/b.tar.gz"), &in, &err), -1);
	assert_int_equal(err.code, BUNDLE_EXIT_CANTCREAT);
	/* names that could leave the directory tar extracts in */
	static const char *const bad[] = {"../x", "/etc/passwd", "a/../../b", "a//b", "", "a/./b",
					  "a/", "x\ny"};
	write_file(path_in("ok.conf"), "x\n", 2);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		diag_error_clear(&err);
		f = (struct bundle_file){bad[i], path_in("ok.conf"), BUNDLE_TEXT};
		in.nfiles = 1;
		assert_int_equal(bundle_write(path_in("e2.tar.gz"), &in, &err), -1);
		assert_int_equal(err.code, DIAG_EXIT_USAGE);
	}
	assert_int_equal(access(path_in("e2.tar.gz"), F_OK), -1);
}

/* Secrets in the environment are learned, never written, and cut from every text. */
static void test_write_environment(void **state)
{
	struct bundle_file f = {"logs/a.log", NULL, BUNDLE_VPNLOG};
	struct bundle_in in = {.report_text = "creds EnvSecretAAAA1111bbbb in the report\n",
			       .files = &f, .nfiles = 1, .collect_env = true};
	struct diag_error err = {0};
	struct archive a;
	const struct entry *e;

	(void)state;
	f.path = path_in("a.log");
	write_file(f.path, "signed with EnvSecretAAAA1111bbbb and tok-EnvTokenZZZ999\n", 57);
	setenv("AWS_SECRET_ACCESS_KEY", "EnvSecretAAAA1111bbbb", 1);
	setenv("AWS_SESSION_TOKEN", "tok-EnvTokenZZZ999", 1);
	setenv("HTTPS_PROXY", "http://user:ProxyPw0rd99@proxy:3128", 1);
	setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
	setenv("POD_NAME", "doctor-pod", 1);
	assert_int_equal(bundle_write(path_in("env.tar.gz"), &in, &err), 0);
	unsetenv("AWS_SECRET_ACCESS_KEY");
	unsetenv("AWS_SESSION_TOKEN");
	unsetenv("HTTPS_PROXY");
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("POD_NAME");
	read_bundle(path_in("env.tar.gz"), &a);
	for (size_t i = 0; i < a.n; i++) {
		assert_null(memmem(a.e[i].data, a.e[i].len, "EnvSecretAAAA1111bbbb", 21));
		assert_null(memmem(a.e[i].data, a.e[i].len, "EnvTokenZZZ999", 14));
		assert_null(memmem(a.e[i].data, a.e[i].len, "ProxyPw0rd99", 12));
		assert_null(strstr(a.e[i].name, "token"));
	}
	assert_non_null(e = member(&a, "env/environment.txt"));
	assert_non_null(strstr((char *)e->data, "AWS_SECRET_ACCESS_KEY=<redacted>\n"));
	assert_non_null(strstr((char *)e->data, "AWS_SESSION_TOKEN=<redacted>\n"));
	assert_non_null(strstr((char *)e->data, "HTTPS_PROXY=http://user:<redacted>@proxy:3128\n"));
	assert_non_null(e = member(&a, "env/kubernetes.txt"));
	assert_non_null(strstr((char *)e->data, "POD_NAME=doctor-pod\n"));
	assert_non_null(strstr((char *)e->data, "hostname "));
	assert_non_null(e = member(&a, "inputs/logs/a.log"));
	assert_string_equal((char *)e->data, "signed with <redacted> and <redacted>\n");
	archive_free(&a);
}

/* ---- bundle_write_fd and a pre-fetched XFRM dump ------------------------------------------ */

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) >= 0);
	rewind(f);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* env/xfrm.txt of a bundle written by bundle_write_fd with in's XFRM fields; the file
 * was opened by the caller and stays open (the fd is neither closed nor replaced). */
static char *xfrm_txt_via_fd(const char *name, struct bundle_in *in)
{
	struct diag_error err = {0};
	struct archive a;
	const struct entry *e;
	struct stat st;
	char *text;
	int fd = open(path_in(name), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	in->collect_env = true;
	assert_int_equal(bundle_write_fd(fd, in, &err), 0);
	assert_int_equal(fcntl(fd, F_GETFD), FD_CLOEXEC); /* still open, flags as they were */
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(st.st_size > 0);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), st.st_size); /* written through this fd */
	assert_int_equal(close(fd), 0);
	read_bundle(path_in(name), &a);
	assert_true(a.two_zero_blocks);
	assert_non_null(member(&a, "report.txt"));
	assert_non_null(member(&a, "versions.txt"));
	assert_non_null(member(&a, "env/routes.txt"));
	assert_non_null(e = member(&a, "env/xfrm.txt"));
	assert_non_null(text = strndup((const char *)e->data, e->len));
	archive_free(&a);
	return text;
}

/* A dump fetched by someone else (the parent that kept root) is decoded into env/xfrm.txt
 * exactly as xfrm_decode and xfrm_dump_text make it: the recorded dumps of testdata/xfrm/,
 * the two lab ones also against their golden texts. */
static void test_write_fd_xfrm_dump(void **state)
{
	static const struct {
		const char *name, *golden;
	} dumps[] = {
		{"lab-two-pairs", "testdata/golden/xfrm/lab-two-pairs.txt"},
		{"lab-route-based", "testdata/golden/xfrm/lab-route-based.txt"},
		{"synthetic-sas", NULL}, /* SAs: algorithm names and key lengths, never a key */
	};

	(void)state;
	for (size_t i = 0; i < sizeof dumps / sizeof *dumps; i++) {
		char file[128], name[64], *text, *want;
		size_t len, glen;
		unsigned char *dump, *golden;
		struct bundle_in in = {.report_text = "r\n"};
		struct diag_error err = {0};
		struct xfrm_dump d;

		snprintf(file, sizeof file, "testdata/xfrm/%s.xfrm", dumps[i].name);
		snprintf(name, sizeof name, "fd-%s.tar.gz", dumps[i].name);
		dump = read_all(file, &len);
		xfrm_dump_init(&d);
		assert_int_equal(xfrm_decode(dump, len, &d, &err), 0);
		assert_non_null(want = xfrm_dump_text(&d));
		xfrm_dump_free(&d);
		if (dumps[i].golden) {
			golden = read_all(dumps[i].golden, &glen);
			assert_string_equal(want, (const char *)golden);
			free(golden);
		} else {
			assert_non_null(strstr(want, "\nsa #"));
		}
		in.have_xfrm_dump = true;
		in.xfrm_dump = dump;
		in.xfrm_dump_len = len;
		text = xfrm_txt_via_fd(name, &in);
		assert_string_equal(text, want);
		free(text);
		free(want);
		free(dump);
	}
}

/* The fetch failed (no CAP_NET_ADMIN, an old kernel): its reason is the file's one line,
 * as when the kernel is asked here. A malformed dump is named by offset, not decoded. */
static void test_write_fd_xfrm_errors(void **state)
{
	struct bundle_in in = {.report_text = "r\n", .have_xfrm_dump = true,
			       .xfrm_dump_error = "netlink XFRM dump: Operation not permitted"};
	unsigned char *dump;
	size_t len;
	char *text;

	(void)state;
	text = xfrm_txt_via_fd("fd-err.tar.gz", &in);
	assert_string_equal(text, "xfrm: netlink XFRM dump: Operation not permitted\n");
	free(text);
	/* an empty dump (no reply at all) decodes to nothing, and says so */
	in = (struct bundle_in){.report_text = "r\n", .have_xfrm_dump = true};
	text = xfrm_txt_via_fd("fd-empty.tar.gz", &in);
	assert_non_null(strstr(text, "policies 0 sas 0"));
	free(text);
	dump = read_all("testdata/xfrm/bad-truncated.xfrm", &len);
	in = (struct bundle_in){.report_text = "r\n", .have_xfrm_dump = true, .xfrm_dump = dump,
				.xfrm_dump_len = len};
	text = xfrm_txt_via_fd("fd-bad.tar.gz", &in);
	assert_memory_equal(text, "xfrm: xfrm dump offset ", 23);
	assert_non_null(strchr(text, '\n'));
	assert_ptr_equal(strchr(text, '\n') + 1, text + strlen(text)); /* one line */
	free(text);
	free(dump);
}

/* bundle_write_fd leaves publishing to its caller: no temporary file, no rename, the fd
 * open; errors are bundle_write's. */
static void test_write_fd_errors(void **state)
{
	struct bundle_file f = {"config/x.conf", NULL, BUNDLE_DEVCONF};
	struct bundle_in in = {.report_text = "r\n", .files = &f, .nfiles = 1};
	struct diag_error err = {0};
	int fd;

	(void)state;
	assert_int_equal(bundle_write_fd(-1, &in, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_USAGE);
	/* an input that cannot be read: 66, the file stays empty */
	diag_error_clear(&err);
	f.path = path_in("missing.conf");
	fd = open(path_in("fd-e1"), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(bundle_write_fd(fd, &in, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	assert_string_equal(err.where, path_in("missing.conf"));
	assert_int_equal(lseek(fd, 0, SEEK_END), 0);
	assert_int_equal(close(fd), 0);
	/* a file that cannot be written: 73, where "bundle" */
	diag_error_clear(&err);
	in.nfiles = 0;
	fd = open(path_in("fd-e1"), O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(bundle_write_fd(fd, &in, &err), -1);
	assert_int_equal(err.code, BUNDLE_EXIT_CANTCREAT);
	assert_string_equal(err.where, "bundle");
	assert_int_equal(fcntl(fd, F_GETFD), FD_CLOEXEC);
	assert_int_equal(close(fd), 0);
	/* /dev/full: every write fails (ENOSPC), caught at the latest by gzclose or fsync */
	diag_error_clear(&err);
	if ((fd = open("/dev/full", O_WRONLY | O_CLOEXEC)) >= 0) {
		assert_int_equal(bundle_write_fd(fd, &in, &err), -1);
		assert_int_equal(err.code, BUNDLE_EXIT_CANTCREAT);
		close(fd);
	}
}

/* ---- the redaction of each input kind -------------------------------------------------- */

struct rcase {
	enum redact_kind kind;
	const char *in, *want;
};

static const struct rcase redact_cases[] = {
	/* strongSwan */
	{REDACT_CONFIG, "  secret = \"Strong_Key.For.Tunnel1\"\n", "  secret = \"<redacted>\"\n"},
	{REDACT_CONFIG, "secret=0x30313233343536373839\n", "secret=<redacted>\n"},
	{REDACT_CONFIG, "\tauthby=secret\n\tauth = psk\n", "\tauthby=secret\n\tauth = psk\n"},
	/* ipsec.secrets */
	{REDACT_CONFIG, "203.0.113.1 198.51.100.10 : PSK \"Ipsec.Secrets_1\"\n",
	 "203.0.113.1 198.51.100.10 : PSK \"<redacted>\"\n"},
	{REDACT_CONFIG, "%any : PSK 0x6a6b6c6d6e6f\n", "%any : PSK <redacted>\n"},
	/* Cisco IOS */
	{REDACT_CONFIG, "crypto isakmp key AwsKey_A address 52.10.0.1\n",
	 "crypto isakmp key <redacted> address 52.10.0.1\n"},
	{REDACT_CONFIG, "crypto isakmp key 6 FJLSDJFLSDJF address 52.10.0.2 no-xauth\n",
	 "crypto isakmp key 6 <redacted> address 52.10.0.2 no-xauth\n"},
	{REDACT_CONFIG, "  pre-shared-key local T1_Secret\n  pre-shared-key 0 0starts\n",
	 "  pre-shared-key local <redacted>\n  pre-shared-key 0 <redacted>\n"},
	{REDACT_CONFIG, " pre-shared-key address 52.1.2.3 key Kr1ngKey\n",
	 " pre-shared-key address 52.1.2.3 key <redacted>\n"},
	{REDACT_CONFIG, " authentication pre-share\ncrypto key generate rsa modulus 2048\n",
	 " authentication pre-share\ncrypto key generate rsa modulus 2048\n"},
	/* Cisco ASA */
	{REDACT_CONFIG, " ikev1 pre-shared-key Branch_Key.0123\n", " ikev1 pre-shared-key <redacted>\n"},
	{REDACT_CONFIG, " ikev2 remote-authentication pre-shared-key *****\n",
	 " ikev2 remote-authentication pre-shared-key <redacted>\n"},
	/* Junos */
	{REDACT_CONFIG, "set security ike policy P pre-shared-key ascii-text \"$9$Cu1dt\"\n",
	 "set security ike policy P pre-shared-key ascii-text \"<redacted>\"\n"},
	{REDACT_CONFIG, "    pre-shared-key ascii-text \"short\"; ## SECRET-DATA\n",
	 "    pre-shared-key ascii-text \"<redacted>\"; ## SECRET-DATA\n"},
	{REDACT_CONFIG, "set security ike proposal P authentication-method pre-shared-keys\n",
	 "set security ike proposal P authentication-method pre-shared-keys\n"},
	/* PAN-OS */
	{REDACT_CONFIG, "<pre-shared-key><key>-AQ==bm90IGEga2V5</key></pre-shared-key>\n",
	 "<pre-shared-key><key><redacted></key></pre-shared-key>\n"},
	{REDACT_CONFIG, "set network ike gateway g authentication pre-shared-key key \"Aws.S1\"\n",
	 "set network ike gateway g authentication pre-shared-key key \"<redacted>\"\n"},
	/* FortiOS */
	{REDACT_CONFIG, "        set psksecret ENC Zm9vYmFyYmF6\n", "        set psksecret ENC <redacted>\n"},
	{REDACT_CONFIG, "        set psksecret \"0weak key\"\n", "        set psksecret \"<redacted>\"\n"},
	/* AWS JSON, with the customer gateway configuration escaped inside it */
	{REDACT_PROSE, "{\"PreSharedKey\": \"AwsPsk_1\", \"Tags\": [{\"Key\": \"Name\", \"Value\": \"v\"}]}",
	 "{\"PreSharedKey\": \"<redacted>\", \"Tags\": [{\"Key\": \"Name\", \"Value\": \"v\"}]}"},
	{REDACT_PROSE, "\"CustomerGatewayConfiguration\": \"<ike>\\n<pre_shared_key>CgwKey1</pre_shared_key>\"",
	 "\"CustomerGatewayConfiguration\": \"<ike>\\n<pre_shared_key><redacted></pre_shared_key>\""},
	{REDACT_PROSE, "\"c\": \"\\u003cpre_shared_key\\u003eCgwKey2\\u003c/pre_shared_key\\u003e\"",
	 "\"c\": \"\\u003cpre_shared_key\\u003e<redacted>\\u003c/pre_shared_key\\u003e\""},
	/* EC2 XML, also escaped inside XML */
	{REDACT_PROSE, "<customerGatewayConfiguration>&lt;pre_shared_key&gt;XmlKey_9&lt;/pre_shared_key&gt;",
	 "<customerGatewayConfiguration>&lt;pre_shared_key&gt;<redacted>&lt;/pre_shared_key&gt;"},
	{REDACT_PROSE, "  - Pre-Shared Key           : Fixture.Key_1\n",
	 "  - Pre-Shared Key           : <redacted>\n"},
	/* logs */
	{REDACT_PROSE, "auth failed: pre-shared key mismatch, psk=L0gKey\n",
	 "auth failed: pre-shared key mismatch, psk=<redacted>\n"},
	{REDACT_PROSE, "debug (key \"Rand0mKey\") and the key \"Name\"\n",
	 "debug (key \"<redacted>\") and the key \"Name\"\n"},
	/* sentences of a report stay readable */
	{REDACT_PROSE, "ike.psk: the pre-shared key breaks AWS's rules\n",
	 "ike.psk: the pre-shared key breaks AWS's rules\n"},
	{REDACT_PROSE, "the tunnel's key: authentication fails; key: Rand0m_K3y\n",
	 "the tunnel's key: authentication fails; key: <redacted>\n"},
	/* credentials wherever they are */
	{REDACT_PROSE, "id AKIAIOSFODNN7EXAMPLE used\n", "id <redacted> used\n"},
	{REDACT_PROSE, "k wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end\n", "k <redacted> end\n"},
	{REDACT_PROSE, "https://u:Passw0rd@host/x\n", "https://u:<redacted>@host/x\n"},
	{REDACT_PROSE, "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\ndef==\n-----END RSA PRIVATE KEY-----\n",
	 "-----BEGIN RSA PRIVATE KEY-----\n<redacted>\n<redacted>\n-----END RSA PRIVATE KEY-----\n"},
};

static void test_redact_each_kind(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof redact_cases / sizeof *redact_cases; i++) {
		const struct rcase *c = &redact_cases[i];
		size_t n = 0;
		char *out = redact_text(NULL, c->kind, c->in, strlen(c->in), &n);

		assert_non_null(out);
		if (strcmp(out, c->want) != 0)
			fail_msg("case %zu:\n in:   %s\n got:  %s\n want: %s", i, c->in, out, c->want);
		assert_int_equal(n, strlen(out));
		assert_true(n <= REDACT_TEXT_BOUND(strlen(c->in)));
		free(out);
	}
}

static void test_redactor_learns(void **state)
{
	struct redactor *r = redactor_new();
	const char cfg[] = "secret = \"Learned.Value_42\"\n";
	const char log[] = "echo Learned.Value_42 and Learned.Value_42x and abc\n";
	char *env[] = {"AWS_SECRET_ACCESS_KEY=FromEnvValue77", "PATH=/usr/bin",
		       "AWS_ACCESS_KEY_ID=AKIDshortish", "DB_PASSWORD=dbpw1234", "NOEQUALS", NULL};
	char *out;
	size_t n;

	(void)state;
	assert_non_null(r);
	free(redact_text(r, REDACT_CONFIG, cfg, sizeof cfg - 1, &n));
	out = redact_text(r, REDACT_PROSE, log, sizeof log - 1, &n);
	assert_string_equal(out, "echo <redacted> and <redacted>x and abc\n");
	free(out);
	/* too short to learn */
	assert_int_equal(redactor_learn(r, "abc", 3), 0);
	out = redact_text(r, REDACT_PROSE, "abc", 3, &n);
	assert_string_equal(out, "abc");
	free(out);
	redactor_learn_env(r, env);
	out = redact_text(r, REDACT_PROSE, "FromEnvValue77 /usr/bin AKIDshortish dbpw1234", 45, &n);
	assert_string_equal(out, "<redacted> /usr/bin <redacted> <redacted>");
	free(out);
	redactor_free(r);
}

/* Lines stay lines, NUL bytes are text, nothing is read past len. */
static void test_redact_shape(void **state)
{
	const char in[] = "a\0secret = x1y2z3\nb\n";
	char *buf = malloc(9), *out;
	size_t n;

	(void)state;
	out = redact_text(NULL, REDACT_CONFIG, in, sizeof in - 1, &n);
	assert_int_equal(n, sizeof "a\0secret = <redacted>\nb\n" - 1);
	assert_memory_equal(out, "a\0secret = <redacted>\nb\n", n);
	free(out);
	/* "secret = " at the very end of an exact-size heap buffer (ASan would see a read past) */
	memcpy(buf, "secret = ", 9);
	out = redact_text(NULL, REDACT_CONFIG, buf, 9, &n);
	assert_string_equal(out, "secret = ");
	free(out);
	free(buf);
	out = redact_text(NULL, REDACT_PROSE, NULL, 0, &n);
	assert_non_null(out);
	assert_int_equal(n, 0);
	free(out);
}

/* ---- env/routes.txt and env/rules.txt ------------------------------------------------ */

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	for (; h[0] && h[1]; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* A route in strongSwan's table 220 and a VTI's fwmark rule, as the kernel sends them
 * (fuzz/corpus/fuzz_bundle_netlink/table220-vti-rule). */
static const char NL_DUMP[] =
	"4c00000018000200010000000000000002100000fc0400010000000008000f00dc000000080001000a0000"
	"0008000500a9fe0a01080004000100000008000700c000020208000600640000004800000020000200010000"
	"000000000002001800dc0000010000000008000600dc00000008000200c0a8000009000300767469300000"
	"000008000a00000100000800100000ff0000";

static void test_netlink_text(void **state)
{
	uint8_t buf[512];
	size_t n = unhex(NL_DUMP, buf);
	char *t = bundle_nl_text(buf, n), *rule;

	(void)state;
	assert_non_null(t);
	assert_string_equal(strstr(t, "inet table 220 unicast dst 10.0.0.0/16 via 169.254.10.1 dev ") ? "ok" : t, "ok");
	assert_non_null(strstr(t, " src 192.0.2.2 metric 100 proto static scope global\n"));
	assert_non_null(rule = strchr(t, '\n'));
	assert_string_equal(rule + 1,
			    "inet prio 220 from 192.168.0.0/24 iif vti0 fwmark 0x100/0xff00 lookup 220\n");
	free(t);
	/* every prefix of it: no read past the end, a line saying where it broke */
	for (size_t k = 0; k < n; k++) {
		uint8_t *cut = malloc(k ? k : 1);

		memcpy(cut, buf, k);
		t = bundle_nl_text(cut, k);
		assert_non_null(t);
		if (k > 0 && k < 76)
			assert_non_null(strstr(t, "malformed"));
		free(t);
		free(cut);
	}
	/* an attribute shorter than its own header ends that message, not the dump */
	buf[28] = 2; /* the first attribute, after the 16-byte header and 12-byte rtmsg */
	buf[29] = 0;
	t = bundle_nl_text(buf, n);
	assert_non_null(strstr(t, "malformed route at offset 32\n"));
	assert_non_null(strstr(t, "lookup 220\n"));
	free(t);
	/* a message length below the header's own size */
	buf[0] = 8;
	t = bundle_nl_text(buf, n);
	assert_string_equal(t, "malformed netlink message at offset 16\n");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_header_limits),
		cmocka_unit_test(test_header_prefix_split),
		cmocka_unit_test(test_pax_record),
		cmocka_unit_test(test_write_read_back),
		cmocka_unit_test(test_write_umask),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_write_environment),
		cmocka_unit_test(test_write_fd_xfrm_dump),
		cmocka_unit_test(test_write_fd_xfrm_errors),
		cmocka_unit_test(test_write_fd_errors),
		cmocka_unit_test(test_redact_each_kind),
		cmocka_unit_test(test_redactor_learns),
		cmocka_unit_test(test_redact_shape),
		cmocka_unit_test(test_netlink_text),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
