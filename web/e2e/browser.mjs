// Debian's Chromium driven by playwright-core (nothing downloaded), with a
// guard on every page: a console error, an uncaught exception, a failed
// request or an HTTP error answer fails the test unless the test said it
// expects it. Each page visited is saved as a screenshot under the build
// directory.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const CHROMIUM = process.env.UPLIFT_CHROMIUM ?? "/usr/bin/chromium";

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in CI: Chromium's sandbox needs an unprivileged user.
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"],
  });
}

export class Guard {
  constructor(label) {
    this.label = label;
    this.problems = [];
    // The console asks who the person is when a page loads: without a
    // session that answer is 401, and it sends them to 登录.
    this.expected = [
      { pattern: /\/uplift\.accounts\.v1\.Accounts\/WhoAmI$/, status: 401 },
    ];
  }

  // Lets answers whose URL matches `pattern` with this HTTP status pass
  // (and the console line Chromium prints for them).
  expect(pattern, status) {
    this.expected.push({ pattern, status });
  }

  isExpected(url, status) {
    return this.expected.some(
      (e) =>
        e.pattern.test(url) && (e.status === undefined || e.status === status),
    );
  }

  watch(page) {
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const text = m.text();
      // Chromium's own line for an HTTP error answer; the answer itself is judged below.
      if (
        /Failed to load resource: the server responded with a status of \d+/.test(
          text,
        )
      )
        return;
      this.problems.push(`console error: ${text}`);
    });
    page.on("pageerror", (e) => this.problems.push(`uncaught: ${e.message}`));
    page.on("requestfailed", (r) => {
      const failure = r.failure()?.errorText ?? "";
      // A live feed or a download the page ended on purpose.
      if (failure === "net::ERR_ABORTED") return;
      this.problems.push(`request failed: ${r.method()} ${r.url()} ${failure}`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400 && !this.isExpected(r.url(), r.status())) {
        this.problems.push(
          `HTTP ${r.status()}: ${r.request().method()} ${r.url()}`,
        );
      }
    });
  }

  assertClean() {
    if (this.problems.length) {
      throw new Error(
        `${this.label}: unexpected errors in the browser:\n  ${this.problems.join("\n  ")}`,
      );
    }
  }
}

export class Person {
  constructor(
    browser,
    { name, baseUrl, shots, viewport = { width: 1366, height: 900 } },
  ) {
    this.browser = browser;
    this.name = name;
    this.baseUrl = baseUrl;
    this.shots = join(shots, name);
    this.viewport = viewport;
    this.guard = new Guard(name);
    this.count = 0;
    mkdirSync(this.shots, { recursive: true });
  }

  // `clockShiftMs`: the page's clock runs that far ahead, as the services'
  // do once the suite has shifted theirs.
  async open({ notifications = false, clockShiftMs = 0 } = {}) {
    this.context = await this.browser.newContext({
      baseURL: this.baseUrl,
      viewport: this.viewport,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      acceptDownloads: true,
    });
    if (notifications) {
      // The person allowed desktop notifications; each one shown is noted
      // (the page's own Notification, observed, not replaced).
      await this.context.grantPermissions(["notifications"]);
      await this.context.addInitScript(() => {
        const Shown = window.Notification;
        window.__notificationsShown = [];
        window.Notification = class extends Shown {
          constructor(title, options) {
            super(title, options);
            window.__notificationsShown.push(title);
          }
        };
      });
    }
    if (clockShiftMs)
      await this.context.clock.setSystemTime(Date.now() + clockShiftMs);
    this.page = await this.context.newPage();
    this.guard.watch(this.page);
    return this.page;
  }

  async shot(label) {
    this.count += 1;
    const file = join(
      this.shots,
      `${String(this.count).padStart(2, "0")}-${label}.png`,
    );
    await this.page.screenshot({
      path: file,
      fullPage: true,
      animations: "disabled",
    });
    return file;
  }

  async signIn(login, password) {
    const page = this.page;
    await page.goto("/login");
    await page.getByLabel("用户名").fill(login);
    await page.getByLabel("密码", { exact: true }).fill(password);
    await page.getByRole("button", { name: "登录" }).click();
  }

  // The session ends on the server as if signed out in another tab: the
  // page still holds it and finds out on its next call.
  async signOutElsewhere() {
    await this.page.evaluate(() =>
      fetch("/uplift.accounts.v1.Accounts/SignOut", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Connect-Protocol-Version": "1",
        },
        body: "{}",
      }),
    );
  }

  // Tab (forward) until the focused control is the one named `name` (its
  // aria-label or text); fails if the keyboard cannot reach it.
  async tabTo(name, limit = 80) {
    for (let i = 0; i < limit; i++) {
      await this.page.keyboard.press("Tab");
      const focused = await this.page.evaluate(() => {
        const e = document.activeElement;
        return (e?.getAttribute("aria-label") || e?.textContent || "").trim();
      });
      if (focused === name) return;
    }
    throw new Error(`${this.name}: ${name} is not reached by Tab`);
  }

  async close() {
    await this.context?.close();
  }
}
