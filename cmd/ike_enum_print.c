/* The ike.enumerate finding of `vpn-ike probe --enumerate`, and its text form. */
#include <stdio.h>

#include "cmd/ike_cmd.h"

static const char *nat_word(enum ike_nat n)
{
	return n == IKE_NAT_DETECTED ? "detected" : n == IKE_NAT_NONE ? "none" : "unknown";
}

void ike_enum_report(struct report *r, const char *subject, const struct ike_enum_result *res,
		     bool json)
{
	enum diag_status st = !res->complete      ? DIAG_WARN
			      : res->naccepted > 0 ? DIAG_PASS
						   : DIAG_WARN;
	cJSON *list = cJSON_CreateArray();
	struct finding *f;
	char name[64];

	if (res->complete)
		f = report_add(r, "ike.enumerate", st, subject,
			       "IKEv%d: %zu of %zu AWS phase 1 combinations accepted, %u requests",
			       res->version, res->naccepted, res->space, res->requests);
	else
		f = report_add(r, "ike.enumerate", st, subject,
			       "IKEv%d: search incomplete after %u requests (%zu accepted so far): %s",
			       res->version, res->requests, res->naccepted, res->reason);
	for (size_t k = 0; k < res->naccepted; k++) {
		ike_enum_combo_name(&res->sp, &res->accepted[k], name, sizeof name);
		if (list)
			cJSON_AddItemToArray(list, cJSON_CreateString(name));
	}
	if (f) {
		finding_ev_num(f, "ike_version", res->version);
		finding_ev_json(f, "accepted", list);
		list = NULL;
		finding_ev_num(f, "space", (double)res->space);
		finding_ev_bool(f, "complete", res->complete);
		if (!res->complete)
			finding_ev_str(f, "reason", res->reason);
		finding_ev_num(f, "requests", res->requests);
		finding_ev_num(f, "datagrams", res->datagrams);
		finding_ev_num(f, "invalid_ke", res->invalid_ke);
		finding_ev_num(f, "cookies", res->cookies);
		finding_ev_num(f, "paced", res->paced);
		finding_ev_num(f, "paced_s", (double)(long)(res->paced_s * 1000) / 1000);
		finding_ev_num(f, "elapsed_s", (double)(long)(res->elapsed_s * 1000) / 1000);
		finding_ev_str(f, "nat", nat_word(res->nat));
		finding_ev_num(f, "local_port", res->local_port);
		finding_ev_bool(f, "bound_ike_port", res->bound_port);
		if (res->complete && res->naccepted == 0)
			finding_fix(f, "The endpoint answers but accepts none of AWS's phase 1 "
				       "combinations: check the tunnel's Phase 1 options.");
		else if (!res->complete)
			finding_fix(f, "Rerun with a lower --half-open or a longer "
				       "--half-open-timeout if the responder stopped answering.");
	}
	cJSON_Delete(list);
	if (json || !f)
		return;
	printf("%s [%s] nat=%s\n", f->summary, diag_status_name(f->status), nat_word(res->nat));
	printf("  %u datagrams, %u INVALID_KE retries, %u cookies, %.2f s (%u pauses, %.1f s, "
	       "for the responder's half-open limit)\n",
	       res->datagrams, res->invalid_ke, res->cookies, res->elapsed_s, res->paced,
	       res->paced_s);
	for (size_t k = 0; k < res->naccepted; k++) {
		ike_enum_combo_name(&res->sp, &res->accepted[k], name, sizeof name);
		printf("  %s\n", name);
	}
	fflush(stdout);
}
