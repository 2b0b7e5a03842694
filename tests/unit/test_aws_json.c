/* The AWS CLI JSON loader, the XML-to-JSON renaming, the defaults table and the model
 * dump: each object type from small inline JSON, the {"Value": ..} lists, the request
 * spellings (IKEVersions), absent options and their defaults, type errors with their
 * exact JSON paths, top-level key recognition, directories and files, the EC2 XML
 * renaming (hand-built trees and the EC2 API Reference samples in testdata/aws-xml/),
 * every EC2 describe output in ../shared/samples/batfish, and that no pre-shared key of
 * any input reaches the dump or the text output. */
#include <dirent.h>
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

#include "libdiag/aws/defaults.h"
#include "libdiag/aws/dump.h"
#include "libdiag/aws/load_json.h"
#include "libdiag/aws/schema.h"
#include "libdiag/xml.h"
#include "testutil.h"

#define SAMPLES "../shared/samples/batfish"

/* ---- helpers ------------------------------------------------------------------------ */
static void load_ok(struct aws_model *m, const char *json)
{
	struct diag_error err = {0};
	char buf[512];

	if (aws_load_json(m, json, strlen(json), "t.json", &err) != 0)
		fail_msg("%s\n-> %s", json, diag_error_text(&err, buf, sizeof buf));
	assert_int_equal(err.code, 0);
}

/* The error text of a document that must not load, with its exit code checked. */
static const char *load_fail(const char *json, enum diag_exit code, char *buf, size_t size)
{
	struct aws_model m;
	struct diag_error err = {0};
	int rc;

	aws_model_init(&m, 0);
	rc = aws_load_json(&m, json, strlen(json), "t.json", &err);
	aws_model_free(&m);
	if (rc == 0)
		fail_msg("loaded but should not: %s", json);
	assert_int_equal(err.code, code);
	return diag_error_text(&err, buf, (unsigned)size);
}

static char *dump_string(const struct aws_model *m)
{
	cJSON *j = aws_model_to_json(m);
	char *s;

	assert_non_null(j);
	s = cJSON_PrintUnformatted(j);
	assert_non_null(s);
	cJSON_Delete(j);
	return s;
}

static void assert_strs(const struct aws_strs *s, size_t n, ...)
{
	va_list ap;

	assert_int_equal(s->n, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(s->v[i], va_arg(ap, const char *));
	va_end(ap);
}

static void assert_ints(const struct aws_ints *s, size_t n, ...)
{
	va_list ap;

	assert_int_equal(s->n, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(s->v[i], va_arg(ap, long));
	va_end(ap);
}

/* ---- each object type --------------------------------------------------------------- */
static const char VPN_JSON[] =
	"{\"VpnConnections\": [{"
	"\"VpnConnectionId\": \"vpn-1\", \"State\": \"available\", \"Type\": \"ipsec.1\","
	"\"Category\": \"VPN\", \"CustomerGatewayId\": \"cgw-1\", \"VpnGatewayId\": \"vgw-1\","
	"\"CoreNetworkArn\": \"ignored\", \"SomeFieldAwsAddsLater\": {\"x\": [1, 2]},"
	"\"Options\": {\"EnableAcceleration\": false, \"StaticRoutesOnly\": true,"
	" \"LocalIpv4NetworkCidr\": \"10.1.0.0/16\", \"RemoteIpv4NetworkCidr\": \"10.2.0.0/16\","
	" \"OutsideIpAddressType\": \"PublicIpv4\", \"TunnelInsideIpVersion\": \"ipv4\","
	" \"TunnelBandwidth\": \"large\","
	" \"TunnelOptions\": [{\"OutsideIpAddress\": \"192.0.2.1\","
	"   \"TunnelInsideCidr\": \"169.254.10.0/30\", \"TunnelInsideIpv6Cidr\": \"fd00::/126\","
	"   \"PreSharedKey\": \"Unit.Test_Key_one1\", \"Phase1LifetimeSeconds\": 14400,"
	"   \"Phase2LifetimeSeconds\": 1800, \"RekeyMarginTimeSeconds\": 540,"
	"   \"RekeyFuzzPercentage\": 50, \"ReplayWindowSize\": 2048, \"DpdTimeoutSeconds\": 40,"
	"   \"DpdTimeoutAction\": \"restart\", \"StartupAction\": \"start\","
	"   \"Phase1EncryptionAlgorithms\": [{\"Value\": \"AES256\"}, {\"Value\": \"AES128\"}],"
	"   \"Phase2EncryptionAlgorithms\": [{\"Value\": \"AES256-GCM-16\"}],"
	"   \"Phase1IntegrityAlgorithms\": [{\"Value\": \"SHA2-256\"}],"
	"   \"Phase2IntegrityAlgorithms\": [{\"Value\": \"SHA2-512\"}],"
	"   \"Phase1DHGroupNumbers\": [{\"Value\": 14}, {\"Value\": 20}],"
	"   \"Phase2DHGroupNumbers\": [{\"Value\": 5}],"
	"   \"IkeVersions\": [{\"Value\": \"ikev2\"}],"
	"   \"LogOptions\": {\"CloudWatchLogOptions\": {\"LogEnabled\": true,"
	"     \"LogGroupArn\": \"arn:aws:logs:eu-west-1:1:log-group:g\", \"LogOutputFormat\": \"text\"}},"
	"   \"EnableTunnelLifecycleControl\": true},"
	"  {\"OutsideIpAddress\": \"192.0.2.2\"}]},"
	"\"Routes\": [{\"DestinationCidrBlock\": \"10.9.0.0/16\", \"Source\": \"Static\","
	" \"State\": \"available\"}],"
	"\"Tags\": [{\"Key\": \"Name\", \"Value\": \"unit\"}, {\"Key\": \"env\", \"Value\": \"test\"}],"
	"\"VgwTelemetry\": [{\"AcceptedRouteCount\": 3, \"LastStatusChange\": \"2024-01-02T03:04:05Z\","
	" \"OutsideIpAddress\": \"192.0.2.1\", \"Status\": \"UP\", \"StatusMessage\": \"3 BGP ROUTES\","
	" \"CertificateArn\": \"arn:cert\"}]"
	"}], \"NextToken\": \"abc\", \"ResponseMetadata\": {\"RequestId\": \"r\"}}";

static void test_vpn_connection(void **state)
{
	struct aws_model m;
	const struct aws_vpn_connection *v;
	const struct aws_tunnel_options *t;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, VPN_JSON);
	assert_int_equal(m.n_vpn_connections, 1);
	v = aws_find_vpn_connection(&m, "vpn-1");
	assert_non_null(v);
	assert_string_equal(v->state, "available");
	assert_string_equal(v->type, "ipsec.1");
	assert_string_equal(v->category, "VPN");
	assert_string_equal(v->customer_gateway_id, "cgw-1");
	assert_string_equal(v->vpn_gateway_id, "vgw-1");
	assert_null(v->transit_gateway_id);
	assert_null(v->cgw_config_xml);
	assert_null(v->cgw_config);
	assert_int_equal(v->enable_acceleration, 0);
	assert_int_equal(v->static_routes_only, 1);
	assert_string_equal(v->local_ipv4_cidr, "10.1.0.0/16");
	assert_string_equal(v->remote_ipv4_cidr, "10.2.0.0/16");
	assert_null(v->local_ipv6_cidr);
	assert_string_equal(v->outside_ip_address_type, "PublicIpv4");
	assert_string_equal(v->tunnel_inside_ip_version, "ipv4");
	assert_string_equal(v->tunnel_bandwidth, "large");
	assert_int_equal(v->n_tunnels, 2);
	t = &v->tunnels[0];
	assert_string_equal(t->outside_ip, "192.0.2.1");
	assert_string_equal(t->inside_cidr, "169.254.10.0/30");
	assert_string_equal(t->inside_ipv6_cidr, "fd00::/126");
	assert_string_equal(t->pre_shared_key, "Unit.Test_Key_one1");
	assert_int_equal(t->phase1_lifetime_s, 14400);
	assert_int_equal(t->phase2_lifetime_s, 1800);
	assert_int_equal(t->rekey_margin_s, 540);
	assert_int_equal(t->rekey_fuzz_pct, 50);
	assert_int_equal(t->replay_window, 2048);
	assert_int_equal(t->dpd_timeout_s, 40);
	assert_string_equal(t->dpd_timeout_action, "restart");
	assert_string_equal(t->startup_action, "start");
	assert_strs(&t->phase1_encryption, 2, "AES256", "AES128");
	assert_strs(&t->phase2_encryption, 1, "AES256-GCM-16");
	assert_strs(&t->phase1_integrity, 1, "SHA2-256");
	assert_strs(&t->phase2_integrity, 1, "SHA2-512");
	assert_ints(&t->phase1_dh_groups, 2, 14L, 20L);
	assert_ints(&t->phase2_dh_groups, 1, 5L);
	assert_strs(&t->ike_versions, 1, "ikev2");
	assert_int_equal(t->log_enabled, 1);
	assert_string_equal(t->log_group_arn, "arn:aws:logs:eu-west-1:1:log-group:g");
	assert_string_equal(t->log_output_format, "text");
	assert_int_equal(t->lifecycle_control, 1);
	assert_int_equal(v->n_routes, 1);
	assert_string_equal(v->routes[0].destination_cidr, "10.9.0.0/16");
	assert_string_equal(v->routes[0].source, "Static");
	assert_string_equal(v->routes[0].state, "available");
	assert_int_equal(v->tags.n, 2);
	assert_string_equal(v->tags.v[1].key, "env");
	assert_string_equal(v->tags.v[1].value, "test");
	assert_int_equal(v->n_telemetry, 1);
	assert_int_equal(v->telemetry[0].accepted_route_count, 3);
	assert_string_equal(v->telemetry[0].last_status_change, "2024-01-02T03:04:05Z");
	assert_string_equal(v->telemetry[0].status, "UP");
	assert_string_equal(v->telemetry[0].status_message, "3 BGP ROUTES");
	assert_string_equal(v->telemetry[0].certificate_arn, "arn:cert");
	assert_int_equal(m.sources.n, 1);
	assert_string_equal(m.sources.v[0], "t.json");
	aws_model_free(&m);
}

/* A tunnel that says nothing but its address: everything absent, then AWS's defaults. */
static void test_absent_and_defaults(void **state)
{
	struct aws_model m;
	const struct aws_tunnel_options *t;
	struct aws_tunnel_options e;
	unsigned mask = 0;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, VPN_JSON);
	t = &m.vpn_connections[0].tunnels[1];
	assert_string_equal(t->outside_ip, "192.0.2.2");
	assert_null(t->pre_shared_key);
	assert_null(t->dpd_timeout_action);
	assert_null(t->startup_action);
	assert_int_equal(t->phase1_lifetime_s, AWS_ABSENT);
	assert_int_equal(t->phase2_lifetime_s, AWS_ABSENT);
	assert_int_equal(t->rekey_margin_s, AWS_ABSENT);
	assert_int_equal(t->rekey_fuzz_pct, AWS_ABSENT);
	assert_int_equal(t->replay_window, AWS_ABSENT);
	assert_int_equal(t->dpd_timeout_s, AWS_ABSENT);
	assert_int_equal(t->log_enabled, AWS_ABSENT);
	assert_int_equal(t->lifecycle_control, AWS_ABSENT);
	assert_int_equal(t->ike_versions.n, 0);
	assert_int_equal(t->phase1_dh_groups.n, 0);

	aws_tunnel_effective(t, &e, &mask, &m.arena);
	assert_int_equal(mask, (1u << AWS_TF_COUNT) - 1);
	assert_int_equal(e.phase1_lifetime_s, 28800);
	assert_int_equal(e.phase2_lifetime_s, 3600);
	assert_int_equal(e.rekey_margin_s, 270);
	assert_int_equal(e.rekey_fuzz_pct, 100);
	assert_int_equal(e.replay_window, 1024);
	assert_int_equal(e.dpd_timeout_s, 30);
	assert_string_equal(e.dpd_timeout_action, "clear");
	assert_string_equal(e.startup_action, "add");
	assert_int_equal(e.log_enabled, 0);
	assert_int_equal(e.lifecycle_control, 0);
	assert_strs(&e.ike_versions, 2, "ikev1", "ikev2");
	assert_strs(&e.phase1_encryption, 4, "AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16");
	assert_strs(&e.phase2_integrity, 4, "SHA1", "SHA2-256", "SHA2-384", "SHA2-512");
	assert_ints(&e.phase1_dh_groups, 12, 2L, 14L, 15L, 16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L,
		    24L);
	assert_ints(&e.phase2_dh_groups, 13, 2L, 5L, 14L, 15L, 16L, 17L, 18L, 19L, 20L, 21L, 22L,
		    23L, 24L);
	assert_string_equal(e.outside_ip, "192.0.2.2");
	/* The input is left as it was. */
	assert_int_equal(t->phase1_lifetime_s, AWS_ABSENT);
	assert_int_equal(t->ike_versions.n, 0);

	/* The fully set tunnel: nothing defaulted, values kept. */
	aws_tunnel_effective(&m.vpn_connections[0].tunnels[0], &e, &mask, NULL);
	assert_int_equal(mask, 0);
	assert_int_equal(e.phase1_lifetime_s, 14400);
	assert_strs(&e.ike_versions, 1, "ikev2");
	aws_model_free(&m);
}

