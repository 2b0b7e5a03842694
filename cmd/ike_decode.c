/* vpn-ike decode: prints every field of a stored IKE message, or of every UDP 500/4500 IKE
 * datagram in a capture, as text (one line per payload, like tcpdump -vv) or JSON (one
 * object per line and packet). ESP, NAT-T keepalives and IP fragments in a capture are
 * named and skipped; anything else is not ours and passes silently.
 *
 * Exit status: 0 every packet decoded; 65 at least one bad packet (each named with its
 * packet number and byte offset on stderr; a capture's other packets are still decoded)
 * or a capture that is not one; 66 FILE unreadable; 64 usage; 70 out of memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cjson/cJSON.h>

#include "cmd/cli.h"
#include "cmd/ike_cmd.h"
#include "libdiag/ike/ike_dump.h"
#include "libdiag/ike/ike_pcap.h"
#include "libdiag/utf8.h"

static const char *const TOOL = "vpn-ike decode";

enum { OPT_PORT = 256, OPT_JSON, OPT_PCAP, OPT_HELP };

static const struct cli_opt options[] = {
	{OPT_PORT, 0, "port", "PORT", "500 (default) or 4500: FILE starts with the non-ESP marker"},
	{OPT_JSON, 0, "json", NULL, "one JSON object per packet"},
	{OPT_PCAP, 0, "pcap", NULL, "FILE is a pcap/pcapng capture: every IKE datagram in it"},
	{OPT_HELP, 'h', "help", NULL, "this help"},
	{0, 0, NULL, NULL, NULL},
};

struct decode_cmd {
	unsigned port;
	bool json, pcap, help;
};

static int handle_option(void *ctx, int id, const char *arg)
{
	struct decode_cmd *c = ctx;
	char flag[64];
	uint64_t n;
	int rc;

	cli_flag_name(options, id, flag);
	switch (id) {
	case OPT_PORT:
		if ((rc = cli_integer(TOOL, flag, arg, 1, 65535, "port", &n)) != 0)
			return rc;
		if (n != 500 && n != 4500)
			return cli_usage_error(TOOL, "%s %s: invalid port (500 or 4500)", flag,
					       arg);
		c->port = (unsigned)n;
		break;
	case OPT_JSON: c->json = true; break;
	case OPT_PCAP: c->pcap = true; break;
	case OPT_HELP: c->help = true; break;
	default: return cli_usage_error(TOOL, "%s: unhandled option", flag);
	}
	return 0;
}

/* Prints one packet's decode; 0, or 70 when memory runs out. prefix (pcap: frame, time,
 * endpoints) is merged into the JSON object or put before the first text line. */
static int print_ike(const struct ike_decoded *d, cJSON *obj, const char *prefix, bool json)
{
	cJSON *ike = ike_dump_json(d);
	char *s;

	if (!ike)
		return DIAG_EXIT_SOFTWARE;
	if (json) {
		if (obj) {
			cJSON_AddItemToObject(obj, "ike", ike);
			s = json_print_utf8(obj, false);
		} else {
			s = json_print_utf8(ike, false);
			cJSON_Delete(ike);
		}
		if (!s)
			return DIAG_EXIT_SOFTWARE;
		printf("%s\n", s);
		cJSON_free(s);
		return 0;
	}
	s = ike_dump_text(ike, "");
	cJSON_Delete(ike);
	if (!s)
		return DIAG_EXIT_SOFTWARE;
	printf("%s%s", prefix ? prefix : "", s);
	free(s);
	return 0;
}

/* ---- one stored message ------------------------------------------------------------------ */

static int decode_file(const char *path, const struct decode_cmd *c)
{
	static uint8_t buf[IKE_MSG_MAX + 4 + 1];
	static struct ike_decoded d;
	struct diag_error err = {0};
	char msg[512];
	FILE *fp = fopen(path, "rb");
	size_t len;

	if (!fp) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, path, strerror(errno));
		return DIAG_EXIT_NOINPUT;
	}
	len = fread(buf, 1, sizeof(buf), fp);
	if (ferror(fp)) {
		fprintf(stderr, "%s: %s: read error\n", TOOL, path);
		fclose(fp);
		return DIAG_EXIT_NOINPUT;
	}
	fclose(fp);
	if (len == sizeof(buf)) {
		fprintf(stderr, "%s: %s: packet 1: longer than %u bytes\n", TOOL, path,
			IKE_MSG_MAX + 4);
		return DIAG_EXIT_DATAERR;
	}
	if (ike_decode_any(buf, len, c->port == 4500, &d, &err)) {
		/* four zero bytes first: most likely a NAT-T datagram read as a plain one */
		bool marker = c->port != 4500 && len >= 4 + 28 && !buf[0] && !buf[1] && !buf[2] &&
			      !buf[3];

		fprintf(stderr, "%s: %s: packet 1: %s%s\n", TOOL, path,
			diag_error_text(&err, msg, sizeof msg),
			marker ? " (it starts with a non-ESP marker: --port 4500?)" : "");
		return DIAG_EXIT_DATAERR;
	}
	return print_ike(&d, NULL, NULL, c->json);
}

