#!/bin/bash
# vpn-doctor's output formats (no network needed):
#   --json of vpn-doctor --demo and of every other tool's report validates against
#   schema/report.schema.json (Debian's python3-jsonschema, draft 2020-12), and the root
#   causes point at findings that exist;
#   --markdown renders through Debian's python3-markdown with no raw markup left in the
#   HTML's text (no "**", no backticks, no table pipes), every table becomes a <table>;
#   the text report names the root cause first and groups findings by section.
# Uses /usr/bin/python3: the Debian modules live there whatever python3 is first in PATH.

. "$(dirname "$0")/lib.sh"

VD=${VPN_DOCTOR:-$IT_ROOT/bin/vpn-doctor}
PY=/usr/bin/python3
[ -x "$VD" ] || { skip "test_doctor_formats" "$VD not built (make)"; it_finish; }
if ! "$PY" -c 'import jsonschema, markdown' 2>/dev/null; then
	skip "test_doctor_formats" "python3-jsonschema or python3-markdown missing (scripts/deps.sh test)"
	it_finish
fi
it_init
trap it_cleanup EXIT
cd "$IT_ROOT" || exit 1

validate() { # NAME FILE
	local out
	if out=$("$PY" - "$IT_ROOT/schema/report.schema.json" "$2" 2>&1 <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
for line in open(sys.argv[2]):
    if not line.strip():
        continue
    r = json.loads(line)
    jsonschema.validate(r, schema, cls=jsonschema.Draft202012Validator)
    for c in r.get("root_causes", []):
        for i in c["findings"]:
            assert 0 <= i < len(r["findings"]), ("cause points past the findings", c)
print("ok")
PY
	); then ok "$1 validates against the schema"
	else fail "$1" "$out"
	fi
}

"$VD" --demo --json >"$IT_TMP/demo.json"
validate "vpn-doctor --demo --json" "$IT_TMP/demo.json"
"$VD" --aws-file testdata/doctor/two-connections.json --only routes,tunnel --json >"$IT_TMP/two.json"
[ "$(wc -l <"$IT_TMP/two.json")" -eq 2 ] && ok "two VPN connections: one JSON report a line" ||
	fail "two connections" "$(wc -l <"$IT_TMP/two.json") lines"
validate "vpn-doctor --json with two connections (NDJSON)" "$IT_TMP/two.json"
bin/vpn-routes --aws-dir testdata/routes/shadowed-partial --json >"$IT_TMP/routes.json"
validate "vpn-routes --json" "$IT_TMP/routes.json"
bin/vpn-logs --json testdata/vpnlogs/catalogue.log >"$IT_TMP/logs.json" 2>/dev/null
validate "vpn-logs --json" "$IT_TMP/logs.json"
bin/vpn-ike probe --read-packet testdata/ike/v2-resp-accepted.bin --json >"$IT_TMP/ike.json"
validate "vpn-ike probe --read-packet --json" "$IT_TMP/ike.json"
bin/vpn-srcip --pcap testdata/srcip/natother.pcap --cgw-ip 198.51.100.10 --peer 203.0.113.1 \
	--no-echo --no-ike --json >"$IT_TMP/srcip.json"
validate "vpn-srcip --json" "$IT_TMP/srcip.json"
# the schema is not a rubber stamp: a report with an unknown status must fail it
sed 's/"status":"pass"/"status":"fine"/' "$IT_TMP/demo.json" >"$IT_TMP/bad.json"
if "$PY" - "$IT_ROOT/schema/report.schema.json" "$IT_TMP/bad.json" >/dev/null 2>&1 <<'PY'
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])),
                    cls=jsonschema.Draft202012Validator)
PY
then fail "schema" "a report with status \"fine\" passed"
else ok "the schema refuses a report with an unknown status"
fi

"$VD" --demo --markdown >"$IT_TMP/demo.md"
if out=$("$PY" - "$IT_TMP/demo.md" "$IT_TMP/demo.json" 2>&1 <<'PY'
import sys, re, json, markdown
from html.parser import HTMLParser
src = open(sys.argv[1]).read()
html = markdown.markdown(src, extensions=["tables"])
class T(HTMLParser):
    def __init__(self):
        super().__init__(); self.text = []; self.tags = []; self.inside_code = 0
    def handle_starttag(self, tag, a):
        self.tags.append(tag)
        if tag == "code": self.inside_code += 1
    def handle_endtag(self, tag):
        if tag == "code": self.inside_code -= 1
    def handle_data(self, d):
        self.text.append(d)
t = T(); t.feed(html)
text = "".join(t.text)
assert "table" in t.tags, "no table rendered"
assert t.tags.count("h2") >= 3, "sections are not headings"
for bad in ("**", "|---", "| ---", "\\`", "\\|"):
    assert bad not in text, "raw markup %r leaks into the rendered text" % bad
# every summary and fix comes out as written: escaping round-trips, nothing is eaten
rep = json.load(open(sys.argv[2]))
flat = re.sub(r"\s+", " ", "".join(t.text))
for f in rep["findings"]:
    for key in ("summary", "fix"):
        if f[key]:
            assert re.sub(r"\s+", " ", f[key]) in flat, "%s of %s not rendered as written: %r" % (key, f["check"], f[key][:80])
assert re.search(r"Most likely cause", text), "no root cause section"
print("ok", len(html))
PY
); then ok "--markdown renders through python3-markdown with no raw markup left"
else fail "--markdown" "$out"
fi

"$VD" --demo >"$IT_TMP/demo.txt"
rc=$?
if [ "$rc" -eq 2 ] && sed -n 3p "$IT_TMP/demo.txt" | grep -q '^Most likely cause \[FAIL\] .*(source_address)$' &&
	grep -q '^== Traffic does not pass$' "$IT_TMP/demo.txt"; then
	ok "text: the source address first, sections, exit 2"
else
	fail "text report" "exit $rc: $(head -n 5 "$IT_TMP/demo.txt")"
fi
it_finish
