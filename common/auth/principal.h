// Who is calling: the verified claims of a bearer token.
#pragma once

#include <string>
#include <utility>

#include "absl/time/time.h"
#include "uplift/auth/v1/token.pb.h"

namespace uplift {

using Role = uplift::auth::v1::Role;

struct Principal {
  std::string subject;
  std::string subject_name;  // a person's name (张明); empty for systems
  Role role = uplift::auth::v1::ROLE_UNSPECIFIED;
  std::string unit_id;
  std::string token_id;
  int64_t expires_at_unix = 0;  // 0: never
  // The call's own credential and deadline, so a service can call another
  // on the caller's behalf. Never logged or stored.
  std::string bearer_token;
  absl::Time call_deadline = absl::InfiniteFuture();

  bool Is(Role r) const { return role == r; }
  bool IsAdmin() const { return role == uplift::auth::v1::ROLE_ADMIN; }
};

// A service acting on its own account (a sweep, an event it consumes): role
// SERVICE, `subject` as the audit log and histories show it ("system",
// "uplift-registry").
inline Principal ServiceActor(std::string subject) {
  Principal p;
  p.subject = std::move(subject);
  p.role = uplift::auth::v1::ROLE_SERVICE;
  return p;
}

// "ADMIN", "TOWNSHIP", ... (without the ROLE_ prefix).
std::string RoleName(Role role);
// Accepts "ADMIN", "admin", "ROLE_ADMIN"; false if unknown.
bool ParseRoleName(const std::string& text, Role* role);

}  // namespace uplift
