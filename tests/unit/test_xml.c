/* xml_to_tree: the tree rules on small documents (each case is an XML text and the JSON
 * it must become), the limits and refusals with their SOURCE:LINE:COL messages, every
 * truncation of a real answer, the EC2 API Reference's sample responses
 * (testdata/aws-xml/), and aws_ec2_error_parse on EC2 and STS error documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libdiag/aws/ec2_error.h"
#include "libdiag/xml.h"
#include "testutil.h"

static cJSON *parse_ok(const char *xml)
{
	struct diag_error err = {0};
	cJSON *t = xml_to_tree(xml, strlen(xml), "t.xml", &err);

	if (!t) {
		char buf[512];

		fail_msg("%s: %s", xml, diag_error_text(&err, buf, sizeof buf));
	}
	assert_int_equal(err.code, 0);
	return t;
}

/* The error text of a document that must not parse. */
static const char *parse_fail(const char *xml, size_t len, char *buf, size_t size)
{
	struct diag_error err = {0};
	cJSON *t = xml_to_tree(xml, len, "t.xml", &err);

	if (t) {
		char *s = cJSON_PrintUnformatted(t);

		fail_msg("parsed but should not: %s -> %s", xml, s);
	}
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	return diag_error_text(&err, buf, (unsigned)size);
}

/* ---- the tree rules ---------------------------------------------------------------- */

struct tree_case {
	const char *xml;
	const char *json;
};

