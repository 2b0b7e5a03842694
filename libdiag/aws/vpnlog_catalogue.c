/* The tunnel log message catalogue: every message AWS documents for the Site-to-Site VPN
 * tunnel activity log, verbatim, with what it means and what to change. Source: the AWS
 * Site-to-Site VPN User Guide, "Contents of Site-to-Site VPN logs"
 * (awsdocs/aws-site-to-site-vpn-user-guide doc_source/log-contents.md;
 * https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html). The meanings are AWS's
 * "Explanation" column; the fixes are vpn-doctor's, using the supported values in
 * ../shared/AWS-VPN-FACTS.md section 1. */
#include "libdiag/aws/vpnlog.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "libdiag/redact.h"

#define SRC_V1 "log-contents.md: IKEv1 Error Messages"
#define SRC_V2 "log-contents.md: IKEv2 Error Messages"
#define SRC_V1V2 "log-contents.md: IKEv1 and IKEv2 Error Messages"
#define SRC_NEG "log-contents.md: IKEv2 Negotiation Messages"

#define FIX_PSK                                                                            \
	"Configure the same pre-shared key on the customer gateway as the tunnel's "         \
	"PreSharedKey (the downloaded configuration holds it); a key is 8-64 characters of "  \
	"A-Z a-z 0-9 . _ and does not start with 0."
#define FIX_PHASE1                                                                         \
	"Offer a Phase 1 proposal AWS accepts and the tunnel options allow: encryption "      \
	"AES128, AES256, AES128-GCM-16 or AES256-GCM-16; integrity SHA1, SHA2-256, SHA2-384 "  \
	"or SHA2-512; DH group 2 or 14-24 (3DES and group 5 are refused)."
#define FIX_PHASE2                                                                         \
	"Make the Phase 2 (IPsec) proposal match the tunnel options: encryption AES128, "     \
	"AES256, AES128-GCM-16 or AES256-GCM-16; integrity SHA1 or SHA2-256/384/512; PFS DH "  \
	"group 2, 5 or 14-24; lifetime 900-3600 s."
#define FIX_DPD                                                                            \
	"The customer gateway stopped answering dead peer detection: check that it is up, "  \
	"that UDP 500 and 4500 and ESP (IP protocol 50) pass both ways between it and the "  \
	"tunnel's outside IP, and that no NAT or firewall idle timeout drops the tunnel; "   \
	"DpdTimeoutAction restart brings it back up by itself."
#define FIX_COLLISION                                                                      \
	"Both ends rekeyed the same CHILD_SA at once; a few collisions are harmless. If they " \
	"repeat, give the customer gateway a Phase 2 lifetime different from the tunnel's "   \
	"(AWS default 3600 s) so one side rekeys first."
#define FIX_DELETE                                                                         \
	"Routine at rekeying or shutdown; if it comes with the tunnel going down, read the " \
	"customer gateway's log for why it deleted the SA (lifetime, idle timeout, "          \
	"configuration change)."

