/* Keeps secrets out of every rendering of a report. Evidence may carry a device
 * configuration or AWS credentials; a report is pasted into tickets and chat, so the one
 * rule lives here and every renderer (report_to_json included) goes through it. */
#ifndef LIBDIAG_REDACT_H
#define LIBDIAG_REDACT_H

#include <stdbool.h>

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

#endif
