#!/usr/bin/env bash
# Security scan (`make security-scan`):
#   1. bandit over the shipped code (config, core, diary, reports; tests, bench, scripts and
#      migrations excluded in pyproject.toml [tool.bandit]): any finding of medium or high
#      severity fails, unless its line carries a reviewed `# nosec BXXX`;
#   2. pip-audit over the pinned requirements (requirements-dev.txt, which includes
#      requirements.txt, with every transitive dependency): any known vulnerability fails.
# pip-audit asks a vulnerability service over the network (PyPI's JSON API, then OSV). When
# neither can be reached — or PyPI answers for none of the pinned releases — the audit cannot
# happen: that is reported plainly and is the one case that does not fail the scan.
# Prints a summary; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
PY="$BIN/python"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

bandit_result="not run"
audit_result="not run"
failed=0

# --- 1. bandit ---------------------------------------------------------------------------------
echo "== bandit: config core diary reports (severity medium and up)"
"$BIN/bandit" -c pyproject.toml -r config core diary reports --severity-level medium \
  -f json -o "$OUT/bandit.json" -q 2>"$OUT/bandit.err"
bandit_rc=$?
if [ ! -s "$OUT/bandit.json" ] || [ "$bandit_rc" -gt 1 ]; then
  cat "$OUT/bandit.err" >&2
  bandit_result="ERROR: bandit did not run (exit $bandit_rc)"
  failed=1
else
  bandit_result=$("$PY" - "$OUT/bandit.json" <<'EOF'
import json
import sys

report = json.load(open(sys.argv[1]))
results = report["results"]
totals = report["metrics"]["_totals"]
for r in sorted(results, key=lambda r: (r["filename"], r["line_number"], r["test_id"])):
    print(
        f"  {r['filename']}:{r['line_number']}: {r['test_id']} {r['test_name']} "
        f"[{r['issue_severity'].lower()}/{r['issue_confidence'].lower()} confidence] "
        f"{r['issue_text']}",
        file=sys.stderr,
    )
for error in report.get("errors", []):
    print(f"  could not scan {error['filename']}: {error['reason']}", file=sys.stderr)
waived = totals.get("skipped_tests", 0) + totals.get("nosec", 0)
status = "FAILED" if results or report.get("errors") else "ok"
print(
    f"{status}: {len(results)} finding(s) at medium or high severity, {waived} waived with"
    f" # nosec, {totals['loc']} lines scanned"
)
EOF
  )
  case "$bandit_result" in ok:*) ;; *) failed=1 ;; esac
fi
echo "bandit: $bandit_result"

# --- 2. pip-audit --------------------------------------------------------------------------
# Reads the audit's JSON; prints one status line; exit 0 audited and clean, 1 vulnerable,
# 3 nothing could be audited (the service answered for no pinned release).
summarise_audit() {
  "$PY" - "$1" <<'EOF'
import json
import sys

deps = json.load(open(sys.argv[1]))["dependencies"]
skipped = [d for d in deps if d.get("skip_reason")]
audited = [d for d in deps if not d.get("skip_reason")]
vulnerable = [d for d in audited if d.get("vulns")]
if deps and not audited:
    print(f"none of {len(deps)} pinned releases could be looked up ({skipped[0]['skip_reason']})")
    sys.exit(3)
for d in vulnerable:
    for v in d["vulns"]:
        fixes = ", ".join(v.get("fix_versions") or []) or "no fixed release"
        print(f"  {d['name']} {d['version']}: {v['id']} (fixed in {fixes})", file=sys.stderr)
for d in skipped:
    print(f"  not audited: {d['name']}: {d['skip_reason']}", file=sys.stderr)
count = sum(len(d["vulns"]) for d in vulnerable)
status = "FAILED" if vulnerable else "ok"
print(
    f"{status}: {count} known vulnerabilit{'y' if count == 1 else 'ies'} in {len(audited)}"
    f" audited packages ({len(skipped)} not audited)"
)
sys.exit(1 if vulnerable else 0)
EOF
}

echo "== pip-audit: requirements-dev.txt (includes requirements.txt) and their dependencies"
unreachable=""
for service in pypi osv; do
  rm -f "$OUT/audit.json"
  "$BIN/pip-audit" -r requirements-dev.txt -s "$service" -f json -o "$OUT/audit.json" \
    --progress-spinner off >"$OUT/audit.out" 2>"$OUT/audit.err"
  if [ ! -s "$OUT/audit.json" ]; then
    if grep -qiE "ConnectionError|NameResolution|Max retries|timed out|Temporary failure|Connection refused|ServiceError" "$OUT/audit.err"; then
      reason=$(tail -n 1 "$OUT/audit.err" | sed -E "s/.*host='([^']+)'.*Caused by ([A-Za-z]+).*/\2 for \1/" | cut -c1-160)
      unreachable+="$service: $reason; "
      continue
    fi
    cat "$OUT/audit.err" >&2
    audit_result="ERROR: pip-audit did not run"
    failed=1
    break
  fi
  line=$(summarise_audit "$OUT/audit.json")
  rc=$?
  if [ "$rc" -eq 3 ]; then
    unreachable+="$service: $line; "
    continue
  fi
  audit_result="$line (service: $service)"
  [ "$rc" -eq 0 ] || failed=1
  break
done
if [ "$audit_result" = "not run" ] && [ -n "$unreachable" ]; then
  audit_result="SKIPPED: pip-audit could not reach its vulnerability service — ${unreachable%; }"
fi
echo "pip-audit: $audit_result"

echo "== summary"
echo "bandit:    $bandit_result"
echo "pip-audit: $audit_result"
if [ "$failed" -ne 0 ]; then
  echo "security scan: FAILED"
  exit 1
fi
echo "security scan: passed"
