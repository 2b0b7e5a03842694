/* The machine's picture for the support bundle, from /proc, /sys, netlink and libc alone
 * (a pod's image may have no ip(8), sysctl(8) or uname(1)): interfaces, routes of every
 * table and the policy routing rules, the kernel's IPsec policies and SAs (never a key),
 * resolv.conf, kernel, the sysctls IPsec cares about, the pod's identity, the environment
 * variables that steer the tools, and the library versions. Texts go out unredacted to
 * the emit callback, which redacts them; secret-named variables are never even put in a
 * text, nor is the pod's service account token ever read. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <gnu/libc-version.h>
#include <linux/if_packet.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <expat.h>
#include <openssl/crypto.h>
#include <pcap/pcap.h>
#include <zlib.h>

#include "libdiag/bundle/bundle_internal.h"
#include "libdiag/redact.h"
#include "libdiag/xfrm/xfrm.h"
#include "libdiag/wipebuf.h"

#ifndef VPN_DOCTOR_VERSION
#define VPN_DOCTOR_VERSION "unknown"
#endif

#define PROC_MAX (16u << 20)
#define K8S_SA "/var/run/secrets/kubernetes.io/serviceaccount/"

extern char **environ;

static void addf(struct wipebuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct wipebuf *b, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		b->failed = true;
	else
		(void)wipebuf_add(b, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* Appends a whole (proc) file; 1 when it does not exist or cannot be read, -1 on memory. */
static int slurp(struct wipebuf *b, const char *path)
{
	char buf[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t r;

	if (fd < 0)
		return 1;
	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || b->len + (size_t)r > PROC_MAX)
			break;
		if (wipebuf_add(b, buf, (size_t)r) < 0) {
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* A file copied under name, when it exists. */
static int copy_file(bundle_emit_fn emit, void *arg, const char *name, const char *path)
{
	struct wipebuf b = {0};
	int rc = slurp(&b, path);

	if (rc == 0)
		rc = emit(arg, name, b.p ? b.p : "", b.len);
	else if (rc > 0)
		rc = 0;
	wipebuf_free(&b);
	return rc;
}

static int emit_buf(bundle_emit_fn emit, void *arg, const char *name, struct wipebuf *b)
{
	int rc = b->failed ? -1 : emit(arg, name, b->p ? b->p : "", b->len);

	wipebuf_free(b);
	return rc;
}

static int uname_txt(bundle_emit_fn emit, void *arg)
{
	struct wipebuf b = {0};
	struct utsname u;

	if (uname(&u) == 0)
		addf(&b, "sysname %s\nnodename %s\nrelease %s\nversion %s\nmachine %s\n",
		     u.sysname, u.nodename, u.release, u.version, u.machine);
	else
		addf(&b, "uname: %s\n", strerror(errno));
	return emit_buf(emit, arg, "env/uname.txt", &b);
}

static unsigned prefix_len(const unsigned char *m, size_t n)
{
	unsigned bits = 0;

	for (size_t i = 0; i < n; i++)
		for (int k = 7; k >= 0; k--)
			bits += (m[i] >> k) & 1;
	return bits;
}

static void iface_addr(struct wipebuf *b, const struct ifaddrs *ifa)
{
	char a[INET6_ADDRSTRLEN] = "";
	unsigned plen = 0;
	int fam = ifa->ifa_addr->sa_family;

	if (fam == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ifa->ifa_addr)->sin_addr,
			  a, sizeof a);
		if (ifa->ifa_netmask)
			plen = prefix_len((const unsigned char *)&((const struct sockaddr_in *)(const void *)
								   ifa->ifa_netmask)->sin_addr, 4);
		addf(b, "  inet %s/%u\n", a, plen);
	} else if (fam == AF_INET6) {
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)(const void *)ifa->ifa_addr)->sin6_addr, a,
			  sizeof a);
		if (ifa->ifa_netmask)
			plen = prefix_len((const unsigned char *)&((const struct sockaddr_in6 *)(const void *)
								   ifa->ifa_netmask)->sin6_addr, 16);
		addf(b, "  inet6 %s/%u\n", a, plen);
	} else if (fam == AF_PACKET) {
		const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)ifa->ifa_addr;

		addf(b, "  link");
		for (unsigned i = 0; i < ll->sll_halen && i < 8; i++)
			addf(b, "%c%02x", i ? ':' : ' ', ll->sll_addr[i]);
		addf(b, "\n");
	}
}