static void test_partial_defaults_mask(void **state)
{
	struct aws_model m;
	struct aws_tunnel_options e;
	unsigned mask = 0, want;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, "{\"VpnConnections\": [{\"VpnConnectionId\": \"vpn-p\", \"Options\": "
		    "{\"TunnelOptions\": [{\"Phase1LifetimeSeconds\": 3600, "
		    "\"Phase2DHGroupNumbers\": [{\"Value\": 21}], \"DpdTimeoutAction\": \"none\"}]}}]}");
	aws_tunnel_effective(&m.vpn_connections[0].tunnels[0], &e, &mask, &m.arena);
	want = ((1u << AWS_TF_COUNT) - 1) & ~AWS_TF_BIT(AWS_TF_PHASE1_LIFETIME) &
	       ~AWS_TF_BIT(AWS_TF_PHASE2_DH) & ~AWS_TF_BIT(AWS_TF_DPD_ACTION);
	assert_int_equal(mask, want);
	assert_int_equal(e.phase1_lifetime_s, 3600);
	assert_ints(&e.phase2_dh_groups, 1, 21L);
	assert_string_equal(e.dpd_timeout_action, "none");
	assert_int_equal(e.phase2_lifetime_s, 3600);
	/* 3600 for both lifetimes breaks "phase 2 < phase 1". */
	assert_int_equal(aws_tunnel_relations(&e), AWS_TF_BIT(AWS_TF_PHASE2_LIFETIME));
	aws_tunnel_effective(&m.vpn_connections[0].tunnels[0], &e, NULL, NULL);
	aws_model_free(&m);
}

/* The request shapes' spellings, and bare list values (Security Hub's flattening). */
static void test_alternate_spellings(void **state)
{
	struct aws_model m;
	const struct aws_tunnel_options *t;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, "{\"VpnConnections\": [{\"VpnConnectionId\": \"vpn-a\", \"Options\": "
		    "{\"TunnelOptions\": [{\"IKEVersions\": [{\"Value\": \"ikev1\"}, "
		    "{\"Value\": \"ikev2\"}], \"DPDTimeoutSeconds\": 45, "
		    "\"DPDTimeoutAction\": \"restart\"},"
		    "{\"IkeVersions\": [\"ikev2\"], \"Phase1DHGroupNumbers\": [14, 15],"
		    " \"IKEVersions\": [{\"Value\": \"ikev1\"}], \"DpdTimeoutSeconds\": 31,"
		    " \"DPDTimeoutSeconds\": 99}]}}]}");
	t = &m.vpn_connections[0].tunnels[0];
	assert_strs(&t->ike_versions, 2, "ikev1", "ikev2");
	assert_int_equal(t->dpd_timeout_s, 45);
	assert_string_equal(t->dpd_timeout_action, "restart");
	/* Both spellings: the output shape's wins. */
	t = &m.vpn_connections[0].tunnels[1];
	assert_strs(&t->ike_versions, 1, "ikev2");
	assert_ints(&t->phase1_dh_groups, 2, 14L, 15L);
	assert_int_equal(t->dpd_timeout_s, 31);
	aws_model_free(&m);
}

static void test_gateways(void **state)
{
	struct aws_model m;
	const struct aws_vpn_gateway *g;
	const struct aws_customer_gateway *c;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, "{\"VpnGateways\": [{\"AmazonSideAsn\": 4200000000, \"AvailabilityZone\": "
		    "\"eu-west-1a\", \"State\": \"available\", \"Type\": \"ipsec.1\","
		    "\"VpcAttachments\": [{\"State\": \"attached\", \"VpcId\": \"vpc-1\"},"
		    " {\"State\": \"detached\", \"VpcId\": \"vpc-2\"}],"
		    "\"VpnGatewayId\": \"vgw-1\", \"Tags\": []}, {\"VpnGatewayId\": \"vgw-2\"}]}");
	load_ok(&m, "{\"CustomerGateways\": [{\"BgpAsn\": \"65000\", \"CustomerGatewayId\": "
		    "\"cgw-1\", \"IpAddress\": \"203.0.113.1\", \"State\": \"available\", "
		    "\"Type\": \"ipsec.1\", \"CertificateArn\": \"arn:c\", \"DeviceName\": \"edge\","
		    "\"BgpAsnExtended\": \"4200000000\", \"Tags\": [{\"Key\": \"Name\", "
		    "\"Value\": \"dc\"}]}]}");
	assert_int_equal(m.n_vpn_gateways, 2);
	g = aws_find_vpn_gateway(&m, "vgw-1");
	assert_non_null(g);
	assert_int_equal(g->amazon_side_asn, 4200000000L);
	assert_string_equal(g->availability_zone, "eu-west-1a");
	assert_string_equal(g->state, "available");
	assert_string_equal(g->type, "ipsec.1");
	assert_int_equal(g->n_attachments, 2);
	assert_string_equal(g->attachments[1].vpc_id, "vpc-2");
	assert_string_equal(g->attachments[1].state, "detached");
	assert_int_equal(g->tags.n, 0);
	g = aws_find_vpn_gateway(&m, "vgw-2");
	assert_int_equal(g->amazon_side_asn, AWS_ABSENT);
	assert_null(g->state);
	c = aws_find_customer_gateway(&m, "cgw-1");
	assert_non_null(c);
	assert_string_equal(c->ip_address, "203.0.113.1");
	assert_string_equal(c->bgp_asn, "65000");
	assert_string_equal(c->state, "available");
	assert_string_equal(c->type, "ipsec.1");
	assert_string_equal(c->certificate_arn, "arn:c");
	assert_string_equal(c->device_name, "edge");
	assert_string_equal(c->tags.v[0].value, "dc");
	assert_int_equal(m.sources.n, 2);
	aws_model_free(&m);
}

