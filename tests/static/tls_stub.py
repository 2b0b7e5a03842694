#!/usr/bin/env python3
"""tests/aws-stub/ec2_stub.py with a certificate for a name, for tests/static/run.sh.

    tls_stub.py NAME ec2_stub.py's arguments...

ec2_stub.py makes its own self-signed certificate for 127.0.0.1 and localhost, and libcurl
resolves "localhost" without asking the system, so a request to it would prove nothing
about /etc/hosts. This runs the same stub with its make_cert replaced: the certificate
(still DIR/cert.pem, still its own CA) names NAME as well, so the static binary in the
chroot can reach https://NAME:PORT/ through /etc/hosts and verify it.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "aws-stub"))
import ec2_stub  # noqa: E402

NAME = sys.argv.pop(1)


def make_cert(d):
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=" + NAME, "-keyout", key, "-out", cert,
                    "-addext", "subjectAltName=DNS:%s,IP:127.0.0.1" % NAME,
                    "-addext", "basicConstraints=critical,CA:TRUE"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


ec2_stub.make_cert = make_cert
ec2_stub.main()