/* ---- a capture ------------------------------------------------------------------------------ */

static const char *kind_name(enum ike_pkt_kind k)
{
	switch (k) {
	case IKE_PKT_IKE: return "ike";
	case IKE_PKT_ESP: return "esp";
	case IKE_PKT_KEEPALIVE: return "natt_keepalive";
	case IKE_PKT_FRAGMENT: return "fragment";
	case IKE_PKT_OTHER: break;
	}
	return "other";
}

/* The frame's common part: JSON object (json) and text prefix. */
static cJSON *frame_json(const struct ike_pcap_pkt *p, char *prefix, size_t plen)
{
	char src[48], dst[48], ts[32];
	cJSON *o = cJSON_CreateObject();

	ike_pcap_addr(p, false, src, sizeof src);
	ike_pcap_addr(p, true, dst, sizeof dst);
	snprintf(ts, sizeof ts, "%lld.%06u", (long long)p->ts_sec, (unsigned)p->ts_usec);
	if (p->ipproto != 17) /* ESP in IP, a fragment: no ports */
		snprintf(prefix, plen, "frame %lu %s %s > %s: ", p->frame, ts, src, dst);
	else if (p->family == AF_INET6)
		snprintf(prefix, plen, "frame %lu %s [%s]:%u > [%s]:%u: ", p->frame, ts, src,
			 (unsigned)p->sport, dst, (unsigned)p->dport);
	else
		snprintf(prefix, plen, "frame %lu %s %s:%u > %s:%u: ", p->frame, ts, src,
			 (unsigned)p->sport, dst, (unsigned)p->dport);
	if (!o)
		return NULL;
	cJSON_AddNumberToObject(o, "frame", (double)p->frame);
	cJSON_AddStringToObject(o, "time", ts);
	cJSON_AddStringToObject(o, "src", src);
	if (p->ipproto == 17)
		cJSON_AddNumberToObject(o, "sport", p->sport);
	cJSON_AddStringToObject(o, "dst", dst);
	if (p->ipproto == 17)
		cJSON_AddNumberToObject(o, "dport", p->dport);
	cJSON_AddStringToObject(o, "kind", kind_name(p->kind));
	return o;
}

static int print_obj(cJSON *o)
{
	char *s = json_print_utf8(o, false);

	if (!s)
		return DIAG_EXIT_SOFTWARE;
	printf("%s\n", s);
	cJSON_free(s);
	return 0;
}

/* Prints one frame of the capture. Returns 0, 65 for a bad IKE packet, 70 for memory. */
static int pcap_one(const char *path, const struct ike_pcap_pkt *p, const struct decode_cmd *c)
{
	static struct ike_decoded d;
	struct diag_error err = {0};
	char prefix[400], msg[512];
	cJSON *o;
	int rc = 0;

	if (p->kind == IKE_PKT_OTHER)
		return 0;
	o = frame_json(p, prefix, sizeof prefix);
	if (!o)
		return DIAG_EXIT_SOFTWARE;
	switch (p->kind) {
	case IKE_PKT_IKE:
		if (ike_decode_any(p->payload, p->len, p->natt, &d, &err)) {
			diag_error_text(&err, msg, sizeof msg);
			fprintf(stderr, "%s: %s: packet %lu: %s\n", TOOL, path, p->frame, msg);
			if (c->json) {
				cJSON_AddStringToObject(o, "error", msg);
				rc = print_obj(o);
			} else {
				printf("%sbad IKE packet: %s\n", prefix, msg);
			}
			rc = rc ? rc : DIAG_EXIT_DATAERR;
		} else {
			rc = print_ike(&d, o, prefix, c->json);
		}
		break;
	case IKE_PKT_ESP: {
		cJSON *e = cJSON_AddObjectToObject(o, "esp");

		cJSON_AddNumberToObject(e, "spi", p->esp_spi);
		cJSON_AddNumberToObject(e, "seq", p->esp_seq);
		cJSON_AddBoolToObject(e, "udp_encap", p->sport == 4500 || p->dport == 4500);
		if (c->json)
			rc = print_obj(o);
		else
			printf("%sESP%s spi 0x%08x seq %u\n", prefix,
			       p->sport == 4500 || p->dport == 4500 ? " in UDP" : "",
			       (unsigned)p->esp_spi, (unsigned)p->esp_seq);
		break;
	}
	case IKE_PKT_KEEPALIVE:
		if (c->json)
			rc = print_obj(o);
		else
			printf("%sNAT-T keepalive\n", prefix);
		break;
	case IKE_PKT_FRAGMENT:
		if (c->json)
			rc = print_obj(o);
		else
			printf("%sIP fragment (not reassembled), skipped\n", prefix);
		break;
	case IKE_PKT_OTHER:
		break;
	}
	cJSON_Delete(o);
	return rc;
}