static const struct tree_case tree_cases[] = {
	/* leaves, whitespace, entities, CDATA */
	{"<a>text</a>", "{\"a\":\"text\"}"},
	{"<a>\n   padded text \t\r\n</a>", "{\"a\":\"padded text\"}"},
	{"<a> inner  spaces\nkept </a>", "{\"a\":\"inner  spaces\\nkept\"}"},
	{"<a/>", "{\"a\":\"\"}"},
	{"<a></a>", "{\"a\":\"\"}"},
	{"<a>   </a>", "{\"a\":\"\"}"},
	{"<a>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#xE9;</a>", "{\"a\":\"&<>\\\"'AB\\u00e9\"}"},
	{"<a><![CDATA[<b>&amp;</b>]]></a>", "{\"a\":\"<b>&amp;</b>\"}"},
	{"<a>x<![CDATA[ y ]]>z</a>", "{\"a\":\"x y z\"}"},
	{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><a><?pi x?>v<!-- c --></a>\n",
	 "{\"a\":\"v\"}"},
	{"\xef\xbb\xbf<a>bom</a>", "{\"a\":\"bom\"}"},
	{"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>", "{\"a\":\"\\u00e9\"}"},
	/* objects and nesting */
	{"<r>\n  <a>1</a>\n  <b>2</b>\n</r>", "{\"r\":{\"a\":\"1\",\"b\":\"2\"}}"},
	{"<r><a><b><c>deep</c></b></a></r>", "{\"r\":{\"a\":{\"b\":{\"c\":\"deep\"}}}}"},
	/* item lists */
	{"<r><item>1</item><item>2</item></r>", "{\"r\":[\"1\",\"2\"]}"},
	{"<r>\n <item>only</item>\n</r>", "{\"r\":[\"only\"]}"},
	{"<r><item><k>a</k></item><item><k>b</k></item></r>",
	 "{\"r\":[{\"k\":\"a\"},{\"k\":\"b\"}]}"},
	{"<r><item><item>x</item></item></r>", "{\"r\":[[\"x\"]]}"},
	{"<r><item/><item></item></r>", "{\"r\":[\"\",\"\"]}"},
	/* empty sets */
	{"<r><tagSet/><routes/><fooSet></fooSet><Set/></r>",
	 "{\"r\":{\"tagSet\":[],\"routes\":\"\",\"fooSet\":[],\"Set\":[]}}"},
	{"<r><tagSet>\n  \n</tagSet></r>", "{\"r\":{\"tagSet\":[]}}"},
	{"<r><tagSet>text</tagSet></r>", "{\"r\":{\"tagSet\":\"text\"}}"},
	/* repeated names */
	{"<r><t>1</t><t>2</t><t>3</t></r>", "{\"r\":{\"t\":[\"1\",\"2\",\"3\"]}}"},
	{"<r><t>1</t><u>x</u><t>2</t></r>", "{\"r\":{\"t\":[\"1\",\"2\"],\"u\":\"x\"}}"},
	{"<r><t><a>1</a></t><t><a>2</a></t></r>", "{\"r\":{\"t\":[{\"a\":\"1\"},{\"a\":\"2\"}]}}"},
	{"<r><s><item>1</item></s><s><item>2</item></s></r>",
	 "{\"r\":{\"s\":[[\"1\"],[\"2\"]]}}"},
	{"<r><s/><s>x</s></r>", "{\"r\":{\"s\":[\"\",\"x\"]}}"},
	{"<r><item>1</item><other>o</other><item>2</item></r>",
	 "{\"r\":{\"item\":[\"1\",\"2\"],\"other\":\"o\"}}"},
	{"<r><item>1</item><other>o</other></r>", "{\"r\":{\"item\":\"1\",\"other\":\"o\"}}"},
	{"<r><other>o</other><item>1</item></r>", "{\"r\":{\"other\":\"o\",\"item\":\"1\"}}"},
	/* attributes */
	{"<vpn_connection id=\"vpn-1\"><customer_gateway_id>cgw-1</customer_gateway_id>"
	 "</vpn_connection>",
	 "{\"vpn_connection\":{\"@id\":\"vpn-1\",\"customer_gateway_id\":\"cgw-1\"}}"},
	{"<a x=\"1\" y='&lt;2&gt;'/>", "{\"a\":{\"@x\":\"1\",\"@y\":\"<2>\"}}"},
	{"<a x=\"1\"> t </a>", "{\"a\":{\"@x\":\"1\",\"#text\":\"t\"}}"},
	{"<r n=\"1\"><item>a</item></r>", "{\"r\":{\"@n\":\"1\",\"item\":\"a\"}}"},
	{"<r><item>a</item>tail</r>", "{\"r\":{\"item\":\"a\",\"#text\":\"tail\"}}"},
	{"<r>head<b>x</b>tail</r>", "{\"r\":{\"b\":\"x\",\"#text\":\"headtail\"}}"},
	/* namespaces */
	{"<DescribeX xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId>"
	 "</DescribeX>",
	 "{\"DescribeX\":{\"requestId\":\"r\"}}"},
	{"<p:r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\"><q:a q:x=\"1\">t</q:a><p:b/></p:r>",
	 "{\"r\":{\"a\":{\"@x\":\"1\",\"#text\":\"t\"},\"b\":\"\"}}"},
	{"<r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\"><a p:x=\"1\" q:x=\"2\"/></r>",
	 "{\"r\":{\"a\":{\"@x\":[\"1\",\"2\"]}}}"},
};

static void test_tree_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof tree_cases / sizeof tree_cases[0]; i++) {
		cJSON *got = parse_ok(tree_cases[i].xml);
		cJSON *want = cJSON_Parse(tree_cases[i].json);
		char *s = cJSON_PrintUnformatted(got);

		if (!want)
			fail_msg("case %zu: bad expected JSON %s", i, tree_cases[i].json);
		if (!cJSON_Compare(got, want, 1))
			fail_msg("case %zu: %s\n  got  %s\n  want %s", i, tree_cases[i].xml, s,
				 tree_cases[i].json);
		free(s);
		cJSON_Delete(want);
		xml_tree_free(got);
	}
}

/* Member order follows the document, also when a member becomes an array. */
static void test_member_order(void **state)
{
	cJSON *t = parse_ok("<r><a>1</a><b>x</b><a>2</a><c>y</c></r>");
	char *s = cJSON_PrintUnformatted(t);

	(void)state;
	assert_string_equal(s, "{\"r\":{\"a\":[\"1\",\"2\"],\"b\":\"x\",\"c\":\"y\"}}");
	free(s);
	xml_tree_free(t);
}

