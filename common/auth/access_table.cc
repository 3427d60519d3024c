// Access decisions from the table.
#include "common/auth/access_table.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/embedded_files.h"
#include "common/text_proto.h"

namespace uplift {
namespace {

using uplift::auth::v1::ROLE_SERVICE;

template <typename Roles>
bool HasRole(const Roles& roles, Role role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::string Method(absl::string_view rpc) {
  const size_t slash = rpc.rfind('/');
  return std::string(slash == absl::string_view::npos ? rpc : rpc.substr(slash + 1));
}

// "ADMIN, PLAN_OWNER; TOWNSHIP for its own unit" for an error message.
std::string Allowed(const access::v1::Rule& rule) {
  std::vector<std::string> any, own;
  for (int r : rule.any()) any.push_back(RoleName(static_cast<Role>(r)));
  for (int r : rule.own()) own.push_back(RoleName(static_cast<Role>(r)));
  for (int r : rule.filtered()) own.push_back(RoleName(static_cast<Role>(r)));
  std::string out = any.empty() ? "" : absl::StrJoin(any, ", ");
  if (!own.empty()) absl::StrAppend(&out, out.empty() ? "" : "; ", absl::StrJoin(own, ", "), " for their own unit");
  if (!rule.services().empty()) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", "services ", absl::StrJoin(rule.services(), ", "));
  }
  return out.empty() ? "nobody" : out;
}

absl::Status Denied(const Principal& who, absl::string_view rpc, const access::v1::Rule* rule) {
  if (rule == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(Method(rpc), " is not in the access table"));
  }
  const std::string caller = who.role == ROLE_SERVICE ? absl::StrCat("service ", who.subject)
                                                      : absl::StrCat("role ", RoleName(who.role));
  return absl::PermissionDeniedError(
      absl::StrCat(caller, " may not call ", Method(rpc), "; allowed: ", Allowed(*rule)));
}

}  // namespace

const AccessTable& AccessTable::Builtin() {
  static const AccessTable* const table = [] {
    std::string text;
    std::string origin;
    for (const EmbeddedFile& f : EmbeddedAccessTable()) {
      text += f.text;
      origin = f.name;
    }
    absl::StatusOr<AccessTable> parsed = Parse(text, origin);
    if (!parsed.ok()) {
      spdlog::critical("the built-in access table is broken: {}", parsed.status().ToString());
      std::abort();
    }
    return new AccessTable(std::move(*parsed));
  }();
  return *table;
}

absl::StatusOr<AccessTable> AccessTable::Parse(const std::string& text, absl::string_view origin) {
  AccessTable t;
  absl::Status parsed = ParseTextProto(text, origin, &t.table_);
  if (!parsed.ok()) return parsed;
  for (const access::v1::Rule& rule : t.table_.rules()) {
    if (!t.by_rpc_.emplace(rule.rpc(), &rule).second) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": ", rule.rpc(), " is listed twice"));
    }
  }
  return t;
}

const access::v1::Rule* AccessTable::Find(absl::string_view rpc) const {
  auto it = by_rpc_.find(rpc);
  return it == by_rpc_.end() ? nullptr : it->second;
}

absl::Status AccessTable::Gate(const Principal& who, absl::string_view rpc) const {
  const access::v1::Rule* rule = Find(rpc);
  if (rule == nullptr) return Denied(who, rpc, rule);
  if (who.role == ROLE_SERVICE) {
    const auto& s = rule->services();
    if (std::find(s.begin(), s.end(), who.subject) != s.end()) return absl::OkStatus();
    return Denied(who, rpc, rule);
  }
  if (HasRole(rule->any(), who.role) || HasRole(rule->own(), who.role) ||
      HasRole(rule->filtered(), who.role)) {
    return absl::OkStatus();
  }
  return Denied(who, rpc, rule);
}

absl::Status AccessTable::Check(const Principal& who, absl::string_view rpc, bool own_unit) const {
  if (absl::Status gate = Gate(who, rpc); !gate.ok()) return gate;
  const access::v1::Rule* rule = Find(rpc);
  if (who.role == ROLE_SERVICE || HasRole(rule->any(), who.role) || own_unit) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(RoleName(who.role), " ", who.unit_id,
                                                  " may call ", Method(rpc),
                                                  " only for its own unit"));
}

bool AccessTable::Restricted(const Principal& who, absl::string_view rpc) const {
  const access::v1::Rule* rule = Find(rpc);
  if (rule == nullptr || who.role == ROLE_SERVICE) return false;
  return !HasRole(rule->any(), who.role);
}

std::string ServiceAccess::Rpc(absl::string_view method) const { return absl::StrCat(prefix_, method); }

absl::Status ServiceAccess::Gate(const Principal& who, absl::string_view method) const {
  return table_->Gate(who, Rpc(method));
}

absl::Status ServiceAccess::Check(const Principal& who, absl::string_view method,
                                  bool own_unit) const {
  return table_->Check(who, Rpc(method), own_unit);
}

bool ServiceAccess::Restricted(const Principal& who, absl::string_view method) const {
  return table_->Restricted(who, Rpc(method));
}

absl::Status ServiceAccess::CheckUnit(const Principal& who, absl::string_view method,
                                      absl::string_view unit_id) const {
  return Check(who, method, !who.unit_id.empty() && who.unit_id == unit_id);
}

}  // namespace uplift
