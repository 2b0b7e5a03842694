/* AWS's MTU/MSS table (see mtu_table.h), transcribed from the customer gateway
 * requirements page, AWS_MTU_TABLE_URL: "Maximum transmission unit (MTU) and maximum
 * segment size (MSS)" by encryption algorithm, hash algorithm and NAT-T. */
#include "libdiag/aws/mtu_table.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define ROW(e, i, n, mtu, m4, m6) {AWS_ENC_##e, AWS_INTEG_##i, AWS_NATT_##n, mtu, m4, m6}

const struct aws_mtu_row aws_mtu_rows[] = {
	ROW(GCM, NONE, OFF, 1446, 1406, 1386),
	ROW(GCM, NONE, ON, 1438, 1398, 1378),
	ROW(CBC, SHA1, OFF, 1438, 1398, 1378),
	ROW(CBC, SHA2_256, OFF, 1438, 1398, 1378),
	ROW(CBC, SHA1, ON, 1422, 1382, 1362),
	ROW(CBC, SHA2_256, ON, 1422, 1382, 1362),
	ROW(CBC, SHA2_384, OFF, 1422, 1382, 1362),
	ROW(CBC, SHA2_384, ON, 1422, 1382, 1362),
	ROW(CBC, SHA2_512, OFF, 1422, 1382, 1362),
	ROW(CBC, SHA2_512, ON, 1406, 1366, 1346),
};

const size_t aws_mtu_nrows = sizeof aws_mtu_rows / sizeof *aws_mtu_rows;

/* s without '-', '_' and spaces, lower case, into buf; false when it does not fit. */
static bool squash(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == '-' || *s == '_' || *s == ' ')
			continue;
		if (n + 1 >= len)
			return false;
		buf[n++] = (char)tolower((unsigned char)*s);
	}
	buf[n] = '\0';
	return true;
}

static bool starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int aws_mtu_enc_parse(const char *s, enum aws_mtu_enc *out, struct diag_error *err)
{
	static const char *const gcm[] = {
		"aesgcm", "aesgcm16", "aes128gcm", "aes256gcm", "aes128gcm16", "aes256gcm16",
		"aes128gcm128", "aes256gcm128",
	};
	static const char *const cbc[] = {
		"aes", "aes128", "aes256", "aescbc", "aes128cbc", "aes256cbc", "aescbc128",
		"aescbc256",
	};
	char b[40];

	*out = AWS_ENC_ANY;
	if (!s || !*s)
		return 0;
	if (!squash(s, b, sizeof b))
		goto bad;
	/* AWS offers GCM with the 16-byte ICV only (strongSwan spells it gcm16 or gcm128) */
	for (size_t i = 0; i < sizeof gcm / sizeof *gcm; i++)
		if (!strcmp(b, gcm[i])) {
			*out = AWS_ENC_GCM;
			return 0;
		}
	for (size_t i = 0; i < sizeof cbc / sizeof *cbc; i++)
		if (!strcmp(b, cbc[i])) {
			*out = AWS_ENC_CBC;
			return 0;
		}
bad:
	return diag_fail(err, DIAG_EXIT_USAGE, "encryption", "%.60s: not a phase 2 encryption "
			 "algorithm AWS offers (AES128, AES256, AES128-GCM-16, AES256-GCM-16)", s);
}