/* Not NUL-terminated input: only len bytes are read. */
static void test_length_bounded(void **state)
{
	const char doc[] = "<a>1</a><junk";
	struct diag_error err = {0};
	cJSON *t = xml_to_tree(doc, 8, NULL, &err);

	(void)state;
	assert_non_null(t);
	assert_string_equal(cJSON_GetObjectItem(t, "a")->valuestring, "1");
	xml_tree_free(t);
}

static void test_list_view(void **state)
{
	cJSON *t = parse_ok("<r><one><k>1</k></one><two>a</two><two>b</two><none/>"
			    "<set><item>x</item></set></r>");
	cJSON *r = cJSON_GetObjectItem(t, "r");
	const cJSON *v, *e;
	size_t n = 0;

	(void)state;
	v = cJSON_GetObjectItem(r, "one");
	assert_int_equal(xml_list_len(v), 1);
	assert_ptr_equal(xml_list_first(v), v);
	assert_null(xml_list_next(v, v));
	v = cJSON_GetObjectItem(r, "two");
	assert_int_equal(xml_list_len(v), 2);
	for (e = xml_list_first(v); e; e = xml_list_next(v, e))
		assert_string_equal(e->valuestring, n++ ? "b" : "a");
	assert_int_equal(n, 2);
	v = cJSON_GetObjectItem(r, "none");
	assert_int_equal(xml_list_len(v), 0);
	assert_null(xml_list_first(v));
	assert_int_equal(xml_list_len(NULL), 0);
	assert_int_equal(xml_list_len(cJSON_GetObjectItem(r, "set")), 1);
	xml_tree_free(t);
}

/* ---- errors and limits ------------------------------------------------------------- */

struct error_case {
	const char *xml;
	const char *text;   /* the whole error text */
};

static const struct error_case error_cases[] = {
	{"", "t.xml:1:1: XML error: no element found"},
	{"   \n", "t.xml:2:1: XML error: no element found"},
	{"<a>", "t.xml:1:4: XML error: no element found"},
	{"<a>\n  <b>x</c>\n</a>", "t.xml:2:9: XML error: mismatched tag"},
	{"<a></a><b/>", "t.xml:1:8: XML error: junk after document element"},
	{"<a>&nbsp;</a>", "t.xml:1:4: XML error: undefined entity"},
	{"<a>&#0;</a>", "t.xml:1:4: XML error: reference to invalid character number"},
	{"<a x=\"1\" x=\"2\"/>", "t.xml:1:10: XML error: duplicate attribute"},
	{"<p:a/>", "t.xml:1:1: XML error: unbound prefix"},
	{"<a>\xff</a>", "t.xml:1:4: XML error: not well-formed (invalid token)"},
	{"<?xml version=\"1.0\" encoding=\"EBCDIC-bogus\"?><a/>",
	 "t.xml:1:31: XML error: unknown encoding"},
	{"<a>text", "t.xml:1:8: XML error: no element found"},
	{"<a><b>1</b>", "t.xml:1:12: XML error: no element found"},
	/* DOCTYPE in every form, billion laughs first; expat reports it at its '[' or '>' */
	{"<?xml version=\"1.0\"?>\n"
	 "<!DOCTYPE lolz [\n"
	 " <!ENTITY lol \"lol\">\n"
	 " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	 " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	 " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	 "]>\n"
	 "<lolz>&lol3;</lolz>",
	 "t.xml:2:16: XML error: document type declarations (DOCTYPE) are not allowed"},
	{"<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a>&x;</a>",
	 "t.xml:1:40: XML error: document type declarations (DOCTYPE) are not allowed"},
	{"<!DOCTYPE a><a/>",
	 "t.xml:1:12: XML error: document type declarations (DOCTYPE) are not allowed"},
	{"<!DOCTYPE a [<!ENTITY % p SYSTEM \"http://127.0.0.1/x\"> %p;]><a/>",
	 "t.xml:1:13: XML error: document type declarations (DOCTYPE) are not allowed"},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		char buf[512];
		const char *got = parse_fail(error_cases[i].xml, strlen(error_cases[i].xml), buf,
					     sizeof buf);

		if (strcmp(got, error_cases[i].text) != 0)
			fail_msg("case %zu: %s\n  got  %s\n  want %s", i, error_cases[i].xml, got,
				 error_cases[i].text);
	}
}

