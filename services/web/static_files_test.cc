// Unit tests of the console's static files on a real directory: the
// security headers, cache lifetimes, the console's own routes answered by
// index.html, and no way out of the directory.
#include "services/web/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/test_env.h"

namespace uplift::web {
namespace {

using uplift::testing::TempDir;

HttpRequest Get(const std::string& target) {
  HttpRequest r(http::verb::get, target, 11);
  return r;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    std::filesystem::create_directories(dir_.File("console/assets"));
    std::ofstream(dir_.File("console/index.html")) << "<!doctype html><title>产业集群</title>";
    std::ofstream(dir_.File("console/assets/index-3f2a1b.js")) << "console.log(1)";
    std::ofstream(dir_.File("secret.txt")) << "outside";
    std::filesystem::create_symlink(dir_.File("secret.txt"), dir_.File("console/link.txt"));
  }
  TempDir dir_;
};

TEST_F(StaticFilesTest, ServesIndexWithoutCacheAndHashedAssetsForAYear) {
  StaticFiles files(dir_.File("console"));
  HttpResponse index = files.Serve(Get("/"));
  EXPECT_EQ(index.result(), http::status::ok);
  EXPECT_EQ(index[http::field::cache_control], "no-cache");
  EXPECT_EQ(index[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(index.body().find("产业集群"), std::string::npos);
  HttpResponse js = files.Serve(Get("/assets/index-3f2a1b.js?v=1"));
  EXPECT_EQ(js.result(), http::status::ok);
  EXPECT_EQ(js[http::field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(js[http::field::content_type], "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, TheConsolesRoutesAreAnsweredByIndex) {
  StaticFiles files(dir_.File("console"));
  EXPECT_NE(files.Serve(Get("/problems/pb-1")).body().find("产业集群"), std::string::npos);
  EXPECT_NE(files.Serve(Get("/tasks/2.2.1")).body().find("产业集群"), std::string::npos);
  EXPECT_EQ(files.Serve(Get("/tasks/2.2.1"))[http::field::content_type],
            "text/html; charset=utf-8");
  EXPECT_EQ(files.Serve(Get("/assets/missing.js")).result(), http::status::not_found);
  EXPECT_EQ(files.Serve(Get("/assets/chunk.1")).result(), http::status::not_found);
  EXPECT_EQ(files.Serve(Get("/favicon.ico")).result(), http::status::not_found);
}

TEST_F(StaticFilesTest, NothingOutsideTheDirectoryIsRead) {
  StaticFiles files(dir_.File("console"));
  for (const char* target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                             "/link.txt", "/assets\\..\\..\\secret.txt"}) {
    HttpResponse r = files.Serve(Get(target));
    EXPECT_NE(r.result(), http::status::ok) << target;
    EXPECT_EQ(r.body().find("outside"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, SecurityHeadersForbidInlineScriptAndFraming) {
  HttpResponse r = StaticFiles("").Serve(Get("/"));
  EXPECT_EQ(r.result(), http::status::not_found);
  AddSecurityHeaders(r);
  const std::string csp(r["Content-Security-Policy"]);
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r["Referrer-Policy"], "no-referrer");
}

}  // namespace
}  // namespace uplift::web
