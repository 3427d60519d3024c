#!/usr/bin/env bash
# Validates docker-compose.yml with Debian's docker-compose (no engine is
# needed for `config`) and checks what operators rely on: secrets made on
# first start and mounted only where needed, TLS on every gRPC port, Redis
# behind its ACL with AOF on, health checks, non-root services, readiness
# ordering.
set -euo pipefail
compose="${1:-docker-compose}"
cd "$(dirname "$0")/.."
config=$("$compose" -f docker-compose.yml config)
services=$("$compose" -f docker-compose.yml config --services | sort | tr '\n' ' ')
fail() { echo "docker-compose.yml: $*" >&2; exit 1; }
# The YAML of one service, from its name to the next top-level service.
service() { awk -v s="  $1:" '$0==s{on=1;print;next} on&&/^ ?[a-z]|^  [a-z-]+:$/{exit} on{print}' <<<"$config"; }

[ "$services" = "auth-init indicators notify redis registry tasks web " ] || fail "unexpected services: $services"
# Long commands wrap in `config`'s output: one line, single spaces.
init=$(service auth-init | tr '\n' ' ' | tr -s ' ')
grep -q "make-certs /auth/private/certs registry tasks indicators notify web" <<<"$init" \
  || fail "auth-init must make the CA and every service's certificate"
grep -q "upliftctl auth init --dir /auth" <<<"$init" || fail "auth-init must make the keys and tokens"

redis=$(service redis)
grep -q -- "--aclfile" <<<"$redis" || fail "redis must load the ACL file"
grep -q "uplift-admin ping" <<<"$redis" || fail "redis's health check must authenticate"
grep -q "service_completed_successfully" <<<"$redis" || fail "redis must wait for its ACL file"
grep -q "^appendonly yes" deploy/redis.conf || fail "redis.conf must turn AOF on"
grep -q "^protected-mode yes" deploy/redis.conf || fail "redis.conf must keep protected mode on"

for pair in registry:50051 tasks:50052 indicators:50053 notify:50054 web:50055; do
  name=${pair%%:*} port=${pair##*:}
  svc=$(service "$name")
  upper=$(tr a-z A-Z <<<"$name")
  grep -q "UPLIFT_${upper}_LISTEN: 0.0.0.0:$port" <<<"$svc" || fail "$name must listen on $port"
  grep -q "UPLIFT_TLS_CERT: /auth/uplift-$name/tls.pem" <<<"$svc" || fail "$name must serve TLS"
  grep -q "UPLIFT_TLS_KEY: /auth/uplift-$name/tls.key" <<<"$svc" || fail "$name needs its TLS key"
  grep -q "UPLIFT_TLS_CA: /auth/public/ca.pem" <<<"$svc" || fail "$name must trust the CA"
  grep -q "UPLIFT_${upper}_SECRETS_DIR: /auth/uplift-$name" <<<"$svc" || fail "$name needs its secrets"
  grep -q "UPLIFT_REDIS_ADDR: redis:6379" <<<"$svc" || fail "$name needs Redis"
  if [ "$name" = web ]; then
    grep -q "https://localhost:8080/readyz" <<<"$svc" || fail "web's health check is /readyz over TLS"
    grep -q "published: 8080" <<<"$svc" || fail "web publishes its HTTP port"
    grep -q "published: 50055" <<<"$svc" && fail "web's gRPC port is for the network inside"
    grep -q "cp -p /auth/private/tokens.key /auth/uplift-web/tokens.key" <<<"$init" \
      || fail "auth-init must give web the token signing key"
    grep -q "UPLIFT_WEB_TOKEN_SIGNING_KEY: /auth/uplift-web/tokens.key" <<<"$svc" \
      || fail "web needs the token signing key in its own secrets"
  else
    grep -q -- "--tls-ca" <<<"$svc" || fail "$name's health check must use TLS"
    grep -q "localhost:$port" <<<"$svc" || fail "$name needs a gRPC health check"
  fi
  grep -q "condition: service_healthy" <<<"$svc" || fail "$name must wait for a healthy redis"
  grep -q "condition: service_completed_successfully" <<<"$svc" || fail "$name must wait for auth-init"
  # A service sees its own secrets, never another's or the deployment's.
  for other in registry tasks indicators notify web; do
    [ "$other" = "$name" ] && continue
    grep -q "$other-secrets:/" <<<"$svc" && fail "$name must not mount $other's secrets"
  done
  grep -q "auth-private:/" <<<"$svc" && fail "$name must not mount the deployment's private keys"
  grep -q "/auth/public:ro" <<<"$svc" || fail "$name mounts the public keys read-only"
done
grep -q "UPLIFT_REGISTRY_ADDR: registry:50051" <<<"$(service indicators)" \
  || fail "indicators needs the registry address"
grep -q "UPLIFT_TASKS_ADDR: tasks:50052" <<<"$(service indicators)" || fail "indicators needs the tasks address"

grep -q "uplift-indicators" deploy/Dockerfile || fail "the image must hold uplift-indicators"
grep -q "uplift-web" deploy/Dockerfile || fail "the image must hold uplift-web"
grep -q "make-certs" deploy/Dockerfile || fail "the image must hold make-certs"
grep -q "^COPY --from=console /src/web/dist /usr/share/uplift/console" deploy/Dockerfile \
  || fail "the image must hold the built console where UPLIFT_WEB_CONSOLE_DIR points"
grep -q "^USER uplift" deploy/Dockerfile || fail "the image must run as a non-root user"
echo "docker-compose.yml is valid: $services"
