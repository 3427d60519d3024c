// Generates the console's typed clients from protos/ (protoc with protoc-gen-es)
// into src/gen, which is never committed: no request or response shape is
// written by hand.
import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const protos = join(web, "..", "protos");
const out = join(web, "src", "gen");

function protoFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return protoFiles(path);
    return name.endsWith(".proto") ? [relative(protos, path)] : [];
  });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = protoFiles(join(protos, "uplift")).filter(
  (f) => !f.includes("/bench/"),
);
execFileSync(
  "protoc",
  [
    `--plugin=protoc-gen-es=${join(web, "node_modules", ".bin", "protoc-gen-es")}`,
    `--es_out=${out}`,
    "--es_opt=target=ts,import_extension=none",
    `-I${protos}`,
    ...files,
  ],
  { stdio: "inherit" },
);
console.log(
  `generated clients for ${files.length} protos into ${relative(web, out)}`,
);

// The working-day calendars (calendars/cn-YYYY.textproto) as JSON, for the
// working days left to a problem's deadline.
const calendars = join(web, "..", "calendars");
const years = {};
for (const name of readdirSync(calendars).filter((n) =>
  n.endsWith(".textproto"),
)) {
  const text = readFileSync(join(calendars, name), "utf8");
  const year = Number(/^year:\s*(\d+)/m.exec(text)[1]);
  const holidays = [
    ...text.matchAll(/from:\s*"([\d-]+)"\s*to:\s*"([\d-]+)"/g),
  ].map((m) => [m[1], m[2]]);
  const makeup =
    /makeup_workdays:\s*\[([^\]]*)\]/s.exec(text)?.[1].match(/[\d-]{10}/g) ??
    [];
  years[year] = { holidays, makeup };
}
writeFileSync(join(out, "calendars.json"), JSON.stringify(years));
console.log(`calendars for ${Object.keys(years).join(", ")}`);
