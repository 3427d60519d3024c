// What operators see of real services: the metrics they expose
// (--metrics-listen) and their JSON log lines (--log-format json).
// uplift-registry and uplift-tasks run as processes; after real calls and
// events each scrape passes Debian's `promtool check metrics` and carries
// the calls by method and code with their latency, the outbox, the consumer
// groups and their dead letters, and on PostgreSQL the pool; each log line
// is a JSON object, a call's with the caller's request id and subject.
#include <gtest/gtest.h>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/call_log_context.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/suite_fixture.h"
#include "tests/support/test_store.h"

namespace uplift::testing {
namespace {

// Set before the fixture starts the services, which read them.
struct MetricsPorts {
  MetricsPorts() : registry(FreePort()), tasks(FreePort()) {
    setenv("UPLIFT_REGISTRY_METRICS_LISTEN", absl::StrCat("127.0.0.1:", registry).c_str(), 1);
    setenv("UPLIFT_TASKS_METRICS_LISTEN", absl::StrCat("127.0.0.1:", tasks).c_str(), 1);
  }
  ~MetricsPorts() {
    unsetenv("UPLIFT_REGISTRY_METRICS_LISTEN");
    unsetenv("UPLIFT_TASKS_METRICS_LISTEN");
  }
  const int registry, tasks;
};

class MetricsIntegrationTest : public ::testing::Test, public MetricsPorts, public SuiteFixture {};

TEST_F(MetricsIntegrationTest, EachServiceExposesItsCallsOutboxConsumersAndPool) {
  int exit_code = -1;
  ApplyXinlePlan(&exit_code);
  ASSERT_EQ(exit_code, 0) << TasksLog();
  ASSERT_TRUE(ImportEnterprises(3, "town-chengan"));
  rv1::GetEnterpriseRequest missing;
  missing.set_credit_code(TestCreditCode(99));
  rv1::GetEnterpriseResponse resp;
  EXPECT_EQ(stub().GetEnterprise(Ctx(admin_token).get(), missing, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // The registry: its calls by method and code, timed; its outbox emptied
  // by the relay.
  std::string registry = ScrapeMetrics(MetricsPorts::registry);
  for (int i = 0; i < 100 && SampleValue(registry, "uplift_outbox_rows_waiting") != 0; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    registry = ScrapeMetrics(MetricsPorts::registry);
  }
  EXPECT_EQ(PromtoolProblems(registry), "") << registry;
  const std::string get = "/uplift.registry.v1.EnterpriseRegistry/GetEnterprise";
  EXPECT_EQ(
      SampleValue(registry, "uplift_rpc_requests_total{method=\"" + get + "\",code=\"NOT_FOUND\"}"),
      1)
      << registry;
  EXPECT_GE(SampleValue(registry, "uplift_rpc_duration_seconds_count{method=\"" + get + "\"}"), 1);
  EXPECT_GT(SampleValue(registry,
                        "uplift_rpc_requests_total{method=\"/uplift.registry.v1.EnterpriseRegistry/"
                        "ImportEnterprises\",code=\"OK\"}"),
            0)
      << registry;
  EXPECT_EQ(SampleValue(registry, "uplift_outbox_rows_waiting"), 0) << registry;
  EXPECT_EQ(SampleValue(registry, "uplift_outbox_oldest_waiting_seconds"), 0);

  // uplift-tasks reads the registry's events: its group's lag and pending
  // entries come down to nothing; no dead letters.
  std::string tasks = ScrapeMetrics(MetricsPorts::tasks);
  const std::string group = "{stream=\"uplift:events:registry\",group=\"uplift-tasks\"}";
  for (int i = 0; i < 100 && (SampleValue(tasks, "uplift_stream_consumer_lag" + group) != 0 ||
                              SampleValue(tasks, "uplift_stream_pending_entries" + group) != 0);
       ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    tasks = ScrapeMetrics(MetricsPorts::tasks);
  }
  EXPECT_EQ(PromtoolProblems(tasks), "") << tasks;
  EXPECT_EQ(SampleValue(tasks, "uplift_stream_consumer_lag" + group), 0) << tasks;
  EXPECT_EQ(SampleValue(tasks, "uplift_stream_pending_entries" + group), 0) << tasks;
  EXPECT_EQ(SampleValue(tasks, "uplift_dead_letters{stream=\"uplift:events:registry\"}"), 0)
      << tasks;
  EXPECT_GT(
      SampleValue(tasks,
                  "uplift_rpc_requests_total{method=\"/uplift.tasks.v1.TaskAssignment/ApplyPlan\","
                  "code=\"OK\"}"),
      0)
      << tasks;

  // The pool, where there is one.
  if (TestEngine() == sql::Engine::kPostgres) {
    EXPECT_GE(SampleValue(registry, "uplift_database_pool_connections{state=\"idle\"}"), 1)
        << registry;
    EXPECT_EQ(SampleValue(registry, "uplift_database_pool_size"), 8);
  } else {
    EXPECT_FALSE(absl::StrContains(registry, "uplift_database_pool"));
  }
}

// Set before the fixture starts the services.
struct JsonLogs {
  JsonLogs() { setenv("UPLIFT_LOG_FORMAT", "json", 1); }
  ~JsonLogs() { unsetenv("UPLIFT_LOG_FORMAT"); }
};

class JsonLogsTest : public ::testing::Test, public JsonLogs, public SuiteFixture {};

TEST_F(JsonLogsTest, EveryLineIsJsonAndACallsLineCarriesItsRequestIdAndSubject) {
  rv1::GetEnterpriseRequest missing;
  missing.set_credit_code(TestCreditCode(98));
  rv1::GetEnterpriseResponse resp;
  std::unique_ptr<grpc::ClientContext> ctx = Ctx(owner_token);
  ctx->AddMetadata(kRequestIdHeader, "req-logs-1");
  EXPECT_EQ(stub().GetEnterprise(ctx.get(), missing, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A request id that is not a sane one is replaced, not logged.
  ctx = Ctx(owner_token);
  ctx->AddMetadata(kRequestIdHeader, "bad id\", \"forged\":\"1");
  EXPECT_EQ(stub().GetEnterprise(ctx.get(), missing, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);

  int lines = 0, calls = 0;
  bool found = false;
  for (absl::string_view line : absl::StrSplit(RegistryLog(), '\n', absl::SkipEmpty())) {
    google::protobuf::Struct entry;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &entry).ok())
        << line;
    ++lines;
    const auto& f = entry.fields();
    EXPECT_EQ(f.at("service").string_value(), "uplift-registry");
    if (!f.contains("request_id")) continue;
    ++calls;
    EXPECT_FALSE(absl::StrContains(f.at("request_id").string_value(), "forged")) << line;
    if (f.at("request_id").string_value() != "req-logs-1") continue;
    found = true;
    EXPECT_EQ(f.at("subject").string_value(), "科工信局") << line;
    EXPECT_EQ(f.at("level").string_value(), "info");
    EXPECT_TRUE(absl::StrContains(f.at("msg").string_value(), "GetEnterprise NOT_FOUND")) << line;
    EXPECT_TRUE(f.contains("duration_us"));
  }
  EXPECT_TRUE(found) << RegistryLog();
  EXPECT_EQ(calls, 2) << RegistryLog();
  EXPECT_GT(lines, calls);  // the start-up lines too
}

}  // namespace
}  // namespace uplift::testing