/* Every interface once, with its flags and MTU, then its addresses. */
static int interfaces_txt(bundle_emit_fn emit, void *arg)
{
	struct wipebuf b = {0};
	struct ifaddrs *all = NULL, *ifa, *seen;

	if (getifaddrs(&all) < 0) {
		addf(&b, "getifaddrs: %s\n", strerror(errno));
		return emit_buf(emit, arg, "env/interfaces.txt", &b);
	}
	for (ifa = all; ifa; ifa = ifa->ifa_next) {
		char path[128], mtu[32] = "?";
		int fd;
		ssize_t r;

		for (seen = all; seen != ifa && strcmp(seen->ifa_name, ifa->ifa_name) != 0;
		     seen = seen->ifa_next)
			;
		if (seen != ifa)
			continue;
		snprintf(path, sizeof path, "/sys/class/net/%s/mtu", ifa->ifa_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			if ((r = read(fd, mtu, sizeof mtu - 1)) > 0)
				mtu[r] = '\0';
			mtu[strcspn(mtu, "\n")] = '\0';
			close(fd);
		}
		addf(&b, "%s: mtu %s%s%s%s%s%s\n", ifa->ifa_name, mtu,
		     ifa->ifa_flags & IFF_UP ? " UP" : " DOWN",
		     ifa->ifa_flags & IFF_RUNNING ? " RUNNING" : "",
		     ifa->ifa_flags & IFF_LOOPBACK ? " LOOPBACK" : "",
		     ifa->ifa_flags & IFF_POINTOPOINT ? " POINTOPOINT" : "",
		     ifa->ifa_flags & IFF_NOARP ? " NOARP" : "");
		for (seen = ifa; seen; seen = seen->ifa_next)
			if (seen->ifa_addr && strcmp(seen->ifa_name, ifa->ifa_name) == 0)
				iface_addr(&b, seen);
	}
	freeifaddrs(all);
	return emit_buf(emit, arg, "env/interfaces.txt", &b);
}

static void sysctl_line(struct wipebuf *b, const char *rel)
{
	char path[512], name[512];
	struct wipebuf v = {0};

	snprintf(path, sizeof path, "/proc/sys/%s", rel);
	if (slurp(&v, path) != 0 || !v.p) {
		wipebuf_free(&v);
		return;
	}
	snprintf(name, sizeof name, "%s", rel);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '.';
	v.p[strcspn(v.p, "\n")] = '\0';
	addf(b, "%s = %s\n", name, v.p);
	wipebuf_free(&v);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Reverse-path filtering drops ESP's inner packets, redirects and forwarding decide
 * whether the host routes into the tunnel at all, PMTU discovery is the MSS black hole,
 * disable_xfrm/disable_policy are how a VTI is set up. */
static int sysctl_txt(bundle_emit_fn emit, void *arg)
{
	static const char *const global[] = {
		"net/ipv4/ip_forward", "net/ipv4/ip_no_pmtu_disc", "net/ipv4/tcp_mtu_probing",
		"net/ipv4/ip_local_port_range", "net/ipv6/conf/all/forwarding",
		"net/ipv4/xfrm4_gc_thresh", "net/core/xfrm_acq_expires",
	};
	static const char *const per_if[] = {
		"rp_filter", "accept_redirects", "send_redirects", "disable_xfrm", "disable_policy",
		"forwarding",
	};
	struct wipebuf b = {0};
	struct dirent **ents = NULL;
	int n;

	for (size_t i = 0; i < sizeof global / sizeof *global; i++)
		sysctl_line(&b, global[i]);
	n = scandir("/proc/sys/net/ipv4/conf", &ents, NULL, by_name);
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.')
			for (size_t k = 0; k < sizeof per_if / sizeof *per_if; k++) {
				char rel[400];

				snprintf(rel, sizeof rel, "net/ipv4/conf/%.64s/%s", ents[i]->d_name,
					 per_if[k]);
				sysctl_line(&b, rel);
			}
		free(ents[i]);
	}
	free(ents);
	return emit_buf(emit, arg, "env/sysctl.txt", &b);
}

