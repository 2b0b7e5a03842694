#!/usr/bin/env python3
"""A local stand-in for EC2's Query API, STS and the instance metadata service, for the live
client's tests (tests/unit/test_ec2_live.c). Loopback only; python3 standard library and
botocore (Debian's python3-botocore) for signature checks; the openssl CLI makes a
self-signed certificate in --dir.

    ec2_stub.py --dir TMPDIR --config CONFIG.json [--root PROJECT_ROOT]

Listens on 127.0.0.1, port 0 each:
  https  EC2 Query API (POST /, form body; Action=...), and STS (Action=
         AssumeRoleWithWebIdentity, unsigned, any path)
  http   IMDSv2 (PUT /latest/api/token; GET /latest/meta-data/iam/security-credentials/
         [ROLE]) and /_control/... (no STS: the client reaches STS over HTTPS)
  proxy  an HTTP CONNECT proxy that tunnels to 127.0.0.1 only and counts its tunnels
and prints one line "https=N http=N proxy=N" once all three listen; TMPDIR/cert.pem is the
CA bundle (the certificate itself, for 127.0.0.1 and localhost).

Every EC2 request's SigV4 signature is checked: the AWSRequest is rebuilt from the method,
URL, the headers the client signed and the body, signed with botocore's SigV4Auth at the
request's X-Amz-Date with the credentials the config knows for the request's access key id,
and the Authorization headers must be equal; otherwise 401 AuthFailure.

CONFIG.json:
  {"region": "us-east-1",
   "keys": {"AKID": {"secret": "...", "token": "... or absent"}},
   "sts": {"role_arn": "...", "token": "the web identity token", "issue": "AKID"},
   "imds": {"role": "NAME", "issue": "AKID"}}
"issue" names the key in "keys" that STS / IMDS hand out.

Control (http port; answers JSON):
  POST /_control/reset                        forget stats and faults
  POST /_control/fault?action=A&code=C&status=N&count=K[&message=M]
        answer the next K calls of action A (or "*") with EC2 error C / HTTP N; code
        "malformed" answers 200 with a truncated document
  POST /_control/tunnel-status?mode=ok|unknown
  POST /_control/docs?set=live|reference      reference: only testdata/aws-xml (the EC2 API
        reference's examples, one page each), an empty list for actions it lacks
  GET  /_control/stats   {"requests": [{"action", "params", "akid", "ok"}], "proxy": N,
                          "sts": N, "imds": N}
  POST /_control/quit
Answers: testdata/aws-live/xml/ACTION.xml first (this test's own documents, written by
json2xml.py from testdata/aws-live/json/), then testdata/aws-xml/ACTION.xml (the EC2 API
reference's examples); DescribeRouteTables comes in two pages, DescribeRouteTables-page1.xml
(with <nextToken>page2-token</nextToken>) and -page2.xml; GetActiveVpnTunnelStatus from
GetActiveVpnTunnelStatus-IP.xml for the tunnel's outside address.
"""

import argparse
import datetime
import http.server
import json
import os
import select
import socket
import socketserver
import ssl
import subprocess
import threading
import time
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
PAGED = ("DescribeRouteTables",)            # served in two pages
WANT_MAX = ("DescribeRouteTables", "DescribeSubnets", "DescribeVpcs")
NO_PAGING = ("DescribeVpnConnections", "DescribeVpnGateways", "DescribeCustomerGateways")
STATE = {"requests": [], "proxy": 0, "sts": 0, "imds": 0, "faults": [],
         "tunnel_status": "ok", "imds_tokens": set(), "docs": "live"}
# The list element of each Describe answer, for an empty answer in "reference" mode.
EMPTY_SET = {"DescribeVpnConnections": "vpnConnectionSet",
             "DescribeVpnGateways": "vpnGatewaySet",
             "DescribeCustomerGateways": "customerGatewaySet",
             "DescribeRouteTables": "routeTableSet", "DescribeSubnets": "subnetSet",
             "DescribeVpcs": "vpcSet"}
LOCK = threading.Lock()
CFG = {}
ROOT = "."


def ec2_error(code, message, status):
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            f"<Code>{code}</Code><Message>{message}</Message></Error></Errors>"
            "<RequestID>stub-0000-error</RequestID></Response>")
    return status, body