int aws_mtu_integ_parse(const char *s, enum aws_mtu_integ *out, struct diag_error *err)
{
	static const struct {
		const char *name;
		enum aws_mtu_integ v;
	} names[] = {
		{"sha1", AWS_INTEG_SHA1}, {"sha", AWS_INTEG_SHA1}, {"sha196", AWS_INTEG_SHA1},
		{"sha2256", AWS_INTEG_SHA2_256}, {"sha256", AWS_INTEG_SHA2_256},
		{"sha256128", AWS_INTEG_SHA2_256}, {"sha2256128", AWS_INTEG_SHA2_256},
		{"sha2384", AWS_INTEG_SHA2_384}, {"sha384", AWS_INTEG_SHA2_384},
		{"sha384192", AWS_INTEG_SHA2_384}, {"sha2384192", AWS_INTEG_SHA2_384},
		{"sha2512", AWS_INTEG_SHA2_512}, {"sha512", AWS_INTEG_SHA2_512},
		{"sha512256", AWS_INTEG_SHA2_512}, {"sha2512256", AWS_INTEG_SHA2_512},
		{"none", AWS_INTEG_NONE}, {"n/a", AWS_INTEG_NONE},
	};
	char b[40];
	const char *p = b;

	*out = AWS_INTEG_ANY;
	if (!s || !*s)
		return 0;
	if (squash(s, b, sizeof b)) {
		if (starts(p, "hmac"))
			p += 4;
		for (size_t i = 0; i < sizeof names / sizeof *names; i++)
			if (!strcmp(p, names[i].name)) {
				*out = names[i].v;
				return 0;
			}
	}
	return diag_fail(err, DIAG_EXIT_USAGE, "integrity", "%.60s: not a phase 2 integrity "
			 "algorithm AWS offers (SHA1, SHA2-256, SHA2-384, SHA2-512)", s);
}

static bool row_matches(const struct aws_mtu_row *r, enum aws_mtu_enc enc,
			enum aws_mtu_integ integ, enum aws_natt natt)
{
	if (enc != AWS_ENC_ANY && r->enc != enc)
		return false;
	if (natt != AWS_NATT_UNKNOWN && r->natt != natt)
		return false;
	/* GCM authenticates by itself: whatever integrity is configured does not apply */
	if (r->enc == AWS_ENC_GCM || integ == AWS_INTEG_ANY)
		return true;
	return r->integ == integ;
}

bool aws_mtu_lookup(enum aws_mtu_enc enc, enum aws_mtu_integ integ, enum aws_natt natt,
		    struct aws_mtu_answer *out)
{
	const struct aws_mtu_row *best = NULL;
	size_t n = 0;
	bool same = true;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < aws_mtu_nrows; i++) {
		const struct aws_mtu_row *r = &aws_mtu_rows[i];

		if (!row_matches(r, enc, integ, natt))
			continue;
		n++;
		if (best && r->mtu != best->mtu)
			same = false;
		if (!best || r->mtu < best->mtu)
			best = r;
	}
	if (!best)
		return false;
	out->row = best;
	out->candidates = n;
	/* exact when every matching row has the same numbers (SHA1 and SHA2-256, say) */
	out->exact = same;
	return true;
}

const char *aws_mtu_enc_name(enum aws_mtu_enc e)
{
	return e == AWS_ENC_GCM ? "AES-GCM-16" : e == AWS_ENC_CBC ? "AES-CBC" : "any";
}

const char *aws_mtu_integ_name(enum aws_mtu_integ i)
{
	switch (i) {
	case AWS_INTEG_NONE: return "N/A";
	case AWS_INTEG_SHA1: return "SHA1";
	case AWS_INTEG_SHA2_256: return "SHA2-256";
	case AWS_INTEG_SHA2_384: return "SHA2-384";
	case AWS_INTEG_SHA2_512: return "SHA2-512";
	case AWS_INTEG_ANY: break;
	}
	return "any";
}

const char *aws_natt_name(enum aws_natt n)
{
	return n == AWS_NATT_ON ? "on" : n == AWS_NATT_OFF ? "off" : "unknown";
}

int mtu_mss4(int mtu)
{
	return mtu > MTU_TCP4_OVERHEAD ? mtu - MTU_TCP4_OVERHEAD : 0;
}

int mtu_mss6(int mtu)
{
	return mtu > MTU_TCP6_OVERHEAD ? mtu - MTU_TCP6_OVERHEAD : 0;
}
