#include "libdiag/ike/ike_dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdiag/cursor.h"

/* ---- names (IANA "IKEv2 Parameters" and "ISAKMP/IPsec DOI" registries) ---------------- */

struct name {
	unsigned v;
	const char *s;
};

#define NAMES(n) (n), sizeof(n) / sizeof((n)[0])

static const char *lookup(const struct name *t, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].s;
	return NULL;
}

static const struct name v2_exchanges[] = {
	{34, "IKE_SA_INIT"}, {35, "IKE_AUTH"}, {36, "CREATE_CHILD_SA"}, {37, "INFORMATIONAL"},
	{43, "IKE_INTERMEDIATE"},
};
static const struct name v1_exchanges[] = {
	{1, "Base"}, {2, "Identity Protection (Main Mode)"}, {3, "Authentication Only"},
	{4, "Aggressive"}, {5, "Informational"}, {32, "Quick Mode"},
	{33, "New Group Mode"},
};
static const struct name v2_pl_names[] = {
	{33, "SA"}, {34, "KE"}, {35, "IDi"}, {36, "IDr"}, {37, "CERT"}, {38, "CERTREQ"},
	{39, "AUTH"}, {40, "Nonce"}, {41, "Notify"}, {42, "Delete"}, {43, "Vendor ID"},
	{44, "TSi"}, {45, "TSr"}, {46, "Encrypted"}, {47, "CP"}, {48, "EAP"},
	{53, "Encrypted Fragment"},
};
static const struct name v1_pl_names[] = {
	{1, "SA"}, {2, "Proposal"}, {3, "Transform"}, {4, "KE"}, {5, "ID"}, {6, "CERT"},
	{7, "CERTREQ"}, {8, "Hash"}, {9, "Signature"}, {10, "Nonce"}, {11, "Notification"},
	{12, "Delete"}, {13, "Vendor ID"}, {20, "NAT-D"}, {130, "NAT-D (draft)"},
};
static const struct name v2_protocols[] = { {1, "IKE"}, {2, "AH"}, {3, "ESP"} };
static const struct name v1_protocols[] = {
	{1, "ISAKMP"}, {2, "IPSEC_AH"}, {3, "IPSEC_ESP"}, {4, "IPCOMP"},
};
static const struct name v2_ttypes[] = {
	{1, "ENCR"}, {2, "PRF"}, {3, "INTEG"}, {4, "DH"}, {5, "ESN"},
};
static const struct name v2_encr[] = {
	{2, "DES"}, {3, "3DES"}, {11, "NULL"}, {12, "AES_CBC"}, {13, "AES_CTR"},
	{14, "AES_CCM_8"}, {15, "AES_CCM_12"}, {16, "AES_CCM_16"}, {18, "AES_GCM_8"},
	{19, "AES_GCM_12"}, {20, "AES_GCM_16"}, {28, "CHACHA20_POLY1305"},
};
static const struct name v2_prf[] = {
	{1, "HMAC_MD5"}, {2, "HMAC_SHA1"}, {4, "AES128_XCBC"}, {5, "HMAC_SHA2_256"},
	{6, "HMAC_SHA2_384"}, {7, "HMAC_SHA2_512"}, {8, "AES128_CMAC"},
};
static const struct name v2_integ[] = {
	{0, "NONE"}, {1, "HMAC_MD5_96"}, {2, "HMAC_SHA1_96"}, {5, "AES_XCBC_96"},
	{8, "AES_CMAC_96"}, {12, "HMAC_SHA2_256_128"}, {13, "HMAC_SHA2_384_192"},
	{14, "HMAC_SHA2_512_256"},
};
static const struct name groups[] = {
	{0, "NONE"}, {1, "modp768"}, {2, "modp1024"}, {5, "modp1536"}, {14, "modp2048"},
	{15, "modp3072"}, {16, "modp4096"}, {17, "modp6144"}, {18, "modp8192"},
	{19, "ecp256"}, {20, "ecp384"}, {21, "ecp521"}, {22, "modp1024s160"},
	{23, "modp2048s224"}, {24, "modp2048s256"}, {25, "ecp192"}, {26, "ecp224"},
	{27, "ecp224bp"}, {28, "ecp256bp"}, {29, "ecp384bp"}, {30, "ecp512bp"},
	{31, "curve25519"}, {32, "curve448"},
};
static const struct name v2_esn[] = { {0, "NO_ESN"}, {1, "ESN"} };
static const struct name v2_notifies[] = {
	{1, "UNSUPPORTED_CRITICAL_PAYLOAD"}, {4, "INVALID_IKE_SPI"},
	{5, "INVALID_MAJOR_VERSION"}, {7, "INVALID_SYNTAX"}, {9, "INVALID_MESSAGE_ID"},
	{11, "INVALID_SPI"}, {14, "NO_PROPOSAL_CHOSEN"}, {17, "INVALID_KE_PAYLOAD"},
	{24, "AUTHENTICATION_FAILED"}, {34, "SINGLE_PAIR_REQUIRED"}, {35, "NO_ADDITIONAL_SAS"},
	{36, "INTERNAL_ADDRESS_FAILURE"}, {37, "FAILED_CP_REQUIRED"}, {38, "TS_UNACCEPTABLE"},
	{39, "INVALID_SELECTORS"}, {43, "TEMPORARY_FAILURE"}, {44, "CHILD_SA_NOT_FOUND"},
	{16384, "INITIAL_CONTACT"}, {16385, "SET_WINDOW_SIZE"},
	{16386, "ADDITIONAL_TS_POSSIBLE"}, {16387, "IPCOMP_SUPPORTED"},
	{16388, "NAT_DETECTION_SOURCE_IP"}, {16389, "NAT_DETECTION_DESTINATION_IP"},
	{16390, "COOKIE"}, {16391, "USE_TRANSPORT_MODE"}, {16392, "HTTP_CERT_LOOKUP_SUPPORTED"},
	{16393, "REKEY_SA"}, {16394, "ESP_TFC_PADDING_NOT_SUPPORTED"},
	{16395, "NON_FIRST_FRAGMENTS_ALSO"}, {16396, "MOBIKE_SUPPORTED"},
	{16404, "MULTIPLE_AUTH_SUPPORTED"}, {16405, "ANOTHER_AUTH_FOLLOWS"},
	{16406, "REDIRECT_SUPPORTED"}, {16407, "REDIRECT"}, {16408, "REDIRECTED_FROM"},
	{16418, "CHILDLESS_IKEV2_SUPPORTED"}, {16430, "IKEV2_FRAGMENTATION_SUPPORTED"},
	{16431, "SIGNATURE_HASH_ALGORITHMS"},
};
static const struct name v1_notifies[] = {
	{1, "INVALID-PAYLOAD-TYPE"}, {4, "INVALID-COOKIE"}, {5, "INVALID-MAJOR-VERSION"},
	{7, "INVALID-EXCHANGE-TYPE"}, {8, "INVALID-FLAGS"}, {9, "INVALID-MESSAGE-ID"},
	{14, "NO-PROPOSAL-CHOSEN"}, {16, "PAYLOAD-MALFORMED"}, {17, "INVALID-KEY-INFORMATION"},
	{18, "INVALID-ID-INFORMATION"}, {24, "AUTHENTICATION-FAILED"},
	{24576, "RESPONDER-LIFETIME"}, {24578, "INITIAL-CONTACT"},
	{36136, "R-U-THERE"}, {36137, "R-U-THERE-ACK"},
};
static const struct name v1_attrs[] = {
	{1, "encryption"}, {2, "hash"}, {3, "auth"}, {4, "group"}, {5, "group_type"},
	{11, "life_type"}, {12, "life_duration"}, {13, "prf"}, {14, "key_length"},
	{15, "field_size"}, {16, "group_order"},
};
static const struct name v1_encr[] = {
	{1, "DES-CBC"}, {2, "IDEA-CBC"}, {3, "Blowfish-CBC"}, {4, "RC5-R16-B64-CBC"},
	{5, "3DES-CBC"}, {6, "CAST-CBC"}, {7, "AES-CBC"}, {8, "CAMELLIA-CBC"},
};
static const struct name v1_hash[] = {
	{1, "MD5"}, {2, "SHA"}, {3, "Tiger"}, {4, "SHA2-256"}, {5, "SHA2-384"}, {6, "SHA2-512"},
};
static const struct name v1_auth[] = {
	{1, "PSK"}, {2, "DSS"}, {3, "RSA"}, {4, "RSA-ENC"}, {5, "RSA-REV-ENC"},
	{9, "ECDSA-SHA256"}, {10, "ECDSA-SHA384"}, {11, "ECDSA-SHA512"},
	{65001, "XAUTHInitPreShared"},
};
static const struct name v1_life[] = { {1, "seconds"}, {2, "kilobytes"} };

