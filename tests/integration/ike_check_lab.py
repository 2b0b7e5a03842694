#!/usr/bin/env python3
"""Helper for test_ike_check_lab.sh (python3, standard library only).

  ike_check_lab.py sas            < `swanctl --list-sas --raw` output
      one line: IKE_STATE CHILD_STATE CHILD_SPI_IN IKE_CHOSEN ESP_CHOSEN
      ('-' for what is not there). IKE_CHOSEN in strongSwan syntax
      (aes256-sha256-modp2048, aes256gcm16-prfsha384-ecp384); ESP_CHOSEN the encryption
      and integrity only (aes128-sha1, aes256gcm16): the first IKEv2 CHILD_SA has no DH.
  ike_check_lab.py predict FILE PEER
      one line: PREDICTION IKE_CHOSEN ESP_CHOSEN from `vpn-ike check --json` output,
      for the device peer PEER; then the findings that carry a prediction, one a line,
      prefixed with "  " (for the log).

Never prints a pre-shared key: neither input carries one (list-sas has none; the
check's output never holds one, and only named fields are printed here).
"""
import json
import re
import sys

# strongSwan's names in list-sas (vici) -> proposal keywords
ENCR = {"AES_CBC": "aes", "AES_GCM_16": "aes%sgcm16", "AES_GCM_12": "aes%sgcm12",
        "AES_GCM_8": "aes%sgcm8", "3DES_CBC": "3des", "DES_CBC": "des",
        "CHACHA20_POLY1305": "chacha20poly1305", "AES_CTR": "aes%sctr"}
INTEG = {"HMAC_SHA1_96": "sha1", "HMAC_SHA2_256_128": "sha256", "HMAC_SHA2_384_192": "sha384",
         "HMAC_SHA2_512_256": "sha512", "HMAC_MD5_96": "md5"}
PRF = {"PRF_HMAC_SHA1": "prfsha1", "PRF_HMAC_SHA2_256": "prfsha256",
       "PRF_HMAC_SHA2_384": "prfsha384", "PRF_HMAC_SHA2_512": "prfsha512",
       "PRF_HMAC_MD5": "prfmd5"}
DH = {"MODP_768": "modp768", "MODP_1024": "modp1024", "MODP_1536": "modp1536",
      "MODP_2048": "modp2048", "MODP_3072": "modp3072", "MODP_4096": "modp4096",
      "MODP_6144": "modp6144", "MODP_8192": "modp8192", "ECP_256": "ecp256",
      "ECP_384": "ecp384", "ECP_521": "ecp521", "MODP_1024_160": "modp1024s160",
      "MODP_2048_224": "modp2048s224", "MODP_2048_256": "modp2048s256",
      "ECP_192": "ecp192", "ECP_224": "ecp224", "CURVE_25519": "curve25519",
      "CURVE_448": "curve448"}

TOKEN = re.compile(r"[^\s{}=]+=\[[^\]]*\]|\{|\}|[^\s{}]+")


def parse_vici(text):
    """The sections of swanctl's --raw output as nested dicts (one per message)."""
    root = {}
    stack = [root]
    pending = None
    for tok in TOKEN.findall(text):
        if tok == "{":
            sec = {}
            stack[-1][pending or "?"] = sec
            stack.append(sec)
            pending = None
        elif tok == "}":
            if len(stack) > 1:
                stack.pop()
            pending = None
        elif "=" in tok:
            k, v = tok.split("=", 1)
            stack[-1][k] = v
            pending = None
        else:
            pending = tok if pending is None else pending + " " + tok
    return root


def encr_name(alg, keysize):
    e = ENCR.get(alg, alg.lower())
    if "%s" in e:
        return e % keysize
    if e == "aes":
        return "aes" + keysize
    return e


def ike_chosen(sa):
    parts = [encr_name(sa.get("encr-alg", "?"), sa.get("encr-keysize", ""))]
    if "integ-alg" in sa:
        parts.append(INTEG.get(sa["integ-alg"], sa["integ-alg"].lower()))
    else:
        parts.append(PRF.get(sa.get("prf-alg", ""), sa.get("prf-alg", "?").lower()))
    parts.append(DH.get(sa.get("dh-group", ""), sa.get("dh-group", "?").lower()))
    return "-".join(parts)


