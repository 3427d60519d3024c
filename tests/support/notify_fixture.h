// The suite fixture (registry, tasks, redis) plus uplift-notify replicas
// sharing one data directory (and consumer group), units with supervisors
// in the registry,
// a publisher of wire-format escalations, and helpers to count what each
// unit's inbox holds.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/support/suite_fixture.h"
#include "uplift/notify/v1/notify.grpc.pb.h"
#include "uplift/tasks/v1/tasks.grpc.pb.h"

namespace uplift::testing {

namespace nv1 = uplift::notify::v1;

class NotifyFixture : public SuiteFixture {
 public:
  explicit NotifyFixture(absl::CivilSecond start = absl::CivilSecond(2023, 6, 1, 10, 0, 0),
                         RedisSetup redis_setup = RedisSetup::kOneServer);
  ~NotifyFixture();

  // Starts replica `i` (0, 1, ...) with `extra` flags; replicas share the data dir.
  void StartNotify(int i = 0, const std::vector<std::string>& extra = {},
                   const std::map<std::string, std::string>& env = {});
  void KillNotify(int i = 0);
  int StopNotify(int i = 0);
  std::string NotifyLog(int i = 0) const;
  std::string notify_address(int i = 0) const;
  pid_t notify_pid(int i = 0) const { return replicas_[i]->pid(); }
  nv1::Notification::Stub& notify(int i = 0);

  // The units of the tests: dept-kgx; dept-zrj and town-chengan (supervisor
  // dept-kgx); leader-equipment.
  static const std::vector<std::string>& Units();
  // A token acting for `unit` in a role that fits it.
  std::string TokenFor(const std::string& unit);
  // Adds `channel` as the administrator.
  grpc::Status AddChannel(const nv1::Channel& channel);
  void AddWebhook(const std::string& unit, const std::string& url);

  // The escalation path of the end-to-end tests (the Xinle plan applied):
  // enterprise TestCreditCode(n), `name`, of the equipment cluster in
  // town-chengan; throws on a failure.
  void CreateChenganEnterprise(int n, const std::string& name);
  // Its land problem, raised by town-chengan's task force and escalated by
  // it to the land department (dept-zrj); the problem's id.
  std::string RaiseLandProblemAtDepartment(int n);
  // The land department escalates it to the cluster's liaison leader; the
  // problem as it stands after.
  uplift::tasks::v1::Problem EscalateToLeader(const std::string& problem_id);

  // XADDs a ProblemEscalated for `problem_id` to `owner`, with a fresh
  // event_id; retries while Redis is down. Returns the event_id.
  std::string PublishEscalation(const std::string& problem_id, const std::string& owner);
  // The source event ids of every notification in `unit`'s inbox, counted.
  std::map<std::string, int> InboxEvents(const std::string& unit);

 private:
  std::vector<std::unique_ptr<Process>> replicas_;
  std::vector<int> ports_;
  std::vector<std::unique_ptr<nv1::Notification::Stub>> stubs_;
  std::map<std::string, int64_t> escalations_;  // versions published per problem
  int channels_added_ = 0;
};

}  // namespace uplift::testing