/* A frame whose link or IP/UDP headers are broken: named on stdout as well, so the
 * output has one entry per frame of ours. Returns 0 or 70 (memory). */
static int bad_frame(const struct ike_pcap_pkt *p, const char *msg, bool json)
{
	char ts[32];
	cJSON *o;
	int rc;

	snprintf(ts, sizeof ts, "%lld.%06u", (long long)p->ts_sec, (unsigned)p->ts_usec);
	if (!json) {
		printf("frame %lu %s: bad frame: %s\n", p->frame, ts, msg);
		return 0;
	}
	if (!(o = cJSON_CreateObject()))
		return DIAG_EXIT_SOFTWARE;
	cJSON_AddNumberToObject(o, "frame", (double)p->frame);
	cJSON_AddStringToObject(o, "time", ts);
	cJSON_AddStringToObject(o, "kind", "bad");
	cJSON_AddStringToObject(o, "error", msg);
	rc = print_obj(o);
	cJSON_Delete(o);
	return rc;
}

static int decode_pcap(const char *path, const struct decode_cmd *c)
{
	static struct ike_pcap_pkt pkt;
	struct ike_pcap *p = NULL;
	struct diag_error err = {0};
	char msg[512];
	bool fatal = false;
	int rc = 0, r;

	if (ike_pcap_open(path, &p, &err)) {
		fprintf(stderr, "%s: %s: %s\n", TOOL, path, diag_error_text(&err, msg, sizeof msg));
		return err.code;
	}
	for (;;) {
		diag_error_clear(&err);
		r = ike_pcap_next(p, &pkt, &fatal, &err);
		if (r == 0)
			break;
		if (r < 0) {
			diag_error_text(&err, msg, sizeof msg);
			if (fatal) {
				fprintf(stderr, "%s: %s: %s\n", TOOL, path, msg);
				rc = DIAG_EXIT_DATAERR;
				break;
			}
			fprintf(stderr, "%s: %s: packet %lu: %s\n", TOOL, path, pkt.frame, msg);
			rc = DIAG_EXIT_DATAERR;
			if (bad_frame(&pkt, msg, c->json)) {
				rc = DIAG_EXIT_SOFTWARE;
				break;
			}
			continue;
		}
		r = pcap_one(path, &pkt, c);
		if (r == DIAG_EXIT_SOFTWARE) {
			fprintf(stderr, "%s: out of memory\n", TOOL);
			rc = r;
			break;
		}
		if (r)
			rc = r;
	}
	ike_pcap_close(p);
	if (fflush(stdout) != 0 && rc == 0)
		rc = DIAG_EXIT_SOFTWARE;
	return rc;
}

int ike_decode_main(int argc, char **argv)
{
	struct decode_cmd c = { .port = 500 };
	int first = 0, rc;

	if ((rc = cli_parse(TOOL, options, argc, argv, handle_option, &c, &first)) != 0)
		return rc;
	if (c.help) {
		cli_usage(stdout, TOOL, "[--port 500|4500] [--json] FILE | --pcap [--json] FILE",
			  options);
		return 0;
	}
	if (argc - first != 1)
		return cli_usage_error(TOOL, "one FILE needed (try --help)");
	if (c.pcap && c.port != 500)
		return cli_usage_error(TOOL, "--port and --pcap conflict: a capture names its "
					     "ports");
	rc = c.pcap ? decode_pcap(argv[first], &c) : decode_file(argv[first], &c);
	if (fflush(stdout) != 0 && rc == 0)
		rc = DIAG_EXIT_SOFTWARE;
	return rc;
}