/* A source name of NULL reads "input"; err may be NULL. */
static void test_error_source(void **state)
{
	struct diag_error err = {0};
	char buf[256];

	(void)state;
	assert_null(xml_to_tree("<a>", 3, NULL, &err));
	assert_string_equal(diag_error_text(&err, buf, sizeof buf),
			    "input:1:4: XML error: no element found");
	assert_null(xml_to_tree("<a>", 3, "x", NULL));
	assert_null(xml_to_tree(NULL, 0, "x", NULL));
}

/* Errors name the fault and the place, never the text around it. */
static void test_errors_never_echo_text(void **state)
{
	static const char *const docs[] = {
		"<r><pre_shared_key>S3cretPsk.value_1234</pre_shared_key><b></r>",
		"<r><pre_shared_key>S3cretPsk.value_1234</pre_shared_key>",
		"<r a=\"S3cretPsk.value_1234\" a=\"S3cretPsk.value_1234\"/>",
		"<r><S3cretPsk.value_1234></r>",
		"<r>S3cretPsk.value_1234&S3cretPsk.value_1234;</r>",
		"<r><x>S3cretPsk.value_1234</x><!DOCTYPE S3cretPsk.value_1234></r>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		char buf[512];
		const char *got = parse_fail(docs[i], strlen(docs[i]), buf, sizeof buf);

		assert_null(strstr(got, "S3cret"));
		assert_non_null(strstr(got, "XML error: "));
	}
}

/* n nested elements <e><e>...</e></e>. */
static char *nested(size_t n)
{
	char *s = malloc(n * 7 + 1), *p = s;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "<e>");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "</e>");
	*p = '\0';
	return s;
}

static void test_depth_limit(void **state)
{
	char *ok = nested(XML_MAX_DEPTH), *deep = nested(XML_MAX_DEPTH + 1);
	char buf[256];
	cJSON *t = parse_ok(ok), *v = t;
	size_t depth = 0;

	(void)state;
	while (cJSON_IsObject(v)) {
		v = cJSON_GetObjectItem(v, "e");
		depth++;
	}
	assert_int_equal(depth, XML_MAX_DEPTH);
	assert_string_equal(v->valuestring, "");
	xml_tree_free(t);
	assert_string_equal(parse_fail(deep, strlen(deep), buf, sizeof buf),
			    "t.xml:1:193: XML error: elements nested deeper than 64");
	free(ok);
	free(deep);
}

/* n elements in all: a root holding n - 1 <item/>s. */
static char *wide(size_t n)
{
	char *s = malloc(n * 7 + 16), *p = s;

	assert_non_null(s);
	p += sprintf(p, "<r>");
	for (size_t i = 1; i < n; i++)
		p += sprintf(p, "<item/>");
	p += sprintf(p, "</r>");
	return s;
}

static void test_element_limit(void **state)
{
	char *ok = wide(XML_MAX_ELEMENTS), *big = wide(XML_MAX_ELEMENTS + 1);
	char buf[256];
	cJSON *t = parse_ok(ok);

	(void)state;
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(t, "r")), XML_MAX_ELEMENTS - 1);
	xml_tree_free(t);
	assert_string_equal(parse_fail(big, strlen(big), buf, sizeof buf),
			    "t.xml:1:1399997: XML error: more than 200000 elements");
	free(ok);
	free(big);
}

