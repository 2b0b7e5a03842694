#!/usr/bin/env python3
"""Compares `vpn-ike decode --pcap --json` with `tshark -T json` of the same capture, field
by field.

    tshark_compare.py OURS.jsonl TSHARK.json

Both dissections are flattened into tshark's field names in tshark's (depth-first) order:
ours by mapping each decoded field to the tshark field that holds the same value, tshark's
by walking its tree (duplicate keys kept, which json.load alone would drop). For every
packet and every field name both have, the whole sequence of values must be equal (so a
payload, proposal or transform that one side misses or reorders shows up). The packets
compared are those tshark dissects as ISAKMP or ESP; both sides must find the same set.

Prints one line per disagreement and a last line "N packets, M fields compared (...)".
Exit 0 when everything agrees and at least one IKE packet was compared, else 1.
"""
import json
import sys
from decimal import Decimal

# Fields that differ by nature or are not decoded on our side, never compared.
IGNORED = {
    "isakmp.reserved", "isakmp.reserved7", "isakmp.vid_string", "isakmp.enc.iv",
    "isakmp.enc.data", "isakmp.enc.icd", "isakmp.ike.attr.value", "isakmp.ike2.attr.value",
}


def pairs_hook(pairs):
    return pairs


def tshark_flat(tree, out):
    """Depth-first (name, value) list of a tshark JSON subtree (a list of pairs)."""
    for k, v in tree:
        if isinstance(v, list):
            if k.endswith("_tree"):
                tshark_flat(v, out)
            else:  # e.g. "isakmp.ike2.attr": a subtree named after its field
                tshark_flat(v, out)
        else:
            out.append((k, v))


def hexbytes(s):
    return s.replace(":", "").lower()


def tnum(s):
    s = s.strip()
    return int(s, 16) if s.lower().startswith("0x") else int(s)


# How tshark's value of a field becomes comparable to ours.
def norm_tshark(name, v):
    if name in ("isakmp.ispi", "isakmp.rspi", "isakmp.notify.data", "isakmp.vid_bytes",
                "isakmp.spi", "isakmp.nat_hash", "isakmp.nat_original_address"):
        return hexbytes(v)
    if name in ("isakmp.key_exchange.data", "isakmp.nonce"):
        return len(hexbytes(v)) // 2  # we keep the length, not the bytes
    if name == "isakmp.sa.situation":
        return int(hexbytes(v) or "0", 16)
    if name in ("frame.time_epoch",):
        return Decimal(v)
    if name in ("ip.src", "ip.dst", "ipv6.src", "ipv6.dst"):
        return v
    try:
        return tnum(v)
    except ValueError:
        return v


V2_TID = {1: "encr", 2: "prf", 3: "integ", 4: "dh", 5: "esn"}
V1_ATTR = {1: "encryption_algorithm", 2: "hash_algorithm", 3: "authentication_method",
           4: "group_description", 11: "life_type", 12: "life_duration", 14: "key_length"}


