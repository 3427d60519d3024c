// The suite as real processes for the browser tests: keys and Redis ACL
// (upliftctl auth init), redis-server, the four services and uplift-web with
// the built console, each on a free port, in a temporary directory. As
// ./scripts/run starts them, with the cheapest password hashing (argon2id at
// its real cost takes seconds a sign-in when tests sign in dozens of times).
import { spawn, execFile } from "node:child_process";
import {
  mkdtempSync,
  mkdirSync,
  openSync,
  readFileSync,
  existsSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, "..", "..");

export function freePort() {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Suite {
  constructor({ build, consoleDir }) {
    this.build = resolve(build);
    this.consoleDir = resolve(consoleDir);
    this.dir = mkdtempSync(join(tmpdir(), "uplift-console-e2e-"));
    this.procs = [];
    this.ctlPath = join(this.build, "tools", "upliftctl", "upliftctl");
    // Every service reads its clock's shift from here (tests and drills only).
    this.clockFile = join(this.dir, "clock.offset");
    writeFileSync(this.clockFile, "0\n");
  }

  // Moves every service's clock `days` ahead of the real one (from now on;
  // the services read the file within 50 ms).
  async shiftClock(days) {
    this.clockShiftMs = days * 86_400_000;
    writeFileSync(this.clockFile, `${days * 86_400}\n`);
    await sleep(200);
  }

  async start() {
    if (!existsSync(join(this.consoleDir, "index.html"))) {
      throw new Error(
        `no built console in ${this.consoleDir}: run ./scripts/build first`,
      );
    }
    const names = [
      "redis",
      "registry",
      "tasks",
      "indicators",
      "notify",
      "web",
      "http",
    ];
    this.ports = {};
    for (const n of names) this.ports[n] = await freePort();
    const auth = join(this.dir, "auth");
    await run(this.ctlPath, [
      "auth",
      "init",
      "--dir",
      auth,
      "--admin-token",
      join(this.dir, "admin.token"),
    ]);
    mkdirSync(join(this.dir, "redis"));
    mkdirSync(join(this.dir, "logs"));
    this.spawn("redis", "redis-server", [
      join(ROOT, "deploy", "redis.conf"),
      "--port",
      String(this.ports.redis),
      "--bind",
      "127.0.0.1",
      "--aclfile",
      join(auth, "redis", "users.acl"),
      "--dir",
      join(this.dir, "redis"),
      "--daemonize",
      "no",
      "--save",
      "",
      "--appendonly",
      "no",
    ]);
    this.env = {
      ...process.env,
      UPLIFT_REDIS_ADDR: `127.0.0.1:${this.ports.redis}`,
      UPLIFT_PUBLIC_KEYS_DIR: join(auth, "public"),
      UPLIFT_REGISTRY_ADDR: `127.0.0.1:${this.ports.registry}`,
      UPLIFT_TASKS_ADDR: `127.0.0.1:${this.ports.tasks}`,
      UPLIFT_INDICATORS_ADDR: `127.0.0.1:${this.ports.indicators}`,
      UPLIFT_NOTIFY_ADDR: `127.0.0.1:${this.ports.notify}`,
      UPLIFT_WEB_ADDR: `127.0.0.1:${this.ports.web}`,
    };
    await this.waitFor("redis-server", async () => {
      const pw = readFileSync(
        join(auth, "redis", "admin.password"),
        "utf8",
      ).trim();
      await run(
        "redis-cli",
        ["-p", String(this.ports.redis), "--user", "uplift-admin", "ping"],
        {
          env: { ...process.env, REDISCLI_AUTH: pw },
        },
      );
    });
    await this.service("registry", []);
    // The sweep runs once, at the start: a problem the clock has carried
    // past its deadline stays overdue (and at its rung) for the tests to see.
    await this.service("tasks", ["--sweep-interval", "24h"]);
    await this.service("indicators", []);
    // A county's SMS gateway (tests/fakes/fake_sms_gateway.py): what it
    // took is in this.smsLog, one JSON line a message.
    const smsPortFile = join(this.dir, "sms.port");
    this.smsLog = join(this.dir, "sms.jsonl");
    this.spawn("sms-gateway", "/usr/bin/python3", [
      join(ROOT, "tests", "fakes", "fake_sms_gateway.py"),
      "--token",
      "t0ken-of-the-county",
      "--port-file",
      smsPortFile,
      "--log",
      this.smsLog,
    ]);
    const smsPort = await this.waitFor("the SMS gateway", async () =>
      readFileSync(smsPortFile, "utf8").trim(),
    );
    // Webhooks to this machine (the tests' receivers), given up within
    // seconds rather than a day, so a dead letter happens during a test.
    // Messages to people carry links to the console; the people of units
    // (uplift-web's accounts) are read every second.
    await this.service("notify", [
      "--accounts-addr",
      `127.0.0.1:${this.ports.web}`,
      "--people-refresh",
      "1s",
      "--webhook-allow",
      "127.0.0.1/32",
      "--webhook-give-up",
      "2s",
      "--webhook-retry-first",
      "200ms",
      "--webhook-retry-cap",
      "500ms",
      "--ack-link-base",
      `http://127.0.0.1:${this.ports.http}`,
      "--sms-url",
      `http://127.0.0.1:${smsPort}/api/sms`,
      "--sms-header",
      "Authorization: Bearer t0ken-of-the-county",
      "--sms-header",
      "Content-Type: application/json; charset=utf-8",
      "--sms-body",
      '{"mobile":"{phone}","content":"{text}","outId":"{id}"}',
      "--sms-success-contains",
      '"code": 0',
    ]);
    // A dozen people sign in from this one address within a minute.
    await this.service(
      "web",
      ["--password-cost", "minimal", "--sign-in-rate", "600"],
      {
        UPLIFT_WEB_HTTP_LISTEN: `127.0.0.1:${this.ports.http}`,
        UPLIFT_WEB_TOKEN_SIGNING_KEY: join(auth, "private", "tokens.key"),
        UPLIFT_WEB_CONSOLE_DIR: this.consoleDir,
      },
    );
    this.url = `http://127.0.0.1:${this.ports.http}`;
    this.adminPassword = readFileSync(
      join(this.dir, "web", "admin.password"),
      "utf8",
    ).trim();
  }

  spawn(name, bin, args, env = process.env) {
    const log = openSync(join(this.dir, "logs", `${name}.log`), "a");
    const p = spawn(bin, args, { env, stdio: ["ignore", log, log] });
    p.on("exit", (code, signal) => {
      if (this.stopping) return;
      this.died = `${name} exited (${code ?? signal}); see ${this.dir}/logs/${name}.log`;
      console.error(`e2e: ${this.died}`);
    });
    this.procs.push(p);
    return p;
  }

  async service(name, args, extra = {}) {
    const upper = name.toUpperCase();
    this.spawn(
      name,
      join(this.build, "services", name, `uplift-${name}`),
      [
        "--data-dir",
        join(this.dir, name),
        "--testing-clock-offset-file",
        this.clockFile,
        ...args,
      ],
      {
        ...this.env,
        ...extra,
        [`UPLIFT_${upper}_LISTEN`]: `127.0.0.1:${this.ports[name]}`,
        [`UPLIFT_${upper}_SECRETS_DIR`]: join(
          this.dir,
          "auth",
          `uplift-${name}`,
        ),
      },
    );
    await this.waitFor(`uplift-${name}`, () =>
      this.ctl([
        "--timeout",
        "1s",
        "health",
        "--addr",
        `127.0.0.1:${this.ports[name]}`,
      ]),
    );
  }

  async waitFor(what, probe, seconds = 30) {
    const end = Date.now() + seconds * 1000;
    for (;;) {
      try {
        return await probe();
      } catch (e) {
        if (Date.now() > end)
          throw new Error(
            `${what} did not become ready: ${e.message}; logs in ${this.dir}/logs`,
          );
        await sleep(100);
      }
    }
  }

  // The SMS the gateway took, oldest first.
  smsTaken() {
    if (!existsSync(this.smsLog)) return [];
    return readFileSync(this.smsLog, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l))
      .filter((m) => m.code === 0);
  }

  // upliftctl as the deployment's ADMIN, with the suite's addresses.
  async ctl(args, { input, ...options } = {}) {
    const call = run(this.ctlPath, ["--data-dir", this.dir, ...args], {
      env: this.env,
      maxBuffer: 64 << 20,
      ...options,
    });
    // A command that reads no input may exit before its stdin is closed:
    // EPIPE on stdin is then no failure (its exit status decides).
    call.child.stdin.on("error", (e) => {
      if (e.code !== "EPIPE") throw e;
    });
    if (input === undefined) call.child.stdin.end();
    else call.child.stdin.end(input);
    const { stdout } = await call;
    return stdout;
  }

  // A generated county (uplift-county) in the registry, with its monthly
  // figures from January of last year through September imported, and its
  // project ledger in uplift-tasks.
  async county(out, enterprises) {
    const bin = join(this.build, "tools", "county", "uplift-county");
    await run(
      bin,
      [
        "--plan",
        join(ROOT, "plans", "xinle-2023.textproto"),
        "--out",
        out,
        "--through",
        "9",
        "--enterprises",
        String(enterprises),
        "--populate",
        "--registry-addr",
        this.env.UPLIFT_REGISTRY_ADDR,
        "--tasks-addr",
        this.env.UPLIFT_TASKS_ADDR,
        "--token-file",
        join(this.dir, "admin.token"),
      ],
      { env: this.env },
    );
    // Indicators learns of the enterprises from the registry's events; a
    // report for one it has not heard of yet is refused, so import until none is.
    await this.waitFor(
      "the county's figures",
      async () => {
        await this.ctl(["report", "import", join(out, "reports.csv")]);
      },
      120,
    );
  }

  // Fails at once when a process of the suite has died, instead of letting
  // every later step wait for its timeout.
  assertAlive() {
    if (this.died) throw new Error(`the suite is down: ${this.died}`);
  }

  async stop() {
    this.stopping = true;
    for (const p of [...this.procs].reverse()) {
      if (p.exitCode !== null) continue;
      p.kill("SIGTERM");
      await new Promise((r) => (p.exitCode !== null ? r() : p.once("exit", r)));
    }
    if (process.env.UPLIFT_KEEP_E2E_DIR !== "1")
      rmSync(this.dir, { recursive: true, force: true });
  }
}