/* ---- JSON helpers ---------------------------------------------------------------------- */

static void num(cJSON *o, const char *k, double v)
{
	cJSON_AddNumberToObject(o, k, v);
}

static void str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
}

static void hex(cJSON *o, const char *k, const uint8_t *p, size_t n)
{
	char buf[2 * 64 + 1];

	ike_hex(p, n > 64 ? 64 : n, buf, sizeof(buf));
	cJSON_AddStringToObject(o, k, buf);
}

static cJSON *arr(cJSON *o, const char *k)
{
	return cJSON_AddArrayToObject(o, k);
}

static cJSON *item(cJSON *a)
{
	cJSON *o = cJSON_CreateObject();

	if (o && !cJSON_AddItemToArray(a, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Appends a string to the array a; a string that cannot be added is freed, not leaked. */
static void push_str(cJSON *a, const char *s)
{
	cJSON *v = cJSON_CreateString(s);

	if (v && !cJSON_AddItemToArray(a, v))
		cJSON_Delete(v);
}

static void header(cJSON *o, const uint8_t *spi_i, const uint8_t *spi_r, uint8_t first,
		   uint8_t version, uint8_t exch, const char *exch_name, uint8_t flags,
		   uint32_t msgid, uint32_t length, bool natt)
{
	cJSON *f;

	num(o, "version_major", version >> 4);
	num(o, "version_minor", version & 15);
	hex(o, "ispi", spi_i, 8);
	hex(o, "rspi", spi_r, 8);
	num(o, "next_payload", first);
	num(o, "exchange", exch);
	str(o, "exchange_name", exch_name);
	num(o, "flags", flags);
	f = arr(o, "flag_names");
	if (version >> 4 == 2) {
		if (flags & 0x08)
			push_str(f, "initiator");
		if (flags & 0x10)
			push_str(f, "version");
		if (flags & 0x20)
			push_str(f, "response");
	} else {
		if (flags & 0x01)
			push_str(f, "encryption");
		if (flags & 0x02)
			push_str(f, "commit");
		if (flags & 0x04)
			push_str(f, "authentication");
	}
	num(o, "msgid", msgid);
	num(o, "length", length);
	cJSON_AddBoolToObject(o, "natt", natt);
}

static cJSON *payload(cJSON *a, const struct name *names, size_t nn, uint8_t type, uint8_t next,
		      uint8_t flags, uint16_t length, bool v2)
{
	cJSON *o = item(a);

	if (!o)
		return NULL;
	num(o, "type", type);
	str(o, "name", lookup(names, nn, type));
	num(o, "next", next);
	if (v2)
		cJSON_AddBoolToObject(o, "critical", flags & 0x80);
	num(o, "length", length);
	return o;
}

/* ---- IKEv2 ------------------------------------------------------------------------------ */

static const char *v2_tid_name(uint8_t type, uint16_t id)
{
	switch (type) {
	case 1: return lookup(NAMES(v2_encr), id);
	case 2: return lookup(NAMES(v2_prf), id);
	case 3: return lookup(NAMES(v2_integ), id);
	case 4: return lookup(NAMES(groups), id);
	case 5: return lookup(NAMES(v2_esn), id);
	}
	return NULL;
}

static void v2_sa(cJSON *o, const struct ike_v2_msg *m)
{
	cJSON *props = arr(o, "proposals");

	for (size_t i = 0; i < m->nprops; i++) {
		const struct ike_v2_prop_info *pi = &m->prop_info[i];
		cJSON *p = item(props), *ts;

		if (!p)
			return;
		num(p, "number", m->prop_num[i]);
		num(p, "protocol", pi->proto);
		str(p, "protocol_name", lookup(NAMES(v2_protocols), pi->proto));
		num(p, "spi_size", pi->spi_size);
		if (pi->spi_size)
			hex(p, "spi", pi->spi, pi->spi_size < 8 ? pi->spi_size : 8);
		num(p, "transforms_count", pi->ntrans);
		num(p, "length", pi->length);
		ts = arr(p, "transforms");
		for (size_t k = 0; k < m->props[i].n; k++) {
			const struct ike_transform *t = &m->props[i].t[k];
			const struct ike_v2_trans_info *ti = &m->trans_info[i][k];
			cJSON *to = item(ts), *as;

			if (!to)
				return;
			num(to, "type", t->type);
			str(to, "type_name", lookup(NAMES(v2_ttypes), t->type));
			num(to, "id", t->id);
			str(to, "id_name", v2_tid_name(t->type, t->id));
			num(to, "length", ti->length);
			as = arr(to, "attributes");
			for (size_t a = 0; a < ti->nattr; a++) {
				const struct ike_v2_attr *at = &ti->attr[a];
				cJSON *ao = item(as);

				if (!ao)
					return;
				num(ao, "type", at->type);
				str(ao, "name", at->type == 14 ? "key_length" : NULL);
				str(ao, "format", at->tv ? "tv" : "tlv");
				if (!at->tv)
					num(ao, "value_length", at->len);
				if (at->tv || at->len <= 4)
					num(ao, "value", at->value);
			}
			if (ti->attr_total > ti->nattr)
				num(to, "attributes_total", ti->attr_total);
		}
	}
	if (m->props_truncated)
		cJSON_AddBoolToObject(o, "truncated", true);
}

static void v2_notify(cJSON *o, const struct ike_v2_notify *n)
{
	num(o, "protocol", n->proto);
	num(o, "spi_size", n->spi_size);
	if (n->spi_size)
		hex(o, "spi", n->spi, n->spi_size < 16 ? n->spi_size : 16);
	num(o, "notify_type", n->type);
	str(o, "notify_name", lookup(NAMES(v2_notifies), n->type));
	num(o, "data_length", (double)n->data_len);
	if (n->data_len)
		hex(o, "data", n->data, n->data_len < IKE2_NOTIFY_DATA_MAX ? n->data_len :
									    IKE2_NOTIFY_DATA_MAX);
	if (n->type == IKE2_N_INVALID_KE_PAYLOAD) {
		num(o, "group", n->group);
		str(o, "group_name", lookup(NAMES(groups), n->group));
	}
}

static void v2_payloads(cJSON *a, const struct ike_v2_msg *m)
{
	for (size_t i = 0; i < m->npayloads && i < IKE_PAYLOADS_MAX; i++) {
		const struct ike_v2_payload *pl = &m->pl[i];
		cJSON *o = payload(a, NAMES(v2_pl_names), pl->type, pl->next, pl->flags,
				   pl->length, true);

		if (!o)
			return;
		switch (pl->type) {
		case IKE2_PL_SA:
			v2_sa(o, m);
			break;
		case IKE2_PL_KE:
			num(o, "group", m->ke_group);
			str(o, "group_name", lookup(NAMES(groups), m->ke_group));
			num(o, "data_length", (double)m->ke_len);
			break;
		case IKE2_PL_NONCE:
			num(o, "data_length", (double)m->nonce_len);
			break;
		case IKE2_PL_NOTIFY:
			if (pl->idx >= 0)
				v2_notify(o, &m->notify[pl->idx]);
			break;
		case IKE2_PL_VENDOR:
			if (pl->idx >= 0) {
				num(o, "data_length", (double)m->vendor_len[pl->idx]);
				str(o, "data", m->vendor[pl->idx]);
			}
			break;
		case IKE2_PL_SK:
		case IKE2_PL_SKF:
			num(o, "data_length", (double)m->sk_len);
			break;
		default:
			num(o, "data_length", pl->length - 4);
			break;
		}
	}
}

static cJSON *v2_json(const struct ike_v2_msg *m)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	header(o, m->spi_i, m->spi_r, m->first_payload, m->version, m->exchange,
	       lookup(NAMES(v2_exchanges), m->exchange), m->flags, m->msgid, m->length, m->natt);
	v2_payloads(arr(o, "payloads"), m);
	return o;
}

/* ---- IKEv1 ------------------------------------------------------------------------------ */

static const char *v1_attr_value_name(uint16_t type, uint32_t v)
{
	switch (type) {
	case IKE1_A_ENCR: return lookup(NAMES(v1_encr), v);
	case IKE1_A_HASH: return lookup(NAMES(v1_hash), v);
	case IKE1_A_AUTH: return lookup(NAMES(v1_auth), v);
	case IKE1_A_GROUP: return lookup(NAMES(groups), v);
	case IKE1_A_LIFE_TYPE: return lookup(NAMES(v1_life), v);
	}
	return NULL;
}

static void v1_sa(cJSON *o, const struct ike_v1_msg *m)
{
	cJSON *props, *p, *ts;

	num(o, "doi", m->doi);
	num(o, "situation", m->situation);
	props = arr(o, "proposals");
	if (m->nproposals == 0 || !(p = item(props)))
		return;
	num(p, "number", m->prop_num);
	num(p, "protocol", m->protocol);
	str(p, "protocol_name", lookup(NAMES(v1_protocols), m->protocol));
	num(p, "spi_size", m->prop_spi_size);
	if (m->prop_spi_size)
		hex(p, "spi", m->prop_spi, m->prop_spi_size < 16 ? m->prop_spi_size : 16);
	num(p, "transforms_count", m->prop_ntrans);
	num(p, "length", m->prop_length);
	ts = arr(p, "transforms");
	for (size_t k = 0; k < m->ntransforms; k++) {
		const struct ike_v1_transform *t = &m->t[k];
		const struct ike_v1_trans_info *ti = &m->trans_info[k];
		cJSON *to = item(ts), *as;

		if (!to)
			return;
		num(to, "number", t->num);
		num(to, "id", t->id);
		str(to, "id_name", t->id == 1 ? "KEY_IKE" : NULL);
		num(to, "length", ti->length);
		as = arr(to, "attributes");
		for (size_t a = 0; a < ti->nattr; a++) {
			const struct ike_v1_attr *at = &ti->attr[a];
			cJSON *ao = item(as);

			if (!ao)
				return;
			num(ao, "type", at->type);
			str(ao, "name", lookup(NAMES(v1_attrs), at->type));
			str(ao, "format", at->tv ? "tv" : "tlv");
			if (!at->tv)
				num(ao, "value_length", at->len);
			if (at->tv || (at->len >= 1 && at->len <= 4)) {
				num(ao, "value", at->value);
				str(ao, "value_name", v1_attr_value_name(at->type, at->value));
			}
		}
		if (ti->attr_total > ti->nattr)
			num(to, "attributes_total", ti->attr_total);
	}
	if (m->nproposals > 1)
		num(o, "proposals_total", (double)m->nproposals);
}

static void v1_notify(cJSON *o, const struct ike_v1_notify_info *ni, uint16_t type)
{
	num(o, "doi", ni->doi);
	num(o, "protocol", ni->proto);
	num(o, "spi_size", ni->spi_size);
	if (ni->spi_size)
		hex(o, "spi", ni->spi, ni->spi_size < 16 ? ni->spi_size : 16);
	num(o, "notify_type", type);
	str(o, "notify_name", lookup(NAMES(v1_notifies), type));
	num(o, "data_length", (double)ni->data_len);
	if (ni->data_len)
		hex(o, "data", ni->data,
		    ni->data_len < IKE1_NOTIFY_DATA_MAX ? ni->data_len : IKE1_NOTIFY_DATA_MAX);
}

static void v1_payloads(cJSON *a, const struct ike_v1_msg *m)
{
	for (size_t i = 0; i < m->npayloads && i < IKE_PAYLOADS_MAX; i++) {
		const struct ike_v1_payload *pl = &m->pl[i];
		cJSON *o = payload(a, NAMES(v1_pl_names), pl->type, pl->next, pl->flags,
				   pl->length, false);

		if (!o)
			return;
		switch (pl->type) {
		case IKE1_PL_SA:
			v1_sa(o, m);
			break;
		case IKE1_PL_KE:
			num(o, "data_length", (double)m->ke_len);
			break;
		case IKE1_PL_NONCE:
			num(o, "data_length", (double)m->nonce_len);
			break;
		case IKE1_PL_NOTIFY:
			if (pl->idx >= 0)
				v1_notify(o, &m->notify_info[pl->idx], m->notify[pl->idx]);
			break;
		case IKE1_PL_NATD:
		case IKE1_PL_NATD_DRAFT:
			if (pl->idx >= 0) {
				size_t n = m->natd_len[pl->idx];

				num(o, "data_length", (double)n);
				hex(o, "data", m->natd[pl->idx], n < 20 ? n : 20);
			}
			break;
		case IKE1_PL_VENDOR:
			if (pl->idx >= 0) {
				num(o, "data_length", (double)m->vendor_len[pl->idx]);
				str(o, "data", m->vendor[pl->idx]);
			}
			break;
		default:
			num(o, "data_length", pl->length - 4);
			break;
		}
	}
}

static cJSON *v1_json(const struct ike_v1_msg *m)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	header(o, m->ck_i, m->ck_r, m->first_payload, m->version, m->exchange,
	       lookup(NAMES(v1_exchanges), m->exchange), m->flags, m->msgid, m->length, m->natt);
	if (m->flags & 0x01)
		num(o, "encrypted_length", (double)m->encrypted_len);
	v1_payloads(arr(o, "payloads"), m);
	return o;
}

/* ---- entry points ------------------------------------------------------------------------ */

int ike_decode_any(const uint8_t *buf, size_t len, bool natt, struct ike_decoded *d,
		   struct diag_error *err)
{
	size_t at = natt ? 4 : 0;
	uint8_t v = 0;

	memset(d, 0, sizeof(*d));
	/* too short to hold a version: the IKEv2 decoder says "truncated" at the right place */
	if (len < at + 18 || (v = buf[at + 17]) >> 4 == 2) {
		d->version = 2;
		return ike_v2_decode(buf, len, natt, &d->u.v2, err);
	}
	if (v >> 4 == 1) {
		d->version = 1;
		return ike_v1_decode(buf, len, natt, &d->u.v1, err);
	}
	{
		char where[48];

		snprintf(where, sizeof(where), "IKE header (offset %zu)", at);
		return diag_fail(err, DIAG_EXIT_DATAERR, where,
				 "version %u.%u is neither IKEv1 nor IKEv2", (unsigned)(v >> 4),
				 (unsigned)(v & 15));
	}
}

cJSON *ike_dump_json(const struct ike_decoded *d)
{
	return d->version == 1 ? v1_json(&d->u.v1) : v2_json(&d->u.v2);
}

/* ---- text, from the JSON ------------------------------------------------------------------ */

static double getn(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *gets_(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool has(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k) != NULL;
}

/* " NAME (N)" or " N" */
static void named(FILE *f, const cJSON *o, const char *numk, const char *namek)
{
	const char *n = gets_(o, namek);

	if (n)
		fprintf(f, "%s (%.0f)", n, getn(o, numk));
	else
		fprintf(f, "%.0f", getn(o, numk));
}

static void text_attrs(FILE *f, const cJSON *to)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(to, "attributes")) {
		const char *n = gets_(a, "name"), *vn = gets_(a, "value_name");

		fprintf(f, ", ");
		if (n)
			fprintf(f, "%s", n);
		else
			fprintf(f, "attr %.0f", getn(a, "type"));
		if (has(a, "value_length"))
			fprintf(f, " (tlv, %.0f bytes)", getn(a, "value_length"));
		if (has(a, "value")) {
			fprintf(f, "=%.0f", getn(a, "value"));
			if (vn)
				fprintf(f, " (%s)", vn);
		}
	}
	if (has(to, "attributes_total"))
		fprintf(f, ", %.0f attributes in all", getn(to, "attributes_total"));
}

