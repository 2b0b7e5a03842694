/* Evidence 2: the public address an HTTP echo service saw (checkip.amazonaws.com answers
 * with the address and a newline). Proxies come from the environment as libcurl reads
 * them; an answer that is not one address is "unknown", with the reason. */
#include "libdiag/srcip/srcip.h"

#include <stdio.h>
#include <string.h>

#include "libdiag/http.h"

void srcip_echo_get(const char *url, long timeout_ms, const char *cacert,
		    struct srcip_echo *e)
{
	struct http_request rq;
	struct http_response rs;
	struct diag_error err = {0};
	char buf[64], msg[300];
	size_t n;

	memset(e, 0, sizeof *e);
	memset(&rq, 0, sizeof rq);
	memset(&rs, 0, sizeof rs);
	rq.method = "GET";
	rq.url = url;
	rq.ca_bundle = cacert;
	rq.timeout_ms = timeout_ms ? timeout_ms : 5000;
	rq.connect_timeout_ms = rq.timeout_ms;
	rq.max_body = 1024;
	rq.what = "echo";
	if (http_request(&rq, &rs, &err) < 0) {
		snprintf(e->why, sizeof e->why, "no answer: %s",
			 diag_error_text(&err, msg, sizeof msg));
		http_response_free(&rs);
		return;
	}
	e->status = rs.status;
	if (rs.status != 200) {
		snprintf(e->why, sizeof e->why, "HTTP %ld from the echo service", rs.status);
		http_response_free(&rs);
		return;
	}
	n = rs.body ? strcspn(rs.body, "\r\n") : 0;
	while (n > 0 && (rs.body[n - 1] == ' ' || rs.body[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof buf) {
		snprintf(e->why, sizeof e->why, "the echo service's answer is not an address "
						"(%zu bytes on its first line)", n);
		http_response_free(&rs);
		return;
	}
	memcpy(buf, rs.body, n);
	buf[n] = 0;
	http_response_free(&rs);
	if (!addr_parse(buf, &e->addr)) {
		snprintf(e->why, sizeof e->why, "the echo service's answer is not an address");
		return;
	}
	e->known = true;
}
