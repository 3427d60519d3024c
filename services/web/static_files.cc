// The console's static files.
#include "services/web/static_files.h"

#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace uplift::web {
namespace {

constexpr size_t kMaxFileBytes = 32 << 20;

std::string ContentType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (absl::EndsWith(path, ext)) return type;
  }
  return "application/octet-stream";
}

HttpResponse Text(http::status status, unsigned version, const std::string& text) {
  HttpResponse res(status, version);
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = text;
  return res;
}

}  // namespace

void AddSecurityHeaders(HttpResponse& res) {
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
          "base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
}

StaticFiles::StaticFiles(std::string root) {
  if (root.empty()) return;
  char real[PATH_MAX];
  if (realpath(root.c_str(), real) != nullptr) root_ = real;
}

std::optional<std::string> StaticFiles::Read(const std::string& relative) const {
  const std::string joined = root_ + "/" + relative;
  char real[PATH_MAX];
  if (realpath(joined.c_str(), real) == nullptr) return std::nullopt;
  const std::string resolved = real;
  // Symbolic links and ".." may not lead out of the directory.
  if (!absl::StartsWith(resolved, root_ + "/")) return std::nullopt;
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  std::string content = out.str();
  if (content.size() > kMaxFileBytes || in.bad()) return std::nullopt;
  return content;
}

HttpResponse StaticFiles::Serve(const HttpRequest& request) const {
  const unsigned version = request.version();
  if (root_.empty()) {
    return Text(http::status::not_found, version,
                "The web console is not installed here (uplift-web --console-dir).\n");
  }
  std::string path(request.target().substr(0, request.target().find('?')));
  if (path.empty() || path[0] != '/') return Text(http::status::bad_request, version, "bad path\n");
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part == ".." || part == "." || absl::StrContains(part, '\\') ||
        absl::StrContains(part, '%') || absl::StrContains(part, '\0')) {
      return Text(http::status::bad_request, version, "bad path\n");
    }
  }
  std::string relative = path.substr(1);
  const std::string last = relative.substr(relative.rfind('/') + 1);
  std::optional<std::string> body;
  if (!relative.empty() && !absl::EndsWith(relative, "/")) body = Read(relative);
  // A route of the console may hold dots (task 2.2.1): only a path under
  // assets/ or ending in a file type served here is a file that is missing.
  const bool names_file =
      absl::StartsWith(relative, "assets/") || ContentType(last) != "application/octet-stream";
  if (!body && !names_file) {
    relative = "index.html";
    body = Read(relative);
  }
  if (!body) return Text(http::status::not_found, version, "not found\n");
  HttpResponse res(http::status::ok, version);
  res.set(http::field::content_type, ContentType(relative));
  if (absl::StartsWith(relative, "assets/")) {
    res.set(http::field::cache_control, "public, max-age=31536000, immutable");
  } else {
    res.set(http::field::cache_control, "no-cache");
  }
  res.body() = std::move(*body);
  return res;
}

}  // namespace uplift::web