static void text_sa(FILE *f, const cJSON *pl, const char *ind, bool v1)
{
	const cJSON *p, *t;

	if (v1)
		fprintf(f, ": doi %.0f, situation %.0f", getn(pl, "doi"), getn(pl, "situation"));
	fprintf(f, "\n");
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(pl, "proposals")) {
		fprintf(f, "%s    proposal %.0f, protocol ", ind, getn(p, "number"));
		named(f, p, "protocol", "protocol_name");
		fprintf(f, ", spi size %.0f", getn(p, "spi_size"));
		if (gets_(p, "spi"))
			fprintf(f, ", spi %s", gets_(p, "spi"));
		fprintf(f, ", %.0f transforms, length %.0f\n", getn(p, "transforms_count"),
			getn(p, "length"));
		cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(p, "transforms")) {
			if (v1) {
				fprintf(f, "%s      transform %.0f, id ", ind, getn(t, "number"));
				named(f, t, "id", "id_name");
			} else {
				fprintf(f, "%s      transform ", ind);
				named(f, t, "type", "type_name");
				fprintf(f, " id ");
				named(f, t, "id", "id_name");
			}
			fprintf(f, ", length %.0f", getn(t, "length"));
			text_attrs(f, t);
			fprintf(f, "\n");
		}
	}
	if (has(pl, "proposals_total"))
		fprintf(f, "%s    (%.0f proposals; only the first decoded)\n", ind,
			getn(pl, "proposals_total"));
	if (has(pl, "truncated"))
		fprintf(f, "%s    (more proposals or transforms than kept)\n", ind);
}

