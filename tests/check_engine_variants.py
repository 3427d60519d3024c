#!/usr/bin/python3
"""The integration suite's second run really is on PostgreSQL: every test
named postgresql.* carries UPLIFT_TEST_ENGINE=postgresql, and each has its
SQLite twin, but for tests about PostgreSQL itself (named *Postgres*, left
out of the SQLite run). (A list value in gtest_discover_tests' PROPERTIES once ate the
ENVIRONMENT after it, and the "PostgreSQL" run went on SQLite unnoticed.)

  tests/check_engine_variants.py BUILD_DIR
"""
import json
import subprocess
import sys

ENGINE = "UPLIFT_TEST_ENGINE=postgresql"


def main():
    listing = subprocess.run(
        ["ctest", "--show-only=json-v1"], cwd=sys.argv[1], check=True, capture_output=True, text=True
    ).stdout
    tests = json.loads(listing)["tests"]
    names = {t["name"] for t in tests}
    problems = []
    variants = 0
    for t in tests:
        if not t["name"].startswith("postgresql."):
            continue
        variants += 1
        environment = [
            value
            for p in t.get("properties", [])
            if p["name"] == "ENVIRONMENT"
            for value in p["value"]
        ]
        if ENGINE not in environment:
            problems.append(t["name"] + ": no " + ENGINE)
        twin = t["name"][len("postgresql.") :]
        if twin not in names and "Postgres" not in twin:
            problems.append(t["name"] + ": no SQLite twin")
    if variants < 50:
        problems.append(f"only {variants} postgresql.* tests: the integration suite is not doubled")
    for p in problems[:20]:
        print(p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"{variants} integration tests run a second time on PostgreSQL")


main()
