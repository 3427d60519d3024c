// The problem ladder as a state machine, free of storage and RPC: rungs
// TOWNSHIP -> DEPARTMENT -> CITY_LEADER -> PROVINCE_PREFECTURE, states
// OPEN -> ACCEPTED -> RESOLVED (and AWAITING_RULING when two rungs return
// it to each other twice), and every step a timeline entry. Each method
// changes the problem and returns the step to record, or refuses with
// FAILED_PRECONDITION (wrong state, no rung above or below) or
// INVALID_ARGUMENT (missing text).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/working_calendar.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

// Who owns each rung for one problem.
struct RungOwners {
  std::string township;     // the enterprise's township
  std::string department;   // the category's responsible department
  std::string city_leader;  // the cluster's liaison leader, from the registry
  std::string province;     // the category's (or plan's) provincial office
  std::string plan_owner;   // the lead department: it rules on disputes
  std::string OwnerOf(v1::Rung rung) const;
};

// Who takes a step; automatic steps are taken by "system".
struct Actor {
  std::string subject;
  std::string unit_id;
  std::string name;  // a person's name, from their token
  static Actor System() { return {"system", "", ""}; }
};

// One co-handling department to add; without a day, the problem's deadline.
struct CoHandlerAssignment {
  std::string unit_id;
  std::optional<absl::CivilDay> due_on;
};

class ProblemLadder {
 public:
  explicit ProblemLadder(const WorkingCalendar* calendar) : calendar_(calendar) {}