static void text_payload(FILE *f, const cJSON *pl, const char *ind, bool v1)
{
	int type = (int)getn(pl, "type");

	fprintf(f, "%s  ", ind);
	named(f, pl, "type", "name");
	fprintf(f, " next %.0f", getn(pl, "next"));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pl, "critical")))
		fprintf(f, " critical");
	fprintf(f, " length %.0f", getn(pl, "length"));
	if (has(pl, "proposals")) {
		text_sa(f, pl, ind, v1);
		return;
	}
	if (has(pl, "notify_type")) {
		fprintf(f, ": ");
		if (has(pl, "doi"))
			fprintf(f, "doi %.0f, ", getn(pl, "doi"));
		fprintf(f, "protocol %.0f, spi size %.0f", getn(pl, "protocol"),
			getn(pl, "spi_size"));
		if (gets_(pl, "spi"))
			fprintf(f, ", spi %s", gets_(pl, "spi"));
		fprintf(f, ", ");
		named(f, pl, "notify_type", "notify_name");
		fprintf(f, ", data %.0f bytes", getn(pl, "data_length"));
		if (has(pl, "group")) {
			fprintf(f, ", group ");
			named(f, pl, "group", "group_name");
		} else if (gets_(pl, "data")) {
			fprintf(f, " %s", gets_(pl, "data"));
		}
		fprintf(f, "\n");
		return;
	}
	if (has(pl, "group")) { /* KE */
		fprintf(f, ": group ");
		named(f, pl, "group", "group_name");
		fprintf(f, ", data %.0f bytes\n", getn(pl, "data_length"));
		return;
	}
	fprintf(f, ": %.0f bytes", getn(pl, "data_length"));
	if (gets_(pl, "data"))
		fprintf(f, " %s", gets_(pl, "data"));
	if (!v1 && (type == IKE2_PL_SK || type == IKE2_PL_SKF))
		fprintf(f, " (encrypted; first inner payload %.0f)", getn(pl, "next"));
	fprintf(f, "\n");
}