/* Many distinct and many equal sibling names stay fast (the member index). */
static void test_wide_members(void **state)
{
	size_t n = 90000; /* 2n + 1 elements, under the limit */
	char *s = malloc(n * 40 + 16), *p = s;
	cJSON *t, *r;

	(void)state;
	assert_non_null(s);
	p += sprintf(p, "<r>");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "<n%zu>%zu</n%zu><same>%zu</same>", i, i, i, i);
	p += sprintf(p, "</r>");
	t = parse_ok(s);
	r = cJSON_GetObjectItem(t, "r");
	assert_int_equal(cJSON_GetArraySize(r), n + 1);
	assert_string_equal(cJSON_GetObjectItem(r, "n89999")->valuestring, "89999");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r, "same")), n);
	xml_tree_free(t);
	free(s);
}

static void test_attribute_limit(void **state)
{
	size_t n = XML_MAX_ATTRIBUTES + 1;
	char *s = malloc(n * 12 + 16), *p = s;
	char buf[256];

	(void)state;
	assert_non_null(s);
	p += sprintf(p, "<r");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, " a%zu=''", i);
	p += sprintf(p, "/>");
	assert_non_null(strstr(parse_fail(s, strlen(s), buf, sizeof buf),
			       "XML error: more than 200000 attributes"));
	free(s);
}

static void test_input_limit(void **state)
{
	size_t n = XML_MAX_INPUT + 1;
	char *s = malloc(n);
	char buf[256];

	(void)state;
	assert_non_null(s);
	memset(s, ' ', n);
	memcpy(s, "<a>", 3);
	memcpy(s + n - 4, "</a>", 4);
	assert_string_equal(parse_fail(s, n, buf, sizeof buf),
			    "t.xml: XML error: input larger than 64 MiB");
	free(s);
}

/* ---- the EC2 API Reference's examples --------------------------------------------- */

static cJSON *fixture(const char *name, const char *root, cJSON **tree)
{
	char path[256];
	size_t len;
	char *buf;
	struct diag_error err = {0};
	cJSON *r;

	snprintf(path, sizeof path, "testdata/aws-xml/%s", name);
	buf = must_read_file(path, &len);
	*tree = xml_to_tree(buf, len, path, &err);
	free(buf);
	if (!*tree) {
		char msg[512];

		fail_msg("%s", diag_error_text(&err, msg, sizeof msg));
	}
	r = cJSON_GetObjectItem(*tree, root);
	assert_non_null(r);
	return r;
}

static const char *str_at(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(obj, name);

	if (!cJSON_IsString(v))
		fail_msg("%s is not a string", name);
	return v->valuestring;
}

