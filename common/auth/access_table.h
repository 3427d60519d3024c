// The suite's one access table (access/access_table.textproto, built into
// every binary; schema protos/uplift/access/v1/access.proto). For an RPC and
// a caller it answers:
//   Gate:       may this role (this service, for SERVICE) call the RPC at
//               all? Checked before every handler runs.
//   Check:      may it act on this resource, given whether the resource is
//               its own unit's? Called by the logic, which knows the unit.
//   Restricted: does a list show it only its own unit's rows?
// An RPC missing from the table is refused to everyone (fail closed).
// docs/access.md is generated from the table (upliftctl access-table), and
// tests/access_table_test calls every RPC with every role to prove it.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/principal.h"
#include "uplift/access/v1/access.pb.h"

namespace uplift {

class AccessTable {
 public:
  // The built-in table; a malformed built-in file is a broken build and aborts.
  static const AccessTable& Builtin();
  static absl::StatusOr<AccessTable> Parse(const std::string& text, absl::string_view origin);

  // `rpc` is "<package>.<Service>/<Method>".
  const access::v1::Rule* Find(absl::string_view rpc) const;
  absl::Status Gate(const Principal& who, absl::string_view rpc) const;
  absl::Status Check(const Principal& who, absl::string_view rpc, bool own_unit) const;
  bool Restricted(const Principal& who, absl::string_view rpc) const;

  const access::v1::AccessTable& table() const { return table_; }

 private:
  access::v1::AccessTable table_;
  std::map<std::string, const access::v1::Rule*, std::less<>> by_rpc_;
};

// One service's view of the table, by method name alone.
class ServiceAccess {
 public:
  // `service` is the full service name, "uplift.registry.v1.EnterpriseRegistry".
  explicit ServiceAccess(std::string service, const AccessTable* table = &AccessTable::Builtin())
      : prefix_(service + "/"), table_(table) {}

  absl::Status Gate(const Principal& who, absl::string_view method) const;
  absl::Status Check(const Principal& who, absl::string_view method, bool own_unit) const;
  bool Restricted(const Principal& who, absl::string_view method) const;
  // Check with own_unit = (unit_id == who.unit_id).
  absl::Status CheckUnit(const Principal& who, absl::string_view method,
                         absl::string_view unit_id) const;

 private:
  std::string Rpc(absl::string_view method) const;
  const std::string prefix_;
  const AccessTable* const table_;
};

}  // namespace uplift
