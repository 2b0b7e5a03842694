/* The AWS evidence model: the EC2 objects every AWS-side check reads, filled the same way
 * from the AWS CLI's JSON (offline), from EC2's XML answers (live) and from the
 * CustomerGatewayConfiguration XML inside a VPN connection.
 *
 * Conventions: strings are NULL when absent; numbers are AWS_ABSENT (-1) when absent;
 * booleans are tri-state (AWS_ABSENT, 0, 1). Values are kept as AWS wrote them; the
 * defaults AWS applies to absent tunnel options come from one data table
 * (libdiag/aws/defaults.h) and are applied by aws_tunnel_effective(), never by the
 * loaders, so a report can tell "set to 28800" from "absent, so AWS uses 28800".
 * Every string lives in the model's arena; aws_model_free() wipes it (pre-shared keys). */
#ifndef LIBDIAG_AWS_MODEL_H
#define LIBDIAG_AWS_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "libdiag/arena.h"

#define AWS_ABSENT (-1L)

struct aws_strs {
	char **v;
	size_t n, cap;
};

struct aws_ints {
	long *v;
	size_t n, cap;
};

struct aws_tag {
	char *key, *value;
};

struct aws_tags {
	struct aws_tag *v;
	size_t n, cap;
};

/* Options.TunnelOptions[] (output shape TunnelOption). */
struct aws_tunnel_options {
	char *outside_ip;               /* OutsideIpAddress */
	char *inside_cidr;              /* TunnelInsideCidr */
	char *inside_ipv6_cidr;         /* TunnelInsideIpv6Cidr */
	char *pre_shared_key;           /* PreSharedKey: SECRET, never rendered */
	long phase1_lifetime_s;         /* Phase1LifetimeSeconds */
	long phase2_lifetime_s;         /* Phase2LifetimeSeconds */
	long rekey_margin_s;            /* RekeyMarginTimeSeconds */
	long rekey_fuzz_pct;            /* RekeyFuzzPercentage */
	long replay_window;             /* ReplayWindowSize */
	long dpd_timeout_s;             /* DpdTimeoutSeconds (request spelling DPDTimeoutSeconds) */
	char *dpd_timeout_action;       /* DpdTimeoutAction: clear | none | restart */
	char *startup_action;           /* StartupAction: add | start */
	struct aws_strs phase1_encryption;  /* Phase1EncryptionAlgorithms[].Value */
	struct aws_strs phase2_encryption;
	struct aws_strs phase1_integrity;   /* Phase1IntegrityAlgorithms[].Value */
	struct aws_strs phase2_integrity;
	struct aws_ints phase1_dh_groups;   /* Phase1DHGroupNumbers[].Value */
	struct aws_ints phase2_dh_groups;
	struct aws_strs ike_versions;       /* IkeVersions[].Value (request: IKEVersions) */
	long log_enabled;               /* LogOptions.CloudWatchLogOptions.LogEnabled */
	char *log_group_arn;
	char *log_output_format;
	long lifecycle_control;         /* EnableTunnelLifecycleControl */
};

/* VgwTelemetry[] */
struct aws_telemetry {
	char *outside_ip;               /* OutsideIpAddress */
	char *status;                   /* UP | DOWN */
	char *status_message;
	long accepted_route_count;
	char *last_status_change;       /* ISO 8601, as given */
	char *certificate_arn;
};

/* Routes[] of a VPN connection (VpnStaticRoute) */
struct aws_vpn_route {
	char *destination_cidr;
	char *source;                   /* Static */
	char *state;
};

/* GetActiveVpnTunnelStatus: what a tunnel actually negotiated. */
struct aws_active_status {
	char *vpn_connection_id;
	char *outside_ip;
	char *phase1_encryption, *phase2_encryption;
	char *phase1_integrity, *phase2_integrity;
	long phase1_dh_group, phase2_dh_group;
	char *ike_version;
	char *provisioning_status, *provisioning_status_reason;
};

/* One tunnel of the CustomerGatewayConfiguration XML (ipsec_tunnel). */
struct aws_cgw_tunnel {
	char *cgw_outside_ip, *vgw_outside_ip;
	char *cgw_inside_ip, *vgw_inside_ip;    /* as "169.254.x.y" */
	long inside_prefix_len;
	char *ike_authentication;      /* ike/authentication_protocol: sha1 */
	char *ike_encryption;          /* ike/encryption_protocol: aes-128-cbc */
	long ike_lifetime_s;
	long ike_dh_group;             /* ike/perfect_forward_secrecy: group2 -> 2 */
	char *ike_mode;                /* main */
	char *pre_shared_key;          /* ike/pre_shared_key: SECRET */
	char *ipsec_protocol;          /* esp */
	char *ipsec_authentication;    /* hmac-sha1-96 */
	char *ipsec_encryption;
	long ipsec_lifetime_s;
	long ipsec_pfs_group;
	char *ipsec_mode;              /* tunnel */
	long dpd_delay_s, dpd_retries;
	long tcp_mss_adjustment;
	long clear_df_bit;             /* bool */
	char *fragmentation_before_encryption;
	long cgw_bgp_asn, vgw_bgp_asn, bgp_hold_time;
};

