#!/usr/bin/env bash
# Validates docker-compose.yml with Debian's docker-compose (no engine is
# needed for `config`) and checks what operators rely on: AOF on Redis,
# health checks, non-root services, readiness ordering.
set -euo pipefail
compose="${1:-docker-compose}"
cd "$(dirname "$0")/.."
config=$("$compose" -f docker-compose.yml config)
services=$("$compose" -f docker-compose.yml config --services | sort | tr '\n' ' ')
fail() { echo "docker-compose.yml: $*" >&2; exit 1; }
[ "$services" = "auth-init indicators notify redis registry tasks " ] || fail "unexpected services: $services"
grep -q "condition: service_healthy" <<<"$config" || fail "registry must wait for a healthy redis"
grep -q "condition: service_completed_successfully" <<<"$config" || fail "registry must wait for auth-init"
for port in 50051 50052 50053 50054; do
  grep -q "localhost:$port" <<<"$config" || fail "the service on $port needs a gRPC health check"
done
grep -q "UPLIFT_TASKS_SERVICE_TOKEN_FILE: /secrets/tasks.token" <<<"$config" || fail "tasks needs its SERVICE token"
grep -q "UPLIFT_INDICATORS_SERVICE_TOKEN_FILE: /indicators-secrets/indicators.token" <<<"$config" \
  || fail "indicators needs its SERVICE token"
grep -q "UPLIFT_TASKS_ADDR: tasks:50052" <<<"$config" || fail "indicators needs the tasks address"
grep -q "uplift-indicators" deploy/Dockerfile || fail "the image must hold uplift-indicators"
grep -q "UPLIFT_NOTIFY_SECRETS_KEY_FILE: /notify-secrets/secrets.key" <<<"$config" || fail "notify needs its secrets key"
grep -q "^appendonly yes" deploy/redis.conf || fail "redis.conf must turn AOF on"
grep -q "^USER uplift" deploy/Dockerfile || fail "the image must run as a non-root user"
echo "docker-compose.yml is valid: $services"
