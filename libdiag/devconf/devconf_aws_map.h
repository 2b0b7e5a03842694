/* What the two configurations AWS generates for a customer gateway (the Generic text and
 * the CustomerGatewayConfiguration XML) have in common: AWS's algorithm spellings
 * ("aes-128-cbc", "sha1", "hmac-sha1-96", "group2", "Diffie-Hellman Group 2") turned
 * into the model's IKEv2 transforms, and the pre-shared key rules judged on a key that
 * is then forgotten. Internal to libdiag/devconf. */
#ifndef LIBDIAG_DEVCONF_AWS_MAP_H
#define LIBDIAG_DEVCONF_AWS_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/devconf/devconf.h"

#define DEVCONF_AWS_UNKNOWN_ID 0xFFFF /* an algorithm name we do not know */

/* Adds the encryption of s[0..n) ("aes-128-cbc", "aes-256-gcm-16", "3des-cbc") to p.
 * Returns true when it was an AEAD (GCM) cipher. Unknown: ENCR 0xFFFF. */
bool devconf_aws_add_encr(struct ike_proposal *p, const char *s, size_t n);
/* Phase 1 hash ("sha1", "sha2-256"): INTEG and the matching PRF, or the PRF only when
 * aead. Unknown: INTEG/PRF 0xFFFF. */
void devconf_aws_add_hash(struct ike_proposal *p, const char *s, size_t n, bool aead);
/* Phase 2 integrity ("hmac-sha1-96", "hmac-sha2-256-128"): INTEG (nothing when aead). */
void devconf_aws_add_integ(struct ike_proposal *p, const char *s, size_t n, bool aead);
/* The group number in "group2", "Group 14", "Diffie-Hellman Group 2"; -1 when none. */
long devconf_aws_group(const char *s, size_t n);
/* AWS's pre-shared key rules (8-64 characters, letters, digits, '.', '_', not starting
 * with '0'): true when key[0..n) breaks them. */
bool devconf_aws_psk_weak(const char *key, size_t n);

#endif
