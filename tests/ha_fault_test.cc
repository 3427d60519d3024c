// The HA fault suite (issue 12): two replicas of each service (registry,
// tasks, notify, indicators) as processes on one database each (PostgreSQL
// in the postgresql.* run, the shared SQLite file otherwise); 2,000
// escalations through EscalateProblem from callers going round robin over
// both tasks replicas while other callers rename the enterprises over both
// registry replicas; and faults during the flow: kill -9 of a replica of
// each service at random moments, a restart of PostgreSQL itself, or kill
// -9 of the Redis master, which Sentinel replaces with its replica.
// Besides, the deadline sweep escalates them all while both tasks replicas
// are killed in turn. Each asserts that every escalation a caller saw
// acknowledged is in its owner's inbox exactly once, that no escalation is
// there twice (past de-duplication), that nothing is left pending in the
// consumer group, and that uplift-indicators holds every registry change.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/client_channel.h"
#include "common/redis_client.h"
#include "tests/support/enterprise_renames.h"
#include "tests/support/indicators_fixture.h"
#include "tests/support/postgres_server.h"
#include "tests/support/test_store.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::testing {
namespace {

constexpr int kEscalations = 2000;
constexpr int kCallers = 8;
constexpr int kEnterprises = kEscalations / 10;
constexpr int kRenames = 3;  // per enterprise

int PortOf(const std::string& address) { return std::stoi(address.substr(address.rfind(':') + 1)); }

// The services' engine when a test must have one whatever the run's:
// sets UPLIFT_TEST_ENGINE (read as the fixture starts the services) for
// the test's life; kTheRuns leaves it.
enum class Engine { kTheRuns, kPostgres };

class ScopedEngine {
 public:
  explicit ScopedEngine(Engine engine) {
    if (engine != Engine::kPostgres) return;
    const char* before = std::getenv("UPLIFT_TEST_ENGINE");
    before_ = before == nullptr ? std::nullopt : std::optional<std::string>(before);
    setenv("UPLIFT_TEST_ENGINE", "postgresql", 1);
    set_ = true;
  }
  ~ScopedEngine() {
    if (!set_) return;
    if (before_) {
      setenv("UPLIFT_TEST_ENGINE", before_->c_str(), 1);
    } else {
      unsetenv("UPLIFT_TEST_ENGINE");
    }
  }

 private:
  bool set_ = false;
  std::optional<std::string> before_;
};

class HaFaultTest : public ::testing::Test {
 protected:
  explicit HaFaultTest(RedisSetup redis_setup = RedisSetup::kOneServer,
                       Engine engine = Engine::kTheRuns)
      : engine_(engine), f_(absl::CivilSecond(2023, 6, 1, 10, 0, 0), redis_setup) {}

  void SetUp() override {
    f_.StartNotify(0);
    f_.StartNotify(1);
    replica_ = f_.StartTasksReplica(1);
    registry_replica_ = f_.StartRegistryReplica(1);
    f_.StartIndicators();
    indicators_replica_ = f_.StartIndicatorsReplica(1);
    int code = -1;
    f_.ApplyXinlePlan(&code);
    ASSERT_EQ(code, 0) << f_.TasksLog();
    ASSERT_TRUE(f_.ImportEnterprises(kEnterprises, "town-chengan"));
    town_ = f_.keys().Token(uplift::auth::v1::ROLE_TOWNSHIP, "town-chengan", "承安镇专班");
    ids_ = f_.RaiseProblems(kEscalations,
                            {"land", "financing", "labour", "energy", "approvals", "environment",
                             "market", "technology", "policy", "sales"},
                            town_);
    ASSERT_EQ(static_cast<int>(ids_.size()), kEscalations);
    std::cout << "[ ha ] set up in " << absl::FormatDuration(absl::Now() - began_) << "\n";
  }