const struct vpnlog_msg vpnlog_catalogue[] = {
	/* IKEv1 */
	{"Peer is not responsive - Declaring peer dead", VPNLOG_CAT_PEER_DEAD, VPNLOG_IKEV1,
	 VPNLOG_SEV_WARN,
	 "Peer has not responded to DPD Messages, enforcing DPD time-out action.", FIX_DPD,
	 SRC_V1},
	{"AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key",
	 VPNLOG_CAT_PSK_MISMATCH, VPNLOG_IKEV1, VPNLOG_SEV_FAIL,
	 "Same Pre-Shared key needs to be configured on both IKE Peers.", FIX_PSK, SRC_V1},
	{"No Proposal Match Found by AWS", VPNLOG_CAT_NO_PROPOSAL_PHASE1,
	 VPNLOG_IKEV1 | VPNLOG_IKEV2, VPNLOG_SEV_FAIL,
	 "Proposed Attributes for Phase 1 (Encryption, Hashing and DH Group) are not "
	 "supported by AWS VPN Endpoint, e.g. 3DES (with IKEv2, Phase 1 or Phase 2).",
	 FIX_PHASE1, SRC_V1V2},
	{"No Proposal Match Found. Notifying with \"No proposal chosen\"",
	 VPNLOG_CAT_NO_PROPOSAL_PHASE2, VPNLOG_IKEV1 | VPNLOG_IKEV2, VPNLOG_SEV_FAIL,
	 "No Proposal Chosen error message is exchanged between Peers to inform that correct "
	 "Proposals/Policies must be configured for phase 2 on IKE Peers.",
	 FIX_PHASE2, SRC_V1V2},
	{"AWS tunnel received DELETE for Phase 2 SA with SPI: xxxx", VPNLOG_CAT_DELETE_RECEIVED,
	 VPNLOG_IKEV1 | VPNLOG_IKEV2, VPNLOG_SEV_INFO,
	 "CGW has sent the Delete_SA message for Phase 2 (the CHILD_SA).", FIX_DELETE,
	 SRC_V1V2},
	{"AWS tunnel received DELETE for IKE_SA from CGW", VPNLOG_CAT_DELETE_RECEIVED,
	 VPNLOG_IKEV1 | VPNLOG_IKEV2, VPNLOG_SEV_INFO,
	 "CGW has sent the Delete_SA message for Phase 1 (the Parent/IKE_SA).", FIX_DELETE,
	 SRC_V1V2},
	/* IKEv2 */
	{"AWS tunnel DPD timed out after {retry_count} retransmits", VPNLOG_CAT_DPD_TIMEOUT,
	 VPNLOG_IKEV2, VPNLOG_SEV_WARN,
	 "Peer has not responded to DPD Messages, enforcing DPD time-out action.", FIX_DPD,
	 SRC_V2},
	{"AWS tunnel detected a (CHILD_REKEY) collision as CHILD_DELETE",
	 VPNLOG_CAT_CHILD_COLLISION, VPNLOG_IKEV2, VPNLOG_SEV_WARN,
	 "CGW has sent the Delete_SA message for the Active SA, which is being rekeyed.",
	 FIX_COLLISION, SRC_V2},
	{"AWS tunnel (CHILD_SA) redundant SA is being deleted due to detected collision",
	 VPNLOG_CAT_CHILD_COLLISION, VPNLOG_IKEV2, VPNLOG_SEV_WARN,
	 "Due to Collision, If redundant SAs are generated, Peers will close redundant SA "
	 "after matching the nonce values as per RFC.",
	 FIX_COLLISION, SRC_V2},
	{"AWS tunnel Phase 2 was unable to establish while keeping Phase 1",
	 VPNLOG_CAT_PHASE2_FAILED_KEEP_PHASE1, VPNLOG_IKEV2, VPNLOG_SEV_FAIL,
	 "Peer was unable to establish CHILD_SA due to negotiation error e.g incorrect "
	 "proposal.",
	 "Phase 1 is up but the CHILD_SA failed: make the Phase 2 proposal (encryption, "
	 "integrity, PFS DH group, lifetime) and the traffic selectors match the tunnel "
	 "options and the VPN's Local/RemoteIpv4NetworkCidr.",
	 SRC_V2},
	{"AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder",
	 VPNLOG_CAT_TS_UNACCEPTABLE, VPNLOG_IKEV2, VPNLOG_SEV_FAIL,
	 "Peer has proposed Incorrect Traffic Selectors/Encryption Domain. Peers should be "
	 "configured with identical and correct CIDRs.",
	 "Make the customer gateway's traffic selectors (encryption domain) equal the VPN "
	 "connection's LocalIpv4NetworkCidr and RemoteIpv4NetworkCidr (0.0.0.0/0 both by "
	 "default); a policy-based device must use one SA pair per tunnel, so consolidate "
	 "its rules into one.",
	 SRC_V2},
	{"AWS tunnel is sending AUTHENTICATION_FAILED as the response", VPNLOG_CAT_AUTH_FAILED,
	 VPNLOG_IKEV2, VPNLOG_SEV_FAIL,
	 "Peer is unable to Authenticate the Peer by verifying IKE_AUTH message's contents.",
	 "IKE_AUTH failed: check the pre-shared key (or the certificate) and the identities: "
	 "the customer gateway must identify itself by the IP address registered as its "
	 "customer gateway (the NAT device's public IP when it is behind NAT).",
	 SRC_V2},
	{"AWS tunnel detected a pre-shared key mismatch with cgw: xxxx", VPNLOG_CAT_PSK_MISMATCH,
	 VPNLOG_IKEV2, VPNLOG_SEV_FAIL,
	 "Same Pre-Shared key needs to be configured on both IKE Peers.", FIX_PSK, SRC_V2},
	{"AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: xxxx",
	 VPNLOG_CAT_PHASE1_TIMEOUT, VPNLOG_IKEV2, VPNLOG_SEV_WARN,
	 "Deleting the half-opened IKE_SA as peer has not proceeded with negotiations.",
	 "The customer gateway began IKE but did not finish it: check that AWS's answers "
	 "reach it (UDP 500 and 4500 inbound), that it sends IKE from its registered "
	 "customer gateway IP, and its own log for why it gave up.",
	 SRC_V2},
	/* IKEv2 negotiation (routine) */
	{"AWS tunnel processed request (id=xxx) for CREATE_CHILD_SA",
	 VPNLOG_CAT_CHILD_SA_NEGOTIATION, VPNLOG_IKEV2, VPNLOG_SEV_INFO,
	 "AWS has received the CREATE_CHILD_SA request from CGW.", NULL, SRC_NEG},
	{"AWS tunnel is sending response (id=xxx) for CREATE_CHILD_SA",
	 VPNLOG_CAT_CHILD_SA_NEGOTIATION, VPNLOG_IKEV2, VPNLOG_SEV_INFO,
	 "AWS is sending CREATE_CHILD_SA response to CGW.", NULL, SRC_NEG},
	{"AWS tunnel is sending request (id=xxx) for CREATE_CHILD_SA",
	 VPNLOG_CAT_CHILD_SA_NEGOTIATION, VPNLOG_IKEV2, VPNLOG_SEV_INFO,
	 "AWS is sending CREATE_CHILD_SA request to CGW.", NULL, SRC_NEG},
	{"AWS tunnel processed response (id=xxx) for CREATE_CHILD_SA",
	 VPNLOG_CAT_CHILD_SA_NEGOTIATION, VPNLOG_IKEV2, VPNLOG_SEV_INFO,
	 "AWS has received CREATE_CHILD_SA response from CGW.", NULL, SRC_NEG},
};