  // Starts the problem at the TOWNSHIP rung with a deadline `limit_days`
  // working days away.
  v1::ProblemStep Raise(v1::Problem* p, const RungOwners& owners, int limit_days, absl::Time now,
                        const Actor& actor) const;
  absl::StatusOr<v1::ProblemStep> Accept(v1::Problem* p, absl::Time now, const Actor& actor) const;
  absl::StatusOr<v1::ProblemStep> Resolve(v1::Problem* p, const std::string& resolution,
                                          absl::Time now, const Actor& actor) const;
  // Back to the rung that sent it (the last of its route), with a new
  // deadline. The second return between the same two rungs goes to the
  // plan owner instead (AWAITING_RULING, deadline unchanged); a pair the
  // plan owner ruled on cannot return it at all.
  absl::StatusOr<v1::ProblemStep> Return(v1::Problem* p, const std::string& reason,
                                         const RungOwners& owners, int limit_days, absl::Time now,
                                         const Actor& actor) const;
  // 裁定: the plan owner names which of the two rungs owns the problem.
  absl::StatusOr<v1::ProblemStep> RuleOn(v1::Problem* p, v1::Rung rung, const std::string& reason,
                                         const RungOwners& owners, int limit_days, absl::Time now,
                                         const Actor& actor) const;
  // Up to the rung above, with a new deadline; `automatic` when it climbs
  // by itself past its deadline.
  absl::StatusOr<v1::ProblemStep> Escalate(v1::Problem* p, const std::string& reason,
                                           const RungOwners& owners, int limit_days,
                                           absl::Time now, const Actor& actor,
                                           bool automatic) const;
  // 提级: straight to `to` (the leader's or the provincial rung), past the
  // rungs between.
  absl::StatusOr<v1::ProblemStep> SkipUp(v1::Problem* p, v1::Rung to, const std::string& reason,
                                         const RungOwners& owners, int limit_days, absl::Time now,
                                         const Actor& actor) const;
  // 延期: the current rung asks for its deadline to become the end of
  // `due_on`; `rule` says who approves (the plan owner, or the owner of the
  // rung above). One request waits at a time; a move to another rung or a
  // resolution drops it.
  absl::StatusOr<v1::ProblemStep> RequestExtension(v1::Problem* p, absl::CivilDay due_on,
                                                   const std::string& reason,
                                                   v1::ExtensionApprover rule,
                                                   const RungOwners& owners, absl::Time now,
                                                   const Actor& actor) const;
  // The approver's answer; only an approval moves the deadline. A refusal
  // needs a reason.
  absl::StatusOr<v1::ProblemStep> DecideExtension(v1::Problem* p, bool approve,
                                                  const std::string& reason, absl::Time now,
                                                  const Actor& actor) const;
  // 会商: adds co-handling departments (协办) while the problem is at the
  // department rung, each to answer by the end of its day (not after the
  // problem's deadline). `departments` maps the plan's departments to
  // their names: any other unit, the rung's owner (主办) or a unit already
  // waiting to answer is refused naming `co_handlers[i]`. A step that
  // moves the problem off the rung or resolves it ends the waiting.
  absl::StatusOr<v1::ProblemStep> AddCoHandlers(
      v1::Problem* p, const std::vector<CoHandlerAssignment>& assignments,
      const std::string& reason, const std::map<std::string, std::string>& departments,
      absl::Time now, const Actor& actor) const;
  // A co-handler's answer (会商意见); answering again replaces it.
  absl::StatusOr<v1::ProblemStep> AnswerCoHandling(v1::Problem* p, const std::string& answer,
                                                   absl::Time now, const Actor& actor) const;
  // The sweep: `unit_id`'s deadline passed unanswered; recorded once.
  absl::StatusOr<v1::ProblemStep> MarkCoHandlerOverdue(v1::Problem* p, const std::string& unit_id,
                                                       const std::string& unit_name,
                                                       absl::Time now) const;
  // 回访: a DISSATISFIED answer reopens the problem one rung above the one
  // that resolved it (at the top rung, there), with a new deadline.
  absl::StatusOr<v1::ProblemStep> RecordSatisfaction(v1::Problem* p, v1::Satisfaction s,
                                                     const std::string& comment,
                                                     const RungOwners& owners, int limit_days,
                                                     absl::Time now, const Actor& actor) const;
  // A resolved problem opens again at the rung that resolved it.
  absl::StatusOr<v1::ProblemStep> Reopen(v1::Problem* p, const std::string& reason,
                                         int limit_days, absl::Time now, const Actor& actor) const;
  // Past its deadline at the top rung: nothing to climb to; recorded once.
  absl::StatusOr<v1::ProblemStep> MarkOverdueAtTop(v1::Problem* p, absl::Time now) const;
  // The registry moved the rung's owner (the enterprise's township, the
  // cluster's leader): the unresolved problem passes to `new_owner` at the
  // same rung with the same deadline.
  absl::StatusOr<v1::ProblemStep> Transfer(v1::Problem* p, const std::string& new_owner,
                                           const std::string& why, absl::Time now) const;

  // "lower-upper", the key of returns_between and ruled_pairs.
  static std::string PairKey(v1::Rung a, v1::Rung b);
  // The rung above / below; FAILED_PRECONDITION at the ends.
  static absl::StatusOr<v1::Rung> Above(v1::Rung rung);
  static absl::StatusOr<v1::Rung> Below(v1::Rung rung);
  // Only the owner of the current rung, in a role that fits it, may accept,
  // resolve, return or escalate. PERMISSION_DENIED otherwise.
  static absl::Status CheckOwner(const v1::Problem& p, const Principal& who);
  // 乡镇工作专班, 市直部门, 包联市领导, 省、市部门

 private:
  v1::ProblemStep Step(const v1::Problem& p, v1::ProblemStep::Action action, absl::Time now,
                       const Actor& actor, const std::string& text) const;
  absl::Status CheckActive(const v1::Problem& p, const char* action) const;
  // A move to another rung or a resolution: the request for a later
  // deadline is dropped and the co-handlers still waiting stop waiting.
  static void DropWaitingRequests(v1::Problem* p);
  // Moves the problem up to `to`, owned by `owner`, OPEN, with a new deadline;
  // the rung it leaves joins its route.
  void MoveUp(v1::Problem* p, v1::Rung to, const std::string& owner, int limit_days,
              absl::Time now) const;

  const WorkingCalendar* calendar_;
};

}  // namespace uplift::tasks
