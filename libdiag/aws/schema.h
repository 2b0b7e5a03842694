/* One descriptor table per AWS model struct: which JSON member (AWS CLI output) and which
 * EC2 XML element (botocore's locationName) fill which field, and how. The JSON loader,
 * the XML-to-JSON renaming and the model dump all walk these tables, so a field is named
 * in exactly one place.
 *
 * Names come from botocore's EC2 model (botocore/data/ec2/2016-11-15/service-2.json,
 * python3-botocore 1.29 in Debian 12); members newer than that model
 * (EnableTunnelLifecycleControl, TunnelBandwidth, GetActiveVpnTunnelStatus) are named after
 * the EC2 API reference pages (API_TunnelOption, API_ActiveVpnTunnelStatus), which follow
 * the same lowerCamel rule. */
#ifndef LIBDIAG_AWS_SCHEMA_H
#define LIBDIAG_AWS_SCHEMA_H

#include <stddef.h>

enum aws_kind {
	AWS_K_STR,        /* char *: a JSON string */
	AWS_K_SECRET,     /* char *: a string never rendered (dumped as "<redacted>") */
	AWS_K_INT,        /* long: a whole number >= 0; AWS_ABSENT when absent */
	AWS_K_BOOL,       /* long: 0 / 1; AWS_ABSENT when absent */
	AWS_K_VALUE_STRS, /* struct aws_strs: [{"Value": "x"}, ...] */
	AWS_K_VALUE_INTS, /* struct aws_ints: [{"Value": 14}, ...] */
	AWS_K_FIELD_STRS, /* struct aws_strs: [{ITEM: "x"}, ...], ITEM = item_json */
	AWS_K_OBJECT,     /* a nested JSON object whose members fill base + off via sub */
	AWS_K_LIST,       /* an array of objects: an arena array at off, count at n_off,
			   * capacity at cap_off, elements of sub->size bytes */
	AWS_K_TARGET,     /* a route target: the first present of the AWS_K_TARGET rows goes
			   * to the char * at off, its JSON name to the const char * at aux_off */
	AWS_K_PTR_OBJECT, /* a pointer at off to a struct described by sub (dump only) */
};

/* Field flags. */
#define AWS_F_DUMP_ONLY 0x1u  /* written by the dump, never read from input */
#define AWS_F_CGW_XML 0x2u    /* the CustomerGatewayConfiguration XML: also parsed into
			       * the struct aws_cgw_config * at aux_off */

struct aws_schema;

struct aws_field {
	const char *json;       /* AWS CLI member name */
	const char *json_alt;   /* second spelling AWS also uses (IKEVersions), or NULL */
	const char *xml;        /* EC2 XML element name, or NULL (not in EC2 answers) */
	enum aws_kind kind;
	size_t off;
	const struct aws_schema *sub; /* AWS_K_OBJECT, AWS_K_LIST, AWS_K_PTR_OBJECT */
	const char *item_json;  /* AWS_K_FIELD_STRS: the member of each item */
	const char *item_xml;
	size_t n_off, cap_off;  /* AWS_K_LIST */
	size_t aux_off;         /* AWS_K_TARGET, AWS_F_CGW_XML */
	unsigned flags;
};

struct aws_schema {
	const char *name;       /* the botocore shape, for messages and tests */
	size_t size;            /* sizeof the struct a list element is */
	const struct aws_field *fields;
	size_t n_fields;
};

/* A top-level document key: {"VpnConnections": [...]} fills m->vpn_connections. */
struct aws_doc {
	const char *json;       /* "VpnConnections" */
	const char *xml;        /* "vpnConnectionSet" */
	const struct aws_schema *schema;
	size_t arr_off, n_off, cap_off; /* into struct aws_model */
	int single;             /* the value is one object (ActiveVpnTunnelStatus), though
				 * an array of them is accepted too */
};

extern const struct aws_schema aws_schema_vpn_connection;
extern const struct aws_schema aws_schema_vpn_options;   /* Options, flattened */
extern const struct aws_schema aws_schema_tunnel_options;
extern const struct aws_schema aws_schema_telemetry;
extern const struct aws_schema aws_schema_vpn_route;
extern const struct aws_schema aws_schema_tag;
extern const struct aws_schema aws_schema_vpn_gateway;
extern const struct aws_schema aws_schema_vpc_attachment;
extern const struct aws_schema aws_schema_customer_gateway;
extern const struct aws_schema aws_schema_route_table;
extern const struct aws_schema aws_schema_route;
extern const struct aws_schema aws_schema_route_association;
extern const struct aws_schema aws_schema_subnet;
extern const struct aws_schema aws_schema_vpc;
extern const struct aws_schema aws_schema_active_status;
extern const struct aws_schema aws_schema_active_status_ids; /* beside it, top level */
extern const struct aws_schema aws_schema_cgw_config;    /* dump only */

/* The documents the loader recognises, in dump order. */
extern const struct aws_doc aws_docs[];
extern const size_t aws_n_docs;

/* "VpnConnections, VpnGateways, ..." for messages. */
const char *aws_doc_keys(void);

/* Sets every AWS_K_INT and AWS_K_BOOL field of s at base (nested objects included) to
 * AWS_ABSENT; strings and lists are left as they are (zero means absent). */
void aws_schema_init(const struct aws_schema *s, void *base);

#endif