const size_t vpnlog_catalogue_len = sizeof vpnlog_catalogue / sizeof *vpnlog_catalogue;

static const struct {
	const char *name;
	enum vpnlog_severity severity;
} categories[VPNLOG_CAT_COUNT] = {
	[VPNLOG_CAT_UNCLASSIFIED] = {"unclassified", VPNLOG_SEV_INFO},
	[VPNLOG_CAT_PHASE1_UP] = {"phase1_up", VPNLOG_SEV_INFO},
	[VPNLOG_CAT_PHASE1_DOWN] = {"phase1_down", VPNLOG_SEV_INFO},
	[VPNLOG_CAT_PHASE2_UP] = {"phase2_up", VPNLOG_SEV_INFO},
	[VPNLOG_CAT_PHASE2_DOWN] = {"phase2_down", VPNLOG_SEV_INFO},
	[VPNLOG_CAT_NAT_T_DETECTED] = {"nat_t_detected", VPNLOG_SEV_INFO},
	[VPNLOG_CAT_PSK_MISMATCH] = {"psk_mismatch", VPNLOG_SEV_FAIL},
	[VPNLOG_CAT_AUTH_FAILED] = {"auth_failed", VPNLOG_SEV_FAIL},
	[VPNLOG_CAT_NO_PROPOSAL_PHASE1] = {"no_proposal_phase1", VPNLOG_SEV_FAIL},
	[VPNLOG_CAT_NO_PROPOSAL_PHASE2] = {"no_proposal_phase2", VPNLOG_SEV_FAIL},
	[VPNLOG_CAT_TS_UNACCEPTABLE] = {"ts_unacceptable", VPNLOG_SEV_FAIL},
	[VPNLOG_CAT_PHASE2_FAILED_KEEP_PHASE1] = {"phase2_failed_keep_phase1", VPNLOG_SEV_FAIL},
	[VPNLOG_CAT_PHASE1_TIMEOUT] = {"phase1_timeout", VPNLOG_SEV_WARN},
	[VPNLOG_CAT_DPD_TIMEOUT] = {"dpd_timeout", VPNLOG_SEV_WARN},
	[VPNLOG_CAT_PEER_DEAD] = {"peer_dead", VPNLOG_SEV_WARN},
	[VPNLOG_CAT_CHILD_COLLISION] = {"child_collision", VPNLOG_SEV_WARN},
	[VPNLOG_CAT_DELETE_RECEIVED] = {"delete_received", VPNLOG_SEV_INFO},
	[VPNLOG_CAT_CHILD_SA_NEGOTIATION] = {"child_sa_negotiation", VPNLOG_SEV_INFO},
};