  // Escalates every problem from kCallers threads over one channel that
  // goes round robin over both tasks replicas, as the services' own
  // channels do (a replica that is down drops out of the turn). A caller
  // pauses after a failure and does not retry: a call that failed may or
  // may not have committed, and its escalation may then be there once or
  // not.
  std::thread EscalateInBackground() {
    return std::thread([this] {
      auto channel = *MakeChannel(absl::StrCat("ipv4:", f_.tasks_address(), ",", replica_), {});
      std::vector<std::thread> callers;
      std::atomic<int> next{0};
      for (int c = 0; c < kCallers; ++c) {
        callers.emplace_back([this, channel, &next] {
          auto stub = uplift::tasks::v1::TaskAssignment::NewStub(channel);
          for (int i = next++; i < kEscalations; i = next++) {
            uplift::tasks::v1::EscalateProblemRequest req;
            req.set_problem_id(ids_[i]);
            req.set_reason("乡镇无法解决");
            uplift::tasks::v1::EscalateProblemResponse resp;
            auto ctx = f_.Ctx(town_);
            ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
            const grpc::Status s = stub->EscalateProblem(ctx.get(), req, &resp);
            {
              std::lock_guard<std::mutex> lock(mu_);
              if (s.ok()) {
                acknowledged_[ids_[i]] = resp.problem().owner_unit_id();
              } else {
                ++failed_calls_;
                if (failures_.size() < 5) failures_.insert(s.error_message().substr(0, 160));
              }
            }
            // A caller backs off after a failure, as a department's system would.
            if (!s.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
          }
        });
      }
      for (std::thread& t : callers) t.join();
    });
  }

  // The flow: the escalations, and renames of every enterprise from two
  // callers going round robin over both registry replicas.
  std::thread StartFlow() {
    renames_.Start(*MakeChannel(absl::StrCat("ipv4:", f_.address(), ",", registry_replica_), {}),
                   f_.admin_token, 2);
    return EscalateInBackground();
  }

  void JoinFlow(std::thread& escalations) {
    escalations.join();
    renames_.Join();
    std::cout << "[ ha ] flow over " << absl::FormatDuration(absl::Now() - began_)
              << " after the start\n";
  }

  // Every registry change in uplift-indicators' database, as the registry
  // has it now.
  void ExpectEveryRegistryChangeInIndicators() {
    std::unique_ptr<sql::Store> indicators = f_.ServiceDatabase("indicators-data", "indicators.db");
    std::vector<std::string> missing;
    WaitUntil(
        [&] {
          missing = renames_.NotYetIn(f_.stub(), *indicators);
          return missing.empty();
        },
        absl::Seconds(180));
    EXPECT_TRUE(missing.empty()) << missing.size() << " enterprises, first " << missing[0] << "\n"
                                 << f_.IndicatorsLog();
    EXPECT_GT(renames_.acknowledged(), kEnterprises * kRenames / 2)
        << renames_.failed() << " failed";
    std::cout << "[ ha ] " << renames_.acknowledged() << " renames acknowledged, "
              << renames_.failed() << " calls failed\n";
  }

  // Escalation notices per problem in every department's inbox.
  std::map<std::string, int> EscalationNotices() {
    std::set<std::string> owners;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [id, owner] : acknowledged_) owners.insert(owner);
    }
    std::map<std::string, int> out;
    for (const std::string& unit : owners) {
      nv1::ListInboxRequest req;
      req.set_unit_id(unit);
      req.set_page_size(1000);
      for (;;) {
        nv1::ListInboxResponse resp;
        const grpc::Status s = f_.notify().ListInbox(f_.Ctx(f_.admin_token).get(), req, &resp);
        if (!s.ok()) return {};  // a replica restarting: asked again
        for (const auto& n : resp.notifications()) {
          if (n.kind() == nv1::KIND_ESCALATION) ++out[n.attributes().at("problem_id")];
        }
        if (resp.next_page_token().empty()) break;
        req.set_page_token(resp.next_page_token());
      }
    }
    return out;
  }