def esp_chosen(child):
    parts = [encr_name(child.get("encr-alg", "?"), child.get("encr-keysize", ""))]
    if "integ-alg" in child:
        parts.append(INTEG.get(child["integ-alg"], child["integ-alg"].lower()))
    return "-".join(parts)


def cmd_sas():
    tree = parse_vici(sys.stdin.read())
    best = None
    for key, msg in tree.items():
        if not key.startswith("list-sa event") or not isinstance(msg, dict):
            continue
        for _name, sa in msg.items():
            if not isinstance(sa, dict):
                continue
            ike_state = sa.get("state", "-")
            child_state, spi, esp = "-", "-", "-"
            for _cn, child in (sa.get("child-sas") or {}).items():
                if isinstance(child, dict) and child.get("state") == "INSTALLED":
                    child_state, spi, esp = "INSTALLED", child.get("spi-in", "-"), esp_chosen(child)
                    break
                if isinstance(child, dict) and child_state == "-":
                    child_state = child.get("state", "-")
            row = (ike_state, child_state, spi,
                   ike_chosen(sa) if ike_state == "ESTABLISHED" else "-", esp)
            # prefer an established IKE_SA with an installed child
            rank = (ike_state == "ESTABLISHED", child_state == "INSTALLED")
            if best is None or rank > best[0]:
                best = (rank, row)
    print(" ".join(best[1]) if best else "- - - - -")


ORDER = ["not_initiated", "phase1_fails", "phase2_fails", "phase2_fails_at_rekey", "established"]


def norm_ike(s):
    """A phase 1 proposal in strongSwan syntax, without the PRF when an integrity
    algorithm names it (aes128-sha1-prfsha1-modp2048 = aes128-sha1-modp2048)."""
    toks = [t for t in s.split("-") if t]
    if any(t in INTEG.values() for t in toks):
        toks = [t for t in toks if not t.startswith("prf")]
    return "-".join(toks) or "-"


def norm_esp(s):
    """A phase 2 proposal: encryption[-integrity], the PFS group dropped."""
    toks = [t for t in s.split("-") if t and t not in DH.values() and t != "noesn"
            and t != "esn"]
    return "-".join(toks) or "-"


def cmd_predict(path, peer):
    try:
        with open(path) as fh:
            rep = json.load(fh)
    except (OSError, ValueError) as e:
        print("unreadable - -")
        print("  cannot read the check's JSON: %s" % e)
        return
    carry = []
    for f in rep.get("findings", []):
        ev = f.get("evidence")
        if not isinstance(ev, dict) or "prediction" not in ev:
            continue
        subj = f.get("subject") or ""
        # "tunnel 203.0.113.1 (peer NAME, line N)": only this case's peer
        if isinstance(subj, str) and "(peer " in subj and "(peer %s," % peer not in subj:
            continue
        carry.append(f)
    if not carry:
        print("none - -")
        print("  no finding carries a prediction")
        return
    preds = [f["evidence"]["prediction"] for f in carry]
    known = [p for p in preds if p in ORDER]
    # every finding of a tunnel carries the tunnel's outcome; if they ever differed, the
    # negotiation stops at the first phase that fails
    pred = min(known, key=ORDER.index) if known else preds[0]
    if len(set(preds)) > 1:
        pred = pred + "(inconsistent:" + ",".join(sorted(set(preds))) + ")"
    ev = carry[0]["evidence"]
    ike = ev.get("chosen_phase1") or ""
    esp = ev.get("chosen_phase2") or ""
    print(pred, norm_ike(ike), norm_esp(esp))
    for f in carry:
        e = f["evidence"]
        if f.get("status") in ("pass", "info") and "caused" not in e:
            continue
        print("  %s %s: %s%s" % (f.get("check"), f.get("status"),
                                 (f.get("summary") or f.get("message") or "")[:200],
                                 " (caused %s)" % e["caused"] if "caused" in e else ""))
    print("  chosen_phase1=%s chosen_phase2=%s aws_side=%s" % (
        ike or '""', esp or '""', ev.get("aws_side", "")))


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "sas":
        cmd_sas()
    elif len(sys.argv) == 4 and sys.argv[1] == "predict":
        cmd_predict(sys.argv[2], sys.argv[3])
    else:
        sys.stderr.write(__doc__)
        sys.exit(64)


if __name__ == "__main__":
    main()
