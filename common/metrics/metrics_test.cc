// The metrics registry and its HTTP port: the text format as promtool
// reads it (escaping, cumulative buckets, gauges read at scrape), the cap
// on label sets, and the port's answers to what is not a scrape.
#include "common/metrics/metrics.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/metrics/metrics_server.h"
#include "tests/support/http_client.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/test_env.h"

namespace uplift::metrics {
namespace {

using uplift::testing::PromtoolProblems;

TEST(MetricsTest, CountersHistogramsAndGaugesRenderAsPromtoolReadsThem) {
  Registry r;
  Counter* calls =
      r.AddCounter("uplift_test_calls_total", "Calls.\nSecond line \\ too.", {"method", "code"});
  calls->Increment({"/a.B/C", "OK"});
  calls->Increment({"/a.B/C", "OK"}, 2);
  calls->Increment({"say \"hi\"\\\n", "NOT_FOUND"});
  Histogram* took = r.AddHistogram("uplift_test_seconds", "Time.", {"method"}, {0.01, 0.1, 1});
  took->Observe({"/a.B/C"}, 0.005);
  took->Observe({"/a.B/C"}, 0.05);
  took->Observe({"/a.B/C"}, 0.05);
  took->Observe({"/a.B/C"}, 30);
  r.AddGauge("uplift_test_waiting", "Waiting.", {}, [] {
    return absl::StatusOr<std::vector<GaugeSample>>(std::vector<GaugeSample>{{{}, 7}});
  });
  r.AddGauge("uplift_test_broken", "Never read.", {"x"}, [] {
    return absl::StatusOr<std::vector<GaugeSample>>(absl::UnavailableError("redis\ndown"));
  });
  const std::string text = r.Render();
  EXPECT_EQ(PromtoolProblems(text), "") << text;
  EXPECT_TRUE(
      absl::StrContains(text, "# HELP uplift_test_calls_total Calls.\\nSecond line \\\\ too.\n"));
  EXPECT_TRUE(absl::StrContains(text, "# TYPE uplift_test_calls_total counter\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "uplift_test_calls_total{method=\"/a.B/C\",code=\"OK\"} 3\n"));
  EXPECT_TRUE(absl::StrContains(
      text, "uplift_test_calls_total{method=\"say \\\"hi\\\"\\\\\\n\",code=\"NOT_FOUND\"} 1\n"));
  // Buckets are cumulative; +Inf is the count.
  EXPECT_TRUE(
      absl::StrContains(text, "uplift_test_seconds_bucket{method=\"/a.B/C\",le=\"0.01\"} 1\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "uplift_test_seconds_bucket{method=\"/a.B/C\",le=\"0.1\"} 3\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "uplift_test_seconds_bucket{method=\"/a.B/C\",le=\"1\"} 3\n"));
  EXPECT_TRUE(
      absl::StrContains(text, "uplift_test_seconds_bucket{method=\"/a.B/C\",le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(absl::StrContains(text, "uplift_test_seconds_count{method=\"/a.B/C\"} 4\n"));
  EXPECT_TRUE(absl::StrContains(text, "uplift_test_seconds_sum{method=\"/a.B/C\"} 30.105"));
  EXPECT_TRUE(absl::StrContains(text, "# TYPE uplift_test_waiting gauge\nuplift_test_waiting 7\n"));
  // A gauge that cannot be read is left out, saying why on one line.
  EXPECT_FALSE(absl::StrContains(text, "# TYPE uplift_test_broken"));
  EXPECT_TRUE(absl::StrContains(text, "# uplift_test_broken unread: redis\\ndown\n"));
}

TEST(MetricsTest, LabelSetsBeyondTheCapCountAsOther) {
  Registry r;
  Counter* calls = r.AddCounter("uplift_test_total", "Calls.", {"method"});
  for (int i = 0; i < 5000; ++i) calls->Increment({absl::StrCat("/made.Up/M", i)});
  const std::string text = r.Render();
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(lines, 2 + 1000 + 1);  // HELP, TYPE, the first 1000 and "other"
  EXPECT_TRUE(absl::StrContains(text, "uplift_test_total{method=\"other\"} 4000\n"));
}

TEST(MetricsTest, ABadOrRepeatedNameIsRefused) {
  Registry r;
  EXPECT_THROW(r.AddCounter("uplift-bad", "x"), std::invalid_argument);
  EXPECT_THROW(r.AddCounter("9lives", "x"), std::invalid_argument);
  r.AddCounter("uplift_once_total", "x");
  EXPECT_THROW(r.AddCounter("uplift_once_total", "x"), std::invalid_argument);
}

TEST(MetricsServerTest, ServesTheRegistryAtSlashMetricsAndNothingElse) {
  Registry r;
  r.AddCounter("uplift_test_total", "Calls.")->Increment({});
  auto server = MetricsServer::Start("127.0.0.1:0", &r);
  ASSERT_TRUE(server.ok()) << server.status();
  uplift::testing::HttpClient http((*server)->port());
  const uplift::testing::HttpResult scrape = http.Get("/metrics");
  EXPECT_EQ(scrape.status, 200);
  EXPECT_EQ(scrape.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(absl::StrContains(scrape.body, "uplift_test_total 1\n")) << scrape.body;
  EXPECT_EQ(http.Get("/").status, 404);
  EXPECT_EQ(http.Get("/metrics/../admin").status, 404);
  EXPECT_EQ(http.Post("/metrics", "x").status, 405);
  EXPECT_EQ(http.Get("/metrics?name[]=up").status, 200);
  // A request that never ends is cut off; the port serves the next.
  EXPECT_EQ(http.Send("GET", "/metrics", "", {{"X-Padding", std::string(16384, 'a')}}, "").status,
            431);
  EXPECT_EQ(http.Get("/metrics").status, 200);
}

TEST(MetricsServerTest, AClientThatSendsNothingDoesNotHoldThePort) {
  Registry r;
  r.AddCounter("uplift_test_total", "Calls.")->Increment({});
  auto server = MetricsServer::Start("127.0.0.1:0", &r);
  ASSERT_TRUE(server.ok()) << server.status();
  const int idle = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>((*server)->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(idle, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  uplift::testing::HttpClient http((*server)->port());
  EXPECT_EQ(http.Get("/metrics").status, 200);  // after the idle one is dropped
  close(idle);
}

TEST(MetricsServerTest, AnAddressThatCannotBeServedIsRefusedNamingTheFlag) {
  Registry r;
  for (const std::string bad : {"nonsense", "127.0.0.1:x", "127.0.0.1:70000", "256.1.1.1:9000"}) {
    auto server = MetricsServer::Start(bad, &r);
    ASSERT_FALSE(server.ok()) << bad;
    EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(server.status().message(), "--metrics-listen")) << bad;
  }
  auto first = MetricsServer::Start("127.0.0.1:0", &r);
  ASSERT_TRUE(first.ok());
  auto taken = MetricsServer::Start(absl::StrCat("127.0.0.1:", (*first)->port()), &r);
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace uplift::metrics
