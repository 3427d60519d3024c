// The notify fixture (redis, registry, tasks on a test clock, notify on
// demand) plus a real uplift-indicators process on the same clock, its
// SERVICE token, a fast sweep, and helpers to run upliftctl and
// uplift-county against them.
#pragma once

#include <string>
#include <vector>

#include "tests/support/notify_fixture.h"
#include "uplift/indicators/v1/indicators.grpc.pb.h"

namespace uplift::testing {

namespace iv1 = uplift::indicators::v1;

class IndicatorsFixture : public NotifyFixture {
 public:
  // The services' clock starts at `start` (by default mid-October 2023).
  explicit IndicatorsFixture(absl::CivilSecond start = absl::CivilSecond(2023, 10, 15, 10, 0, 0),
                             RedisSetup redis_setup = RedisSetup::kOneServer);
  ~IndicatorsFixture();

  void StartIndicators();
  void KillIndicators();
  // Replica `n` (1, 2, ...) beside the first, on its database; `port` 0
  // picks a free one. Returns its address.
  std::string StartIndicatorsReplica(int n, int port = 0);
  Process& indicators_replica(int n) { return *indicators_replicas_.at(n); }
  std::string IndicatorsLog() const;
  std::string indicators_address() const;
  iv1::IndicatorAggregation::Stub& indicators() { return *indicators_stub_; }

  // upliftctl with every address and `token`; returns the exit status.
  int Ctl(const std::vector<std::string>& args, const std::string& token, std::string* output);
  // uplift-county --populate into the registry, files into county_dir()
  // (a directory the command makes itself, as the README's does).
  int County(int enterprises, int through_month, std::string* output);
  std::string county_dir() const { return dir().File("county/out"); }

 private:
  std::vector<std::string> IndicatorsArgs() const;  // beyond ServiceArgs
  std::unique_ptr<Process> indicators_;
  std::map<int, std::unique_ptr<Process>> indicators_replicas_;
  int indicators_port_ = 0;
  std::unique_ptr<iv1::IndicatorAggregation::Stub> indicators_stub_;
};

}  // namespace uplift::testing
