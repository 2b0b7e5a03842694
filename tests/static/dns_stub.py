#!/usr/bin/env python3
"""A DNS responder for tests/static/run.sh, inside the test's own network namespace.

    dns_stub.py ADDR PORT NAME=IPV4 [NAME=IPV4...]

Answers A queries for the NAMEs given (case-insensitive) with their address, AAAA
queries for them with no record (NOERROR), anything else NXDOMAIN. Prints "ready" once
it listens, logs each question on stderr, and exits after 120 seconds whatever happens.
Standard library only; UDP only.
"""
import socket
import struct
import sys
import threading
import os


def qname(msg, off):
    labels = []
    while True:
        n = msg[off]
        off += 1
        if n == 0:
            return ".".join(labels), off
        if n & 0xC0:
            raise ValueError("compressed question")
        labels.append(msg[off:off + n].decode("ascii", "replace"))
        off += n


def answer(msg, table):
    qid, flags, qd = struct.unpack(">HHH", msg[:6])
    if qd != 1:
        return None
    name, off = qname(msg, 12)
    qtype, qclass = struct.unpack(">HH", msg[off:off + 4])
    question = msg[12:off + 4]
    addr = table.get(name.lower().rstrip("."))
    rd = flags & 0x0100
    if addr is None:
        hdr = struct.pack(">HHHHHH", qid, 0x8000 | 0x0400 | rd | 0x0080 | 3, 1, 0, 0, 0)
        return hdr + question, name, qtype, "NXDOMAIN"
    if qtype != 1:
        hdr = struct.pack(">HHHHHH", qid, 0x8000 | 0x0400 | rd | 0x0080, 1, 0, 0, 0)
        return hdr + question, name, qtype, "no data"
    hdr = struct.pack(">HHHHHH", qid, 0x8000 | 0x0400 | rd | 0x0080, 1, 1, 0, 0)
    rr = struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(addr)
    return hdr + question + rr, name, qtype, addr


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    table = {}
    for arg in sys.argv[3:]:
        k, v = arg.split("=", 1)
        table[k.lower()] = v
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    threading.Timer(120.0, lambda: os._exit(0)).start()
    print("ready", flush=True)
    while True:
        msg, peer = s.recvfrom(1500)
        try:
            r = answer(msg, table)
        except (ValueError, IndexError, struct.error):
            continue
        if r is None:
            continue
        reply, name, qtype, what = r
        print("dns_stub: %s type %d: %s" % (name, qtype, what), file=sys.stderr, flush=True)
        s.sendto(reply, peer)


if __name__ == "__main__":
    main()
