// Files that hold secrets (keys, tokens, passwords): created 0600 in
// directories created 0700, never through a symbolic link, and read only if
// they are regular files reached without following a link, so a link planted
// in a data directory cannot redirect a key read or a key write.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace uplift {

// Creates `dir` (and its parents) with mode 0700, or tightens an existing
// one to 0700. FAILED_PRECONDITION if it (or the last component) is a link
// or not a directory.
absl::Status EnsurePrivateDir(const std::string& dir);

// Creates `dir` (and its parents) with mode 0755 for public material (public
// keys); refuses a link like EnsurePrivateDir.
absl::Status EnsurePublicDir(const std::string& dir);

// The contents of a secret file, surrounding white space removed. NOT_FOUND
// naming `what` if it is missing; FAILED_PRECONDITION if it is a link, not
// a regular file, or larger than 64 KiB.
absl::StatusOr<std::string> ReadSecretFile(absl::string_view what, const std::string& path);

// Writes a new file with `mode` (0600 for secrets), fsynced; never follows a
// link and never replaces an existing file (ALREADY_EXISTS).
absl::Status WriteNewFile(const std::string& path, absl::string_view content, int mode = 0600);

// True if `path` exists (a link counts, so callers never write through it).
bool PathExists(const std::string& path);

}  // namespace uplift
