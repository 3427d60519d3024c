// Chinese labels of the tasks service's enums for people (CLI, reports),
// and parsers that accept the label, the enum name or its short form.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

std::string RungLabel(v1::Rung rung);                 // 包联市领导
std::string TaskStatusLabel(v1::TaskStatus s);        // 黄色(进度滞后)
std::string ClosureStepLabel(v1::ClosureState s);     // 提请销号 (the step into the state)
std::string ProblemStateLabel(v1::ProblemState s);    // 办理中
std::string StepActionLabel(v1::ProblemStep::Action a);  // 上报
std::string SatisfactionLabel(v1::Satisfaction s);    // 基本满意
std::string CoHandlerStateLabel(v1::CoHandler::State s);  // 待反馈
std::string CountedByLabel(v1::CountedBy c);  // 服务活动台账: where a target's figure comes from
std::string MetricLabel(v1::Metric m);                // 新培育专精特新中小企业

bool ParseTaskStatus(absl::string_view text, v1::TaskStatus* out);
bool ParseProblemState(absl::string_view text, v1::ProblemState* out);
bool ParseRung(absl::string_view text, v1::Rung* out);
bool ParseSatisfaction(absl::string_view text, v1::Satisfaction* out);

}  // namespace uplift::tasks
