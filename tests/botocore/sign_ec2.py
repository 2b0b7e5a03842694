#!/usr/bin/env python3
"""Signs one EC2 Query API request with botocore's SigV4Auth at a fixed time, so
tests/unit/test_sigv4.c can compare vpn-doctor's signer with botocore's byte for byte.

    AWS_ACCESS_KEY_ID=.. AWS_SECRET_ACCESS_KEY=.. [AWS_SESSION_TOKEN=..] \
    sign_ec2.py --host HOST[:PORT] --body 'Action=..&Version=..' --date 20240102T030405Z \
                [--region us-east-1] [--service ec2] [--method POST] [--scheme https]
                [--operation DescribeRouteTables --params '{"Filters": [...]}']

With --operation, botocore's own EC2 serializer builds the body from --params (JSON), so
the test also checks the form encoding the C client produces.

Prints one JSON object: {"botocore": VERSION, "authorization": ..., "canonical_request":
..., "string_to_sign": ..., "body": ..., "header_names": [...]}. Exits 3 when botocore is
missing (the C test then skips), 2 on bad arguments. Credentials come from the
environment only, never from argv, and are never printed.
"""
import argparse
import datetime
import json
import os
import sys
from unittest import mock

try:
    import botocore
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as e:  # pragma: no cover - depends on the host
    print(f"sign_ec2.py: botocore is not installed: {e}", file=sys.stderr)
    sys.exit(3)


def fixed_clock(when):
    """Patches whatever clock this botocore version's SigV4Auth.add_auth reads."""
    if hasattr(botocore.auth, "get_current_datetime"):  # botocore >= 1.31
        return mock.patch.object(botocore.auth, "get_current_datetime", lambda: when)

    class FixedDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

        @classmethod
        def now(cls, tz=None):
            return when if tz is None else when.replace(tzinfo=tz)

    fake = mock.MagicMock(wraps=datetime)
    fake.datetime = FixedDatetime
    return mock.patch.object(botocore.auth, "datetime", fake)


def serialize(operation, params):
    """The body dict botocore's EC2 (ec2 query protocol) serializer makes for operation;
    AWSRequest form-encodes it, exactly as in a botocore client."""
    import botocore.serialize
    import botocore.session

    model = botocore.session.get_session().get_service_model("ec2")
    ser = botocore.serialize.create_serializer("ec2")
    r = ser.serialize_to_request(params, model.operation_model(operation))
    return r["body"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--body", default="")
    ap.add_argument("--date", required=True, help="YYYYMMDDTHHMMSSZ")
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--service", default="ec2")
    ap.add_argument("--method", default="POST")
    ap.add_argument("--scheme", default="https")
    ap.add_argument("--operation", help="build the body with botocore's EC2 serializer")
    ap.add_argument("--params", default="{}", help="the operation's parameters, JSON")
    a = ap.parse_args()
    body = a.body.encode("utf-8")
    if a.operation:
        body = serialize(a.operation, json.loads(a.params))

    when = datetime.datetime.strptime(a.date, "%Y%m%dT%H%M%SZ")
    creds = Credentials(
        os.environ["AWS_ACCESS_KEY_ID"],
        os.environ["AWS_SECRET_ACCESS_KEY"],
        os.environ.get("AWS_SESSION_TOKEN") or None,
    )
    # What botocore's query serializer produces for an EC2 call.
    req = AWSRequest(
        method=a.method,
        url=f"{a.scheme}://{a.host}/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    signer = botocore.auth.SigV4Auth(creds, a.service, a.region)
    # Record what add_auth itself computes (calling them again afterwards would see the
    # Authorization header it added).
    seen = {}
    canonical_request, string_to_sign = signer.canonical_request, signer.string_to_sign

    def record_creq(r):
        seen["creq"] = canonical_request(r)
        return seen["creq"]

    def record_sts(r, creq):
        seen["sts"] = string_to_sign(r, creq)
        return seen["sts"]

    signer.canonical_request, signer.string_to_sign = record_creq, record_sts
    with fixed_clock(when):
        signer.add_auth(req)
    out = {
        "botocore": botocore.__version__,
        "python": sys.executable,
        "authorization": req.headers["Authorization"],
        "canonical_request": seen["creq"],
        "string_to_sign": seen["sts"],
        "body": req.body.decode("utf-8") if isinstance(req.body, bytes) else req.body,
        "header_names": sorted(k.lower() for k in req.headers.keys()),
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
