// Measures the console, printing numbers (never asserted; docs/console.md
// has them): the JavaScript and CSS a browser downloads for the first page
// (gzip -9 of each file fetched until the sign-in page is idle; goal
// <= 700 KB), and the time until 挂图作战 is interactive in headless
// Chromium with a generated county (goal <= 1.5 s): from navigation start
// until the task colours are counted, the growth chart is drawn and the
// network is idle, over several loads.
//
//   node scripts/measure.mjs [--enterprises 3000] [--runs 5]
//   (UPLIFT_BUILD_DIR: the tree with the services, default ../build)
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, Suite } from "../e2e/suite.mjs";
import { launch, Person } from "../e2e/browser.mjs";

const { values } = parseArgs({
  options: {
    enterprises: { type: "string", default: "3000" },
    runs: { type: "string", default: "5" },
  },
});
const build = resolve(process.env.UPLIFT_BUILD_DIR ?? join(ROOT, "build"));
const dist = join(ROOT, "web", "dist");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const suite = new Suite({ build, consoleDir: dist });
let browser;
try {
  await suite.start();
  await suite.ctl([
    "plan",
    "apply",
    join(ROOT, "plans", "xinle-2023.textproto"),
  ]);
  const t0 = Date.now();
  await suite.county(join(suite.dir, "county"), Number(values.enterprises));
  console.log(
    `county: ${values.enterprises} enterprises with 21 months of figures, ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const password = "Measure-2023-新乐";
  await suite.ctl(
    [
      "account",
      "add",
      "ce.liang",
      "--name",
      "测量",
      "--role",
      "PLAN_OWNER",
      "--unit",
      "dept-kgx",
      "--password-stdin",
    ],
    {
      input: password,
    },
  );
  browser = await launch();

  // 1. The first page's downloads.
  const first = new Person(browser, {
    name: "measure",
    baseUrl: suite.url,
    shots: join(build, "console-measure"),
  });
  await first.open();
  const fetched = new Set();
  first.page.on("requestfinished", (r) => {
    const path = new URL(r.url()).pathname;
    if (/\.(js|css)$/.test(path)) fetched.add(path);
  });
  await first.page.goto("/login", { waitUntil: "networkidle" });
  let raw = 0;
  let gz = 0;
  const rows = [];
  for (const path of fetched) {
    const bytes = readFileSync(join(dist, path));
    const z = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += z;
    rows.push([path, bytes.length, z]);
  }
  rows.sort((a, b) => b[2] - a[2]);
  console.log("\nfirst page (/login): JavaScript and CSS downloaded");
  for (const [path, r, z] of rows)
    console.log(
      `  ${path.padEnd(48)} ${(r / 1024).toFixed(1).padStart(8)} KB  gzip ${(z / 1024).toFixed(1).padStart(7)} KB`,
    );
  console.log(
    `  ${"total".padEnd(48)} ${(raw / 1024).toFixed(1).padStart(8)} KB  gzip ${(gz / 1024).toFixed(1).padStart(7)} KB  (goal <= 700 KB)`,
  );

  // 2. 挂图作战 until interactive. The account must change its password first.
  await first.close();
  const owner = new Person(browser, {
    name: "measure-owner",
    baseUrl: suite.url,
    shots: join(build, "console-measure"),
  });
  await owner.open();
  await owner.signIn("ce.liang", password);
  await owner.page.waitForURL(/change-password/);
  const final = "Measure-2024-新乐";
  await owner.page.getByLabel("当前密码").fill(password);
  await owner.page.getByLabel("新密码", { exact: true }).fill(final);
  await owner.page.getByLabel("再次输入新密码").fill(final);
  await owner.page.getByRole("button", { name: "确定" }).click();
  await owner.page.waitForURL(/\/login/);
  await owner.signIn("ce.liang", final);
  await owner.page.waitForURL((u) => u.pathname === "/");
  const times = [];
  const runs = Number(values.runs);
  for (let i = 0; i <= runs; i++) {
    await owner.page.goto("about:blank");
    await owner.page.goto("/war-room?period=2023-09", { waitUntil: "commit" });
    // The page marks itself loaded when every answer is in; then the chart
    // is drawn in the next frame.
    await owner.page.locator("[data-loaded=yes]").waitFor();
    const ms = await owner.page.evaluate(
      () =>
        new Promise((r) => requestAnimationFrame(() => r(performance.now()))),
    );
    if (i > 0) times.push(ms); // the first load warms the browser's and services' caches
  }
  console.log(
    `\n挂图作战 with ${values.enterprises} enterprises, until interactive (every answer in, the next frame drawn):`,
  );
  console.log(
    `  runs: ${times.map((t) => t.toFixed(0)).join(", ")} ms; median ${median(times).toFixed(0)} ms (goal <= 1500 ms)`,
  );
  await owner.shot("war-room");
  await owner.close();
} finally {
  await browser?.close();
  await suite.stop();
}
