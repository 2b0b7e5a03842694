#!/usr/bin/env python3
"""Writes the EC2 Query API XML answers the stub serves (testdata/aws-live/xml/) from the
AWS CLI JSON of the same objects (testdata/aws-live/json/), so the live test can compare a
live load with an offline one. The element names come from botocore's EC2 model (each
member's locationName, list members as <item>), the way EC2 writes its answers and the
API reference's examples show them; booleans are "true"/"false".

    tests/aws-stub/json2xml.py [PROJECT_ROOT]

Needs a botocore whose EC2 model has GetActiveVpnTunnelStatus (1.31 or later); the files
it writes are committed, so the tests themselves do not. Run it again after editing the
JSON. DescribeRouteTables is split in two pages: the first table with
<nextToken>page2-token</nextToken>, the rest without."""

import json
import os
import sys
from xml.sax.saxutils import escape

import botocore.session

NS = "http://ec2.amazonaws.com/doc/2016-11-15/"
MODEL = botocore.session.get_session().get_service_model("ec2")


def scalar(shape, v):
    if shape.type_name == "boolean":
        return "true" if v else "false"
    return escape(str(v))


def emit(shape, value, name, depth, out):
    pad = "    " * depth
    if shape.type_name == "structure":
        out.append(f"{pad}<{name}>")
        for mname, mshape in shape.members.items():
            if mname in value:
                emit(mshape, value[mname], mshape.serialization.get("name", mname),
                     depth + 1, out)
        out.append(f"{pad}</{name}>")
    elif shape.type_name == "list":
        if not value:
            out.append(f"{pad}<{name}/>")
            return
        out.append(f"{pad}<{name}>")
        item = shape.member.serialization.get("name", "item")
        for v in value:
            emit(shape.member, v, item, depth + 1, out)
        out.append(f"{pad}</{name}>")
    else:
        out.append(f"{pad}<{name}>{scalar(shape, value)}</{name}>")


def document(op, result, request_id):
    shape = MODEL.operation_model(op).output_shape
    out = [f'<?xml version="1.0" encoding="UTF-8"?>', f'<{op}Response xmlns="{NS}">',
           f"    <requestId>{request_id}</requestId>"]
    for mname, mshape in shape.members.items():
        if mname in result:
            emit(mshape, result[mname], mshape.serialization.get("name", mname), 1, out)
    out.append(f"</{op}Response>")
    return "\n".join(out) + "\n"


def write(root, name, text):
    with open(os.path.join(root, "testdata/aws-live/xml", name + ".xml"), "w",
              encoding="utf-8") as f:
        f.write(text)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    src = os.path.join(root, "testdata/aws-live/json")

    def load(name):
        with open(os.path.join(src, name + ".json"), encoding="utf-8") as f:
            return json.load(f)

    n = 0
    for op, name in (("DescribeVpnConnections", "VpnConnections"),
                     ("DescribeVpnGateways", "VpnGateways"),
                     ("DescribeCustomerGateways", "CustomerGateways"),
                     ("DescribeSubnets", "Subnets"), ("DescribeVpcs", "Vpcs")):
        n += 1
        write(root, op, document(op, load(name), f"7a62c49f-347e-4fc4-9331-6e8e0000000{n}"))
    tables = load("RouteTables")["RouteTables"]
    write(root, "DescribeRouteTables-page1",
          document("DescribeRouteTables",
                   {"RouteTables": tables[:1], "NextToken": "page2-token"},
                   "fe876446-c8c0-4f2d-a6df-ed5060000001"))
    write(root, "DescribeRouteTables-page2",
          document("DescribeRouteTables", {"RouteTables": tables[1:]},
                   "fe876446-c8c0-4f2d-a6df-ed5060000002"))
    with open(os.path.join(root, "testdata/aws-live/json-status/ActiveVpnTunnelStatus.json"),
              encoding="utf-8") as f:
        status = json.load(f)["ActiveVpnTunnelStatus"]
    for i, s in enumerate(status):
        body = {k: v for k, v in s.items()
                if k not in ("VpnConnectionId", "VpnTunnelOutsideIpAddress")}
        write(root, "GetActiveVpnTunnelStatus-" + s["VpnTunnelOutsideIpAddress"],
              document("GetActiveVpnTunnelStatus", {"ActiveVpnTunnelStatus": body},
                       f"0c0ffee0-0000-4000-8000-00000000000{i}"))


if __name__ == "__main__":
    main()