char *ike_dump_text(const cJSON *ike, const char *indent)
{
	const cJSON *pl, *fl;
	int major = (int)getn(ike, "version_major"), minor = (int)getn(ike, "version_minor");
	bool v1 = major == 1;
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	bool first = true;

	if (!f)
		return NULL;
	fprintf(f, "%sIKEv%d ", indent, major);
	named(f, ike, "exchange", "exchange_name");
	fprintf(f, ", version %d.%d, ispi %s, rspi %s, next %.0f, flags 0x%02x", major, minor,
		gets_(ike, "ispi"), gets_(ike, "rspi"), getn(ike, "next_payload"),
		(unsigned)getn(ike, "flags"));
	cJSON_ArrayForEach(fl, cJSON_GetObjectItemCaseSensitive(ike, "flag_names")) {
		fprintf(f, "%s%s", first ? " (" : ", ", fl->valuestring);
		first = false;
	}
	fprintf(f, "%s, msgid %.0f, length %.0f%s", first ? "" : ")", getn(ike, "msgid"),
		getn(ike, "length"),
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ike, "natt")) ? ", NAT-T" : "");
	if (has(ike, "encrypted_length"))
		fprintf(f, ", encrypted %.0f bytes", getn(ike, "encrypted_length"));
	fprintf(f, "\n");
	cJSON_ArrayForEach(pl, cJSON_GetObjectItemCaseSensitive(ike, "payloads"))
		text_payload(f, pl, indent, v1);
	if (ferror(f)) {
		fclose(f);
		free(s);
		return NULL;
	}
	if (fclose(f)) {
		free(s);
		return NULL;
	}
	return s;
}