const char *vpnlog_category_name(enum vpnlog_category c)
{
	return (unsigned)c < VPNLOG_CAT_COUNT ? categories[c].name : "?";
}

enum vpnlog_severity vpnlog_category_severity(enum vpnlog_category c)
{
	return (unsigned)c < VPNLOG_CAT_COUNT ? categories[c].severity : VPNLOG_SEV_INFO;
}

const char *vpnlog_state_name(enum vpnlog_state s)
{
	switch (s) {
	case VPNLOG_STATE_ESTABLISHED: return "Established";
	case VPNLOG_STATE_REKEYING: return "Rekeying";
	case VPNLOG_STATE_NEGOTIATING: return "Negotiating";
	case VPNLOG_STATE_DOWN: return "Down";
	case VPNLOG_STATE_OTHER: return "other";
	case VPNLOG_STATE_ABSENT: break;
	}
	return "unknown";
}

const char *vpnlog_ike_name(unsigned ike)
{
	switch (ike & (VPNLOG_IKEV1 | VPNLOG_IKEV2)) {
	case VPNLOG_IKEV1: return "IKEv1";
	case VPNLOG_IKEV2: return "IKEv2";
	case VPNLOG_IKEV1 | VPNLOG_IKEV2: return "IKEv1/IKEv2";
	}
	return "unknown";
}

/* ---- matching --------------------------------------------------------------------- */

#define PLACEHOLDER_MAX 64

/* Length of the placeholder at p ("{name}", or a word of three or more x's), or 0. */
static size_t placeholder_len(const char *pattern, const char *p)
{
	size_t n = 0;

	if (*p == '{') {
		const char *close = strchr(p, '}');

		return close ? (size_t)(close - p) + 1 : 0;
	}
	if (p > pattern && isalnum((unsigned char)p[-1]))
		return 0;
	while (p[n] == 'x')
		n++;
	return n >= 3 && !isalnum((unsigned char)p[n]) ? n : 0;
}

/* Length of a separator at t between two parts of a message: "-", ":", ";", "|", a bullet
 * or an en or em dash; 0 when there is none. */
static size_t separator_len(const char *t)
{
	static const char *const seps[] = {"-", ":", ";", "|", "\xe2\x80\xa2", "\xe2\x80\x93",
					   "\xe2\x80\x94"};

	for (size_t i = 0; i < sizeof seps / sizeof *seps; i++)
		if (strncmp(t, seps[i], strlen(seps[i])) == 0)
			return strlen(seps[i]);
	return 0;
}

/* Does the pattern match at t (the text may go on after it)? A placeholder takes the
 * shortest word that lets the rest match, so the work is bounded by PLACEHOLDER_MAX. A
 * " - " in the pattern joins two parts of a message however AWS writes the join: the
 * user guide shows "Peer is not responsive - Declaring peer dead" in one edition and a
 * bullet in the next. */
static int match_here(const char *pattern, const char *p, const char *t)
{
	while (*p) {
		size_t ph = placeholder_len(pattern, p);

		if (strncmp(p, " - ", 3) == 0) {
			const char *t0 = t;
			size_t sep;

			while (isspace((unsigned char)*t))
				t++;
			if ((sep = separator_len(t)) != 0)
				t += sep;
			while (isspace((unsigned char)*t))
				t++;
			if (t == t0)
				return 0;
			p += 3;
			continue;
		}

		if (ph) {
			for (size_t n = 1; n <= PLACEHOLDER_MAX && t[n - 1] &&
					   !isspace((unsigned char)t[n - 1]);
			     n++)
				if (match_here(pattern, p + ph, t + n))
					return 1;
			return 0;
		}
		if (isspace((unsigned char)*p)) {
			if (!isspace((unsigned char)*t))
				return 0;
			while (isspace((unsigned char)*p))
				p++;
			while (isspace((unsigned char)*t))
				t++;
			continue;
		}
		if (tolower((unsigned char)*p) != tolower((unsigned char)*t))
			return 0;
		p++;
		t++;
	}
	return 1;
}

