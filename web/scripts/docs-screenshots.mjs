// Copies the browser tests' screenshots that docs/console.md shows into
// docs/console/ (run after the console_e2e test):
//   node scripts/docs-screenshots.mjs [build/console-e2e/screenshots]
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const shots = resolve(
  process.argv[2] ?? join(root, "build", "console-e2e", "screenshots"),
);
const docs = join(root, "docs", "console");
// docs name -> [person, screenshot label]
const WANTED = {
  "login.png": ["admin", "login"],
  "change-password.png": ["township-clerk", "change-password"],
  "workbench.png": ["department", "workbench"],
  "admin.png": ["admin", "admin-accounts"],
  "dead-letters.png": ["admin", "admin-dead-letter"],
  "enterprises.png": ["township-clerk", "enterprises"],
  "raise-problem.png": ["township-clerk", "raise-problem"],
  "problem.png": ["leader", "problem"],
  "inbox.png": ["leader", "inbox-live"],
  "denied.png": ["other-township", "denied"],
  "war-room.png": ["plan-owner", "war-room"],
  "bulletin.png": ["plan-owner", "bulletin"],
  "figures-upload.png": ["plan-owner", "figures-upload"],
  "locked.png": ["lockout", "locked"],
  "phone-war-room.png": ["phone", "war-room-period-2023-09"],
  "phone-problem.png": ["phone", "problems-pb"],
  "tasks.png": ["phone", "tasks"],
  "task.png": ["phone", "tasks-2.5.1"],
  "enterprise.png": ["phone", "enterprises-91130184MA0CN1PX1Q"],
};
mkdirSync(docs, { recursive: true });
for (const [name, [person, label]] of Object.entries(WANTED)) {
  const files = readdirSync(join(shots, person)).filter((f) =>
    f.replace(/^\d+-/, "").startsWith(label),
  );
  if (!files.length) throw new Error(`no screenshot ${person}/${label}`);
  copyFileSync(join(shots, person, files[0]), join(docs, name));
  console.log(`${name} <- ${person}/${files[0]}`);
}
