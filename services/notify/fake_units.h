// The registry's units as uplift-notify sees them, in memory (dept-zrj
// reports to dept-kgx; "nowhere" does not exist): for unit tests and fuzz
// targets of NotifyService (never linked into the service).
#pragma once

#include <map>
#include <string>

#include "services/notify/notify_service.h"

namespace uplift::notify {

class FakeUnits : public UnitDirectory {
 public:
  absl::StatusOr<uplift::registry::v1::Unit> GetUnit(const std::string& id) override {
    if (down) return absl::UnavailableError("registry down");
    uplift::registry::v1::Unit u;
    u.set_unit_id(id);
    if (auto name = names.find(id); name != names.end()) u.set_name(name->second);
    if (id == "nowhere") return absl::NotFoundError("no unit");
    auto it = supervisors.find(id);
    if (it != supervisors.end()) u.set_supervisor_unit_id(it->second);
    return u;
  }
  bool down = false;
  std::map<std::string, std::string> supervisors = {{"dept-zrj", "dept-kgx"}};
  std::map<std::string, std::string> names = {{"dept-zrj", "市自然资源和规划局"},
                                              {"town-chengan", "承安镇"}};
};

}  // namespace uplift::notify
