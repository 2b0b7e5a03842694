/* The descriptor tables of libdiag/aws/schema.h. Each row: JSON member, XML element,
 * kind, field. XML names are botocore's locationName values; list containers are the
 * "...Set" names EC2 writes (tagSet, routeSet, vgwTelemetry, attachments). */
#include "libdiag/aws/schema.h"

#include <string.h>

#include "libdiag/aws/model.h"

#define N(a) (sizeof(a) / sizeof *(a))
#define SCHEMA(var, shape, T, rows)                                                         \
	const struct aws_schema var = {shape, sizeof(T), rows, N(rows)}

#define STR(T, J, X, f) {.json = J, .xml = X, .kind = AWS_K_STR, .off = offsetof(T, f)}
#define SECRET(T, J, X, f) {.json = J, .xml = X, .kind = AWS_K_SECRET, .off = offsetof(T, f)}
#define INT(T, J, X, f) {.json = J, .xml = X, .kind = AWS_K_INT, .off = offsetof(T, f)}
#define BOOL(T, J, X, f) {.json = J, .xml = X, .kind = AWS_K_BOOL, .off = offsetof(T, f)}
#define VSTRS(T, J, X, f) {.json = J, .xml = X, .kind = AWS_K_VALUE_STRS, .off = offsetof(T, f)}
#define VINTS(T, J, X, f) {.json = J, .xml = X, .kind = AWS_K_VALUE_INTS, .off = offsetof(T, f)}
#define FSTRS(T, J, X, f, IJ, IX)                                                           \
	{.json = J, .xml = X, .kind = AWS_K_FIELD_STRS, .off = offsetof(T, f), .item_json = IJ, \
	 .item_xml = IX}
#define OBJ(J, X, S) {.json = J, .xml = X, .kind = AWS_K_OBJECT, .off = 0, .sub = &S}
#define LIST(T, J, X, arr, n, cap, S)                                                       \
	{.json = J, .xml = X, .kind = AWS_K_LIST, .off = offsetof(T, arr), .sub = &S,            \
	 .n_off = offsetof(T, n), .cap_off = offsetof(T, cap)}
#define TAGS(T) LIST(T, "Tags", "tagSet", tags.v, tags.n, tags.cap, aws_schema_tag)
#define TARGET(J, X)                                                                        \
	{.json = J, .xml = X, .kind = AWS_K_TARGET, .off = offsetof(struct aws_route, target),   \
	 .aux_off = offsetof(struct aws_route, target_field)}

/* ---- Tag ---------------------------------------------------------------------------- */
static const struct aws_field tag_rows[] = {
	STR(struct aws_tag, "Key", "key", key),
	STR(struct aws_tag, "Value", "value", value),
};
SCHEMA(aws_schema_tag, "Tag", struct aws_tag, tag_rows);

/* ---- VpnConnection ------------------------------------------------------------------ */
#define T struct aws_tunnel_options
static const struct aws_field cw_log_rows[] = {
	BOOL(T, "LogEnabled", "logEnabled", log_enabled),
	STR(T, "LogGroupArn", "logGroupArn", log_group_arn),
	STR(T, "LogOutputFormat", "logOutputFormat", log_output_format),
};
static SCHEMA(schema_cw_log, "CloudWatchLogOptions", T, cw_log_rows);

static const struct aws_field log_rows[] = {
	OBJ("CloudWatchLogOptions", "cloudWatchLogOptions", schema_cw_log),
};
static SCHEMA(schema_log, "VpnTunnelLogOptions", T, log_rows);

/* Output shape TunnelOption; the request shapes (VpnTunnelOptionsSpecification,
 * ModifyVpnTunnelOptionsSpecification) spell three members differently: accepted too. */