def sts_error(code, message, status=400):
    body = ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
            f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
            "</Error><RequestId>stub-sts-error</RequestId></ErrorResponse>")
    return status, body


def read_doc(name):
    dirs = ("testdata/aws-xml",) if STATE["docs"] == "reference" else \
        ("testdata/aws-live/xml", "testdata/aws-xml")
    for d in dirs:
        p = os.path.join(ROOT, d, name + ".xml")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                return f.read()
    return None


def parse_auth(value):
    """'AWS4-HMAC-SHA256 Credential=A/D/R/S/aws4_request, SignedHeaders=a;b, Signature=x'"""
    if not value.startswith("AWS4-HMAC-SHA256 "):
        return None
    parts = {}
    for p in value[len("AWS4-HMAC-SHA256 "):].split(","):
        k, _, v = p.strip().partition("=")
        parts[k] = v
    if set(parts) != {"Credential", "SignedHeaders", "Signature"}:
        return None
    scope = parts["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        return None
    return {"akid": scope[0], "date": scope[1], "region": scope[2], "service": scope[3],
            "signed": parts["SignedHeaders"].split(";")}


def verify(method, path, headers, body):
    """Returns (akid, None) when the signature is botocore's, else (akid, reason)."""
    got = headers.get("Authorization", "")
    a = parse_auth(got)
    if not a:
        return None, "no or malformed Authorization header"
    key = CFG["keys"].get(a["akid"])
    if key is None:
        return a["akid"], "unknown access key id"
    if a["service"] != "ec2" or a["region"] != CFG["region"]:
        return a["akid"], "wrong credential scope"
    need = ["content-type", "host", "x-amz-date"]
    if key.get("token"):
        need.append("x-amz-security-token")
        if headers.get("X-Amz-Security-Token") != key["token"]:
            return a["akid"], "wrong or missing session token"
    for h in need:
        if h not in a["signed"]:
            return a["akid"], f"{h} not signed"
    amz_date = headers.get("X-Amz-Date", "")
    if not amz_date.startswith(a["date"]):
        return a["akid"], "X-Amz-Date outside the credential scope"
    rebuilt = {}
    for h in a["signed"]:
        if h in ("x-amz-date", "x-amz-security-token"):
            continue  # botocore sets both itself
        if headers.get(h) is None:
            return a["akid"], f"signed header {h} missing"
        rebuilt[h] = headers.get(h)
    req = AWSRequest(method=method, url="https://" + headers["Host"] + path, data=body,
                     headers=rebuilt)
    auth = SigV4Auth(Credentials(a["akid"], key["secret"], key.get("token")), "ec2",
                     CFG["region"])
    req.context["timestamp"] = amz_date
    auth._modify_request_before_signing(req)
    canonical = auth.canonical_request(req)
    sig = auth.signature(auth.string_to_sign(req, canonical), req)
    auth._inject_signature_to_request(req, sig)
    if req.headers["Authorization"] != got:
        return a["akid"], "signature mismatch"
    return a["akid"], None


def take_fault(action):
    with LOCK:
        for f in STATE["faults"]:
            if f["count"] > 0 and f["action"] in (action, "*"):
                f["count"] -= 1
                return f
    return None


def ec2_answer(params):
    action = params.get("Action", "")
    if params.get("Version") != "2016-11-15":
        return ec2_error("InvalidParameterValue", "Version must be 2016-11-15", 400)
    f = take_fault(action)
    if f:
        if f["code"] == "malformed":
            return 200, '<?xml version="1.0"?><%sResponse xmlns="%s"><requestId>x' % (
                action, EC2_NS)
        return ec2_error(f["code"], f.get("message") or "Injected by the stub.", f["status"])
    if action == "GetActiveVpnTunnelStatus":
        if STATE["tunnel_status"] == "unknown":
            return ec2_error("InvalidAction",
                             "The action GetActiveVpnTunnelStatus is not valid for this "
                             "web service.", 400)
        ip = params.get("VpnTunnelOutsideIpAddress", "")
        if not params.get("VpnConnectionId") or not ip or \
                any(c not in "0123456789abcdefABCDEF.:" for c in ip):
            return ec2_error("MissingParameter", "VpnConnectionId and "
                             "VpnTunnelOutsideIpAddress are required", 400)
        doc = read_doc("GetActiveVpnTunnelStatus-" + ip)
        if doc is None:
            return ec2_error("InvalidVpnConnectionID.NotFound", "no such tunnel", 400)
        return 200, doc
    if action in WANT_MAX and "MaxResults" not in params:
        return ec2_error("InvalidParameterValue", "the stub wants MaxResults", 400)
    if action in NO_PAGING and ("MaxResults" in params or "NextToken" in params):
        return ec2_error("UnknownParameter", f"{action} takes no MaxResults or NextToken",
                         400)
    if STATE["docs"] == "reference":
        doc = read_doc(action)
        if doc is None and action in EMPTY_SET:
            doc = (f'<{action}Response xmlns="{EC2_NS}"><requestId>stub-empty</requestId>'
                   f"<{EMPTY_SET[action]}/></{action}Response>")
    elif action in PAGED:
        page = "page2" if params.get("NextToken") == "page2-token" else "page1"
        if "NextToken" in params and page != "page2":
            return ec2_error("InvalidPaginationToken", "unknown NextToken", 400)
        doc = read_doc(f"{action}-{page}")
    else:
        doc = read_doc(action)
    if doc is None:
        return ec2_error("InvalidAction",
                         f"The action {action} is not valid for this web service.", 400)
    return 200, doc


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def sts_answer(params):
    with LOCK:
        STATE["sts"] += 1
    s = CFG.get("sts")
    if not s:
        return sts_error("InvalidAction", "no STS here")
    if params.get("Version") != "2011-06-15":
        return sts_error("InvalidParameterValue", "Version must be 2011-06-15")
    if params.get("WebIdentityToken") != s["token"]:
        return sts_error("InvalidIdentityToken", "The web identity token is not valid.")
    if params.get("RoleArn") != s["role_arn"]:
        return sts_error("AccessDenied", "Not authorized to perform "
                         "sts:AssumeRoleWithWebIdentity", 403)
    name = params.get("RoleSessionName", "")
    if not name:
        return sts_error("ValidationError", "RoleSessionName is required")
    k = CFG["keys"][s["issue"]]
    body = ('<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/'
            '2011-06-15/"><AssumeRoleWithWebIdentityResult>'
            "<SubjectFromWebIdentityToken>system:serviceaccount:ns:vpn-doctor"
            "</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience>"
            "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/vpn-doctor/"
            f"{name}</Arn><AssumedRoleId>AROAEXAMPLE:{name}</AssumedRoleId>"
            f"</AssumedRoleUser><Credentials><SessionToken>{k['token']}</SessionToken>"
            f"<SecretAccessKey>{k['secret']}</SecretAccessKey>"
            f"<Expiration>{iso(time.time() + 3600)}</Expiration>"
            f"<AccessKeyId>{s['issue']}</AccessKeyId></Credentials>"
            "<Provider>oidc.example.com</Provider></AssumeRoleWithWebIdentityResult>"
            "<ResponseMetadata><RequestId>stub-sts-0001</RequestId></ResponseMetadata>"
            "</AssumeRoleWithWebIdentityResponse>")
    return 200, body


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ec2-stub"

    def log_message(self, *args):
        pass

    def reply(self, status, body, ctype="text/xml;charset=UTF-8"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "stub-0000")
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def form(self, raw):
        q = urllib.parse.parse_qs(raw.decode(), keep_blank_values=True)
        return {k: v[0] for k, v in q.items()}


class TlsHandler(Handler):
    def do_POST(self):
        raw = self.body()
        params = self.form(raw)
        if params.get("Action") == "AssumeRoleWithWebIdentity":
            self.reply(*sts_answer(params))
            return
        akid, why = verify("POST", self.path, self.headers, raw)
        with LOCK:
            STATE["requests"].append({"action": params.get("Action"), "params": params,
                                      "akid": akid, "ok": why is None,
                                      "why": why or "", "path": self.path,
                                      "host": self.headers.get("Host", "")})
        if why:
            self.reply(*ec2_error("AuthFailure", "AWS was not able to validate the "
                                  "provided access credentials", 401))
            return
        self.reply(*ec2_answer(params))


class PlainHandler(Handler):
    def do_PUT(self):
        self.body()
        if self.path != "/latest/api/token" or \
                not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            self.reply(400, "", "text/plain")
            return
        tok = "imds-session-%d" % len(STATE["imds_tokens"])
        with LOCK:
            STATE["imds_tokens"].add(tok)
            STATE["imds"] += 1
        self.reply(200, tok, "text/plain")

    def do_GET(self):
        if self.path == "/_control/stats":
            with LOCK:
                out = {k: STATE[k] for k in ("requests", "proxy", "sts", "imds")}
                self.reply(200, json.dumps(out), "application/json")
            return
        base = "/latest/meta-data/iam/security-credentials/"
        if not self.path.startswith(base):
            self.reply(404, "", "text/plain")
            return
        if self.headers.get("X-aws-ec2-metadata-token") not in STATE["imds_tokens"]:
            self.reply(401, "", "text/plain")
            return
        im = CFG.get("imds")
        role = self.path[len(base):]
        with LOCK:
            STATE["imds"] += 1
        if role == "":
            self.reply(200, im["role"], "text/plain")
        elif role == im["role"]:
            k = CFG["keys"][im["issue"]]
            self.reply(200, json.dumps({
                "Code": "Success", "LastUpdated": iso(time.time()), "Type": "AWS-HMAC",
                "AccessKeyId": im["issue"], "SecretAccessKey": k["secret"],
                "Token": k["token"], "Expiration": iso(time.time() + 3600)}),
                "text/plain")
        else:
            self.reply(404, "", "text/plain")

    def do_POST(self):
        raw = self.body()
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        if u.path == "/_control/reset":
            with LOCK:
                STATE.update(requests=[], proxy=0, sts=0, imds=0, faults=[],
                             tunnel_status="ok", docs="live")
        elif u.path == "/_control/fault":
            with LOCK:
                STATE["faults"].append({"action": q.get("action", "*"),
                                        "code": q.get("code", "RequestLimitExceeded"),
                                        "status": int(q.get("status", "503")),
                                        "count": int(q.get("count", "1")),
                                        "message": q.get("message")})
        elif u.path == "/_control/tunnel-status":
            STATE["tunnel_status"] = q.get("mode", "ok")
        elif u.path == "/_control/docs":
            STATE["docs"] = q.get("set", "live")
        elif u.path == "/_control/quit":
            self.reply(200, "{}", "application/json")
            threading.Thread(target=lambda: os._exit(0)).start()
            return
        else:
            self.reply(404, "", "text/plain")
            return
        self.reply(200, "{}", "application/json")


class ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline(4096).decode("latin-1")
        while True:
            h = self.rfile.readline(4096)
            if h in (b"\r\n", b"\n", b""):
                break
        parts = line.split()
        if len(parts) != 3 or parts[0] != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = parts[1].rpartition(":")
        if host not in ("127.0.0.1", "localhost"):
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        with LOCK:
            STATE["proxy"] += 1
        up = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        down = self.connection
        try:
            while True:
                r, _, _ = select.select([down, up], [], [], 30)
                if not r:
                    break
                for s in r:
                    data = s.recv(65536)
                    if not data:
                        return
                    (up if s is down else down).sendall(data)
        finally:
            up.close()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


class ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_cert(d):
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert,
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-addext", "basicConstraints=critical,CA:TRUE"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def serve(srv):
    threading.Thread(target=srv.serve_forever, daemon=True).start()


def main():
    global CFG, ROOT
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--root", default=".")
    ap.add_argument("--lifetime", type=float, default=300.0,
                    help="exit after this many seconds whatever happens")
    a = ap.parse_args()
    ROOT = a.root
    with open(a.config, encoding="utf-8") as f:
        CFG = json.load(f)
    cert, key = make_cert(a.dir)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    tls = Server(("127.0.0.1", 0), TlsHandler)
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    plain = Server(("127.0.0.1", 0), PlainHandler)
    proxy = ProxyServer(("127.0.0.1", 0), ProxyHandler)
    for s in (tls, plain, proxy):
        serve(s)
    print("https=%d http=%d proxy=%d" % (tls.server_address[1], plain.server_address[1],
                                         proxy.server_address[1]), flush=True)
    time.sleep(a.lifetime)
    os._exit(0)


if __name__ == "__main__":
    main()
