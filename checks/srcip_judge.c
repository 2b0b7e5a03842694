/* The srcip verdict: see srcip_judge.h. */
#include "checks/srcip_judge.h"

#include <stdio.h>
#include <string.h>

static enum srcip_nat_state nat_of(const struct srcip_evidence *ev, const struct srcip_verdict *v)
{
	bool detected = false, none = false, private_src = false, public_src = false;
	bool wire_private = false, wire_registered = false;
	struct diag_addr src = {0};

	for (size_t i = 0; i < ev->npeers; i++) {
		const struct srcip_peer_ev *p = &ev->peers[i];

		if (p->wire == SRCIP_EV_OK && p->wire_local.family) {
			wire_private |= p->wire_local_private;
			wire_registered |= ev->expected_known && addr_eq(&p->wire_local, &ev->expected);
		}

		if (p->probe == SRCIP_EV_OK && p->nat == IKE_NAT_DETECTED)
			detected = true;
		if (p->probe == SRCIP_EV_OK && p->nat == IKE_NAT_NONE)
			none = true;
		if (p->route == SRCIP_EV_OK) {
			private_src |= p->route_private;
			public_src |= !p->route_private;
			src = p->route_src;
		}
	}
	/* the responder's own view outranks inference */
	if (detected)
		return SRCIP_NAT_PRESENT;
	if (none)
		return SRCIP_NAT_NONE;
	if (private_src || wire_private)
		return SRCIP_NAT_PRESENT;
	/* packets leave with the registered address and are answered: nothing translates */
	if (wire_registered && v->answered)
		return SRCIP_NAT_NONE;
	if (public_src && v->seen_known)
		return addr_eq(&v->seen, &src) ? SRCIP_NAT_NONE : SRCIP_NAT_PRESENT;
	return SRCIP_NAT_UNKNOWN;
}

void srcip_judge(const struct srcip_evidence *ev, struct srcip_verdict *v)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	bool probed = false, any_public_route = false;
	struct diag_addr route_src = {0};

	memset(v, 0, sizeof *v);
	for (size_t i = 0; i < ev->npeers; i++) {
		const struct srcip_peer_ev *p = &ev->peers[i];

		if (p->probe == SRCIP_EV_OK) {
			probed = true;
			if (p->answered)
				v->answered = true;
		}
		if (p->wire == SRCIP_EV_OK && p->wire_in > 0)
			v->answered = true;
		if (p->route == SRCIP_EV_OK && !p->route_private && !any_public_route) {
			any_public_route = true;
			route_src = p->route_src;
		}
	}
	if (!v->answered) {
		for (size_t i = 0; i < ev->npeers; i++) {
			const struct srcip_peer_ev *p = &ev->peers[i];

			if ((p->probe == SRCIP_EV_OK && !p->answered) ||
			    (p->wire == SRCIP_EV_OK && p->wire_out > 0 && p->wire_in == 0))
				v->silent = true;
		}
	}
	/* What AWS sees: the echo service's view, else a public route source with no sign
	 * of NAT from the responder. */
	if (ev->echo == SRCIP_EV_OK) {
		v->seen_known = true;
		v->seen = ev->public_addr;
		v->seen_from = ev->public_given ? "the public address given" : "the echo service";
	} else if (any_public_route) {
		bool natd = false;

		for (size_t i = 0; i < ev->npeers; i++)
			natd |= ev->peers[i].probe == SRCIP_EV_OK &&
				ev->peers[i].nat == IKE_NAT_DETECTED;
		if (!natd) {
			v->seen_known = true;
			v->seen = route_src;
			v->seen_from = "the route (a public source, no NAT detected)";
		}
	}
	v->nat = nat_of(ev, v);
	if (!ev->expected_known) {
		v->outcome = SRCIP_UNKNOWN;
		snprintf(v->missing, sizeof v->missing, "the registered customer gateway address "
			 "(--cgw-ip, or the AWS evidence)");
		snprintf(v->why, sizeof v->why, "nothing to compare with");
		return;
	}
	addr_str(&ev->expected, a);
	if (v->answered) {
		/* AWS answers only the registered address: whatever the echo said */
		v->outcome = SRCIP_MATCH;
		if (v->seen_known && !addr_eq(&v->seen, &ev->expected))
			snprintf(v->why, sizeof v->why, "the endpoint answered IKE, which AWS does only "
				 "for %s; %s saw %s (another path or a proxy)", a, v->seen_from,
				 addr_str(&v->seen, b));
		else
			snprintf(v->why, sizeof v->why, "the endpoint answered IKE, which AWS does only "
				 "for the registered address %s", a);
		if (!v->seen_known) {
			v->seen_known = true;
			v->seen = ev->expected;
			v->seen_from = "the responder's answer";
		}
		return;
	}
	if (v->seen_known) {
		addr_str(&v->seen, b);
		if (addr_eq(&v->seen, &ev->expected)) {
			v->outcome = SRCIP_MATCH;
			snprintf(v->why, sizeof v->why, "%s %s the registered address %s%s",
				 v->seen_from, ev->public_given ? "is" : "saw", a, v->silent ? ", but IKE got no answer: UDP 500/4500 is blocked "
						"on the way or the peer is not this tunnel's"
					      : "");
		} else {
			v->outcome = SRCIP_MISMATCH;
			snprintf(v->why, sizeof v->why, "%s %s %s, not the registered %s%s",
				 v->seen_from, ev->public_given ? "is" : "saw", b, a, v->silent ? "; IKE requests went unanswered, as AWS does for "
						   "an unknown source"
						 : "");
		}
		return;
	}
	v->outcome = SRCIP_UNKNOWN;
	snprintf(v->why, sizeof v->why, "%s", v->silent ? "IKE went unanswered and the address "
							  "AWS sees is unknown"
							: "no evidence of the address AWS sees");
	snprintf(v->missing, sizeof v->missing, "%s%s%s",
		 ev->echo != SRCIP_EV_OK ? "the public address (an echo service: --echo-url)" : "",
		 ev->echo != SRCIP_EV_OK && !probed ? "; " : "",
		 probed ? "" : "an IKE probe's answer (without --no-ike)");
}
