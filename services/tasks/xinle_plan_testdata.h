// Tests' access to the shipped Xinle 2023 plan file (plans/xinle-2023.textproto).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <google/protobuf/text_format.h>

#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::tasks {

// UPLIFT_SOURCE_DIR is defined by the test's build target.
inline uplift::tasks::v1::Plan LoadXinlePlan() {
  std::ifstream in(std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto");
  std::stringstream text;
  text << in.rdbuf();
  uplift::tasks::v1::Plan plan;
  google::protobuf::TextFormat::ParseFromString(text.str(), &plan);
  return plan;
}

}  // namespace uplift::tasks
