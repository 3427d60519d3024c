// The input rules of an account's fields. Each error is INVALID_ARGUMENT
// naming the field.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "uplift/accounts/v1/accounts.pb.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::web {

// A password is at most this many bytes (128 characters of up to 4 bytes).
inline constexpr size_t kMaxPasswordBytes = 512;

// 3..32 characters: lower-case ASCII letters, digits, '.', '_' or '-',
// starting with a letter or digit.
absl::Status CheckLogin(absl::string_view field, absl::string_view login);
// A mainland mobile number: 11 digits starting with 1; empty allowed.
absl::Status CheckMobile(absl::string_view field, absl::string_view mobile);
// local@domain with a dot in the domain, at most 254 characters; empty allowed.
absl::Status CheckEmail(absl::string_view field, absl::string_view email);
// display_name, role (a person's role, not SERVICE), unit_id required for
// roles that act for a unit and absent for ADMIN and VIEWER, mobile, email.
absl::Status CheckAccountFields(const std::string& prefix,
                                const uplift::accounts::v1::Account& account);
// The unit an account acts for is of the kind its role acts for: TOWNSHIP a
// 乡镇, 街道 or 开发区; DEPARTMENT and PLAN_OWNER a 市直部门; LEADER a 包联市领导;
// PROVINCE a 省市部门. The error names `field`.
absl::Status CheckUnitFitsRole(const std::string& field, uplift::auth::v1::Role role,
                               const uplift::registry::v1::Unit& unit);

}  // namespace uplift::web
