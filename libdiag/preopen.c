/* The table of handles opened before the privilege drop (see preopen.h). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libdiag/preopen.h"

enum preopen_kind { PREOPEN_NONE, PREOPEN_CAPTURE, PREOPEN_ICMP_RAW, PREOPEN_UDP_PORT,
		    PREOPEN_FILE, PREOPEN_MISSING };

struct preopened {
	enum preopen_kind kind;
	char iface[64];  /* PREOPEN_CAPTURE */
	pcap_t *capture; /* PREOPEN_CAPTURE */
	int family, fd;  /* PREOPEN_ICMP_RAW, PREOPEN_UDP_PORT; fd also PREOPEN_FILE */
	uint16_t port;   /* PREOPEN_UDP_PORT */
	char *path;      /* PREOPEN_FILE, PREOPEN_MISSING */
};

static struct preopened table[PREOPEN_MAX];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

/* Stores h in a free slot. Returns false when the table is full. */
static bool keep(const struct preopened *h)
{
	bool kept = false;

	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < PREOPEN_MAX && !kept; i++)
		if (table[i].kind == PREOPEN_NONE) {
			table[i] = *h;
			kept = true;
		}
	pthread_mutex_unlock(&table_lock);
	return kept;
}

int preopen_capture(const char *iface, struct diag_error *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct preopened h = {.kind = PREOPEN_CAPTURE, .fd = -1};
	int rc;

	if (!iface || strlen(iface) >= sizeof h.iface)
		return diag_fail(err, DIAG_EXIT_USAGE, "--capture", "no such interface name");
	if (!(h.capture = pcap_create(iface, eb)))
		return diag_fail(err, DIAG_EXIT_OSERR, iface, "%s", eb);
	/* the same settings the takers would choose (srcip/capture_live.c, policy_wire.c) */
	pcap_set_snaplen(h.capture, 65535);
	pcap_set_timeout(h.capture, 100);
	pcap_set_immediate_mode(h.capture, 1);
	rc = pcap_activate(h.capture);
	if (rc < 0) {
		diag_fail(err, rc == PCAP_ERROR_PERM_DENIED ? DIAG_EXIT_NOPERM : DIAG_EXIT_OSERR,
			  iface, "%s", pcap_geterr(h.capture));
		pcap_close(h.capture);
		return -1;
	}
	strcpy(h.iface, iface);
	if (!keep(&h)) {
		pcap_close(h.capture);
		return diag_fail(err, DIAG_EXIT_SOFTWARE, iface, "more than %d handles opened",
				 PREOPEN_MAX);
	}
	return 0;
}

pcap_t *preopen_take_capture(const char *iface)
{
	pcap_t *pc = NULL;

	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < PREOPEN_MAX && !pc; i++)
		if (table[i].kind == PREOPEN_CAPTURE && iface && strcmp(table[i].iface, iface) == 0) {
			pc = table[i].capture;
			memset(&table[i], 0, sizeof table[i]);
		}
	pthread_mutex_unlock(&table_lock);
	return pc;
}

int preopen_icmp_raw(int family, struct diag_error *err)
{
	struct preopened h = {.kind = PREOPEN_ICMP_RAW, .family = family};

	if (family != AF_INET && family != AF_INET6)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "icmp", "address family %d", family);
	h.fd = socket(family, SOCK_RAW | SOCK_CLOEXEC,
		      family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (h.fd < 0)
		return diag_fail(err, errno == EPERM || errno == EACCES ? DIAG_EXIT_NOPERM
									: DIAG_EXIT_OSERR,
				 "icmp", "raw socket: %s", strerror(errno));
	if (!keep(&h)) {
		close(h.fd);
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "icmp", "more than %d handles opened",
				 PREOPEN_MAX);
	}
	return 0;
}