static void test_describe_vpn_connections(void **state)
{
	cJSON *tree;
	cJSON *r = fixture("DescribeVpnConnections.xml", "DescribeVpnConnectionsResponse", &tree);
	cJSON *set = cJSON_GetObjectItem(r, "vpnConnectionSet"), *vpn, *tel, *opt;

	(void)state;
	assert_string_equal(str_at(r, "requestId"), "6791f4b8-5717-4272-aed2-faa18example");
	assert_true(cJSON_IsArray(set));
	assert_int_equal(cJSON_GetArraySize(set), 1);
	vpn = cJSON_GetArrayItem(set, 0);
	assert_string_equal(str_at(vpn, "vpnConnectionId"), "vpn-1122334455aabbccd");
	assert_string_equal(str_at(vpn, "state"), "available");
	assert_string_equal(str_at(vpn, "customerGatewayConfiguration"),
			    "..Customer gateway configuration data in escaped XML format...");
	assert_string_equal(str_at(vpn, "type"), "ipsec.1");
	assert_string_equal(str_at(vpn, "transitGatewayId"), "tgw-00112233445566aab");
	assert_string_equal(str_at(vpn, "category"), "VPN");
	/* <routes/> is not a Set: the empty string, an empty list to xml_list_len */
	assert_string_equal(str_at(vpn, "routes"), "");
	assert_int_equal(xml_list_len(cJSON_GetObjectItem(vpn, "routes")), 0);
	assert_string_equal(str_at(cJSON_GetArrayItem(cJSON_GetObjectItem(vpn, "tagSet"), 0),
				   "value"),
			    "CanadaVPN");
	tel = cJSON_GetObjectItem(vpn, "vgwTelemetry");
	assert_true(cJSON_IsArray(tel));
	assert_int_equal(cJSON_GetArraySize(tel), 2);
	assert_string_equal(str_at(cJSON_GetArrayItem(tel, 0), "outsideIpAddress"), "203.0.113.3");
	assert_string_equal(str_at(cJSON_GetArrayItem(tel, 0), "status"), "DOWN");
	assert_string_equal(str_at(cJSON_GetArrayItem(tel, 0), "statusMessage"), "");
	assert_string_equal(str_at(cJSON_GetArrayItem(tel, 1), "status"), "UP");
	assert_string_equal(str_at(cJSON_GetArrayItem(tel, 1), "lastStatusChange"),
			    "2020-09-02T09:09:33.000Z");
	assert_string_equal(str_at(cJSON_GetArrayItem(tel, 1), "acceptedRouteCount"), "0");
	opt = cJSON_GetObjectItem(vpn, "options");
	assert_string_equal(str_at(opt, "staticRoutesOnly"), "true");
	assert_string_equal(str_at(opt, "tunnelInsideIpVersion"), "ipv4");
	xml_tree_free(tree);
}

static void test_describe_route_tables(void **state)
{
	cJSON *tree;
	cJSON *r = fixture("DescribeRouteTables.xml", "DescribeRouteTablesResponse", &tree);
	cJSON *rt = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "routeTableSet"), 0);
	cJSON *routes = cJSON_GetObjectItem(rt, "routeSet");
	cJSON *assoc = cJSON_GetArrayItem(cJSON_GetObjectItem(rt, "associationSet"), 0);

	(void)state;
	assert_string_equal(str_at(rt, "routeTableId"), "rtb-1122334455667788a");
	assert_string_equal(str_at(rt, "ownerId"), "111122223333");
	assert_int_equal(cJSON_GetArraySize(routes), 3);
	assert_string_equal(str_at(cJSON_GetArrayItem(routes, 1), "destinationCidrBlock"),
			    "172.31.0.0/16");
	assert_string_equal(str_at(cJSON_GetArrayItem(routes, 1), "gatewayId"), "local");
	assert_string_equal(str_at(cJSON_GetArrayItem(routes, 2), "origin"), "CreateRoute");
	assert_string_equal(str_at(assoc, "main"), "true");
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(rt, "propagatingVgwSet")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rt, "propagatingVgwSet")), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(rt, "tagSet")), 0);
	xml_tree_free(tree);
}

static void test_describe_vpn_gateways(void **state)
{
	cJSON *tree;
	cJSON *r = fixture("DescribeVpnGateways.xml", "DescribeVpnGatewaysResponse", &tree);
	cJSON *gw = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "vpnGatewaySet"), 0);
	cJSON *att = cJSON_GetObjectItem(gw, "attachments");

	(void)state;
	assert_string_equal(str_at(gw, "vpnGatewayId"), "vgw-8db04f81");
	assert_string_equal(str_at(gw, "amazonSideAsn"), "65001");
	assert_true(cJSON_IsArray(att));
	assert_string_equal(str_at(cJSON_GetArrayItem(att, 0), "vpcId"), "vpc-4c090c2a");
	assert_string_equal(str_at(cJSON_GetArrayItem(att, 0), "state"), "attached");
	xml_tree_free(tree);
}

