// promtool and sample values for the metrics tests.
#include "tests/support/prometheus_text.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace uplift::testing {

std::string ScrapeMetrics(int port) {
  HttpClient http(port);
  const HttpResult r = http.Get("/metrics");
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.body : "";
}

std::string PromtoolProblems(const std::string& text) {
  TempDir dir;
  const std::string file = dir.File("metrics.txt");
  std::ofstream(file) << text;
  FILE* p = popen(("promtool check metrics < " + file + " 2>&1").c_str(), "r");
  if (p == nullptr) return "promtool: cannot run";
  std::string out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof(buf), p)) out.append(buf, n);
  return pclose(p) == 0 ? "" : "promtool: " + out;
}

double SampleValue(const std::string& text, const std::string& series) {
  const std::string line_start = "\n" + series + " ";
  const size_t at = ("\n" + text).find(line_start);
  if (at == std::string::npos) return -1;
  return std::strtod(text.c_str() + at + line_start.size() - 1, nullptr);
}

}  // namespace uplift::testing