static void test_route_tables(void **state)
{
	struct aws_model m;
	const struct aws_route_table *t;
	const struct aws_route *r;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m,
		"{\"RouteTables\": [{\"RouteTableId\": \"rtb-1\", \"VpcId\": \"vpc-1\", "
		"\"OwnerId\": \"111122223333\","
		"\"Associations\": [{\"Main\": true, \"RouteTableAssociationId\": \"rtbassoc-1\","
		"  \"RouteTableId\": \"rtb-1\", \"AssociationState\": {\"State\": \"associated\"}},"
		" {\"Main\": false, \"RouteTableAssociationId\": \"rtbassoc-2\", \"SubnetId\": "
		"  \"subnet-1\"}, {\"GatewayId\": \"igw-1\", \"Main\": false}],"
		"\"PropagatingVgws\": [{\"GatewayId\": \"vgw-1\"}, {\"GatewayId\": \"vgw-2\"}],"
		"\"Routes\": ["
		" {\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\","
		"  \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
		" {\"DestinationCidrBlock\": \"192.168.0.0/24\", \"InstanceId\": \"i-1\","
		"  \"InstanceOwnerId\": \"1\", \"NetworkInterfaceId\": \"eni-1\", \"State\": \"blackhole\"},"
		" {\"DestinationIpv6CidrBlock\": \"::/0\", \"EgressOnlyInternetGatewayId\": \"eigw-1\"},"
		" {\"DestinationPrefixListId\": \"pl-1\", \"VpcPeeringConnectionId\": \"pcx-1\"},"
		" {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"TransitGatewayId\": \"tgw-1\","
		"  \"CoreNetworkArn\": \"arn:core\"},"
		" {\"DestinationCidrBlock\": \"10.9.0.0/16\", \"CarrierGatewayId\": \"cagw-1\"},"
		" {\"DestinationCidrBlock\": \"10.8.0.0/16\", \"LocalGatewayId\": \"lgw-1\"},"
		" {\"DestinationCidrBlock\": \"10.7.0.0/16\", \"NatGatewayId\": \"nat-1\"},"
		" {\"DestinationCidrBlock\": \"10.6.0.0/16\"}],"
		"\"Tags\": [{\"Key\": \"Name\", \"Value\": \"main\"}]}]}");
	assert_int_equal(m.n_route_tables, 1);
	t = &m.route_tables[0];
	assert_string_equal(t->id, "rtb-1");
	assert_string_equal(t->vpc_id, "vpc-1");
	assert_string_equal(t->owner_id, "111122223333");
	assert_int_equal(t->n_associations, 3);
	assert_int_equal(t->associations[0].main, 1);
	assert_string_equal(t->associations[0].id, "rtbassoc-1");
	assert_null(t->associations[0].subnet_id);
	assert_string_equal(t->associations[0].state, "associated");
	assert_int_equal(t->associations[1].main, 0);
	assert_string_equal(t->associations[1].subnet_id, "subnet-1");
	assert_null(t->associations[1].state);
	assert_string_equal(t->associations[2].gateway_id, "igw-1");
	assert_strs(&t->propagating_vgws, 2, "vgw-1", "vgw-2");
	assert_int_equal(t->n_routes, 9);
	r = t->routes;
	assert_string_equal(r[0].target, "local");
	assert_string_equal(r[0].target_field, "GatewayId");
	assert_string_equal(r[0].origin, "CreateRouteTable");
	assert_string_equal(r[0].state, "active");
	/* An instance route carries both ids: the interface is named first in model.h. */
	assert_string_equal(r[1].target, "eni-1");
	assert_string_equal(r[1].target_field, "NetworkInterfaceId");
	assert_string_equal(r[1].state, "blackhole");
	assert_null(r[2].destination_cidr);
	assert_string_equal(r[2].destination_ipv6_cidr, "::/0");
	assert_string_equal(r[2].target_field, "EgressOnlyInternetGatewayId");
	assert_string_equal(r[3].destination_prefix_list, "pl-1");
	assert_string_equal(r[3].target_field, "VpcPeeringConnectionId");
	assert_string_equal(r[4].target, "tgw-1");
	assert_string_equal(r[4].target_field, "TransitGatewayId");
	assert_string_equal(r[5].target_field, "CarrierGatewayId");
	assert_string_equal(r[6].target_field, "LocalGatewayId");
	assert_string_equal(r[7].target_field, "NatGatewayId");
	assert_null(r[8].target);
	assert_null(r[8].target_field);
	assert_null(r[8].origin);
	aws_model_free(&m);
}

static void test_subnets_vpcs(void **state)
{
	struct aws_model m;
	const struct aws_vpc *v;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, "{\"Subnets\": [{\"AvailabilityZone\": \"us-east-2b\", \"CidrBlock\": "
		    "\"10.0.1.0/24\", \"Ipv6CidrBlockAssociationSet\": [{\"AssociationId\": \"a\","
		    " \"Ipv6CidrBlock\": \"2001:db8::/64\", \"Ipv6CidrBlockState\": {\"State\": "
		    "\"associated\"}}], \"MapPublicIpOnLaunch\": true, \"State\": \"available\","
		    " \"SubnetId\": \"subnet-1\", \"VpcId\": \"vpc-1\"}, {\"SubnetId\": \"subnet-2\","
		    " \"Ipv6CidrBlockAssociationSet\": []}]}");
	load_ok(&m, "{\"Vpcs\": [{\"CidrBlock\": \"10.0.0.0/16\", \"CidrBlockAssociationSet\": ["
		    "{\"AssociationId\": \"x\", \"CidrBlock\": \"10.0.0.0/16\"}, {\"CidrBlock\": "
		    "\"10.1.0.0/16\"}], \"IsDefault\": true, \"State\": \"available\", \"VpcId\": "
		    "\"vpc-1\"}]}");
	assert_int_equal(m.n_subnets, 2);
	assert_string_equal(m.subnets[0].id, "subnet-1");
	assert_string_equal(m.subnets[0].vpc_id, "vpc-1");
	assert_string_equal(m.subnets[0].cidr, "10.0.1.0/24");
	assert_string_equal(m.subnets[0].availability_zone, "us-east-2b");
	assert_string_equal(m.subnets[0].state, "available");
	assert_strs(&m.subnets[0].ipv6_cidrs, 1, "2001:db8::/64");
	assert_int_equal(m.subnets[0].map_public_ip_on_launch, 1);
	assert_int_equal(m.subnets[1].map_public_ip_on_launch, AWS_ABSENT);
	assert_int_equal(m.subnets[1].ipv6_cidrs.n, 0);
	v = aws_find_vpc(&m, "vpc-1");
	assert_non_null(v);
	assert_string_equal(v->cidr, "10.0.0.0/16");
	assert_strs(&v->cidrs, 2, "10.0.0.0/16", "10.1.0.0/16");
	assert_int_equal(v->is_default, 1);
	assert_string_equal(v->state, "available");
	aws_model_free(&m);
}

/* An id seen before is kept once, the first copy, with a warning naming the place of the
 * one ignored; the same within one list and across loads. Active status is not keyed. */
static void test_duplicates_kept_once(void **state)
{
	struct aws_model m;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, "{\"Subnets\": [{\"SubnetId\": \"subnet-1\", \"CidrBlock\": \"10.0.1.0/24\"},"
		    " {\"SubnetId\": \"subnet-2\"}, {\"SubnetId\": \"subnet-1\", \"CidrBlock\": "
		    "\"10.9.9.0/24\"}]}");
	load_ok(&m, "{\"Subnets\": [{\"SubnetId\": \"subnet-2\"}, {\"SubnetId\": \"subnet-3\"}]}");
	assert_int_equal(m.n_subnets, 3);
	assert_string_equal(m.subnets[0].id, "subnet-1");
	assert_string_equal(m.subnets[0].cidr, "10.0.1.0/24");
	assert_string_equal(m.subnets[1].id, "subnet-2");
	assert_string_equal(m.subnets[2].id, "subnet-3");
	assert_int_equal(m.warnings.n, 2);
	assert_string_equal(m.warnings.v[0],
			    "t.json: $.Subnets[2]: subnet-1 is loaded already; this copy is ignored");
	assert_string_equal(m.warnings.v[1],
			    "t.json: $.Subnets[0]: subnet-2 is loaded already; this copy is ignored");
	/* no id: nothing to compare, both kept */
	load_ok(&m, "{\"Vpcs\": [{\"CidrBlock\": \"10.0.0.0/16\"}, {\"CidrBlock\": \"10.0.0.0/16\"}]}");
	assert_int_equal(m.n_vpcs, 2);
	aws_model_free(&m);
}