/* The documentation's own example closes <bgpAsn> with </bgpasn>. */
static void test_describe_customer_gateways(void **state)
{
	cJSON *tree;
	cJSON *r = fixture("DescribeCustomerGateways.xml", "DescribeCustomerGatewaysResponse",
			   &tree);
	cJSON *cgw = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "customerGatewaySet"), 0);
	struct diag_error err = {0};
	char buf[256];
	size_t len;
	char *doc;

	(void)state;
	assert_string_equal(str_at(cgw, "customerGatewayId"), "cgw-b4dc3961");
	assert_string_equal(str_at(cgw, "ipAddress"), "12.1.2.3");
	assert_string_equal(str_at(cgw, "bgpAsn"), "65534");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cgw, "tagSet")), 0);
	xml_tree_free(tree);

	doc = must_read_file("testdata/aws-xml/DescribeCustomerGateways.doc.xml", &len);
	assert_null(xml_to_tree(doc, len, "DescribeCustomerGateways", &err));
	assert_int_equal(err.code, DIAG_EXIT_DATAERR);
	assert_string_equal(diag_error_text(&err, buf, sizeof buf),
			    "DescribeCustomerGateways:9:23: XML error: mismatched tag");
	free(doc);
}

/* Every proper prefix of a real answer fails with a position, none crashes. */
static void test_truncated(void **state)
{
	size_t len;
	char *doc = must_read_file("testdata/aws-xml/DescribeVpnConnections.xml", &len);

	(void)state;
	while (len > 0 && (doc[len - 1] == '\n'))
		len--;
	for (size_t n = 0; n < len; n++) {
		char buf[512];
		char *cut = malloc(n ? n : 1);
		const char *got;

		assert_non_null(cut);
		memcpy(cut, doc, n);
		got = parse_fail(cut, n, buf, sizeof buf);
		if (strncmp(got, "t.xml:", 6) != 0 || !strstr(got, ": XML error: "))
			fail_msg("prefix %zu: %s", n, got);
		free(cut);
	}
	free(doc);
}

/* The CGW configuration travels escaped inside the EC2 answer and comes out as text. */
static void test_escaped_config_roundtrip(void **state)
{
	cJSON *tree;
	cJSON *r = fixture("DescribeVpnConnections-cgw-config.xml",
			   "DescribeVpnConnectionsResponse", &tree);
	cJSON *vpn = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "vpnConnectionSet"), 0);
	size_t len;
	char *want = must_read_file("testdata/aws-xml/cgw-config-static.xml", &len);
	const char *cfg = str_at(vpn, "customerGatewayConfiguration");
	cJSON *routes = cJSON_GetObjectItem(vpn, "routes");

	(void)state;
	while (len > 0 && want[len - 1] == '\n')
		want[--len] = '\0';
	assert_string_equal(cfg, want);
	assert_int_equal(xml_list_len(routes), 1);
	assert_string_equal(str_at(xml_list_first(routes), "source"), "Static");
	free(want);
	xml_tree_free(tree);
}

/* ---- error documents --------------------------------------------------------------- */

static void test_ec2_error(void **state)
{
	char code[64], msg[256], rid[64];
	size_t len;
	char *doc = must_read_file("testdata/aws-xml/ec2-error.xml", &len);

	(void)state;
	assert_int_equal(aws_ec2_error_parse(doc, len, code, sizeof code, msg, sizeof msg, rid,
					     sizeof rid),
			 0);
	assert_string_equal(code, "InvalidInstanceID.NotFound");
	assert_string_equal(msg, "The instance ID 'i-1a2b3c4d' does not exist");
	assert_string_equal(rid, "ea966190-f9aa-478e-9ede-example");
	free(doc);
}

static void test_sts_error(void **state)
{
	char code[64], msg[256], rid[64];
	size_t len;
	char *doc = must_read_file("testdata/aws-xml/sts-error.xml", &len);

	(void)state;
	assert_int_equal(aws_ec2_error_parse(doc, len, code, sizeof code, msg, sizeof msg, rid,
					     sizeof rid),
			 0);
	assert_string_equal(code, "InvalidIdentityToken");
	assert_string_equal(msg, "Couldn't retrieve verification key from your identity provider,"
				 "  please reference AssumeRoleWithWebIdentity documentation for "
				 "requirements");
	assert_string_equal(rid, "00000000-0000-0000-0000-000000000000");
	free(doc);
}

