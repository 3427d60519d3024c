// The web console's files (built by Vite into a directory): served with a
// strict Content-Security-Policy (scripts only from this origin, none
// inline), X-Content-Type-Options, Referrer-Policy, a year's cache for the
// content-hashed files under assets/ and none for index.html. A path that
// names no file, is not under assets/ and does not end in a file type
// served here (.js, .css, .png ...) is the console's own route (dots
// allowed: /tasks/2.2.1), so index.html answers it. Nothing outside the directory is ever read.
#pragma once

#include <optional>
#include <string>

#include "services/web/http_server.h"

namespace uplift::web {

class StaticFiles {
 public:
  // `root` may be empty: no console installed.
  explicit StaticFiles(std::string root);

  // The answer to a GET of the request's target (path and query).
  HttpResponse Serve(const HttpRequest& request) const;

 private:
  std::optional<std::string> Read(const std::string& relative) const;
  std::string root_;  // real path, or empty
};

// The headers every answer of uplift-web carries.
void AddSecurityHeaders(HttpResponse& response);

}  // namespace uplift::web