def ours_flat(pkt):
    """Our decode of one packet as (tshark name, value) in tshark's order."""
    out = []
    add = lambda k, v: out.append((k, v))
    add("frame.time_epoch", Decimal(pkt["time"]))
    if ":" in pkt["src"]:
        add("ipv6.src", pkt["src"]); add("ipv6.dst", pkt["dst"])
    else:
        add("ip.src", pkt["src"]); add("ip.dst", pkt["dst"])
    if "sport" in pkt:
        add("udp.srcport", pkt["sport"]); add("udp.dstport", pkt["dport"])
    if pkt["kind"] == "esp":
        add("esp.spi", pkt["esp"]["spi"]); add("esp.sequence", pkt["esp"]["seq"])
        return out
    ike = pkt["ike"]
    major, minor = ike["version_major"], ike["version_minor"]
    v2 = major == 2
    add("isakmp.ispi", ike["ispi"]); add("isakmp.rspi", ike["rspi"])
    add("isakmp.nextpayload", ike["next_payload"])
    add("isakmp.version", major << 4 | minor)
    add("isakmp.mjver", major); add("isakmp.mnver", minor)
    add("isakmp.exchangetype", ike["exchange"])
    f = ike["flags"]
    add("isakmp.flags", f)
    if v2:
        add("isakmp.flag_i", f >> 3 & 1); add("isakmp.flag_v", f >> 4 & 1)
        add("isakmp.flag_r", f >> 5 & 1)
    else:
        add("isakmp.flag_e", f & 1); add("isakmp.flag_c", f >> 1 & 1)
        add("isakmp.flag_a", f >> 2 & 1)
    add("isakmp.messageid", ike["msgid"])
    add("isakmp.length", ike["length"])
    for pl in ike["payloads"]:
        add("isakmp.typepayload", pl["type"])
        add("isakmp.nextpayload", pl["next"])
        if v2:
            add("isakmp.criticalpayload", 1 if pl["critical"] else 0)
        add("isakmp.payloadlength", pl["length"])
        if "proposals" in pl:
            if not v2:
                add("isakmp.sa.doi", pl["doi"]); add("isakmp.sa.situation", pl["situation"])
            props = pl["proposals"]
            for i, p in enumerate(props):
                add("isakmp.typepayload", 2)
                add("isakmp.nextpayload", 2 if i + 1 < len(props) else 0)
                add("isakmp.payloadlength", p["length"])
                add("isakmp.prop.number", p["number"]); add("isakmp.prop.protoid", p["protocol"])
                add("isakmp.spisize", p["spi_size"])
                if "spi" in p:
                    add("isakmp.spi", p["spi"])
                add("isakmp.prop.transforms", p["transforms_count"])
                ts = p["transforms"]
                for k, t in enumerate(ts):
                    add("isakmp.typepayload", 3)
                    add("isakmp.nextpayload", 3 if k + 1 < len(ts) else 0)
                    add("isakmp.payloadlength", t["length"])
                    if v2:
                        add("isakmp.tf.type", t["type"])
                        if t["type"] in V2_TID:
                            add("isakmp.tf.id." + V2_TID[t["type"]], t["id"])
                    else:
                        add("isakmp.trans.number", t["number"]); add("isakmp.trans.id", t["id"])
                    pfx = "isakmp.ike2.attr" if v2 else "isakmp.ike.attr"
                    for a in t["attributes"]:
                        add(pfx + ".format", 1 if a["format"] == "tv" else 0)
                        add(pfx + ".type", a["type"])
                        if a["format"] == "tlv":
                            add(pfx + ".length", a["value_length"])
                        if "value" in a:
                            if v2 and a["type"] == 14:
                                add(pfx + ".key_length", a["value"])
                            elif not v2 and a["type"] in V1_ATTR:
                                add(pfx + "." + V1_ATTR[a["type"]], a["value"])
        elif "notify_type" in pl:
            if not v2:
                add("isakmp.notify.doi", pl["doi"])
            add("isakmp.notify.protoid", pl["protocol"])
            add("isakmp.spisize", pl["spi_size"])
            add("isakmp.notify.msgtype", pl["notify_type"])
            if "spi" in pl:
                add("isakmp.spi", pl["spi"])
            if pl["data_length"] <= 64:  # longer data: we keep its first bytes only
                add("isakmp.notify.data", pl.get("data", ""))
            if "group" in pl:
                add("isakmp.notify.data.accepted_dh_group", pl["group"])
        elif pl["type"] in ((34,) if v2 else (4,)):
            if v2:
                add("isakmp.key_exchange.dh_group", pl["group"])
            add("isakmp.key_exchange.data", pl["data_length"])
        elif pl["type"] == (40 if v2 else 10):
            add("isakmp.nonce", pl["data_length"])
        elif pl["type"] == (43 if v2 else 13):
            if pl["data_length"] <= 32:  # we keep the first 32 bytes
                add("isakmp.vid_bytes", pl["data"])
        elif not v2 and pl["type"] in (20, 130):
            add("isakmp.nat_hash", pl.get("data", ""))
    return out