static const struct aws_field tunnel_rows[] = {
	STR(T, "OutsideIpAddress", "outsideIpAddress", outside_ip),
	STR(T, "TunnelInsideCidr", "tunnelInsideCidr", inside_cidr),
	STR(T, "TunnelInsideIpv6Cidr", "tunnelInsideIpv6Cidr", inside_ipv6_cidr),
	SECRET(T, "PreSharedKey", "preSharedKey", pre_shared_key),
	INT(T, "Phase1LifetimeSeconds", "phase1LifetimeSeconds", phase1_lifetime_s),
	INT(T, "Phase2LifetimeSeconds", "phase2LifetimeSeconds", phase2_lifetime_s),
	INT(T, "RekeyMarginTimeSeconds", "rekeyMarginTimeSeconds", rekey_margin_s),
	INT(T, "RekeyFuzzPercentage", "rekeyFuzzPercentage", rekey_fuzz_pct),
	INT(T, "ReplayWindowSize", "replayWindowSize", replay_window),
	{.json = "DpdTimeoutSeconds", .json_alt = "DPDTimeoutSeconds", .xml = "dpdTimeoutSeconds",
	 .kind = AWS_K_INT, .off = offsetof(T, dpd_timeout_s)},
	{.json = "DpdTimeoutAction", .json_alt = "DPDTimeoutAction", .xml = "dpdTimeoutAction",
	 .kind = AWS_K_STR, .off = offsetof(T, dpd_timeout_action)},
	VSTRS(T, "Phase1EncryptionAlgorithms", "phase1EncryptionAlgorithmSet", phase1_encryption),
	VSTRS(T, "Phase2EncryptionAlgorithms", "phase2EncryptionAlgorithmSet", phase2_encryption),
	VSTRS(T, "Phase1IntegrityAlgorithms", "phase1IntegrityAlgorithmSet", phase1_integrity),
	VSTRS(T, "Phase2IntegrityAlgorithms", "phase2IntegrityAlgorithmSet", phase2_integrity),
	VINTS(T, "Phase1DHGroupNumbers", "phase1DHGroupNumberSet", phase1_dh_groups),
	VINTS(T, "Phase2DHGroupNumbers", "phase2DHGroupNumberSet", phase2_dh_groups),
	{.json = "IkeVersions", .json_alt = "IKEVersions", .xml = "ikeVersionSet",
	 .kind = AWS_K_VALUE_STRS, .off = offsetof(T, ike_versions)},
	STR(T, "StartupAction", "startupAction", startup_action),
	OBJ("LogOptions", "logOptions", schema_log),
	BOOL(T, "EnableTunnelLifecycleControl", "enableTunnelLifecycleControl", lifecycle_control),
};
SCHEMA(aws_schema_tunnel_options, "TunnelOption", T, tunnel_rows);
#undef T

#define T struct aws_telemetry
static const struct aws_field telemetry_rows[] = {
	STR(T, "OutsideIpAddress", "outsideIpAddress", outside_ip),
	STR(T, "Status", "status", status),
	STR(T, "StatusMessage", "statusMessage", status_message),
	INT(T, "AcceptedRouteCount", "acceptedRouteCount", accepted_route_count),
	STR(T, "LastStatusChange", "lastStatusChange", last_status_change),
	STR(T, "CertificateArn", "certificateArn", certificate_arn),
};
SCHEMA(aws_schema_telemetry, "VgwTelemetry", T, telemetry_rows);
#undef T

#define T struct aws_vpn_route
static const struct aws_field vpn_route_rows[] = {
	STR(T, "DestinationCidrBlock", "destinationCidrBlock", destination_cidr),
	STR(T, "Source", "source", source),
	STR(T, "State", "state", state),
};
SCHEMA(aws_schema_vpn_route, "VpnStaticRoute", T, vpn_route_rows);
#undef T

