/* Evidence 3, live: libpcap on an interface, read by a thread while the caller probes, so
 * the capture sees the probes' own requests and whatever comes back. Opening needs
 * CAP_NET_RAW; without it the caller is told so and goes on with the other evidence. */
#include "libdiag/preopen.h"
#include "libdiag/srcip/srcip.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

struct srcip_live {
	pcap_t *pc;
	pcap_dumper_t *dump;   /* --save-pcap: every captured frame is kept */
	int linktype;
	struct srcip_capture *c;
	pthread_t th;
	bool running;
	atomic_bool stop;
	struct timespec start;
};

int srcip_live_open(const char *iface, struct srcip_live **out, struct diag_error *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct srcip_live *l;
	int rc;

	*out = NULL;
	if (!(l = calloc(1, sizeof *l)))
		return diag_fail(err, DIAG_EXIT_SOFTWARE, "capture", "out of memory");
	/* opened before the privilege drop (libdiag/preopen.h), else now */
	if ((l->pc = preopen_take_capture(iface)) != NULL) {
		rc = 0;
	} else if (!(l->pc = pcap_create(iface, eb))) {
		free(l);
		return diag_fail(err, DIAG_EXIT_OSERR, iface, "%s", eb);
	} else {
		pcap_set_snaplen(l->pc, 65535);
		pcap_set_timeout(l->pc, 100);
		pcap_set_immediate_mode(l->pc, 1);
		rc = pcap_activate(l->pc);
	}
	if (rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_PROMISC_PERM_DENIED) {
		pcap_close(l->pc);
		free(l);
		return diag_fail(err, DIAG_EXIT_UNAVAILABLE, iface,
				 "capturing needs CAP_NET_RAW (run as root, or give --pcap FILE)");
	}
	if (rc < 0) {
		diag_fail(err, DIAG_EXIT_OSERR, iface, "%s", pcap_geterr(l->pc));
		pcap_close(l->pc);
		free(l);
		return -1;
	}
	if (pcap_compile(l->pc, &prog, "udp port 500 or udp port 4500 or ip proto 50 or "
					 "ip6 proto 50", 1, PCAP_NETMASK_UNKNOWN) == 0) {
		pcap_setfilter(l->pc, &prog); /* an unfiltered capture still works, slower */
		pcap_freecode(&prog);
	}
	l->linktype = pcap_datalink(l->pc);
	*out = l;
	return 0;
}

static void *reader(void *arg)
{
	struct srcip_live *l = arg;

	while (!atomic_load(&l->stop)) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int rc = pcap_next_ex(l->pc, &h, &data);

		if (rc == 1) {
			struct ike_pcap_pkt pkt;
			struct diag_error e = {0};

			if (l->dump)
				pcap_dump((u_char *)l->dump, h, data);

			memset(&pkt, 0, sizeof pkt);
			pkt.frame = l->c->frames + 1;
			if (ike_pcap_demux(l->linktype, data, h->caplen, &pkt, &e) == 0)
				srcip_capture_feed(l->c, &pkt);
			else {
				l->c->frames++;
				l->c->broken++;
			}
		} else if (rc < 0) {
			break;
		}
	}
	return NULL;
}

int srcip_live_save(struct srcip_live *l, const char *path, struct diag_error *err)
{
	if (!(l->dump = pcap_dump_open(l->pc, path)))
		return diag_fail(err, DIAG_EXIT_OSERR, path, "%s", pcap_geterr(l->pc));
	return 0;
}

int srcip_live_start(struct srcip_live *l, struct srcip_capture *c, struct diag_error *err)
{
	l->c = c;
	clock_gettime(CLOCK_MONOTONIC, &l->start);
	if (pthread_create(&l->th, NULL, reader, l) != 0)
		return diag_fail(err, DIAG_EXIT_OSERR, "capture", "cannot start a thread");
	l->running = true;
	return 0;
}

void srcip_live_finish(struct srcip_live *l, unsigned seconds)
{
	struct timespec now, left;
	double rest;

	if (!l)
		return;
	if (l->running) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		rest = (double)seconds - (double)(now.tv_sec - l->start.tv_sec) -
		       (double)(now.tv_nsec - l->start.tv_nsec) / 1e9;
		if (rest > 0) {
			left.tv_sec = (time_t)rest;
			left.tv_nsec = (long)((rest - (double)left.tv_sec) * 1e9);
			while (nanosleep(&left, &left) < 0)
				;
		}
		atomic_store(&l->stop, true);
		pcap_breakloop(l->pc);
		pthread_join(l->th, NULL);
	}
	if (l->dump)
		pcap_dump_close(l->dump);
	pcap_close(l->pc);
	free(l);
}