static void test_active_status(void **state)
{
	struct aws_model m;
	const struct aws_active_status *s;

	(void)state;
	aws_model_init(&m, 0);
	/* The request's ids beside the answer. */
	load_ok(&m, "{\"VpnConnectionId\": \"vpn-1\", \"VpnTunnelOutsideIpAddress\": \"192.0.2.1\","
		    "\"ActiveVpnTunnelStatus\": {\"Phase1EncryptionAlgorithm\": \"AES256\","
		    "\"Phase2EncryptionAlgorithm\": \"AES128-GCM-16\", \"Phase1IntegrityAlgorithm\":"
		    " \"SHA2-256\", \"Phase2IntegrityAlgorithm\": \"SHA2-512\", \"Phase1DHGroup\": 20,"
		    " \"Phase2DHGroup\": 21, \"IkeVersion\": \"ikev2\", \"ProvisioningStatus\":"
		    " \"failed\", \"ProvisioningStatusReason\": \"why\"}}");
	/* A bare answer, and one naming its tunnel inside (as the dump writes it). */
	load_ok(&m, "{\"ActiveVpnTunnelStatus\": {\"IkeVersion\": \"ikev1\"}}");
	load_ok(&m, "{\"ActiveVpnTunnelStatus\": [{\"VpnConnectionId\": \"vpn-2\", "
		    "\"OutsideIpAddress\": \"192.0.2.9\"}]}");
	assert_int_equal(m.n_active_status, 3);
	s = &m.active_status[0];
	assert_string_equal(s->vpn_connection_id, "vpn-1");
	assert_string_equal(s->outside_ip, "192.0.2.1");
	assert_string_equal(s->phase1_encryption, "AES256");
	assert_string_equal(s->phase2_encryption, "AES128-GCM-16");
	assert_string_equal(s->phase1_integrity, "SHA2-256");
	assert_string_equal(s->phase2_integrity, "SHA2-512");
	assert_int_equal(s->phase1_dh_group, 20);
	assert_int_equal(s->phase2_dh_group, 21);
	assert_string_equal(s->ike_version, "ikev2");
	assert_string_equal(s->provisioning_status, "failed");
	assert_string_equal(s->provisioning_status_reason, "why");
	s = &m.active_status[1];
	assert_null(s->vpn_connection_id);
	assert_int_equal(s->phase1_dh_group, AWS_ABSENT);
	assert_string_equal(m.active_status[2].outside_ip, "192.0.2.9");
	aws_model_free(&m);
}

/* ---- errors ------------------------------------------------------------------------- */
struct error_case {
	const char *json;
	const char *want;
};

static const struct error_case type_errors[] = {
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{}, "
	 "{\"Phase1LifetimeSeconds\": \"28800\"}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[1].Phase1LifetimeSeconds: "
	 "expected a number"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"Phase1LifetimeSeconds\": "
	 "28800.5}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].Phase1LifetimeSeconds: "
	 "expected a whole number >= 0"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"DPDTimeoutSeconds\": -1}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].DPDTimeoutSeconds: "
	 "expected a whole number >= 0"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"ReplayWindowSize\": 1e300}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].ReplayWindowSize: "
	 "expected a whole number >= 0"},
	{"{\"VpnConnections\": [{\"VpnConnectionId\": 7}]}",
	 "t.json: $.VpnConnections[0].VpnConnectionId: expected a string"},
	{"{\"VpnConnections\": [{\"Options\": {\"StaticRoutesOnly\": \"true\"}}]}",
	 "t.json: $.VpnConnections[0].Options.StaticRoutesOnly: expected true or false"},
	{"{\"VpnConnections\": [{\"Options\": []}]}",
	 "t.json: $.VpnConnections[0].Options: expected an object"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": {}}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions: expected a list"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [7]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0]: expected an object"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"IkeVersions\": "
	 "[{\"Value\": \"ikev1\"}, {\"value\": \"ikev2\"}]}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].IkeVersions[1].Value: missing"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"IKEVersions\": "
	 "[{\"Value\": 2}]}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].IKEVersions[0].Value: "
	 "expected a string"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"Phase2DHGroupNumbers\": "
	 "[{\"Value\": \"14\"}]}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].Phase2DHGroupNumbers[0].Value: "
	 "expected a number"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"Phase1EncryptionAlgorithms\": "
	 "\"AES128\"}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].Phase1EncryptionAlgorithms: "
	 "expected a list"},
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"LogOptions\": "
	 "{\"CloudWatchLogOptions\": {\"LogEnabled\": 1}}}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].LogOptions.CloudWatchLogOptions"
	 ".LogEnabled: expected true or false"},
	{"{\"VpnConnections\": [{\"VgwTelemetry\": [{\"AcceptedRouteCount\": \"0\"}]}]}",
	 "t.json: $.VpnConnections[0].VgwTelemetry[0].AcceptedRouteCount: expected a number"},
	{"{\"RouteTables\": [{\"PropagatingVgws\": [{\"GatewayId\": \"vgw-1\"}, {}]}]}",
	 "t.json: $.RouteTables[0].PropagatingVgws[1].GatewayId: missing"},
	{"{\"RouteTables\": [{\"PropagatingVgws\": [\"vgw-1\"]}]}",
	 "t.json: $.RouteTables[0].PropagatingVgws[0]: expected an object"},
	{"{\"RouteTables\": [{\"Routes\": [{\"GatewayId\": 5}]}]}",
	 "t.json: $.RouteTables[0].Routes[0].GatewayId: expected a string"},
	{"{\"RouteTables\": [{\"Associations\": [{\"AssociationState\": {\"State\": false}}]}]}",
	 "t.json: $.RouteTables[0].Associations[0].AssociationState.State: expected a string"},
	{"{\"VpnGateways\": [{\"AmazonSideAsn\": \"64512\"}]}",
	 "t.json: $.VpnGateways[0].AmazonSideAsn: expected a number"},
	{"{\"Vpcs\": {}}", "t.json: $.Vpcs: expected a list"},
	{"{\"Subnets\": [1]}", "t.json: $.Subnets[0]: expected an object"},
	{"{\"ActiveVpnTunnelStatus\": \"up\"}", "t.json: $.ActiveVpnTunnelStatus: expected an object"},
	{"{\"VpnConnectionId\": 5, \"ActiveVpnTunnelStatus\": {}}",
	 "t.json: $.VpnConnectionId: expected a string"},
	/* The secret's value is never echoed, only its place. */
	{"{\"VpnConnections\": [{\"Options\": {\"TunnelOptions\": [{\"PreSharedKey\": 12345678}]}}]}",
	 "t.json: $.VpnConnections[0].Options.TunnelOptions[0].PreSharedKey: expected a string"},
};

static void test_type_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof type_errors / sizeof *type_errors; i++) {
		char buf[512];

		assert_string_equal(load_fail(type_errors[i].json, DIAG_EXIT_DATAERR, buf,
					      sizeof buf),
				    type_errors[i].want);
	}
}

static const struct error_case doc_errors[] = {
	{"{\"SecurityGroups\": []}",
	 "t.json: no known top-level key (want VpnConnections, VpnGateways, CustomerGateways, "
	 "RouteTables, Subnets, Vpcs, ActiveVpnTunnelStatus)"},
	{"{}", "t.json: no known top-level key (want VpnConnections, VpnGateways, "
	       "CustomerGateways, RouteTables, Subnets, Vpcs, ActiveVpnTunnelStatus)"},
	{"{\"NextToken\": \"x\", \"ResponseMetadata\": {}}",
	 "t.json: no known top-level key (want VpnConnections, VpnGateways, CustomerGateways, "
	 "RouteTables, Subnets, Vpcs, ActiveVpnTunnelStatus)"},
	{"{\"vpnConnections\": []}",
	 "t.json: no known top-level key (want VpnConnections, VpnGateways, CustomerGateways, "
	 "RouteTables, Subnets, Vpcs, ActiveVpnTunnelStatus)"},
	{"[{\"VpnConnections\": []}]",
	 "t.json: no known top-level key: the document is not an object (want VpnConnections, "
	 "VpnGateways, CustomerGateways, RouteTables, Subnets, Vpcs, ActiveVpnTunnelStatus)"},
	{"", "t.json: malformed JSON near byte 0 (line 1, column 1)"},
	{"{\"VpnGateways\": [", "t.json: malformed JSON near byte 16 (line 1, column 17)"},
	{"{\n  \"VpnGateways\": [\n    {\"VpnGatewayId\": \"vgw-1\",}\n  ]\n}",
	 "t.json: malformed JSON near byte 51 (line 3, column 31)"},
	{"{\"VpnGateways\": []} {}",
	 "t.json: malformed JSON near byte 20 (line 1, column 21): text after the document"},
};

static void test_document_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof doc_errors / sizeof *doc_errors; i++) {
		char buf[512];

		assert_string_equal(load_fail(doc_errors[i].json, DIAG_EXIT_DATAERR, buf, sizeof buf),
				    doc_errors[i].want);
	}
}

static void test_top_level_keys(void **state)
{
	struct aws_model m;
	char expect[256] = "";

	(void)state;
	/* aws_doc_keys() names the documents of aws_docs[], in order. */
	for (size_t i = 0; i < aws_n_docs; i++)
		snprintf(expect + strlen(expect), sizeof expect - strlen(expect), "%s%s",
			 i ? ", " : "", aws_docs[i].json);
	assert_string_equal(aws_doc_keys(), expect);

	aws_model_init(&m, 0);
	/* Empty documents, extra keys, several documents in one file, trailing space. */
	load_ok(&m, "{\"VpnConnections\": [], \"NextToken\": null}");
	load_ok(&m, " {\"RouteTables\": [{\"RouteTableId\": \"rtb-1\"}], \"SecurityGroups\": [1],"
		    " \"Vpcs\": [{\"VpcId\": \"vpc-1\"}], \"Subnets\": null}\n\n");
	assert_int_equal(m.n_route_tables, 1);
	assert_int_equal(m.n_vpcs, 1);
	assert_int_equal(m.n_subnets, 0);
	assert_int_equal(m.sources.n, 2);
	aws_model_free(&m);
}