#define T struct aws_vpn_connection
static const struct aws_field vpn_options_rows[] = {
	BOOL(T, "EnableAcceleration", "enableAcceleration", enable_acceleration),
	BOOL(T, "StaticRoutesOnly", "staticRoutesOnly", static_routes_only),
	STR(T, "LocalIpv4NetworkCidr", "localIpv4NetworkCidr", local_ipv4_cidr),
	STR(T, "RemoteIpv4NetworkCidr", "remoteIpv4NetworkCidr", remote_ipv4_cidr),
	STR(T, "LocalIpv6NetworkCidr", "localIpv6NetworkCidr", local_ipv6_cidr),
	STR(T, "RemoteIpv6NetworkCidr", "remoteIpv6NetworkCidr", remote_ipv6_cidr),
	STR(T, "OutsideIpAddressType", "outsideIpAddressType", outside_ip_address_type),
	STR(T, "TunnelInsideIpVersion", "tunnelInsideIpVersion", tunnel_inside_ip_version),
	STR(T, "TunnelBandwidth", "tunnelBandwidth", tunnel_bandwidth),
	LIST(T, "TunnelOptions", "tunnelOptionSet", tunnels, n_tunnels, cap_tunnels,
	     aws_schema_tunnel_options),
};
SCHEMA(aws_schema_vpn_options, "VpnConnectionOptions", T, vpn_options_rows);

static const struct aws_field vpn_connection_rows[] = {
	STR(T, "VpnConnectionId", "vpnConnectionId", id),
	STR(T, "State", "state", state),
	STR(T, "Type", "type", type),
	STR(T, "Category", "category", category),
	STR(T, "CustomerGatewayId", "customerGatewayId", customer_gateway_id),
	STR(T, "VpnGatewayId", "vpnGatewayId", vpn_gateway_id),
	STR(T, "TransitGatewayId", "transitGatewayId", transit_gateway_id),
	{.json = "CustomerGatewayConfiguration", .xml = "customerGatewayConfiguration",
	 .kind = AWS_K_SECRET, .off = offsetof(T, cgw_config_xml),
	 .aux_off = offsetof(T, cgw_config), .flags = AWS_F_CGW_XML},
	OBJ("Options", "options", aws_schema_vpn_options),
	LIST(T, "Routes", "routes", routes, n_routes, cap_routes, aws_schema_vpn_route),
	TAGS(T),
	LIST(T, "VgwTelemetry", "vgwTelemetry", telemetry, n_telemetry, cap_telemetry,
	     aws_schema_telemetry),
	{.json = "CustomerGatewayConfigurationParsed", .kind = AWS_K_PTR_OBJECT,
	 .off = offsetof(T, cgw_config), .sub = &aws_schema_cgw_config,
	 .flags = AWS_F_DUMP_ONLY},
};
SCHEMA(aws_schema_vpn_connection, "VpnConnection", T, vpn_connection_rows);
#undef T

/* ---- VpnGateway --------------------------------------------------------------------- */
#define T struct aws_vpc_attachment
static const struct aws_field vpc_attachment_rows[] = {
	STR(T, "VpcId", "vpcId", vpc_id),
	STR(T, "State", "state", state),
};
SCHEMA(aws_schema_vpc_attachment, "VpcAttachment", T, vpc_attachment_rows);
#undef T

#define T struct aws_vpn_gateway
static const struct aws_field vpn_gateway_rows[] = {
	STR(T, "VpnGatewayId", "vpnGatewayId", id),
	STR(T, "State", "state", state),
	STR(T, "Type", "type", type),
	STR(T, "AvailabilityZone", "availabilityZone", availability_zone),
	INT(T, "AmazonSideAsn", "amazonSideAsn", amazon_side_asn),
	LIST(T, "VpcAttachments", "attachments", attachments, n_attachments, cap_attachments,
	     aws_schema_vpc_attachment),
	TAGS(T),
};
SCHEMA(aws_schema_vpn_gateway, "VpnGateway", T, vpn_gateway_rows);
#undef T

/* ---- CustomerGateway ---------------------------------------------------------------- */
#define T struct aws_customer_gateway
static const struct aws_field customer_gateway_rows[] = {
	STR(T, "CustomerGatewayId", "customerGatewayId", id),
	STR(T, "IpAddress", "ipAddress", ip_address),
	STR(T, "BgpAsn", "bgpAsn", bgp_asn),
	STR(T, "State", "state", state),
	STR(T, "Type", "type", type),
	STR(T, "CertificateArn", "certificateArn", certificate_arn),
	STR(T, "DeviceName", "deviceName", device_name),
	TAGS(T),
};
SCHEMA(aws_schema_customer_gateway, "CustomerGateway", T, customer_gateway_rows);
#undef T

