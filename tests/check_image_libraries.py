#!/usr/bin/python3
"""Keeps deploy/Dockerfile honest where no image can be built: every shared
library the binaries it copies need must come from a package its runtime
stage installs (named, or pulled in as a dependency) or from the base image
(Debian's required packages).

The binaries are this tree's (built on Debian 12 against the same packages
the image's build stage installs). Each library ldd resolves is traced to
its package with dpkg; a library no package owns, or one ldd cannot find,
fails too.

  tests/check_image_libraries.py BUILD_DIR
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCKERFILE = os.path.join(ROOT, "deploy", "Dockerfile")


def fail(message):
    print("deploy/Dockerfile: " + message, file=sys.stderr)
    sys.exit(1)


def runtime_stage(text):
    """The Dockerfile's last stage, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", text)
    stages = re.split(r"^FROM ", joined, flags=re.M)
    return stages[-1]


def installed_by(stage):
    """The packages the stage's apt-get install lines name."""
    packages = []
    for line in stage.splitlines():
        if not line.startswith("RUN ") or "apt-get install" not in line:
            continue
        for command in line.split("&&"):
            words = command.split()
            if "install" not in words or "apt-get" not in words:
                continue
            packages += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return packages


def copied_binaries(stage, build_dir):
    """Where this tree holds each binary the stage copies from the build stage."""
    found = re.findall(r"^COPY --from=build /build/(\S+) ", stage, flags=re.M)
    return [os.path.join(build_dir, path) for path in found]


def with_dependencies(packages):
    """The packages and everything they depend on (Depends, Pre-Depends)."""
    out = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
         "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *packages],
        check=True, capture_output=True, text=True).stdout
    closure = set(packages)
    for line in out.splitlines():
        line = line.strip()
        if line.startswith(("Depends:", "PreDepends:", "|Depends:", "|PreDepends:")):
            closure.add(line.split(":", 1)[1].strip().strip("<>").split(":")[0])
        elif line and not line.startswith("<") and ":" not in line:
            closure.add(line)
    return closure


def base_image_packages():
    """Debian's required packages: what debian:12-slim is made of."""
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Priority} ${Essential}\n"],
                         check=True, capture_output=True, text=True).stdout
    base = set()
    for line in out.splitlines():
        name, priority, essential = (line.split() + ["", ""])[:3]
        if priority == "required" or essential == "yes":
            base.add(name)
    return base


def libraries(binary):
    """The shared libraries ldd resolves for `binary`: name -> path (None: not found)."""
    out = subprocess.run(["ldd", binary], check=True, capture_output=True, text=True).stdout
    libs = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))", line)
        if m:
            libs[m.group(1)] = m.group(3)
    return libs


def spellings(path):
    """`path` and its /usr-merged spellings (dpkg knows a file by one of them)."""
    out = {path, os.path.realpath(path)}
    for p in list(out):
        if p.startswith("/usr/lib/"):
            out.add(p[len("/usr"):])
        elif p.startswith("/lib/"):
            out.add("/usr" + p)
    return out


def owners(paths):
    """path -> the package that owns it (None: no package), with one dpkg -S."""
    asked = sorted({s for p in paths for s in spellings(p)})
    out = subprocess.run(["dpkg", "-S", *asked], capture_output=True, text=True).stdout
    by_file = {}
    for line in out.splitlines():
        package, _, file = line.partition(": ")
        by_file[file.strip()] = package.split(":")[0].split(",")[0].strip()
    return {p: next((by_file[s] for s in spellings(p) if s in by_file), None) for p in paths}


def main():
    if len(sys.argv) != 2:
        fail("usage: check_image_libraries.py BUILD_DIR")
    stage = runtime_stage(open(DOCKERFILE, encoding="utf-8").read())
    listed = installed_by(stage)
    if not listed:
        fail("the runtime stage installs no packages")
    available = with_dependencies(listed) | base_image_packages()
    binaries = copied_binaries(stage, sys.argv[1])
    if not binaries:
        fail("the runtime stage copies no binaries from the build stage")
    problems = []
    needed = {}  # binary -> {library: path}
    for binary in binaries:
        if not os.path.exists(binary):
            fail(f"{binary} is copied into the image but this tree did not build it")
        needed[binary] = libraries(binary)
    owner = owners({p for libs in needed.values() for p in libs.values() if p})
    for binary, libs in needed.items():
        for name, path in libs.items():
            if path is None:
                problems.append(f"{os.path.basename(binary)} needs {name}, which is not on this machine")
                continue
            package = owner[path]
            if package is None:
                problems.append(f"{os.path.basename(binary)} needs {path}, which no package owns")
            elif package not in available:
                problems.append(f"{os.path.basename(binary)} needs {name} from {package}, "
                                "which the runtime stage does not install")
    if problems:
        fail("\n  " + "\n  ".join(sorted(set(problems))))
    print(f"every library of {len(binaries)} binaries comes from the image: "
          f"{len(set(owner.values()))} packages, {len(listed)} installed by name")


if __name__ == "__main__":
    main()
