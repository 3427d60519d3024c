// Nothing acknowledged is lost: with redis-server stopped or killed during
// writes, every write still succeeds and its event reaches the stream once
// Redis is back; with the registry killed mid-write, every acknowledged
// write is still there after a restart, and so is its event.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "tests/support/registry_fixture.h"
#include "uplift/registry/v1/registry_events.pb.h"

namespace uplift::testing {
namespace {

constexpr char kStream[] = "uplift:events:registry";

// Distinct EnterpriseCreated events by subject, and how many entries were
// duplicates of an event_id already seen (allowed on the wire).
struct CreatedEvents {
  std::set<std::string> subjects;
  int duplicates = 0;
};

CreatedEvents Created(const std::vector<StreamEvent>& events) {
  CreatedEvents out;
  std::set<std::string> ids;
  for (const StreamEvent& e : events) {
    if (!ids.insert(e.event_id).second) {
      ++out.duplicates;
      continue;
    }
    if (e.type == "uplift.registry.v1.EnterpriseCreated") {
      out.subjects.insert(e.subject.substr(std::string("enterprise/").size()));
    }
  }
  return out;
}

// Waits until the stream holds a created event for every code.
CreatedEvents WaitForCreated(RegistryFixture& f, const std::set<std::string>& codes) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  CreatedEvents seen;
  do {
    seen = Created(f.ReadStream(kStream));
    bool all = true;
    for (const std::string& c : codes) all = all && seen.subjects.count(c) > 0;
    if (all) break;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < deadline);
  return seen;
}

void RunOutage(bool kill_hard) {
  RegistryFixture f;
  f.SeedBasics();
  std::set<std::string> codes;
  for (int i = 0; i < 300; ++i) {
    if (i == 100) kill_hard ? f.redis().Kill() : f.redis().Stop();
    if (i == 200) f.redis().Start();
    // Every write succeeds, Redis or not.
    codes.insert(f.CreateEnterprise(i).credit_code());
  }
  CreatedEvents seen = WaitForCreated(f, codes);
  for (const std::string& code : codes) {
    EXPECT_TRUE(seen.subjects.count(code)) << "lost the event of " << code;
  }
  EXPECT_EQ(seen.subjects.size(), 300u);
  // Each row has its own entry id: a re-send after the outage is found in
  // the stream, never written twice.
  EXPECT_EQ(seen.duplicates, 0);
  EXPECT_NE(f.RegistryLog().find("events wait in the outbox"), std::string::npos)
      << "the relay never saw Redis down";
  std::cout << "[ outage ] " << (kill_hard ? "SIGKILL" : "SIGTERM")
            << " redis: 300 writes, 300 events delivered, " << seen.duplicates
            << " duplicate entries on the wire\n";
}

TEST(RedisOutage, StoppedRedisLosesNoEvent) { RunOutage(false); }

TEST(RedisOutage, KilledRedisLosesNoEvent) { RunOutage(true); }

TEST(RegistryCrash, KilledRegistryLosesNothingAcknowledged) {
  RegistryFixture f;
  f.SeedBasics();
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> next{0};
  // Two writers keep creating until the registry dies under them.
  auto writer = [&] {
    auto channel = grpc::CreateChannel(f.address(), grpc::InsecureChannelCredentials());
    auto stub = rv1::EnterpriseRegistry::NewStub(channel);
    while (!stop) {
      const int n = next++;
      rv1::CreateEnterpriseRequest req;
      req.mutable_enterprise()->set_credit_code(TestCreditCode(n));
      req.mutable_enterprise()->set_name("并发企业" + std::to_string(n));
      req.mutable_enterprise()->set_cluster_id("equipment");
      req.mutable_enterprise()->set_township_id("town-a");
      rv1::CreateEnterpriseResponse resp;
      if (stub->CreateEnterprise(f.Ctx(f.admin_token).get(), req, &resp).ok()) {
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.insert(resp.enterprise().credit_code());
      }
    }
  };
  std::thread a(writer), b(writer);
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (acknowledged.size() >= 150) break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  f.KillRegistry();
  absl::SleepFor(absl::Milliseconds(200));
  stop = true;
  a.join();
  b.join();
  f.StartRegistry();
  for (const std::string& code : acknowledged) {
    rv1::GetEnterpriseRequest req;
    req.set_credit_code(code);
    rv1::GetEnterpriseResponse resp;
    EXPECT_TRUE(f.stub().GetEnterprise(f.Ctx(f.admin_token).get(), req, &resp).ok())
        << "acknowledged but lost: " << code;
  }
  CreatedEvents seen = WaitForCreated(f, acknowledged);
  for (const std::string& code : acknowledged) {
    EXPECT_TRUE(seen.subjects.count(code)) << "event lost for " << code;
  }
  EXPECT_EQ(seen.duplicates, 0) << "rows published before the kill and sent again are found";
  std::cout << "[ crash ] " << acknowledged.size() << " acknowledged before kill -9, all present; "
            << seen.subjects.size() << " created events on the stream\n";
}

}  // namespace
}  // namespace uplift::testing