static int err_parse(const char *doc, char *code, char *msg, size_t msg_len, char *rid)
{
	return aws_ec2_error_parse(doc, strlen(doc), code, 32, msg, msg_len, rid, 32);
}

static void test_error_documents_edge_cases(void **state)
{
	char code[32], msg[32], rid[32];

	(void)state;
	/* several errors: the first counts; RequestId spelled either way */
	assert_int_equal(err_parse("<Response><Errors><Error><Code>A</Code></Error><Error><Code>B"
				   "</Code></Error></Errors><RequestId>r</RequestId></Response>",
				   code, msg, sizeof msg, rid),
			 0);
	assert_string_equal(code, "A");
	assert_string_equal(msg, "");
	assert_string_equal(rid, "r");
	/* S3-style bare <Error> */
	assert_int_equal(err_parse("<Error><Code>AccessDenied</Code><Message>no</Message>"
				   "<RequestId>x</RequestId></Error>",
				   code, msg, sizeof msg, rid),
			 0);
	assert_string_equal(code, "AccessDenied");
	assert_string_equal(rid, "x");
	/* control characters become spaces; truncation keeps UTF-8 whole */
	assert_int_equal(err_parse("<Response><Errors><Error><Code>C</Code><Message>line1\n"
				   "line2\t\x7f[31m\xc2\x9b"
				   "1m&#13;</Message></Error></Errors></Response>",
				   code, msg, sizeof msg, rid),
			 0);
	assert_string_equal(msg, "line1 line2  [31m  1m");
	assert_int_equal(err_parse("<Error><Code>C</Code><Message>abcd\xc3\xa9</Message></Error>",
				   code, msg, 6, rid),
			 0);
	assert_string_equal(msg, "abcd");
	assert_int_equal(err_parse("<Error><Code>C</Code><Message>abcd\xc3\xa9</Message></Error>",
				   code, msg, 7, rid),
			 0);
	assert_string_equal(msg, "abcd\xc3\xa9");
	/* NULL outputs are fine */
	assert_int_equal(aws_ec2_error_parse("<Error><Code>C</Code></Error>", 29, NULL, 0, NULL, 0,
					     NULL, 0),
			 0);
	/* not error documents */
	static const char *const nots[] = {
		"",
		"not xml",
		"<DescribeVpcsResponse><requestId>r</requestId></DescribeVpcsResponse>",
		"<Response><RequestID>r</RequestID></Response>",
		"<Response><Errors/></Response>",
		"<ErrorResponse><RequestId>r</RequestId></ErrorResponse>",
		"<Error/>",
		"<Error>text</Error>",
		"{\"Error\":{\"Code\":\"x\"}}",
	};
	for (size_t i = 0; i < sizeof nots / sizeof nots[0]; i++) {
		strcpy(code, "junk");
		if (err_parse(nots[i], code, msg, sizeof msg, rid) != -1)
			fail_msg("taken for an error document: %s", nots[i]);
		assert_string_equal(code, "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_rules),
		cmocka_unit_test(test_member_order),
		cmocka_unit_test(test_length_bounded),
		cmocka_unit_test(test_list_view),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_source),
		cmocka_unit_test(test_errors_never_echo_text),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_element_limit),
		cmocka_unit_test(test_wide_members),
		cmocka_unit_test(test_attribute_limit),
		cmocka_unit_test(test_input_limit),
		cmocka_unit_test(test_describe_vpn_connections),
		cmocka_unit_test(test_describe_route_tables),
		cmocka_unit_test(test_describe_vpn_gateways),
		cmocka_unit_test(test_describe_customer_gateways),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_escaped_config_roundtrip),
		cmocka_unit_test(test_ec2_error),
		cmocka_unit_test(test_sts_error),
		cmocka_unit_test(test_error_documents_edge_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