/* ---- RouteTable --------------------------------------------------------------------- */
#define T struct aws_route
/* Target rows in the order model.h gives: the first present wins. */
static const struct aws_field route_rows[] = {
	STR(T, "DestinationCidrBlock", "destinationCidrBlock", destination_cidr),
	STR(T, "DestinationIpv6CidrBlock", "destinationIpv6CidrBlock", destination_ipv6_cidr),
	STR(T, "DestinationPrefixListId", "destinationPrefixListId", destination_prefix_list),
	TARGET("GatewayId", "gatewayId"),
	TARGET("NatGatewayId", "natGatewayId"),
	TARGET("TransitGatewayId", "transitGatewayId"),
	TARGET("NetworkInterfaceId", "networkInterfaceId"),
	TARGET("InstanceId", "instanceId"),
	TARGET("VpcPeeringConnectionId", "vpcPeeringConnectionId"),
	TARGET("EgressOnlyInternetGatewayId", "egressOnlyInternetGatewayId"),
	TARGET("LocalGatewayId", "localGatewayId"),
	TARGET("CarrierGatewayId", "carrierGatewayId"),
	TARGET("CoreNetworkArn", "coreNetworkArn"),
	STR(T, "Origin", "origin", origin),
	STR(T, "State", "state", state),
};
SCHEMA(aws_schema_route, "Route", T, route_rows);
#undef T

#define T struct aws_route_association
static const struct aws_field assoc_state_rows[] = {
	STR(T, "State", "state", state),
};
static SCHEMA(schema_assoc_state, "RouteTableAssociationState", T, assoc_state_rows);

static const struct aws_field route_association_rows[] = {
	BOOL(T, "Main", "main", main),
	STR(T, "RouteTableAssociationId", "routeTableAssociationId", id),
	STR(T, "SubnetId", "subnetId", subnet_id),
	STR(T, "GatewayId", "gatewayId", gateway_id),
	OBJ("AssociationState", "associationState", schema_assoc_state),
};
SCHEMA(aws_schema_route_association, "RouteTableAssociation", T, route_association_rows);
#undef T

#define T struct aws_route_table
static const struct aws_field route_table_rows[] = {
	STR(T, "RouteTableId", "routeTableId", id),
	STR(T, "VpcId", "vpcId", vpc_id),
	STR(T, "OwnerId", "ownerId", owner_id),
	LIST(T, "Routes", "routeSet", routes, n_routes, cap_routes, aws_schema_route),
	LIST(T, "Associations", "associationSet", associations, n_associations,
	     cap_associations, aws_schema_route_association),
	FSTRS(T, "PropagatingVgws", "propagatingVgwSet", propagating_vgws, "GatewayId",
	      "gatewayId"),
	TAGS(T),
};
SCHEMA(aws_schema_route_table, "RouteTable", T, route_table_rows);
#undef T

/* ---- Subnet, Vpc -------------------------------------------------------------------- */
#define T struct aws_subnet
static const struct aws_field subnet_rows[] = {
	STR(T, "SubnetId", "subnetId", id),
	STR(T, "VpcId", "vpcId", vpc_id),
	STR(T, "CidrBlock", "cidrBlock", cidr),
	STR(T, "AvailabilityZone", "availabilityZone", availability_zone),
	STR(T, "State", "state", state),
	FSTRS(T, "Ipv6CidrBlockAssociationSet", "ipv6CidrBlockAssociationSet", ipv6_cidrs,
	      "Ipv6CidrBlock", "ipv6CidrBlock"),
	BOOL(T, "MapPublicIpOnLaunch", "mapPublicIpOnLaunch", map_public_ip_on_launch),
	TAGS(T),
};
SCHEMA(aws_schema_subnet, "Subnet", T, subnet_rows);
#undef T