/* The pod's identity: never the service account token beside the namespace file. */
static int kubernetes_txt(bundle_emit_fn emit, void *arg)
{
	static const char *const vars[] = {
		"KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "POD_NAME", "POD_NAMESPACE",
		"POD_IP", "NODE_NAME", "HOSTNAME",
	};
	struct wipebuf b = {0}, ns = {0};
	char host[256];

	if (!getenv("KUBERNETES_SERVICE_HOST"))
		return 0;
	if (gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		addf(&b, "hostname %s\n", host);
	}
	if (slurp(&ns, K8S_SA "namespace") == 0 && ns.p && ns.len < 254) {
		ns.p[strcspn(ns.p, "\r\n")] = '\0';
		addf(&b, "namespace %s\n", ns.p);
	}
	wipebuf_free(&ns);
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
		const char *v = getenv(vars[i]);

		if (v)
			addf(&b, "%s=%.200s\n", vars[i], v);
	}
	return emit_buf(emit, arg, "env/kubernetes.txt", &b);
}

static bool steers_tools(const char *name, size_t n)
{
	static const char *const exact[] = {
		"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE",
		"SSL_CERT_DIR", "CURL_CA_BUNDLE", "NO_COLOR", "TZ",
	};

	if ((n > 4 && strncmp(name, "AWS_", 4) == 0) ||
	    (n > 11 && strncmp(name, "KUBERNETES_", 11) == 0))
		return true;
	for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
		if (strlen(exact[i]) == n && strncasecmp(name, exact[i], n) == 0)
			return true;
	return false;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The variables that change what the tools do, sorted; a secret's name is listed with
 * "<redacted>" so the reader knows it was set. */
static int environment_txt(bundle_emit_fn emit, void *arg)
{
	struct wipebuf b = {0};
	size_t n = 0, k = 0;
	const char **sel;

	for (char **e = environ; e && *e; e++)
		n++;
	if (!(sel = calloc(n + 1, sizeof *sel)))
		return -1;
	for (char **e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');

		if (eq && steers_tools(*e, (size_t)(eq - *e)))
			sel[k++] = *e;
	}
	qsort(sel, k, sizeof *sel, by_str);
	for (size_t i = 0; i < k; i++) {
		size_t nl = (size_t)(strchr(sel[i], '=') - sel[i]);
		char name[128];

		if (nl >= sizeof name)
			continue;
		memcpy(name, sel[i], nl);
		name[nl] = '\0';
		if (redact_key_is_secret(name) || strcmp(name, "AWS_ACCESS_KEY_ID") == 0)
			addf(&b, "%s=%s\n", name, REDACTED);
		else
			addf(&b, "%s=%.512s\n", name, sel[i] + nl + 1);
	}
	free(sel);
	return emit_buf(emit, arg, "env/environment.txt", &b);
}

#define NL_TIMEOUT_MS 2000

/* Every route table (rules 0) or the policy routing rules (rules 1), from netlink. */
static int netlink_txt(bundle_emit_fn emit, void *arg, int rules)
{
	struct wipebuf b = {0};
	uint8_t *dump = NULL;
	size_t len = 0;
	char *text;

	if (bundle_nl_dump(rules, &dump, &len, NL_TIMEOUT_MS) < 0) {
		addf(&b, "netlink %s dump: %s\n", rules ? "rule" : "route", strerror(errno));
	} else if ((text = bundle_nl_text(dump, len)) != NULL) {
		(void)wipebuf_add(&b, text, strlen(text));
		free(text);
	} else {
		b.failed = true;
	}
	free(dump);
	return emit_buf(emit, arg, rules ? "env/rules.txt" : "env/routes.txt", &b);
}

/* The kernel's IPsec policies and SAs: algorithm names and key lengths, never a key
 * (xfrm_dump_kernel zeroes them before the decoder sees them). Asking the kernel needs
 * CAP_NET_ADMIN, so a run that drops root fetches the dump first and passes its bytes in
 * in (decoded here, after the drop); without either the file says why. */
static int xfrm_txt(const struct bundle_in *in, bundle_emit_fn emit, void *arg)
{
	struct wipebuf b = {0};
	struct diag_error err = {0};
	struct xfrm_dump d;
	const uint8_t *bytes;
	uint8_t *dump = NULL;
	size_t len = 0;
	char msg[420], *text = NULL;
	int got;

	xfrm_dump_init(&d);
	if (in && in->have_xfrm_dump) {
		got = in->xfrm_dump_error ? diag_fail(&err, DIAG_EXIT_OSERR, NULL, "%s",
						      in->xfrm_dump_error) : 0;
		bytes = in->xfrm_dump;
		len = in->xfrm_dump_len;
	} else {
		got = xfrm_dump_kernel(&dump, &len, NL_TIMEOUT_MS, &err);
		bytes = dump;
	}
	if (got < 0 || xfrm_decode(bytes ? bytes : (const uint8_t *)"", len, &d, &err) < 0)
		addf(&b, "xfrm: %s\n", diag_error_text(&err, msg, sizeof msg));
	else if ((text = xfrm_dump_text(&d)) != NULL)
		(void)wipebuf_add(&b, text, strlen(text));
	else
		b.failed = true;
	free(text);
	if (dump) {
		OPENSSL_cleanse(dump, len);
		free(dump);
	}
	xfrm_dump_free(&d);
	return emit_buf(emit, arg, "env/xfrm.txt", &b);
}

int bundle_env_collect(const struct bundle_in *in, bundle_emit_fn emit, void *arg)
{
	static const struct {
		const char *name, *path;
	} files[] = {
		{"env/proc_net_route", "/proc/net/route"},
		{"env/proc_net_ipv6_route", "/proc/net/ipv6_route"},
		{"env/proc_net_if_inet6", "/proc/net/if_inet6"},
		{"env/proc_net_xfrm_stat", "/proc/net/xfrm_stat"},
		{"env/resolv.conf", "/etc/resolv.conf"},
	};

	if (uname_txt(emit, arg) < 0 || interfaces_txt(emit, arg) < 0)
		return -1;
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		if (copy_file(emit, arg, files[i].name, files[i].path) < 0)
			return -1;
	if (netlink_txt(emit, arg, 0) < 0 || netlink_txt(emit, arg, 1) < 0 || xfrm_txt(in, emit, arg) < 0)
		return -1;
	if (sysctl_txt(emit, arg) < 0 || kubernetes_txt(emit, arg) < 0 ||
	    environment_txt(emit, arg) < 0)
		return -1;
	return 0;
}

int bundle_versions(bundle_emit_fn emit, void *arg)
{
	struct wipebuf b = {0};
	const XML_Char *expat = XML_ExpatVersion();

	addf(&b, "vpn-doctor %s\n", VPN_DOCTOR_VERSION);
	addf(&b, "glibc %s\n", gnu_get_libc_version());
	addf(&b, "zlib %s\n", zlibVersion());
	addf(&b, "openssl %s\n", OpenSSL_version(OPENSSL_VERSION));
	addf(&b, "libcurl %s\n", curl_version());
	addf(&b, "cjson %s\n", cJSON_Version());
	addf(&b, "expat %s\n", expat ? expat : "?");
	addf(&b, "libpcap %s\n", pcap_lib_version());
	addf(&b, "compiler %s\n", __VERSION__);
	return emit_buf(emit, arg, "versions.txt", &b);
}