/* A document that fails half-way leaves the model as it was. */
static void test_failed_load_rolls_back(void **state)
{
	struct aws_model m;
	struct diag_error err = {0};
	const char *bad = "{\"VpnGateways\": [{\"VpnGatewayId\": \"vgw-2\"}], \"VpnConnections\": "
			  "[{\"VpnConnectionId\": \"vpn-2\"}, {\"VpnConnectionId\": 2}]}";

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, "{\"VpnConnections\": [{\"VpnConnectionId\": \"vpn-1\"}]}");
	assert_int_equal(aws_load_json(&m, bad, strlen(bad), "bad.json", &err), -1);
	assert_int_equal(m.n_vpn_connections, 1);
	assert_int_equal(m.n_vpn_gateways, 0);
	assert_int_equal(m.sources.n, 1);
	assert_string_equal(m.vpn_connections[0].id, "vpn-1");
	load_ok(&m, "{\"VpnConnections\": [{\"VpnConnectionId\": \"vpn-3\"}]}");
	assert_int_equal(m.n_vpn_connections, 2);
	assert_string_equal(m.vpn_connections[1].id, "vpn-3");
	assert_null(m.vpn_connections[1].tunnels);
	aws_model_free(&m);
}

/* The arena's limit is the model's: a load past it is an error, not a crash. */
static void test_model_limit(void **state)
{
	struct aws_model m;
	struct diag_error err = {0};

	(void)state;
	aws_model_init(&m, 512);
	assert_int_equal(aws_load_json(&m, VPN_JSON, strlen(VPN_JSON), "t.json", &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_SOFTWARE);
	assert_int_equal(m.n_vpn_connections, 0);
	aws_model_free(&m);
}

/* ---- CustomerGatewayConfiguration --------------------------------------------------- */
static void test_cgw_config(void **state)
{
	struct aws_model m;
	const char *good =
		"{\"VpnConnections\": [{\"VpnConnectionId\": \"vpn-1\", "
		"\"CustomerGatewayConfiguration\": \"<?xml version=\\\"1.0\\\"?><vpn_connection "
		"id=\\\"vpn-1\\\"><customer_gateway_id>cgw-1</customer_gateway_id><ipsec_tunnel>"
		"<vpn_gateway><tunnel_outside_address><ip_address>192.0.2.1</ip_address>"
		"</tunnel_outside_address></vpn_gateway><ike><lifetime>28800</lifetime>"
		"<pre_shared_key>Unit.Cgw_Key_abc</pre_shared_key></ike></ipsec_tunnel>"
		"</vpn_connection>\"}]}";
	const char *bad = "{\"VpnConnections\": [{\"VpnConnectionId\": \"vpn-2\", "
			  "\"CustomerGatewayConfiguration\": \"<vpn_connection><ike><pre_shared_key>"
			  "Unit.Cgw_Key_xyz</pre_shared_key>\"}]}";

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, good);
	assert_non_null(m.vpn_connections[0].cgw_config_xml);
	assert_non_null(m.vpn_connections[0].cgw_config);
	assert_int_equal(m.vpn_connections[0].cgw_config->n_tunnels, 1);
	assert_string_equal(m.vpn_connections[0].cgw_config->tunnels[0].pre_shared_key,
			    "Unit.Cgw_Key_abc");
	assert_int_equal(m.warnings.n, 0);
	/* Unreadable XML: still loaded, not parsed, one warning without the content. */
	load_ok(&m, bad);
	assert_int_equal(m.n_vpn_connections, 2);
	assert_non_null(m.vpn_connections[1].cgw_config_xml);
	assert_null(m.vpn_connections[1].cgw_config);
	assert_int_equal(m.warnings.n, 1);
	assert_non_null(strstr(m.warnings.v[0],
			       "t.json: $.VpnConnections[0].CustomerGatewayConfiguration: not parsed: "));
	assert_null(strstr(m.warnings.v[0], "Unit.Cgw_Key"));
	assert_null(strstr(m.warnings.v[0], "pre_shared_key"));
	/* A dump read back: the placeholder is no XML, and no news either. */
	load_ok(&m, "{\"VpnConnections\": [{\"CustomerGatewayConfiguration\": \"<redacted>\"}]}");
	assert_null(m.vpn_connections[2].cgw_config);
	assert_int_equal(m.warnings.n, 1);
	aws_model_free(&m);
}

