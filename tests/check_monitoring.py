#!/usr/bin/python3
"""Checks what deploy/ ships for monitoring against the code: the alert rules
and the Prometheus configuration pass promtool (and the rules' own tests,
tests/prometheus_rules_test.yml), and every metric the rules and the Grafana
dashboard query is one the services register (or Prometheus's own `up`), so
a renamed metric cannot leave a panel or an alert silently empty.

  tests/check_monitoring.py
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROM = os.path.join(ROOT, "deploy", "prometheus")
DASHBOARD = os.path.join(ROOT, "deploy", "grafana", "uplift-dashboard.json")
PROMQL_WORDS = {"sum", "max", "min", "avg", "by", "on", "rate", "deriv", "delta", "increase",
                "histogram_quantile", "and", "or", "unless", "le", "humanizeDuration"}


def fail(message):
    print("monitoring: " + message, file=sys.stderr)
    sys.exit(1)


def run(*args, cwd=None):
    r = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        fail(" ".join(args) + ":\n" + r.stdout + r.stderr)


def registered_metrics():
    """Every name passed to AddCounter/AddHistogram/AddGauge in the sources."""
    names = set()
    for path in glob.glob(os.path.join(ROOT, "**", "*.cc"), recursive=True):
        if "/build" in path or path.endswith("_test.cc"):
            continue
        text = open(path, encoding="utf-8").read()
        for kind, name in re.findall(r'Add(Counter|Histogram|Gauge)\(\s*"([a-z_:]+)"', text):
            names.add(name)
            if kind == "Histogram":
                names |= {name + "_bucket", name + "_sum", name + "_count"}
    return names


def metrics_in(expr):
    """The metric names an expression reads (words followed by { [ or ) or space)."""
    expr = re.sub(r'"[^"]*"', '""', expr)      # label values
    expr = re.sub(r"\{[^}]*\}", "{}", expr)   # label matchers
    expr = re.sub(r"\[[^\]]*\]", "[]", expr)  # ranges
    words = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr))
    expr_labels = set(re.findall(r"(?:by|on)\s*\(([^)]*)\)", expr))
    labels = {l.strip() for group in expr_labels for l in group.split(",")}
    return {w for w in words if w not in PROMQL_WORDS and w not in labels}


def main():
    run("promtool", "check", "rules", os.path.join(PROM, "alerts.yml"))
    run("promtool", "check", "config", os.path.join(PROM, "prometheus.yml"))
    run("promtool", "test", "rules", "prometheus_rules_test.yml", cwd=os.path.join(ROOT, "tests"))
    known = registered_metrics() | {"up"}
    if len(known) < 10:
        fail(f"found only {sorted(known)} registered: is the search broken?")
    exprs = re.findall(r"^\s*expr:\s*(.+)$", open(os.path.join(PROM, "alerts.yml")).read(), re.M)
    dashboard = json.load(open(DASHBOARD, encoding="utf-8"))
    for panel in dashboard["panels"]:
        if not panel.get("targets"):
            fail(f"panel {panel.get('title')} queries nothing")
        exprs += [t["expr"] for t in panel["targets"]]
    unknown = {m for e in exprs for m in metrics_in(e)} - known
    if unknown:
        fail("queried but not registered by any service: " + ", ".join(sorted(unknown)))
    print(f"monitoring: {len(exprs)} queries over {len(known)} metrics; rules and config valid")


if __name__ == "__main__":
    main()