  bool EveryAcknowledgedOneArrived() {
    const std::map<std::string, int> notices = EscalationNotices();
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [id, owner] : acknowledged_) {
      if (notices.count(id) == 0) return false;
    }
    return true;
  }

  // Waits for every acknowledged escalation to reach an inbox; on a
  // timeout fails with how many did not, where the stream's consumer group
  // stands, and the logs.
  void WaitForEveryAcknowledgedOne() {
    if (WaitUntil([&] { return EveryAcknowledgedOneArrived(); }, absl::Seconds(180))) return;
    const std::map<std::string, int> notices = EscalationNotices();
    int missing = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [id, owner] : acknowledged_) missing += notices.count(id) == 0;
    }
    std::string groups;
    RedisClient redis(f_.RedisAdmin());
    auto info = redis.Command({"XINFO", "GROUPS", "uplift:escalations"});
    if (!info.ok()) groups = info.status().ToString();
    if (info.ok()) {
      for (const RedisReply& group : info->elements) {
        for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
          const RedisReply& v = group.elements[i + 1];
          absl::StrAppend(&groups, group.elements[i].str, "=",
                          v.str.empty() ? std::to_string(v.integer) : v.str, " ");
        }
      }
    }
    FAIL() << missing << " acknowledged escalations in no inbox; stream length " << StreamLength()
           << ", groups: " << groups << "\n"
           << f_.NotifyLog(0) << f_.NotifyLog(1) << f_.TasksLog();
  }

  void ExpectEachAcknowledgedOnceAndNoneTwice() {
    const std::map<std::string, int> notices = EscalationNotices();
    std::lock_guard<std::mutex> lock(mu_);
    int missing = 0, doubled = 0;
    for (const auto& [id, owner] : acknowledged_) missing += notices.count(id) == 0;
    for (const auto& [id, n] : notices) doubled += n > 1;
    EXPECT_EQ(missing, 0) << "acknowledged escalations not in their owner's inbox";
    EXPECT_EQ(doubled, 0) << "escalations in an inbox twice";
    EXPECT_GT(acknowledged_.size(), kEscalations / 2u) << failed_calls_ << " calls failed";
    std::cout << "[ ha ] " << acknowledged_.size() << " escalations acknowledged, " << failed_calls_
              << " calls failed, " << notices.size() << " in inboxes\n";
    for (const std::string& f : failures_) std::cout << "[ ha ] a failed call: " << f << "\n";
    RedisClient redis(f_.RedisAdmin());
    auto pending = redis.Command({"XPENDING", "uplift:escalations", "uplift-notify"});
    ASSERT_TRUE(pending.ok());
    EXPECT_EQ(pending->elements[0].integer, 0) << "entries left pending";
  }

  // Waits until `count` escalations are on the stream, for as long as they
  // keep coming: false once none has come for `stalled`.
  bool WaitForEscalations(int64_t count, absl::Duration stalled = absl::Seconds(60)) {
    int64_t seen = -1;
    absl::Time progressed = absl::Now();
    for (;;) {
      const int64_t length = StreamLength();
      if (length >= count) return true;
      if (length > seen) {
        seen = length;
        progressed = absl::Now();
      } else if (absl::Now() - progressed > stalled) {
        return false;
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
  }

  // Entries on the escalations stream (-1 while Redis does not answer).
  int64_t StreamLength() {
    RedisClient redis(f_.RedisAdmin());
    auto length = redis.Command({"XLEN", "uplift:escalations"});
    return length.ok() ? length->integer : -1;
  }

  const absl::Time began_ = absl::Now();
  const ScopedEngine engine_;  // before f_, which starts the services
  IndicatorsFixture f_;
  std::string town_;
  std::vector<std::string> ids_;
  std::mutex mu_;
  std::string replica_;                              // tasks-1's address, kept across its restarts
  std::string registry_replica_;                     // registry-1's
  std::string indicators_replica_;                   // indicators-1's
  EnterpriseRenames renames_{kEnterprises, kRenames};
  std::map<std::string, std::string> acknowledged_;  // problem -> its new owner
  int failed_calls_ = 0;
  std::set<std::string> failures_;  // the first few distinct errors, for the report
};

TEST_F(HaFaultTest, KillNineOfAReplicaOfEachServiceLosesNothingAcknowledged) {
  std::thread flow = StartFlow();
  std::mt19937 rng(20231203);
  std::uniform_int_distribution<int> pause(200, 800);
  std::string restart_failed;
  try {
    for (int k = 0; k < 4; ++k) {
      absl::SleepFor(absl::Milliseconds(pause(rng)));
      f_.tasks_replica(1).Kill();
      f_.registry_replica(1).Kill();
      f_.indicators_replica(1).Kill();
      const int notify = static_cast<int>(rng() % 2);
      f_.KillNotify(notify);
      absl::SleepFor(absl::Milliseconds(100));
      f_.StartTasksReplica(1, PortOf(replica_));
      f_.StartRegistryReplica(1, PortOf(registry_replica_));
      f_.StartIndicatorsReplica(1, PortOf(indicators_replica_));
      f_.StartNotify(notify);
    }
  } catch (const std::exception& e) {
    restart_failed = e.what();
  }
  JoinFlow(flow);
  ASSERT_TRUE(restart_failed.empty()) << restart_failed;
  ASSERT_NO_FATAL_FAILURE(WaitForEveryAcknowledgedOne());
  ExpectEachAcknowledgedOnceAndNoneTwice();
  ExpectEveryRegistryChangeInIndicators();
}

// The sweep, not callers, escalates here: every township deadline passes at
// once, and each replica's sweep (every 100 ms) competes for the lease
// while both replicas are killed in turn. Each problem climbs exactly one
// rung, published once, and each missing May report is reminded once.
TEST_F(HaFaultTest, TheSweepsRunOnceAcrossReplicasKilledInTurn) {
  f_.AdvanceClock(absl::Hours(24 * 30));  // 2023-07-01: past every township's limit
  const int replica_port = PortOf(replica_);
  std::mt19937 rng(20230701);
  std::uniform_int_distribution<int> pause(100, 600);
  absl::SleepFor(absl::Milliseconds(pause(rng)));
  std::cout << "[ ha ] tasks-1 killed with " << StreamLength() << " escalations published\n";
  f_.tasks_replica(1).Kill();
  f_.StartTasksReplica(1, replica_port);
  absl::SleepFor(absl::Milliseconds(pause(rng)));
  std::cout << "[ ha ] tasks-0 killed with " << StreamLength() << " escalations published\n";
  f_.KillTasks();
  f_.StartTasks();
  // The sweep on PostgreSQL on a busy machine takes minutes: waited for as
  // long as it goes on.
  EXPECT_TRUE(WaitForEscalations(kEscalations)) << "the sweep stopped at " << StreamLength();
  absl::SleepFor(absl::Seconds(1));  // a second sweep's escalations would be there now
  std::cout << "[ ha ] all escalated " << absl::FormatDuration(absl::Now() - began_)
            << " after the start\n";
  const std::vector<StreamEvent> escalations = f_.ReadStream("uplift:escalations");
  std::map<std::string, int> climbs;  // problem -> automatic escalations published
  for (const StreamEvent& e : escalations) {
    uplift::tasks::v1::ProblemEscalated m;
    ASSERT_TRUE(e.UnpackTo(&m).ok());
    EXPECT_TRUE(m.automatic());
    EXPECT_EQ(m.escalation_number(), 1) << m.problem_id();
    ++climbs[m.problem_id()];
    std::lock_guard<std::mutex> lock(mu_);
    acknowledged_[m.problem_id()] = m.new_owner_unit_id();
  }
  EXPECT_EQ(climbs.size(), static_cast<size_t>(kEscalations)) << f_.TasksLog();
  int twice = 0;
  for (const auto& [id, n] : climbs) twice += n > 1;
  EXPECT_EQ(twice, 0) << "problems escalated by two sweeps";

  std::map<std::string, int> reminded;  // task/unit/period -> reminders published
  for (const StreamEvent& e : f_.ReadStream("uplift:reminders")) {
    uplift::tasks::v1::ProgressReminder r;
    ASSERT_TRUE(e.UnpackTo(&r).ok());
    ++reminded[absl::StrCat(r.task_id(), "/", r.unit_id(), "/", r.period())];
  }
  EXPECT_FALSE(reminded.empty()) << "the reporting day passed: reminders were due";
  for (const auto& [key, n] : reminded) EXPECT_EQ(n, 1) << key << " reminded " << n << " times";

  ASSERT_NO_FATAL_FAILURE(WaitForEveryAcknowledgedOne());
  ExpectEachAcknowledgedOnceAndNoneTwice();
}

// On PostgreSQL whatever the run (its subject is the database server);
// ctest registers it in the PostgreSQL run only.
class HaPostgresRestartTest : public HaFaultTest {
 protected:
  HaPostgresRestartTest() : HaFaultTest(RedisSetup::kOneServer, Engine::kPostgres) {}
};

TEST_F(HaPostgresRestartTest, PostgresRestartedDuringTheFlowLosesNothingAcknowledged) {
  std::thread flow = StartFlow();
  absl::SleepFor(absl::Milliseconds(700));
  SharedPostgresServer().Stop();
  absl::SleepFor(absl::Seconds(1));
  SharedPostgresServer().Start();
  JoinFlow(flow);
  ASSERT_NO_FATAL_FAILURE(WaitForEveryAcknowledgedOne());
  ExpectEachAcknowledgedOnceAndNoneTwice();
  ExpectEveryRegistryChangeInIndicators();
}

class HaRedisFailoverTest : public HaFaultTest {
 protected:
  HaRedisFailoverTest() : HaFaultTest(RedisSetup::kSentinels) {}
};

TEST_F(HaRedisFailoverTest, RedisMasterKilledDuringTheFlowLosesNothingAcknowledged) {
  std::thread flow = StartFlow();
  absl::SleepFor(absl::Milliseconds(300));
  const int old_master = f_.RedisMasterPort();
  const int64_t published = StreamLength();
  f_.redis().Kill();
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::cout << "[ ha ] the master killed with " << acknowledged_.size()
              << " escalations acknowledged and " << published << " on the stream\n";
  }
  // The sentinels call it down after a second and promote the replica;
  // the services find the new master through them.
  const bool promoted = WaitUntil([&] { return f_.RedisMasterPort() == f_.redis_replica().port(); },
                                  absl::Seconds(60));
  // The old master's host comes back, and the sentinels make it the new
  // master's replica (the outboxes wait for it again).
  f_.redis().Start();
  JoinFlow(flow);
  ASSERT_EQ(old_master, f_.redis().port());
  ASSERT_TRUE(promoted) << "the sentinels did not promote the replica";
  ASSERT_NO_FATAL_FAILURE(WaitForEveryAcknowledgedOne());
  ExpectEachAcknowledgedOnceAndNoneTwice();
  ExpectEveryRegistryChangeInIndicators();
  EXPECT_TRUE(f_.redis().WaitForMasterLink(absl::Seconds(60)))
      << "the old master did not come back as the new master's replica";
}

}  // namespace
}  // namespace uplift::testing