int vpnlog_match(const char *pattern, const char *text)
{
	if (!pattern || !text || !*pattern)
		return 0;
	for (const char *t = text; *t; t++)
		if (tolower((unsigned char)*t) == tolower((unsigned char)*pattern) &&
		    match_here(pattern, pattern, t))
			return 1;
	return 0;
}

const struct vpnlog_msg *vpnlog_classify(const char *detail)
{
	if (!detail || !*detail)
		return NULL;
	for (size_t i = 0; i < vpnlog_catalogue_len; i++)
		if (vpnlog_match(vpnlog_catalogue[i].pattern, detail))
			return &vpnlog_catalogue[i];
	return NULL;
}

/* ---- scrubbing -------------------------------------------------------------------- */

static bool word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '-';
}

/* Does the text before a ':' or '=' at sep name a secret? Looks at the last word and the
 * last two words ("pre-shared key", "session token"); a bare "key" counts here, since
 * "key: VALUE" in a log line is most likely one. */
static bool names_secret(const char *text, const char *sep)
{
	const char *e = sep, *w1, *w2;
	char words[80];
	size_t n;

	while (e > text && e[-1] == ' ')
		e--;
	for (w1 = e; w1 > text && word_char((unsigned char)w1[-1]); w1--)
		;
	if (w1 == e)
		return false;
	n = (size_t)(e - w1);
	if (n >= sizeof words)
		return false;
	memcpy(words, w1, n);
	words[n] = '\0';
	if (redact_key_is_secret(words) || strcasecmp(words, "key") == 0 ||
	    strcasecmp(words, "keys") == 0)
		return true;
	for (w2 = w1; w2 > text && w2[-1] == ' '; w2--)
		;
	if (w2 == w1)
		return false;
	while (w2 > text && word_char((unsigned char)w2[-1]))
		w2--;
	n = (size_t)(e - w2);
	if (n >= sizeof words)
		return false;
	memcpy(words, w2, n);
	words[n] = '\0';
	return redact_key_is_secret(words);
}

struct sbuf {
	char *out;
	size_t len, cap; /* cap: bytes available for text (the NUL and "..." excluded) */
	bool cut;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->cut)
		return;
	if (n > b->cap - b->len) {
		n = b->cap - b->len;
		b->cut = true;
	}
	memcpy(b->out + b->len, s, n);
	b->len += n;
}

char *vpnlog_scrub(const char *text, char *out, size_t len)
{
	struct sbuf b = {.out = out};
	const char *p = text;

	if (!out || len == 0)
		return out;
	out[0] = '\0';
	if (!text || len < 8)
		return out;
	b.cap = len - 4; /* room for "..." and the NUL */
	while (*p && !b.cut) {
		const char *sep = p + strcspn(p, ":=");

		sb_put(&b, p, (size_t)(sep - p));
		if (!*sep)
			break;
		sb_put(&b, sep, 1);
		p = sep + 1;
		if (names_secret(text, sep)) {
			while (*p == ' ' || *p == '"' || *p == '\'')
				sb_put(&b, p++, 1);
			if (*p && !strchr(" \t\"',;)]}", *p)) {
				sb_put(&b, REDACTED, strlen(REDACTED));
				while (*p && !strchr(" \t\r\n\"',;)]}", *p))
					p++;
			}
		}
	}
	if (b.cut) {
		/* never end inside a UTF-8 sequence */
		size_t n = b.len;

		while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)out[n - 1] & 0x80)) {
			unsigned char lead = (unsigned char)out[n - 1];
			size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;

			if (b.len - (n - 1) < need)
				b.len = n - 1;
		}
		memcpy(out + b.len, "...", 3);
		b.len += 3;
	}
	out[b.len] = '\0';
	return out;
}
