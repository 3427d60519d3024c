// Secret files: O_NOFOLLOW opens, 0700 directories, 0600 files.
#include "common/secret_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace uplift {
namespace {

constexpr size_t kMaxSecretBytes = 64 * 1024;

absl::Status EnsureDir(const std::string& dir, mode_t mode) {
  if (dir.empty()) return absl::InvalidArgumentError("directory path is empty");
  struct stat st;
  if (::lstat(dir.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir, " is a symbolic link; refusing to keep keys behind a link"));
    }
    if (!S_ISDIR(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(dir, " exists and is not a directory"));
    }
    if ((st.st_mode & 07777) != mode && ::chmod(dir.c_str(), mode) != 0) {
      return absl::PermissionDeniedError(absl::StrCat("cannot set the mode of ", dir));
    }
    return absl::OkStatus();
  }
  const std::filesystem::path parent = std::filesystem::path(dir).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", dir, ": ", std::strerror(errno)));
  }
  // mkdir applies the umask; set the mode we mean.
  if (::chmod(dir.c_str(), mode) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("cannot set the mode of ", dir));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status EnsurePrivateDir(const std::string& dir) { return EnsureDir(dir, 0700); }

absl::Status EnsurePublicDir(const std::string& dir) { return EnsureDir(dir, 0755); }

bool PathExists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

absl::StatusOr<std::string> ReadSecretFile(absl::string_view what, const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, ": ", path, " is a symbolic link; secrets are read only from files"));
    }
    return absl::NotFoundError(absl::StrCat(what, ": cannot read ", path));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(what, ": ", path, " is not a regular file"));
  }
  if (static_cast<size_t>(st.st_size) > kMaxSecretBytes) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(what, ": ", path, " is too large"));
  }
  std::string content(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::read(fd, content.data() + done, content.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  content.resize(done);
  return std::string(absl::StripAsciiWhitespace(content));
}

absl::Status WriteNewFile(const std::string& path, absl::string_view content, int mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        static_cast<mode_t>(mode));
  if (fd < 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError(absl::StrCat(path, " already exists"));
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", path, ": ", std::strerror(errno)));
  }
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::fchmod(fd, static_cast<mode_t>(mode));
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (done != content.size() || !synced) {
    ::unlink(path.c_str());
    return absl::UnavailableError(absl::StrCat("short write to ", path));
  }
  return absl::OkStatus();
}

}  // namespace uplift