/* ---- files and directories ---------------------------------------------------------- */
static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void test_files_and_dirs(void **state)
{
	char dir[] = "/tmp/test_aws_json.XXXXXX", path[512], buf[512];
	struct diag_error err = {0};
	struct aws_model m;

	(void)state;
	assert_non_null(mkdtemp(dir));
	aws_model_init(&m, 0);

	/* Missing file and directory: 66. */
	snprintf(path, sizeof path, "%s/none.json", dir);
	assert_int_equal(aws_load_file(&m, path, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	assert_non_null(strstr(diag_error_text(&err, buf, sizeof buf), "none.json: No such file"));
	diag_error_clear(&err);
	assert_int_equal(aws_load_dir(&m, path, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	diag_error_clear(&err);
	/* A directory given as a file, and one with no *.json. */
	assert_int_equal(aws_load_file(&m, dir, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	diag_error_clear(&err);
	assert_int_equal(aws_load_dir(&m, dir, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_NOINPUT);
	assert_non_null(strstr(diag_error_text(&err, buf, sizeof buf), "no *.json file"));
	diag_error_clear(&err);

	/* Named by content, read in name order; other names and hidden files skipped. */
	snprintf(path, sizeof path, "%s/b.json", dir);
	write_text(path, "{\"Vpcs\": [{\"VpcId\": \"vpc-b\"}]}");
	snprintf(path, sizeof path, "%s/a.json", dir);
	write_text(path, "{\"Vpcs\": [{\"VpcId\": \"vpc-a\"}]}\n");
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	write_text(path, "not json");
	snprintf(path, sizeof path, "%s/.hidden.json", dir);
	write_text(path, "not json");
	snprintf(path, sizeof path, "%s/", dir);
	assert_int_equal(aws_load_dir(&m, path, &err), 0);
	assert_int_equal(m.n_vpcs, 2);
	assert_string_equal(m.vpcs[0].id, "vpc-a");
	assert_string_equal(m.vpcs[1].id, "vpc-b");
	snprintf(path, sizeof path, "%s/a.json", dir);
	assert_string_equal(m.sources.v[0], path);

	/* Empty file, and a *.json that is no AWS document: the directory fails on it. */
	snprintf(path, sizeof path, "%s/c.json", dir);
	write_text(path, "");
	assert_int_equal(aws_load_file(&m, path, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	snprintf(buf, sizeof buf, "%s/c.json", dir);
	assert_string_equal(err.where, buf);
	assert_string_equal(err.what, "empty file");
	diag_error_clear(&err);
	/* Over the 64 MiB cap (a sparse file). */
	snprintf(path, sizeof path, "%s/big.json", dir);
	write_text(path, "");
	assert_int_equal(truncate(path, (off_t)AWS_JSON_MAX_FILE + 1), 0);
	assert_int_equal(aws_load_file(&m, path, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(err.what, "larger than 64 MiB");
	diag_error_clear(&err);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof path, "%s/c.json", dir);
	write_text(path, "{\"Addresses\": []}");
	assert_int_equal(aws_load_dir(&m, dir, &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(err.where, buf);
	assert_non_null(strstr(err.what, "no known top-level key"));

	aws_model_free(&m);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* ---- EC2 XML answers ---------------------------------------------------------------- */
/* Builds a JSON tree from text, as a stand-in for what xml_to_tree makes of the XML. */
static cJSON *tree(const char *json)
{
	cJSON *t = cJSON_Parse(json);

	if (!t)
		fail_msg("bad test tree: %s", json);
	return t;
}

static void test_xml_tree_vpn(void **state)
{
	cJSON *x = tree(
		"{\"DescribeVpnConnectionsResponse\": {\"@xmlns\": \"http://ec2\", \"requestId\": "
		"\"r-1\", \"vpnConnectionSet\": [{\"vpnConnectionId\": \"vpn-1\", \"state\": "
		"\"available\", \"customerGatewayConfiguration\": \"<x/>\", \"type\": \"ipsec.1\","
		"\"customerGatewayId\": \"cgw-1\", \"vpnGatewayId\": \"vgw-1\", \"category\": \"VPN\","
		"\"tagSet\": [{\"key\": \"Name\", \"value\": \"n\"}], \"routes\": \"\","
		"\"vgwTelemetry\": [{\"outsideIpAddress\": \"192.0.2.1\", \"status\": \"UP\","
		"  \"lastStatusChange\": \"2020-07-29T10:35:11.000Z\", \"statusMessage\": \"\","
		"  \"acceptedRouteCount\": \"2\"}],"
		"\"options\": {\"enableAcceleration\": \"false\", \"staticRoutesOnly\": \"true\","
		"  \"tunnelOptionSet\": [{\"outsideIpAddress\": \"192.0.2.1\", \"preSharedKey\": "
		"  \"Unit.Xml_Key_1\", \"phase1LifetimeSeconds\": \"28800\", \"dpdTimeoutSeconds\": "
		"  \"40\", \"phase1EncryptionAlgorithmSet\": [{\"value\": \"AES128\"}, {\"value\": "
		"  \"AES256\"}], \"phase2DHGroupNumberSet\": [{\"value\": \"14\"}], \"ikeVersionSet\":"
		"  [{\"value\": \"ikev2\"}], \"phase1IntegrityAlgorithmSet\": [], \"logOptions\": "
		"  {\"cloudWatchLogOptions\": {\"logEnabled\": \"true\"}}, \"unknownNewElement\": \"x\""
		"  }]}}], \"nextToken\": \"tok\"}}");
	const char *want =
		"{\"VpnConnections\":[{\"VpnConnectionId\":\"vpn-1\",\"State\":\"available\","
		"\"Type\":\"ipsec.1\",\"Category\":\"VPN\",\"CustomerGatewayId\":\"cgw-1\","
		"\"VpnGatewayId\":\"vgw-1\",\"CustomerGatewayConfiguration\":\"<x/>\",\"Options\":"
		"{\"EnableAcceleration\":false,\"StaticRoutesOnly\":true,\"TunnelOptions\":[{"
		"\"OutsideIpAddress\":\"192.0.2.1\",\"PreSharedKey\":\"Unit.Xml_Key_1\","
		"\"Phase1LifetimeSeconds\":28800,\"DpdTimeoutSeconds\":40,"
		"\"Phase1EncryptionAlgorithms\":[{\"Value\":\"AES128\"},{\"Value\":\"AES256\"}],"
		"\"Phase1IntegrityAlgorithms\":[],\"Phase2DHGroupNumbers\":[{\"Value\":14}],"
		"\"IkeVersions\":[{\"Value\":\"ikev2\"}],\"LogOptions\":{\"CloudWatchLogOptions\":"
		"{\"LogEnabled\":true}}}]},\"Routes\":[],\"Tags\":[{\"Key\":\"Name\",\"Value\":\"n\"}],"
		"\"VgwTelemetry\":[{\"OutsideIpAddress\":\"192.0.2.1\",\"Status\":\"UP\","
		"\"StatusMessage\":\"\",\"AcceptedRouteCount\":2,\"LastStatusChange\":"
		"\"2020-07-29T10:35:11.000Z\"}]}],\"NextToken\":\"tok\"}";
	struct diag_error err = {0};
	struct aws_model m;
	cJSON *j;
	char *s;

	(void)state;
	j = aws_xml_tree_to_json(x, "ec2:DescribeVpnConnections", &err);
	assert_non_null(j);
	s = cJSON_PrintUnformatted(j);
	assert_string_equal(s, want);
	free(s);
	aws_model_init(&m, 0);
	assert_int_equal(aws_load_json_cjson(&m, j, "ec2:DescribeVpnConnections", &err), 0);
	assert_int_equal(m.n_vpn_connections, 1);
	assert_int_equal(m.vpn_connections[0].tunnels[0].phase1_lifetime_s, 28800);
	assert_int_equal(m.vpn_connections[0].tunnels[0].log_enabled, 1);
	assert_int_equal(m.vpn_connections[0].telemetry[0].accepted_route_count, 2);
	assert_string_equal(m.sources.v[0], "ec2:DescribeVpnConnections");
	/* The placeholder configuration is no XML: a warning, not a failure. */
	assert_int_equal(m.warnings.n, 1);
	aws_model_free(&m);
	aws_json_free_wiped(j);
	cJSON_Delete(x);
}

static void test_xml_tree_others(void **state)
{
	struct {
		const char *xml_json, *want;
	} cases[] = {
		{"{\"DescribeRouteTablesResponse\": {\"routeTableSet\": [{\"routeTableId\": \"rtb-1\","
		 "\"vpcId\": \"vpc-1\", \"routeSet\": [{\"destinationCidrBlock\": \"10.0.0.0/16\","
		 "\"gatewayId\": \"local\", \"state\": \"active\", \"origin\": \"CreateRouteTable\"}],"
		 "\"associationSet\": [{\"routeTableAssociationId\": \"a-1\", \"main\": \"true\","
		 "\"associationState\": {\"state\": \"associated\"}}], \"propagatingVgwSet\": "
		 "[{\"gatewayId\": \"vgw-1\"}], \"tagSet\": []}], \"nextToken\": \"\"}}",
		 "{\"RouteTables\":[{\"RouteTableId\":\"rtb-1\",\"VpcId\":\"vpc-1\",\"Routes\":[{"
		 "\"DestinationCidrBlock\":\"10.0.0.0/16\",\"GatewayId\":\"local\",\"Origin\":"
		 "\"CreateRouteTable\",\"State\":\"active\"}],\"Associations\":[{\"Main\":true,"
		 "\"RouteTableAssociationId\":\"a-1\",\"AssociationState\":{\"State\":\"associated\"}}"
		 "],\"PropagatingVgws\":[{\"GatewayId\":\"vgw-1\"}],\"Tags\":[]}]}"},
		{"{\"vpnGatewaySet\": [{\"vpnGatewayId\": \"vgw-1\", \"amazonSideAsn\": \"64512\","
		 "\"attachments\": [{\"vpcId\": \"vpc-1\", \"state\": \"attached\"}]}]}",
		 "{\"VpnGateways\":[{\"VpnGatewayId\":\"vgw-1\",\"AmazonSideAsn\":64512,"
		 "\"VpcAttachments\":[{\"VpcId\":\"vpc-1\",\"State\":\"attached\"}]}]}"},
		{"{\"DescribeCustomerGatewaysResponse\": {\"customerGatewaySet\": []}}",
		 "{\"CustomerGateways\":[]}"},
		{"{\"DescribeSubnetsResponse\": {\"subnetSet\": [{\"subnetId\": \"s-1\", "
		 "\"ipv6CidrBlockAssociationSet\": [{\"ipv6CidrBlock\": \"2001:db8::/64\"}],"
		 "\"mapPublicIpOnLaunch\": \"false\"}, \"\"]}}",
		 "{\"Subnets\":[{\"SubnetId\":\"s-1\",\"Ipv6CidrBlockAssociationSet\":[{"
		 "\"Ipv6CidrBlock\":\"2001:db8::/64\"}],\"MapPublicIpOnLaunch\":false},{}]}"},
		{"{\"DescribeVpcsResponse\": {\"vpcSet\": [{\"vpcId\": \"vpc-1\", \"isDefault\": "
		 "\"true\", \"cidrBlockAssociationSet\": [{\"cidrBlock\": \"10.0.0.0/16\"}]}]}}",
		 "{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"CidrBlockAssociationSet\":[{\"CidrBlock\":"
		 "\"10.0.0.0/16\"}],\"IsDefault\":true}]}"},
		{"{\"GetActiveVpnTunnelStatusResponse\": {\"requestId\": \"r\", "
		 "\"activeVpnTunnelStatus\": {\"phase1DHGroup\": \"20\", \"ikeVersion\": \"ikev2\"}}}",
		 "{\"ActiveVpnTunnelStatus\":{\"Phase1DHGroup\":20,\"IkeVersion\":\"ikev2\"}}"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct diag_error err = {0};
		struct aws_model m;
		cJSON *x = tree(cases[i].xml_json);
		cJSON *j = aws_xml_tree_to_json(x, "ec2:Test", &err);
		char *s, buf[512];

		if (!j)
			fail_msg("%s -> %s", cases[i].xml_json, diag_error_text(&err, buf, sizeof buf));
		s = cJSON_PrintUnformatted(j);
		assert_string_equal(s, cases[i].want);
		free(s);
		aws_model_init(&m, 0);
		assert_int_equal(aws_load_json_cjson(&m, j, "ec2:Test", &err), 0);
		aws_model_free(&m);
		aws_json_free_wiped(j);
		cJSON_Delete(x);
	}
}

static void test_xml_tree_errors(void **state)
{
	const struct error_case cases[] = {
		{"{\"DescribeVpnConnectionsResponse\": {\"vpnConnectionSet\": [{\"options\": "
		 "{\"tunnelOptionSet\": [{}, {\"phase1LifetimeSeconds\": \"8h\"}]}}]}}",
		 "ec2:DescribeVpnConnections: vpnConnectionSet[0].options.tunnelOptionSet[1]"
		 ".phase1LifetimeSeconds: expected a whole number"},
		{"{\"vpnConnectionSet\": [{\"options\": {\"staticRoutesOnly\": \"yes\"}}]}",
		 "ec2:DescribeVpnConnections: vpnConnectionSet[0].options.staticRoutesOnly: "
		 "expected true or false"},
		{"{\"vpnConnectionSet\": [{\"vpnConnectionId\": {\"a\": \"b\"}}]}",
		 "ec2:DescribeVpnConnections: vpnConnectionSet[0].vpnConnectionId: expected text"},
		{"{\"vpnConnectionSet\": {\"item\": \"x\", \"other\": \"y\"}}",
		 "ec2:DescribeVpnConnections: vpnConnectionSet: expected a list of <item>"},
		{"{\"vpnConnectionSet\": [{\"options\": {\"tunnelOptionSet\": [{\"ikeVersionSet\": "
		 "[{\"nope\": \"ikev2\"}]}]}}]}",
		 "ec2:DescribeVpnConnections: vpnConnectionSet[0].options.tunnelOptionSet[0]"
		 ".ikeVersionSet[0].value: missing"},
		{"{\"vpnConnectionSet\": [{\"options\": {\"tunnelOptionSet\": [{"
		 "\"phase1DHGroupNumberSet\": [{\"value\": \"-2\"}]}]}}]}",
		 "ec2:DescribeVpnConnections: vpnConnectionSet[0].options.tunnelOptionSet[0]"
		 ".phase1DHGroupNumberSet[0].value: expected a whole number"},
		{"{\"vpnConnectionSet\": [\"text\"]}",
		 "ec2:DescribeVpnConnections: vpnConnectionSet[0]: expected an element"},
		{"{\"DescribeVpnConnectionsResponse\": {\"requestId\": \"r\"}}",
		 "ec2:DescribeVpnConnections: no known element in the answer (want vpnConnectionSet, "
		 "vpnGatewaySet, customerGatewaySet, routeTableSet, subnetSet, vpcSet or "
		 "activeVpnTunnelStatus)"},
		{"[]", "ec2:DescribeVpnConnections: the answer is not an XML element tree"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct diag_error err = {0};
		cJSON *x = tree(cases[i].json);
		cJSON *j = aws_xml_tree_to_json(x, "ec2:DescribeVpnConnections", &err);
		char buf[512];

		if (j)
			fail_msg("converted but should not: %s", cases[i].json);
		assert_int_equal(err.code, DIAG_EXIT_DATAERR);
		assert_string_equal(diag_error_text(&err, buf, sizeof buf), cases[i].want);
		cJSON_Delete(x);
	}
}

/* The EC2 API Reference's sample answers (kept by the XML helper's tests), through the
 * real XML parser, the renaming and the loader. */
static void test_xml_samples(void **state)
{
	const char *dir = "testdata/aws-xml";
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), loaded = 0;

	(void)state;
	if (n < 0) {
		print_message("skipped: %s is absent\n", dir);
		skip();
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[512], buf[512];
		struct diag_error err = {0};
		struct aws_model m;
		size_t len = 0;
		char *xml;
		cJSON *x, *j;

		/* *.doc.xml: published as is, not well-formed (see the README there). */
		if (strncmp(name, "Describe", 8) != 0 || !strstr(name, ".xml") ||
		    strstr(name, ".doc.xml")) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, name);
		xml = read_file(path, &len);
		assert_non_null(xml);
		x = xml_to_tree(xml, len, path, &err);
		if (!x)
			fail_msg("%s", diag_error_text(&err, buf, sizeof buf));
		j = aws_xml_tree_to_json(x, path, &err);
		if (!j)
			fail_msg("%s", diag_error_text(&err, buf, sizeof buf));
		aws_model_init(&m, 0);
		if (aws_load_json_cjson(&m, j, path, &err) != 0)
			fail_msg("%s", diag_error_text(&err, buf, sizeof buf));
		assert_true(m.n_vpn_connections + m.n_vpn_gateways + m.n_customer_gateways +
				    m.n_route_tables > 0);
		loaded++;
		aws_model_free(&m);
		aws_json_free_wiped(j);
		xml_tree_free(x);
		free(xml);
		free(names[i]);
	}
	free(names);
	assert_true(loaded > 0);
}

/* ---- dump --------------------------------------------------------------------------- */
static void test_dump_roundtrip(void **state)
{
	struct aws_model m, m2;
	struct diag_error err = {0};
	char *d1, *d2, buf[512];
	cJSON *j;

	(void)state;
	aws_model_init(&m, 0);
	load_ok(&m, VPN_JSON);
	load_ok(&m, "{\"RouteTables\": [{\"RouteTableId\": \"rtb-1\", \"Routes\": [{\"InstanceId\":"
		    " \"i-1\", \"NetworkInterfaceId\": \"eni-1\"}]}], \"ActiveVpnTunnelStatus\": "
		    "{\"IkeVersion\": \"ikev2\"}, \"VpnConnectionId\": \"vpn-1\"}");
	d1 = dump_string(&m);
	assert_null(strstr(d1, "Unit.Test_Key_one1"));
	assert_non_null(strstr(d1, "\"PreSharedKey\":\"<redacted>\""));
	/* Absent values are left out; the route keeps the field its target came from. */
	assert_null(strstr(d1, "\"Phase1LifetimeSeconds\":-1"));
	assert_non_null(strstr(d1, "{\"NetworkInterfaceId\":\"eni-1\"}"));
	assert_non_null(strstr(d1, "\"ActiveVpnTunnelStatus\":[{\"VpnConnectionId\":\"vpn-1\","
				   "\"IkeVersion\":\"ikev2\"}]"));

	/* The dump loads back to the same model (Sources aside). */
	aws_model_init(&m2, 0);
	if (aws_load_json(&m2, d1, strlen(d1), "dump.json", &err) != 0)
		fail_msg("%s", diag_error_text(&err, buf, sizeof buf));
	d2 = dump_string(&m2);
	j = cJSON_Parse(d1);
	cJSON_DeleteItemFromObject(j, "Sources");
	free(d1);
	d1 = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	j = cJSON_Parse(d2);
	cJSON_DeleteItemFromObject(j, "Sources");
	free(d2);
	d2 = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	aws_model_free(&m2);
	aws_model_free(&m);

	/* An empty model still has every key. */
	aws_model_init(&m, 0);
	d1 = dump_string(&m);
	assert_string_equal(d1, "{\"VpnConnections\":[],\"VpnGateways\":[],\"CustomerGateways\":[],"
				"\"RouteTables\":[],\"Subnets\":[],\"Vpcs\":[],"
				"\"ActiveVpnTunnelStatus\":[],\"Sources\":[]}");
	free(d1);
	aws_model_free(&m);
}

/* ---- the defaults table ------------------------------------------------------------- */
/* Every value row of the .def, read here on its own, so a value row that strayed from
 * its option (and would be lost to the option's slice) shows up. */
static const struct {
	enum aws_tunnel_field f;
	const char *s;
	long i;
} value_rows[] = {
#define AWS_TV_STR(id, value, src) {AWS_TF_##id, value, -1},
#define AWS_TV_INT(id, value, src) {AWS_TF_##id, NULL, value},
#include "libdiag/aws/tunnel_values.def"
};

static void test_defaults_table(void **state)
{
	size_t n_strs = 0, n_ints = 0, want_strs = 0, want_ints = 0;

	(void)state;
	for (size_t i = 0; i < sizeof value_rows / sizeof *value_rows; i++) {
		if (value_rows[i].s) {
			want_strs++;
			assert_true(aws_tunnel_accepts_str(value_rows[i].f, value_rows[i].s));
		} else {
			want_ints++;
			assert_true(aws_tunnel_accepts_int(value_rows[i].f, value_rows[i].i));
		}
	}
	for (unsigned f = 0; f < AWS_TF_COUNT; f++) {
		n_strs += aws_tunnel_info(f)->n_strs;
		n_ints += aws_tunnel_info(f)->n_ints;
	}
	assert_int_equal(n_strs, want_strs);
	assert_int_equal(n_ints, want_ints);
	for (unsigned f = 0; f < AWS_TF_COUNT; f++) {
		const struct aws_tunnel_value_info *r = aws_tunnel_info(f);

		assert_non_null(r);
		assert_int_equal(r->field, f);
		assert_non_null(r->json);
		assert_non_null(r->source);
		assert_ptr_equal(aws_tunnel_info_by_json(r->json), r);
		switch (r->kind) {
		case AWS_TV_KIND_NUM:
			assert_true(r->min <= r->def && r->def <= r->max);
			assert_true(r->min <= r->alt_def && r->alt_def <= r->max);
			assert_int_equal(r->n_strs + r->n_ints, 0);
			break;
		case AWS_TV_KIND_ENUM:
			assert_true(r->n_strs > 0);
			assert_true(aws_tunnel_accepts_str(f, r->def_str));
			break;
		case AWS_TV_KIND_STRS:
			assert_true(r->n_strs > 0);
			break;
		case AWS_TV_KIND_INTS:
			assert_true(r->n_ints > 0);
			break;
		case AWS_TV_KIND_BOOL:
			break;
		}
	}
	assert_null(aws_tunnel_info(AWS_TF_COUNT));
	assert_ptr_equal(aws_tunnel_info_by_json("DPDTimeoutSeconds"),
			 aws_tunnel_info(AWS_TF_DPD_TIMEOUT));
	assert_ptr_equal(aws_tunnel_info_by_json("IKEVersions"),
			 aws_tunnel_info(AWS_TF_IKE_VERSIONS));
	assert_null(aws_tunnel_info_by_json("PreSharedKey"));
	assert_int_equal(aws_tunnel_info(AWS_TF_DPD_TIMEOUT)->def, 30);
	assert_int_equal(aws_tunnel_info(AWS_TF_DPD_TIMEOUT)->alt_def, 40);

	/* Group 5 is phase 2 only; names compare without case. */
	assert_false(aws_supported_phase1_dh(5));
	assert_true(aws_supported_phase2_dh(5));
	assert_true(aws_supported_phase1_dh(24));
	assert_false(aws_supported_phase1_dh(1));
	assert_false(aws_supported_phase2_dh(25));
	assert_true(aws_supported_phase1_encryption("aes128"));
	assert_true(aws_supported_phase2_encryption("AES256-GCM-16"));
	assert_false(aws_supported_phase1_encryption("3DES"));
	assert_true(aws_supported_phase1_integrity("SHA2-384"));
	assert_false(aws_supported_phase2_integrity("MD5"));
	assert_true(aws_supported_ike_version("IKEv1"));
	assert_false(aws_supported_ike_version("ikev3"));
	assert_true(aws_supported_dpd_action("restart"));
	assert_false(aws_supported_dpd_action("hold"));
	assert_true(aws_supported_startup_action("start"));
	assert_false(aws_supported_startup_action(NULL));
	assert_true(aws_tunnel_in_range(AWS_TF_PHASE1_LIFETIME, 900));
	assert_false(aws_tunnel_in_range(AWS_TF_PHASE1_LIFETIME, 28801));
	assert_false(aws_tunnel_in_range(AWS_TF_PHASE2_LIFETIME, 899));
	assert_true(aws_tunnel_in_range(AWS_TF_DPD_TIMEOUT, 3600));
	assert_false(aws_tunnel_in_range(AWS_TF_DPD_TIMEOUT, 29));
	assert_false(aws_tunnel_in_range(AWS_TF_IKE_VERSIONS, 1));
	assert_true(aws_tunnel_accepts_int(AWS_TF_REPLAY_WINDOW, 64));
	assert_false(aws_tunnel_accepts_int(AWS_TF_REPLAY_WINDOW, 4096));
}

static void test_relations(void **state)
{
	struct aws_tunnel_options in, e;
	char ikev1[] = "ikev1", start[] = "start";
	char *versions[] = {ikev1};

	(void)state;
	memset(&in, 0, sizeof in);
	aws_schema_init(&aws_schema_tunnel_options, &in);
	aws_tunnel_effective(&in, &e, NULL, NULL);
	assert_int_equal(aws_tunnel_relations(&e), 0);
	in.phase2_lifetime_s = 1000;
	in.rekey_margin_s = 600;
	in.startup_action = start;
	in.ike_versions.v = versions;
	in.ike_versions.n = 1;
	aws_tunnel_effective(&in, &e, NULL, NULL);
	assert_int_equal(aws_tunnel_relations(&e),
			 AWS_TF_BIT(AWS_TF_REKEY_MARGIN) | AWS_TF_BIT(AWS_TF_STARTUP_ACTION));
}

/* ---- the batfish samples ------------------------------------------------------------ */
struct keys {
	char *v[256];
	size_t n;
};

static void add_key(struct keys *k, const char *s, size_t len)
{
	if (k->n < sizeof k->v / sizeof *k->v && len >= 8)
		k->v[k->n++] = strndup(s, len);
}

/* Every PreSharedKey value of a parsed document, and every <pre_shared_key> inside its
 * CustomerGatewayConfiguration strings. */
static void collect_keys(const cJSON *v, struct keys *k)
{
	const cJSON *c;

	if (cJSON_IsString(v) && v->string && strcmp(v->string, "PreSharedKey") == 0)
		add_key(k, v->valuestring, strlen(v->valuestring));
	if (cJSON_IsString(v) && v->string &&
	    strcmp(v->string, "CustomerGatewayConfiguration") == 0) {
		const char *p = v->valuestring, *e;

		while ((p = strstr(p, "<pre_shared_key>")) != NULL) {
			p += strlen("<pre_shared_key>");
			if (!(e = strstr(p, "</pre_shared_key>")))
				break;
			add_key(k, p, (size_t)(e - p));
			p = e;
		}
	}
	cJSON_ArrayForEach(c, v)
		collect_keys(c, k);
}

static bool known_document(const cJSON *root)
{
	for (size_t i = 0; cJSON_IsObject(root) && i < aws_n_docs; i++)
		if (cJSON_GetObjectItemCaseSensitive(root, aws_docs[i].json))
			return true;
	return false;
}

struct sample_run {
	struct aws_model m;
	struct keys keys;
	char files[64][512];
	size_t n_files, n_loaded, n_refused;
};

static void visit(const char *dir, struct sample_run *r)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[512];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (name[0] == '.' || stat(path, &st) != 0) {
			free(names[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			visit(path, r);
		} else if (strlen(name) > 5 && strcmp(name + strlen(name) - 5, ".json") == 0) {
			struct diag_error err = {0};
			size_t len = 0;
			char *raw = read_file(path, &len), buf[512];
			cJSON *root = raw ? cJSON_Parse(raw) : NULL;
			int rc = aws_load_file(&r->m, path, &err);

			assert_non_null(root);
			collect_keys(root, &r->keys);
			if (known_document(root)) {
				if (rc != 0)
					fail_msg("%s", diag_error_text(&err, buf, sizeof buf));
				r->n_loaded++;
				if (r->n_files < 64)
					snprintf(r->files[r->n_files++], sizeof r->files[0], "%s", path);
			} else {
				/* SecurityGroups.json and kin: refused by name, not by a crash. */
				assert_int_equal(rc, -1);
				assert_int_equal(err.code, DIAG_EXIT_DATAERR);
				assert_non_null(strstr(err.what, "no known top-level key"));
				r->n_refused++;
			}
			cJSON_Delete(root);
			free(raw);
		}
		free(names[i]);
	}
	free(names);
}

/* Runs the built tool on one file and checks its output holds none of the keys. */
static void check_text_output(const char *file, const struct keys *k, bool json)
{
	char cmd[1024], line[4096];
	FILE *p;

	snprintf(cmd, sizeof cmd, "bin/vpn-doctor aws %s--aws-file '%s' 2>&1", json ? "--json " : "",
		 file);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof line, p))
		for (size_t i = 0; i < k->n; i++)
			if (strstr(line, k->v[i]))
				fail_msg("%s prints a pre-shared key", cmd);
	assert_int_equal(pclose(p), 0);
}

static void test_batfish_samples(void **state)
{
	struct sample_run *r = calloc(1, sizeof *r);
	struct stat st;
	char *dump;

	(void)state;
	assert_non_null(r);
	if (stat(SAMPLES, &st) != 0) {
		print_message("skipped: %s is absent\n", SAMPLES);
		free(r);
		skip();
	}
	aws_model_init(&r->m, 0);
	visit(SAMPLES, r);
	print_message("batfish: %zu EC2 documents loaded, %zu other files refused, %zu keys\n",
		      r->n_loaded, r->n_refused, r->keys.n);
	assert_true(r->n_loaded >= 10);
	assert_true(r->n_refused >= 1);
	assert_true(r->keys.n >= 4);
	assert_true(r->m.n_vpn_connections >= 3);
	assert_true(r->m.n_route_tables >= 2);
	/* The keys are in the model, and nowhere in the dump. */
	assert_non_null(aws_find_vpn_connection(&r->m, "vpn-ba2e34a8"));
	dump = dump_string(&r->m);
	for (size_t i = 0; i < r->keys.n; i++)
		if (strstr(dump, r->keys.v[i]))
			fail_msg("the dump holds the key of input %zu", i);
	free(dump);
	if (access("bin/vpn-doctor", X_OK) == 0) {
		for (size_t i = 0; i < r->n_files; i++) {
			check_text_output(r->files[i], &r->keys, false);
			check_text_output(r->files[i], &r->keys, true);
		}
	} else {
		print_message("text output not checked: bin/vpn-doctor is not built\n");
	}
	for (size_t i = 0; i < r->keys.n; i++)
		free(r->keys.v[i]);
	aws_model_free(&r->m);
	free(r);
}

/* A file of millions of empty objects is refused before cJSON builds gigabytes of it. */
static void test_container_limit(void **state)
{
	size_t n = 1000001, len = 0;
	char *buf = malloc(32 + n * 3);
	struct aws_model m;
	struct diag_error err = {0};

	(void)state;
	assert_non_null(buf);
	len += (size_t)sprintf(buf, "{\"VpnConnections\":[");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, i ? ",{}" : "{}");
	len += (size_t)sprintf(buf + len, "]}");
	aws_model_init(&m, 0);
	assert_int_equal(aws_load_json(&m, buf, len, "many.json", &err), -1);
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(err.where, "many.json");
	assert_non_null(strstr(err.what, "1000003 objects and lists"));
	assert_int_equal(m.n_vpn_connections, 0);
	aws_model_free(&m);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vpn_connection),
		cmocka_unit_test(test_absent_and_defaults),
		cmocka_unit_test(test_partial_defaults_mask),
		cmocka_unit_test(test_alternate_spellings),
		cmocka_unit_test(test_gateways),
		cmocka_unit_test(test_route_tables),
		cmocka_unit_test(test_subnets_vpcs),
		cmocka_unit_test(test_duplicates_kept_once),
		cmocka_unit_test(test_active_status),
		cmocka_unit_test(test_type_errors),
		cmocka_unit_test(test_document_errors),
		cmocka_unit_test(test_top_level_keys),
		cmocka_unit_test(test_failed_load_rolls_back),
		cmocka_unit_test(test_model_limit),
		cmocka_unit_test(test_cgw_config),
		cmocka_unit_test(test_files_and_dirs),
		cmocka_unit_test(test_xml_tree_vpn),
		cmocka_unit_test(test_xml_tree_others),
		cmocka_unit_test(test_xml_tree_errors),
		cmocka_unit_test(test_xml_samples),
		cmocka_unit_test(test_dump_roundtrip),
		cmocka_unit_test(test_defaults_table),
		cmocka_unit_test(test_relations),
		cmocka_unit_test(test_batfish_samples),
		cmocka_unit_test(test_container_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