def seqs(flat):
    d = {}
    for k, v in flat:
        if k in IGNORED:
            continue
        d.setdefault(k, []).append(v)
    return d


def tshark_packets(path):
    doc = json.load(open(path), object_pairs_hook=pairs_hook)
    pkts = {}
    for p in doc:
        layers = dict(dict(dict(p)["_source"])["layers"])
        names = [k for k, _ in dict(dict(p)["_source"])["layers"]]
        if "isakmp" not in names and "esp" not in names:
            continue
        frame = dict(layers["frame"])
        num = int(frame["frame.number"])
        flat = [("frame.time_epoch", frame["frame.time_epoch"])]
        for lay in ("ip", "ipv6", "udp"):
            if lay in layers and isinstance(layers[lay], list):
                for k, v in layers[lay]:
                    if k in ("ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "udp.srcport",
                             "udp.dstport"):
                        flat.append((k, v))
        kind = "esp" if "esp" in names and "isakmp" not in names else "ike"
        for lname, lval in dict(dict(p)["_source"])["layers"]:
            if lname in ("isakmp", "esp") and isinstance(lval, list):
                tshark_flat(lval, flat)
        natt = False
        if "udpencap" in layers and isinstance(layers["udpencap"], list):
            natt = any(k == "udpencap.non_esp_marker" for k, _ in layers["udpencap"])
        pkts[num] = (kind, [(k, norm_tshark(k, v)) for k, v in flat], natt)
    return pkts


def main():
    if len(sys.argv) != 3:
        print("usage: tshark_compare.py OURS.jsonl TSHARK.json", file=sys.stderr)
        return 2
    ours = {}
    for line in open(sys.argv[1]):
        line = line.strip()
        if not line:
            continue
        o = json.loads(line)
        if o.get("kind") in ("ike", "esp"):
            ours[o["frame"]] = o
    theirs = tshark_packets(sys.argv[2])
    bad = 0
    fields = 0
    names = set()
    only_tshark = set()
    npk = {"ike": 0, "esp": 0}
    for fr in sorted(set(ours) | set(theirs)):
        if fr not in ours or fr not in theirs:
            print(f"frame {fr}: only {'ours' if fr in ours else 'tshark'} dissects it")
            bad += 1
            continue
        o = ours[fr]
        kind, tflat, natt = theirs[fr]
        if o["kind"] != kind:
            print(f"frame {fr}: we say {o['kind']}, tshark {kind}")
            bad += 1
            continue
        if "error" in o:
            print(f"frame {fr}: we could not decode it: {o['error']}")
            bad += 1
            continue
        npk[kind] += 1
        if kind == "ike":
            fields += 1
            if natt != o["ike"]["natt"]:
                print(f"frame {fr}: non-ESP marker: ours {o['ike']['natt']}, tshark {natt}")
                bad += 1
        a, b = seqs(ours_flat(o)), seqs(tflat)
        for name in sorted(set(a) | set(b)):
            if name not in a:
                only_tshark.add(name)
                continue
            if name not in b:
                print(f"frame {fr}: {name}: tshark has no such field (ours: {a[name]})")
                bad += 1
                continue
            names.add(name)
            fields += len(a[name])
            if a[name] != b[name]:
                print(f"frame {fr}: {name}: ours {a[name]} != tshark {b[name]}")
                bad += 1
    if npk["ike"] == 0:
        print("no IKE packet compared")
        bad += 1
    if only_tshark:
        print("fields only tshark shows (not compared):", " ".join(sorted(only_tshark)))
    print(f"{npk['ike']} IKE and {npk['esp']} ESP packets, {fields} field values compared "
          f"({len(names)} distinct fields), {bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
