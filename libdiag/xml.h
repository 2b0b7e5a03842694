/* XML to a cJSON tree, for EC2's Query API answers and the CustomerGatewayConfiguration
 * document inside a VPN connection. One set of rules turns any such document into plain
 * objects, arrays and strings, so the AWS layer reads XML with the same code paths it
 * uses for the AWS CLI's JSON.
 *
 * The rules (every value in the tree is an object, an array or a string):
 *   - The result is an object with one member: the root element, named by its local name.
 *   - Names are local names: a namespace prefix or URI is dropped (EC2 answers use
 *     xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"; <p:a> becomes "a").
 *   - An element with neither child elements nor attributes is a string: its text with
 *     surrounding whitespace (space, tab, CR, LF) trimmed, inner text exact. Entities
 *     and character references are decoded; CDATA is text.
 *   - ...except an empty one whose name ends in "Set" (<tagSet/>, <routeTableSet></...>),
 *     which is an empty array: EC2 writes empty lists that way. Any other empty element
 *     (<routes/>, <statusMessage></statusMessage>) is the empty string "".
 *   - An element whose child elements are all named "item", with no attributes and no
 *     text besides whitespace, is an array of its converted items, in order.
 *   - Any other element with children or attributes is an object. Each child is a
 *     member named by the child's local name; whitespace between children is ignored.
 *     A name met a second time among siblings turns the member into an array holding
 *     every occurrence in order (two <ipsec_tunnel> give "ipsec_tunnel": [{...}, {...}],
 *     one gives "ipsec_tunnel": {...}); "item" children among other names follow the
 *     same rule. Attributes are members "@name" (<vpn_connection id="vpn-1"> gives
 *     "@id": "vpn-1"), and non-whitespace text beside children or attributes is the
 *     trimmed member "#text" (<a x="1">t</a> gives {"@x": "1", "#text": "t"}).
 *   - Comments and processing instructions are dropped.
 *
 * Refused: a DOCTYPE (so no entity can be declared, let alone expanded: billion laughs
 * and external entities are impossible), input over XML_MAX_INPUT bytes, nesting deeper
 * than XML_MAX_DEPTH, more than XML_MAX_ELEMENTS elements or XML_MAX_ATTRIBUTES
 * attributes. Each parser gets a random hash salt.
 *
 * The tree may hold secrets (a CustomerGatewayConfiguration holds pre-shared keys):
 * free it with xml_tree_free(), which wipes every string first. Expat's own buffers are
 * wiped when freed too. */
#ifndef LIBDIAG_XML_H
#define LIBDIAG_XML_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "libdiag/error.h"

#define XML_MAX_INPUT ((size_t)64 << 20)
#define XML_MAX_DEPTH 64
#define XML_MAX_ELEMENTS 200000
#define XML_MAX_ATTRIBUTES 200000

/* Parses buf[0..len) (it need not be NUL-terminated). source names the input in errors
 * (a file name, an API action; NULL means "input"). Returns the tree, or NULL with err
 * filled: DIAG_EXIT_DATAERR with where "SOURCE:LINE:COL" (1-based) and what
 * "XML error: <expat's message or the limit broken>", so the text reads
 * "SOURCE:LINE:COL: XML error: mismatched tag"; DIAG_EXIT_SOFTWARE when memory runs out.
 * No message ever contains text or attribute values from the document. */
cJSON *xml_to_tree(const char *buf, size_t len, const char *source, struct diag_error *err);

/* Wipes every string (keys and values) of a tree, then frees it. NULL is fine. */
void xml_tree_free(cJSON *tree);

/* Reading repeated elements without caring whether there was one or several: a list
 * view of a member value. NULL and "" (an empty element such as <routes/>) have length
 * 0, an array has its length, anything else is one element. */
size_t xml_list_len(const cJSON *v);
/* Walks the list view: for (e = xml_list_first(v); e; e = xml_list_next(v, e)). */
const cJSON *xml_list_first(const cJSON *v);
const cJSON *xml_list_next(const cJSON *v, const cJSON *cur);

#endif