#define T struct aws_vpc
static const struct aws_field vpc_rows[] = {
	STR(T, "VpcId", "vpcId", id),
	STR(T, "CidrBlock", "cidrBlock", cidr),
	STR(T, "State", "state", state),
	FSTRS(T, "CidrBlockAssociationSet", "cidrBlockAssociationSet", cidrs, "CidrBlock",
	      "cidrBlock"),
	BOOL(T, "IsDefault", "isDefault", is_default),
	TAGS(T),
};
SCHEMA(aws_schema_vpc, "Vpc", T, vpc_rows);
#undef T

/* ---- GetActiveVpnTunnelStatus ------------------------------------------------------- */
/* ActiveVpnTunnelStatus has no id of its own; VpnConnectionId and
 * VpnTunnelOutsideIpAddress (the request's parameters) are accepted inside it or beside
 * it at the top level, so a saved answer can say which tunnel it is about. */
#define T struct aws_active_status
static const struct aws_field active_status_rows[] = {
	STR(T, "VpnConnectionId", "vpnConnectionId", vpn_connection_id),
	{.json = "VpnTunnelOutsideIpAddress", .json_alt = "OutsideIpAddress",
	 .xml = "vpnTunnelOutsideIpAddress", .kind = AWS_K_STR, .off = offsetof(T, outside_ip)},
	STR(T, "Phase1EncryptionAlgorithm", "phase1EncryptionAlgorithm", phase1_encryption),
	STR(T, "Phase2EncryptionAlgorithm", "phase2EncryptionAlgorithm", phase2_encryption),
	STR(T, "Phase1IntegrityAlgorithm", "phase1IntegrityAlgorithm", phase1_integrity),
	STR(T, "Phase2IntegrityAlgorithm", "phase2IntegrityAlgorithm", phase2_integrity),
	INT(T, "Phase1DHGroup", "phase1DHGroup", phase1_dh_group),
	INT(T, "Phase2DHGroup", "phase2DHGroup", phase2_dh_group),
	STR(T, "IkeVersion", "ikeVersion", ike_version),
	STR(T, "ProvisioningStatus", "provisioningStatus", provisioning_status),
	STR(T, "ProvisioningStatusReason", "provisioningStatusReason",
	    provisioning_status_reason),
};
SCHEMA(aws_schema_active_status, "ActiveVpnTunnelStatus", T, active_status_rows);

/* The same two ids where they sit beside ActiveVpnTunnelStatus at the top level. */
static const struct aws_field active_status_id_rows[] = {
	STR(T, "VpnConnectionId", "vpnConnectionId", vpn_connection_id),
	{.json = "VpnTunnelOutsideIpAddress", .json_alt = "OutsideIpAddress",
	 .xml = "vpnTunnelOutsideIpAddress", .kind = AWS_K_STR, .off = offsetof(T, outside_ip)},
};
SCHEMA(aws_schema_active_status_ids, "GetActiveVpnTunnelStatusRequest", T,
       active_status_id_rows);
#undef T

/* ---- CustomerGatewayConfiguration, parsed (dump only) ------------------------------- */
/* Not an AWS JSON shape: the dump shows what was read from the XML under these names. */
#define T struct aws_cgw_tunnel
static const struct aws_field cgw_tunnel_rows[] = {
	STR(T, "CustomerGatewayOutsideAddress", NULL, cgw_outside_ip),
	STR(T, "VpnGatewayOutsideAddress", NULL, vgw_outside_ip),
	STR(T, "CustomerGatewayInsideAddress", NULL, cgw_inside_ip),
	STR(T, "VpnGatewayInsideAddress", NULL, vgw_inside_ip),
	INT(T, "InsidePrefixLength", NULL, inside_prefix_len),
	STR(T, "IkeAuthenticationProtocol", NULL, ike_authentication),
	STR(T, "IkeEncryptionProtocol", NULL, ike_encryption),
	INT(T, "IkeLifetime", NULL, ike_lifetime_s),
	INT(T, "IkePerfectForwardSecrecyGroup", NULL, ike_dh_group),
	STR(T, "IkeMode", NULL, ike_mode),
	SECRET(T, "IkePreSharedKey", NULL, pre_shared_key),
	STR(T, "IpsecProtocol", NULL, ipsec_protocol),
	STR(T, "IpsecAuthenticationProtocol", NULL, ipsec_authentication),
	STR(T, "IpsecEncryptionProtocol", NULL, ipsec_encryption),
	INT(T, "IpsecLifetime", NULL, ipsec_lifetime_s),
	INT(T, "IpsecPerfectForwardSecrecyGroup", NULL, ipsec_pfs_group),
	STR(T, "IpsecMode", NULL, ipsec_mode),
	INT(T, "DeadPeerDetectionInterval", NULL, dpd_delay_s),
	INT(T, "DeadPeerDetectionRetries", NULL, dpd_retries),
	INT(T, "TcpMssAdjustment", NULL, tcp_mss_adjustment),
	BOOL(T, "ClearDfBit", NULL, clear_df_bit),
	STR(T, "FragmentationBeforeEncryption", NULL, fragmentation_before_encryption),
	INT(T, "CustomerGatewayBgpAsn", NULL, cgw_bgp_asn),
	INT(T, "VpnGatewayBgpAsn", NULL, vgw_bgp_asn),
	INT(T, "BgpHoldTime", NULL, bgp_hold_time),
};
static SCHEMA(schema_cgw_tunnel, "ipsec_tunnel", T, cgw_tunnel_rows);
#undef T

