/* Keeps secrets out of every rendering of a report. Evidence may carry a device
 * configuration or AWS credentials; a report is pasted into tickets and chat, so the one
 * rule lives here and every renderer (report_to_json included) goes through it. */
#ifndef LIBDIAG_REDACT_H
#define LIBDIAG_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#define REDACTED "<redacted>"

/* True when key names a secret: one of its words (split at '_', '-', '.', spaces, digits
 * and camelCase humps, compared without case, a plural 's' allowed) is psk, secret,
 * password, passwd, passphrase, token or key. "PreSharedKey", "aws_secret_access_key",
 * "SessionToken", "tunnel1_psk" and "api_keys" match; "monkey", "keyring" and
 * "tokenizer" do not. Whole words only, so a "key_length" is redacted too: hiding a
 * harmless number costs less than printing a key. */
bool redact_key_is_secret(const char *key);

/* A deep copy of v in which the value of every secret key, at any depth, is the string
 * REDACTED. Returns NULL when memory runs out (or v is NULL). */
cJSON *redact_copy(const cJSON *v);

/* ---- free text: device configurations, AWS JSON and XML, logs, reports -------------- */

/* How sure the text is that a word after a secret keyword is its value. */
enum redact_kind {
	/* A device configuration (strongSwan, Cisco, Junos, PAN-OS, FortiOS...): the value
	 * after a secret keyword is hidden even with only spaces between them
	 * ("crypto isakmp key VALUE address ...", "set psksecret ENC VALUE"). */
	REDACT_CONFIG,
	/* Anything else (AWS JSON and XML, logs, reports, the environment): a value after
	 * only spaces is hidden when it looks like a key (quoted, or with digits, mixed case
	 * or symbols), so "pre-shared key mismatch" stays readable. */
	REDACT_PROSE,
};

/* Secrets learned from one text, hidden wherever they appear in the next: a PSK found
 * in swanctl.conf is also cut from a log line that echoes it without a keyword. Holds
 * copies of secrets: redactor_free wipes them. */
struct redactor;

/* NULL when memory runs out. */
struct redactor *redactor_new(void);
void redactor_free(struct redactor *r);

/* Hides s (n bytes) wherever it appears from now on. Values shorter than
 * REDACT_LEARN_MIN bytes are ignored (a 3-byte "key" would blank half a text), as are
 * ones longer than REDACT_LEARN_MAX. Returns 0, or -1 when memory or room runs out. */
#define REDACT_LEARN_MIN 6
#define REDACT_LEARN_MAX 4096
int redactor_learn(struct redactor *r, const char *s, size_t n);

/* Learns the value of every environment variable whose name is a secret's
 * (redact_key_is_secret: AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, DB_PASSWORD...) or
 * AWS_ACCESS_KEY_ID. envp is NULL-terminated ("NAME=value"). */
void redactor_learn_env(struct redactor *r, char *const *envp);

/* The most bytes redact_text writes for n bytes of input (the NUL not counted): every
 * "<redacted>" stands for at least one byte it replaced, everything else is copied. */
#define REDACT_TEXT_BOUND(n) ((n) * (sizeof REDACTED - 1))

/* The one redaction every text of a support bundle goes through, whatever its kind:
 * - the value after a secret keyword and '=' or ':' ("secret = V", "psk=V",
 *   "\"PreSharedKey\": \"V\"", "Pre-Shared Key : V", "password=\"V\"", "key=V");
 *   after spaces only as kind says (": PSK \"V\"", "crypto isakmp key 6 V address",
 *   "ikev1 pre-shared-key V", "pre-shared-key ascii-text \"V\"", "set psksecret ENC V"),
 *   encryption-type digits and words like ascii-text, ENC, local, remote skipped;
 * - the text of any XML element named like a secret, at any depth below it
 *   (<pre_shared_key>V</pre_shared_key>, PAN-OS <pre-shared-key><key>V</key>), also
 *   when the XML is escaped inside JSON (\u003c, <\/) or XML (&lt;...&gt;);
 * - AWS access key ids (AKIA..., ASIA...), 40-character secret-key-like base64 words,
 *   STS session tokens, the body of PEM private keys, the password of a URL's userinfo;
 * - with r: every value learned so far (then also learned from this text).
 * A hidden value becomes "<redacted>" and everything around it stays as it was, line for
 * line. Words that name a secret but take no value ("authby=secret", "auth = psk",
 * "authentication-method pre-shared-keys") are left alone; so, in REDACT_PROSE, are a
 * sentence's words after a colon ("ike.psk: the pre-shared key...", "the key:
 * authentication fails": an English function word, or after a bare "key" a word that
 * does not look like a key), while 'key "V"' with a key-like V is hidden. A value that
 * merely holds a secret word ("Tunnel1_Secret_Key") is a value. Never reads past len; the
 * text may hold NUL bytes. Returns a malloc'd NUL-terminated copy (length in *out_len,
 * at most REDACT_TEXT_BOUND(len)) that the caller frees, or NULL when memory runs out. */
char *redact_text(struct redactor *r, enum redact_kind kind, const char *in, size_t len,
		  size_t *out_len);

#endif
