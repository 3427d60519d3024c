#!/usr/bin/python3
"""Validates deploy/compose.ha.yml with the main file through Debian's
docker-compose (`config` needs no engine) and checks what a replicated
deployment relies on: PostgreSQL with a database, role and password file per
service and no password in any environment; Redis with a replica and three
sentinels that every service goes through, the outbox waiting for the
replica; a second replica of each service and of uplift-web that answers to
the same name, runs the same command with the same settings and sees only
its own service's secrets.

  tests/check_compose_ha.py DOCKER_COMPOSE
"""
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = ["registry", "tasks", "indicators", "notify", "web"]
SENTINELS = ["sentinel-1", "sentinel-2", "sentinel-3"]
problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


def command_text(service):
    command = service.get("command", [])
    text = " ".join(command) if isinstance(command, list) else command
    return text.replace("$$", "$")  # compose's escape of a literal $


def depends(service):
    d = service.get("depends_on", {})
    return d if isinstance(d, dict) else {name: {} for name in d}


def main():
    compose = sys.argv[1] if len(sys.argv) > 1 else "docker-compose"
    files = ["-f", "docker-compose.yml", "-f", "deploy/compose.ha.yml"]
    out = subprocess.run([compose, *files, "config"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        print("deploy/compose.ha.yml: docker-compose config failed:\n" + out.stderr, file=sys.stderr)
        sys.exit(1)
    services = yaml.safe_load(out.stdout)["services"]
    expected = {"auth-init", "redis", "redis-replica", "postgres", "postgres-secrets", *SENTINELS,
                *SERVICES, *[s + "-b" for s in SERVICES]}
    check(set(services) == expected, f"services {sorted(services)}, expected {sorted(expected)}")

    postgres = services.get("postgres", {})
    check(postgres.get("image", "").startswith("postgres:15"), "postgres must be PostgreSQL 15")
    check(any("/docker-entrypoint-initdb.d/" in v for v in postgres.get("volumes", [])),
          "postgres must run deploy/postgres-init.sh when it initialises")
    check("pg_isready" in str(postgres.get("healthcheck", {})), "postgres needs a health check")
    check("POSTGRES_PASSWORD_FILE" in postgres.get("environment", {}),
          "postgres's superuser password comes from a file")
    init = open(os.path.join(ROOT, "deploy", "postgres-init.sh"), encoding="utf-8").read()
    secrets = command_text(services.get("postgres-secrets", {}))
    check("for s in registry tasks indicators notify web" in init,
          "postgres-init.sh must make every service's role and database")
    for name in SERVICES:
        check(f"{name}-secrets:/auth/uplift-{name}" in " ".join(
            services.get("postgres-secrets", {}).get("volumes", [])),
              f"postgres-secrets must write {name}'s password file into its secrets")
    check("CREATE ROLE uplift_$s LOGIN PASSWORD" in init and "CREATE DATABASE uplift_$s" in init,
          "postgres-init.sh must create a role and a database per service")
    check("/auth/uplift-$s/pgpass" in secrets and "umask 077" in secrets,
          "postgres-secrets must write each pgpass file 0600")

    redis_master = command_text(services.get("redis", {}))
    replica = command_text(services.get("redis-replica", {}))
    check("--replicaof redis 6379" in replica, "redis-replica must replicate redis")
    for name, text in (("redis", redis_master), ("redis-replica", replica)):
        check("--aclfile /auth/redis/users.acl" in text, f"{name} must load the ACL file")
        check("--masterauth" in text and "--masteruser uplift-admin" in text,
              f"{name} must be able to replicate from the other after a failover")
    sentinel_data = set()
    for name in SENTINELS:
        text = command_text(services.get(name, {}))
        check("sentinel monitor uplift redis 6379 2" in text,
              f"{name} must watch redis with a quorum of 2")
        check("sentinel auth-user uplift uplift-admin" in text, f"{name} must authenticate")
        check("[ -s /data/sentinel.conf ] ||" in text,
              f"{name} must keep what it learnt (its config) across restarts")
        sentinel_data |= {v.split(":")[0] for v in services.get(name, {}).get("volumes", [])
                          if v.endswith(":/data:rw") or v.endswith(":/data")}
    check(len(sentinel_data) == 3, "each sentinel needs a data volume of its own")

    prometheus = yaml.safe_load(open(os.path.join(ROOT, "deploy", "prometheus", "prometheus.yml")))
    prometheus_ports = {}
    for job in prometheus["scrape_configs"]:
        for sd in job.get("dns_sd_configs", []):
            for n in sd["names"]:
                prometheus_ports[n] = sd["port"]
    sentinel_url = "sentinel://" + ",".join(f"{s}:26379" for s in SENTINELS) + "/uplift"
    for name in SERVICES:
        a, b = services.get(name, {}), services.get(name + "-b", {})
        upper = name.upper()
        for replica_name, s in ((name, a), (name + "-b", b)):
            env = s.get("environment", {})
            url = env.get(f"UPLIFT_{upper}_DATABASE_URL", "")
            check(url == f"postgresql://uplift_{name}@postgres:5432/uplift_{name}",
                  f"{replica_name} must use its own database without a password in the URL")
            check(env.get("PGPASSFILE") == f"/auth/uplift-{name}/pgpass",
                  f"{replica_name} reads its password from its own secrets")
            check(env.get("UPLIFT_REDIS_ADDR") == sentinel_url,
                  f"{replica_name} must find Redis through the three sentinels")
            port = prometheus_ports.get(name)
            check(port is not None and env.get(f"UPLIFT_{upper}_METRICS_LISTEN") == f"0.0.0.0:{port}",
                  f"{replica_name} must serve metrics where deploy/prometheus/prometheus.yml looks")
            check(str(env.get("UPLIFT_REDIS_WAIT_REPLICAS")) == "1",
                  f"{replica_name}'s outbox must wait for the Redis replica")
            for key, value in env.items():
                check(not re.search(r"PASSWORD$", key) or value in ("", None) or "${" in str(value),
                      f"{replica_name} has a password in its environment: {key}")
            volumes = " ".join(s.get("volumes", []))
            for other in SERVICES:
                check(other == name or f"{other}-secrets:" not in volumes,
                      f"{replica_name} must not mount {other}'s secrets")
            check("auth-private:" not in volumes,
                  f"{replica_name} must not mount the deployment's private keys")
            check(f"{name}-secrets:/auth/uplift-{name}:ro" in volumes,
                  f"{replica_name} mounts its own secrets read-only")
        check(depends(a).get("postgres", {}).get("condition") == "service_healthy",
              f"{name} must wait for PostgreSQL")
        check(depends(b).get(name, {}).get("condition") == "service_healthy",
              f"{name}-b must start once {name} is healthy")
        aliases = b.get("networks", {}).get("default", {}).get("aliases", [])
        check(name in aliases, f"{name}-b must answer to the name {name}")
        check(a.get("command") == b.get("command"), f"{name}-b must run what {name} runs")
        check(a.get("environment") == b.get("environment"), f"{name}-b must have {name}'s settings")
        check(a.get("healthcheck", {}).get("test") == b.get("healthcheck", {}).get("test"),
              f"{name}-b needs {name}'s health check")
        data = lambda s: {v.split(":")[0] for v in s.get("volumes", []) if ":/var/lib/uplift" in v}
        check(data(a) and data(b) and not data(a) & data(b),
              f"{name} and {name}-b need data directories of their own")
        if name != "web":
            check(not b.get("ports"), f"{name}-b's gRPC port is for the network inside")
    published = lambda s: {p.get("published") for p in services.get(s, {}).get("ports", [])}
    check(published("web") and published("web-b") and not published("web") & published("web-b"),
          "web and web-b publish different HTTP ports")

    if problems:
        print("deploy/compose.ha.yml:\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"deploy/compose.ha.yml is valid: {len(services)} services")


if __name__ == "__main__":
    main()
