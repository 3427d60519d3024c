// IndicatorsFixture.
#include "tests/support/indicators_fixture.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/client_channel.h"

namespace uplift::testing {

IndicatorsFixture::IndicatorsFixture(absl::CivilSecond start, RedisSetup redis_setup)
    : NotifyFixture(start, redis_setup) {
  std::ofstream(dir().File("admin.token")) << admin_token << "\n";
}

IndicatorsFixture::~IndicatorsFixture() {
  for (auto& [n, replica] : indicators_replicas_) replica->Kill();
  if (indicators_ != nullptr) indicators_->Kill();
}

std::vector<std::string> IndicatorsFixture::IndicatorsArgs() const {
  return {"--tasks-addr",
          tasks_address(),
          "--registry-addr",
          address(),
          "--sweep-interval",
          "200ms",
          "--claim-idle",
          "1s",
          "--testing-clock-offset-file",
          dir().File("clock.offset")};
}

void IndicatorsFixture::StartIndicators() {
  indicators_port_ = LaunchService(UPLIFT_INDICATORS_BIN, "uplift-indicators", "indicators",
                                   "indicators-data", 0, IndicatorsArgs(), &indicators_);
  indicators_stub_ = iv1::IndicatorAggregation::NewStub(*MakeChannel(indicators_address(), {}));
}

std::string IndicatorsFixture::StartIndicatorsReplica(int n, int port) {
  const std::string name = absl::StrCat("indicators-", n);
  std::vector<std::string> args = IndicatorsArgs();
  args.insert(args.end(), {"--consumer-name", name});
  return absl::StrCat("127.0.0.1:",
                      LaunchService(UPLIFT_INDICATORS_BIN, "uplift-indicators", name,
                                    "indicators-data", port, args, &indicators_replicas_[n]));
}

void IndicatorsFixture::KillIndicators() { indicators_->Kill(); }

std::string IndicatorsFixture::IndicatorsLog() const { return indicators_->Log(); }

std::string IndicatorsFixture::indicators_address() const {
  return "127.0.0.1:" + std::to_string(indicators_port_);
}

int IndicatorsFixture::Ctl(const std::vector<std::string>& args, const std::string& token,
                           std::string* output) {
  std::vector<std::string> all = {"--registry-addr", address(), "--tasks-addr", tasks_address(),
                                  "--indicators-addr", indicators_address(), "--token", token,
                                  "--timeout", "30s"};
  all.insert(all.end(), args.begin(), args.end());
  return RunCommand(UPLIFT_CTL_BIN, all, output);
}

int IndicatorsFixture::County(int enterprises, int through_month, std::string* output) {
  return RunCommand(
      UPLIFT_COUNTY_BIN,
      {"--plan", std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto", "--enterprises",
       std::to_string(enterprises), "--through", std::to_string(through_month), "--out",
       county_dir(), "--populate", "--registry-addr", address(), "--token-file",
       dir().File("admin.token"), "--tasks-addr", tasks_address()},
      output);
}

}  // namespace uplift::testing
