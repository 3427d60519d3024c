#!/usr/bin/python3
"""Runs docker-compose.yml as local processes, as far as that can be done
without a Docker engine: the services, commands, environments, volumes and
health checks come from `docker-compose config`; each named volume becomes a
directory, each host name and port a free local port. It proves that what
compose starts fits together: auth-init makes certificates, keys, the Redis
ACL and tokens; Redis takes only its users; every service serves TLS with
its own secrets and reaches the others over TLS; the health checks pass;
the README's example plan applies with the ADMIN token and the CA; the
account admin signs in to uplift-web over HTTPS with the password its first
start wrote.

  tests/compose_as_processes.py DOCKER_COMPOSE BUILD_DIR
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVICES = ["registry", "tasks", "indicators", "notify", "web"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(message):
    print("compose as processes: " + message, file=sys.stderr)
    sys.exit(1)


class Deployment:
    def __init__(self, config, build, tmp):
        self.config = config
        self.tmp = tmp
        self.procs = []
        self.ports = {"redis": free_port()}
        self.ports.update({s: free_port() for s in SERVICES})
        self.ports["web-http"] = free_port()
        self.path = os.pathsep.join([
            os.path.join(build, "tools", "upliftctl"),
            os.path.join(ROOT, "deploy"),
            *[os.path.join(build, "services", s) for s in SERVICES],
            os.environ.get("PATH", ""),
        ])
        os.symlink(os.path.join(ROOT, "deploy", "make-certs"), os.path.join(tmp, "make-certs"))
        self.path = tmp + os.pathsep + self.path

    def mounts(self, name):
        """Container path -> local directory, for one service's volumes.

        Volumes under /auth are mounted at the same path wherever they are
        used (checked in main), so /auth as a whole becomes one local
        directory: auth-init's `--dir /auth` then sees them all.
        """
        result = {}
        for volume in self.config["services"][name].get("volumes", []):
            source, target = volume.split(":")[:2]
            if target.startswith("/auth/"):
                continue
            local = source if source.startswith("/") else os.path.join(self.tmp, "volumes", source)
            if not source.startswith("/"):
                os.makedirs(local, exist_ok=True)
            result[target] = local
        return result

    def localise(self, name, text):
        """A string of the compose file with paths, hosts and ports made local."""
        text = text.replace("$$", "$")  # compose's escape of a literal $
        for target, local in sorted(self.mounts(name).items(), key=lambda m: -len(m[0])):
            text = text.replace(target, local)
        text = text.replace("/auth", os.path.join(self.tmp, "fs", "auth"))
        text = text.replace("redis:6379", "127.0.0.1:%d" % self.ports["redis"])
        for i, s in enumerate(SERVICES):
            port = 50051 + i
            text = text.replace("%s:%d" % (s, port), "localhost:%d" % self.ports[s])
            text = text.replace("0.0.0.0:%d" % port, "127.0.0.1:%d" % self.ports[s])
            text = text.replace("localhost:%d" % port, "localhost:%d" % self.ports[s])
        text = text.replace("0.0.0.0:8080", "127.0.0.1:%d" % self.ports["web-http"])
        text = text.replace("localhost:8080", "localhost:%d" % self.ports["web-http"])
        text = text.replace("/var/lib/uplift", os.path.join(self.tmp, "data-" + name))
        text = text.replace("/usr/share/uplift/console", os.path.join(self.tmp, "no-console"))
        return text

    def env(self, name):
        env = {"PATH": self.path, "HOME": self.tmp}
        # The sanitizer tree's settings (scripts/test) reach the processes.
        env.update({k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")})
        for key, value in (self.config["services"][name].get("environment") or {}).items():
            env[key] = self.localise(name, str(value))
        os.makedirs(os.path.join(self.tmp, "data-" + name), exist_ok=True)
        return env

    def command(self, name, argv):
        return [self.localise(name, a) for a in argv]

    def start(self, name, argv):
        log = open(os.path.join(self.tmp, name + ".log"), "w")
        self.procs.append(subprocess.Popen(self.command(name, argv), env=self.env(name),
                                           stdout=log, stderr=subprocess.STDOUT))

    def health(self, name):
        test = self.config["services"][name]["healthcheck"]["test"]
        argv = ["sh", "-c", test[1]] if test[0] == "CMD-SHELL" else test[1:]
        if name == "redis":
            argv = [a.replace("redis-cli", "redis-cli -p %d" % self.ports["redis"]) for a in argv]
        for _ in range(100):
            r = subprocess.run(self.command(name, argv), env=self.env(name),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if r.returncode == 0:
                return
            time.sleep(0.1)
        log = open(os.path.join(self.tmp, name + ".log")).read()[-3000:]
        fail("%s never became healthy: %s\n%s" % (name, r.stdout.decode()[-500:], log))

    def stop(self):
        for p in reversed(self.procs):
            p.terminate()
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def main():
    compose, build = sys.argv[1], os.path.abspath(sys.argv[2])
    text = subprocess.run([compose, "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                          check=True, stdout=subprocess.PIPE).stdout
    config = yaml.safe_load(text)
    tmp = tempfile.mkdtemp(prefix="uplift-compose-")
    d = Deployment(config, build, tmp)
    where = {}
    for name, service in config["services"].items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if target.startswith("/auth/") and where.setdefault(source, target) != target:
                fail("volume %s is mounted at %s and %s" % (source, where[source], target))
    for target in where.values():
        os.makedirs(os.path.join(tmp, "fs") + target, exist_ok=True)
    try:
        # auth-init, twice: the second start changes nothing and succeeds.
        init = config["services"]["auth-init"]["command"]
        for _ in range(2):
            r = subprocess.run(d.command("auth-init", init), env=d.env("auth-init"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if r.returncode != 0:
                fail("auth-init failed:\n" + r.stdout.decode())
        private = os.path.join(tmp, "fs", "auth", "private")
        for s in SERVICES:
            secrets = os.path.join(tmp, "fs", "auth", "uplift-" + s)
            wanted = ["tls.pem", "tls.key", "service.token" if s != "registry" else "events.key"]
            if s == "web":
                wanted.append("tokens.key")
            for f in wanted:
                if not os.path.exists(os.path.join(secrets, f)):
                    fail("auth-init left %s without %s" % (s, f))
            mode = os.stat(os.path.join(secrets, "tls.key")).st_mode & 0o777
            if mode != 0o600:
                fail("%s's TLS key is %o, not 600" % (s, mode))
        if os.path.exists(os.path.join(tmp, "fs", "auth", "public", "ca.key")):
            fail("the CA's key is in the public volume")

        redis = config["services"]["redis"]["command"]
        d.start("redis", redis + ["--port", str(d.ports["redis"]), "--bind", "127.0.0.1",
                                  "--dir", tmp, "--daemonize", "no"])
        d.health("redis")
        anonymous = subprocess.run(["redis-cli", "-p", str(d.ports["redis"]), "xlen", "x"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if b"NOAUTH" not in anonymous.stdout:
            fail("Redis answered without a password: " + anonymous.stdout.decode())

        for s in SERVICES:
            d.start(s, config["services"][s]["command"])
            d.health(s)

        ca = os.path.join(tmp, "fs", "auth", "public", "ca.pem")
        admin = os.path.join(private, "admin.token")
        ctl = [shutil.which("upliftctl", path=d.path), "--tls-ca", ca, "--token-file", admin,
               "--registry-addr", "localhost:%d" % d.ports["registry"],
               "--tasks-addr", "localhost:%d" % d.ports["tasks"]]
        r = subprocess.run(ctl + ["plan", "apply", os.path.join(ROOT, "plans", "xinle-2023.textproto")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0 or "applied" not in r.stdout.decode():
            fail("plan apply over TLS failed:\n" + r.stdout.decode())
        # Without the CA the client refuses the services' certificates.
        r = subprocess.run(ctl[:1] + ["--timeout", "2s", "health", "--addr",
                                      "localhost:%d" % d.ports["tasks"]],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode == 0:
            fail("a plaintext client reached a TLS listener")
        # Tasks learnt the units from the registry's signed events.
        for _ in range(100):
            # stdout alone: what a sanitizer build prints on stderr at exit is not the table.
            r = subprocess.run(ctl + ["task", "list"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            if r.returncode == 0 and "市科学技术和工业信息化局" in r.stdout.decode():
                break
            time.sleep(0.1)
        else:
            fail("task list shows no unit names (exit %d):\n%s\n%s" % (
                r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")))
        # The front door: the first start's admin signs in over HTTPS.
        password = open(os.path.join(d.mounts("web")["/var/lib/uplift"], "admin.password")).read().strip()
        context = ssl.create_default_context(cafile=os.path.join(tmp, "fs", "auth", "public", "ca.pem"))
        url = "https://localhost:%d/uplift.accounts.v1.Accounts/SignIn" % d.ports["web-http"]
        body = json.dumps({"login": "admin", "password": password}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=context, timeout=20) as answer:
            cookie = answer.headers.get("Set-Cookie", "")
            signed_in = json.loads(answer.read().decode())
        if signed_in.get("account", {}).get("login") != "admin":
            fail("admin could not sign in to uplift-web: %r" % signed_in)
        if not cookie.startswith("__Host-uplift_session=") or "Secure" not in cookie:
            fail("over TLS the session cookie must be __Host- and Secure: " + cookie)
        print("docker-compose.yml runs as processes: auth-init, redis with its ACL, "
              "four services and uplift-web on TLS, the example plan applied, admin signed in")
    finally:
        d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