struct aws_cgw_config {
	char *vpn_connection_id;
	char *vpn_gateway_id;
	char *customer_gateway_id;
	char *vpn_connection_type;      /* ipsec.1 */
	struct aws_cgw_tunnel *tunnels;
	size_t n_tunnels, cap_tunnels;
};

struct aws_vpn_connection {
	char *id;                       /* VpnConnectionId */
	char *state;                    /* pending | available | deleting | deleted */
	char *type;                     /* ipsec.1 */
	char *category;                 /* VPN | VPN-Classic */
	char *customer_gateway_id;
	char *vpn_gateway_id;
	char *transit_gateway_id;
	char *cgw_config_xml;           /* CustomerGatewayConfiguration: SECRET (holds PSKs) */
	struct aws_cgw_config *cgw_config; /* parsed from it, or NULL */
	/* Options */
	long enable_acceleration;
	long static_routes_only;
	char *local_ipv4_cidr, *remote_ipv4_cidr;
	char *local_ipv6_cidr, *remote_ipv6_cidr;
	char *outside_ip_address_type;
	char *tunnel_inside_ip_version;
	char *tunnel_bandwidth;
	struct aws_tunnel_options *tunnels;
	size_t n_tunnels, cap_tunnels;
	struct aws_telemetry *telemetry;
	size_t n_telemetry, cap_telemetry;
	struct aws_vpn_route *routes;
	size_t n_routes, cap_routes;
	struct aws_tags tags;
};

struct aws_vpc_attachment {
	char *vpc_id;
	char *state;                    /* attaching | attached | detaching | detached */
};

struct aws_vpn_gateway {
	char *id, *state, *type, *availability_zone;
	long amazon_side_asn;
	struct aws_vpc_attachment *attachments;
	size_t n_attachments, cap_attachments;
	struct aws_tags tags;
};

struct aws_customer_gateway {
	char *id;
	char *ip_address;               /* the registered outside address */
	char *bgp_asn;                  /* a string in the API */
	char *state, *type, *certificate_arn, *device_name;
	struct aws_tags tags;
};

struct aws_route {
	char *destination_cidr;         /* DestinationCidrBlock */
	char *destination_ipv6_cidr;
	char *destination_prefix_list;
	/* The target: the first of GatewayId, NatGatewayId, TransitGatewayId,
	 * NetworkInterfaceId, InstanceId, VpcPeeringConnectionId, EgressOnlyInternetGatewayId,
	 * LocalGatewayId, CarrierGatewayId, CoreNetworkArn present, and which field held it. */
	char *target;
	const char *target_field;       /* static string, e.g. "GatewayId" */
	char *origin;                   /* CreateRouteTable | CreateRoute | EnableVgwRoutePropagation | ... */
	char *state;                    /* active | blackhole | filtered */
};

struct aws_route_association {
	long main;                      /* bool */
	char *id;                       /* RouteTableAssociationId */
	char *subnet_id;                /* absent for the main association */
	char *gateway_id;
	char *state;                    /* AssociationState.State */
};

struct aws_route_table {
	char *id, *vpc_id, *owner_id;
	struct aws_route *routes;
	size_t n_routes, cap_routes;
	struct aws_route_association *associations;
	size_t n_associations, cap_associations;
	struct aws_strs propagating_vgws; /* PropagatingVgws[].GatewayId */
	struct aws_tags tags;
};

struct aws_subnet {
	char *id, *vpc_id, *cidr, *availability_zone, *state;
	struct aws_strs ipv6_cidrs;      /* Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock */
	long map_public_ip_on_launch;
	struct aws_tags tags;
};

struct aws_vpc {
	char *id, *cidr, *state;
	struct aws_strs cidrs;           /* CidrBlockAssociationSet[].CidrBlock */
	long is_default;
	struct aws_tags tags;
};

struct aws_model {
	struct arena arena;
	struct aws_vpn_connection *vpn_connections;
	size_t n_vpn_connections, cap_vpn_connections;
	struct aws_vpn_gateway *vpn_gateways;
	size_t n_vpn_gateways, cap_vpn_gateways;
	struct aws_customer_gateway *customer_gateways;
	size_t n_customer_gateways, cap_customer_gateways;
	struct aws_route_table *route_tables;
	size_t n_route_tables, cap_route_tables;
	struct aws_subnet *subnets;
	size_t n_subnets, cap_subnets;
	struct aws_vpc *vpcs;
	size_t n_vpcs, cap_vpcs;
	struct aws_active_status *active_status;
	size_t n_active_status, cap_active_status;
	struct aws_strs sources;         /* files or API actions the model was read from */
	struct aws_strs warnings;        /* problems that did not stop a load, one line each
					  * ("FILE: $.PATH: ..."), never holding a secret */
};

/* limit: bytes the model may use (0: no limit). */
void aws_model_init(struct aws_model *m, size_t limit);
void aws_model_free(struct aws_model *m);

/* Lookups by id; NULL when absent. */
const struct aws_vpn_connection *aws_find_vpn_connection(const struct aws_model *m,
							 const char *id);
const struct aws_customer_gateway *aws_find_customer_gateway(const struct aws_model *m,
							     const char *id);
const struct aws_vpn_gateway *aws_find_vpn_gateway(const struct aws_model *m, const char *id);
const struct aws_vpc *aws_find_vpc(const struct aws_model *m, const char *id);

#endif