#define T struct aws_cgw_config
static const struct aws_field cgw_config_rows[] = {
	STR(T, "VpnConnectionId", NULL, vpn_connection_id),
	STR(T, "VpnGatewayId", NULL, vpn_gateway_id),
	STR(T, "CustomerGatewayId", NULL, customer_gateway_id),
	STR(T, "VpnConnectionType", NULL, vpn_connection_type),
	LIST(T, "IpsecTunnels", NULL, tunnels, n_tunnels, cap_tunnels, schema_cgw_tunnel),
};
SCHEMA(aws_schema_cgw_config, "vpn_connection", T, cgw_config_rows);
#undef T

/* ---- documents ---------------------------------------------------------------------- */
#define DOC(J, X, S, arr, n, cap, single)                                                   \
	{J, X, &S, offsetof(struct aws_model, arr), offsetof(struct aws_model, n),               \
	 offsetof(struct aws_model, cap), single}

const struct aws_doc aws_docs[] = {
	DOC("VpnConnections", "vpnConnectionSet", aws_schema_vpn_connection, vpn_connections,
	    n_vpn_connections, cap_vpn_connections, 0),
	DOC("VpnGateways", "vpnGatewaySet", aws_schema_vpn_gateway, vpn_gateways, n_vpn_gateways,
	    cap_vpn_gateways, 0),
	DOC("CustomerGateways", "customerGatewaySet", aws_schema_customer_gateway,
	    customer_gateways, n_customer_gateways, cap_customer_gateways, 0),
	DOC("RouteTables", "routeTableSet", aws_schema_route_table, route_tables, n_route_tables,
	    cap_route_tables, 0),
	DOC("Subnets", "subnetSet", aws_schema_subnet, subnets, n_subnets, cap_subnets, 0),
	DOC("Vpcs", "vpcSet", aws_schema_vpc, vpcs, n_vpcs, cap_vpcs, 0),
	DOC("ActiveVpnTunnelStatus", "activeVpnTunnelStatus", aws_schema_active_status,
	    active_status, n_active_status, cap_active_status, 1),
};
const size_t aws_n_docs = N(aws_docs);

const char *aws_doc_keys(void)
{
	/* Kept in step with aws_docs[] by test_aws_json. */
	return "VpnConnections, VpnGateways, CustomerGateways, RouteTables, Subnets, Vpcs, "
	       "ActiveVpnTunnelStatus";
}

void aws_schema_init(const struct aws_schema *s, void *base)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct aws_field *f = &s->fields[i];

		if (f->kind == AWS_K_INT || f->kind == AWS_K_BOOL)
			*(long *)((char *)base + f->off) = AWS_ABSENT;
		else if (f->kind == AWS_K_OBJECT)
			aws_schema_init(f->sub, (char *)base + f->off);
	}
}