int preopen_take_icmp_raw(int family)
{
	int fd = -1;

	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < PREOPEN_MAX && fd < 0; i++)
		if (table[i].kind == PREOPEN_ICMP_RAW && table[i].family == family) {
			fd = table[i].fd;
			memset(&table[i], 0, sizeof table[i]);
		}
	pthread_mutex_unlock(&table_lock);
	return fd;
}

/* One UDP socket of family bound to port on every address; -1 (errno) when it cannot be. */
static int udp_bound(int family, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1, fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0), e;

	if (fd < 0)
		return -1;
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		sl = sizeof *s6;
		/* v6 only: an IPv4 socket of its own shares the port */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		sl = sizeof *s4;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int preopen_udp_port(int family, uint16_t port, unsigned count, struct diag_error *err)
{
	int kept = 0;

	if (family != AF_INET && family != AF_INET6)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "udp", "address family %d", family);
	for (unsigned i = 0; i < count; i++) {
		struct preopened h = {.kind = PREOPEN_UDP_PORT, .family = family, .port = port};

		if ((h.fd = udp_bound(family, port)) < 0) {
			if (kept)
				break;
			return diag_fail(err, errno == EACCES || errno == EPERM ? DIAG_EXIT_NOPERM
										 : DIAG_EXIT_OSERR,
					 "udp", "port %u: %s", (unsigned)port, strerror(errno));
		}
		if (!keep(&h)) {
			close(h.fd);
			if (kept)
				break;
			return diag_fail(err, DIAG_EXIT_SOFTWARE, "udp", "more than %d handles "
					 "opened", PREOPEN_MAX);
		}
		kept++;
	}
	return kept;
}

int preopen_take_udp_port(int family, uint16_t port)
{
	int fd = -1;

	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < PREOPEN_MAX && fd < 0; i++)
		if (table[i].kind == PREOPEN_UDP_PORT && table[i].family == family &&
		    table[i].port == port) {
			fd = table[i].fd;
			memset(&table[i], 0, sizeof table[i]);
		}
	pthread_mutex_unlock(&table_lock);
	return fd;
}

int preopen_file(const char *path, struct diag_error *err)
{
	struct preopened h = {.kind = PREOPEN_FILE};

	if (!path || !*path)
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "file", "no path");
	h.fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (h.fd < 0 && errno != ENOENT)
		return diag_fail(err, DIAG_EXIT_OSERR, path, "%s", strerror(errno));
	if (h.fd < 0)
		h.kind = PREOPEN_MISSING;
	if (!(h.path = strdup(path)) || !keep(&h)) {
		free(h.path);
		if (h.fd >= 0)
			close(h.fd);
		return diag_fail(err, DIAG_EXIT_SOFTWARE, path, "more than %d handles opened",
				 PREOPEN_MAX);
	}
	return 0;
}

int preopen_take_file(const char *path)
{
	int fd = -1, e = 0;

	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < PREOPEN_MAX && path; i++)
		if (table[i].kind == PREOPEN_MISSING && strcmp(table[i].path, path) == 0) {
			e = ENOENT;
			break;
		} else if (table[i].kind == PREOPEN_FILE && strcmp(table[i].path, path) == 0) {
			fd = fcntl(table[i].fd, F_DUPFD_CLOEXEC, 0);
			if (fd >= 0 && lseek(fd, 0, SEEK_SET) < 0) {
				close(fd);
				fd = -1;
			}
			e = fd < 0 ? errno : 0;
			break;
		}
	pthread_mutex_unlock(&table_lock);
	errno = e;
	return fd;
}

void preopen_release(void)
{
	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < PREOPEN_MAX; i++) {
		if (table[i].kind == PREOPEN_CAPTURE)
			pcap_close(table[i].capture);
		else if (table[i].kind == PREOPEN_ICMP_RAW || table[i].kind == PREOPEN_UDP_PORT ||
			 table[i].kind == PREOPEN_FILE)
			close(table[i].fd);
		free(table[i].path);
		memset(&table[i], 0, sizeof table[i]);
	}
	pthread_mutex_unlock(&table_lock);
}
