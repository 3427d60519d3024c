// Account field rules.
#include "services/web/account_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/registry/registry_labels.h"
#include "services/registry/registry_rules.h"

namespace uplift::web {

absl::Status CheckLogin(absl::string_view field, absl::string_view login) {
  if (login.size() < 3 || login.size() > 32) {
    return FieldError(field, "must be 3 to 32 characters");
  }
  if (!absl::ascii_islower(login[0]) && !absl::ascii_isdigit(login[0])) {
    return FieldError(field, "must start with a lower-case letter or a digit");
  }
  for (char c : login) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '.' && c != '_' && c != '-') {
      return FieldError(field, absl::StrCat("holds ", QuoteInput(std::string(1, c)),
                                            "; use lower-case letters, digits, '.', '_', '-'"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMobile(absl::string_view field, absl::string_view mobile) {
  if (mobile.empty()) return absl::OkStatus();
  bool digits = mobile.size() == 11 && mobile[0] == '1';
  for (char c : mobile) digits = digits && absl::ascii_isdigit(c);
  if (!digits) return FieldError(field, "must be an 11-digit mobile number starting with 1");
  return absl::OkStatus();
}

absl::Status CheckEmail(absl::string_view field, absl::string_view email) {
  if (email.empty()) return absl::OkStatus();
  const size_t at = email.find('@');
  const bool shape = email.size() <= 254 && at != absl::string_view::npos && at > 0 &&
                     email.find('@', at + 1) == absl::string_view::npos &&
                     email.find('.', at + 2) != absl::string_view::npos && email.back() != '.';
  if (!shape) return FieldError(field, "must be an e-mail address such as name@example.gov.cn");
  for (unsigned char c : email) {
    if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';') {
      return FieldError(field, "must be an e-mail address of plain ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAccountFields(const std::string& prefix, const uplift::accounts::v1::Account& a) {
  RETURN_IF_ERROR(CheckText(prefix + "display_name", a.display_name(), 64, true));
  const Role role = a.role();
  if (role == uplift::auth::v1::ROLE_UNSPECIFIED || role == uplift::auth::v1::ROLE_SERVICE ||
      !uplift::auth::v1::Role_IsValid(role)) {
    return FieldError(prefix + "role",
                      "must be a person's role (ADMIN, PLAN_OWNER, DEPARTMENT, "
                      "TOWNSHIP, LEADER, PROVINCE or VIEWER)");
  }
  if (RoleNeedsUnit(role)) {
    RETURN_IF_ERROR(CheckId(prefix + "unit_id", a.unit_id()));
  } else if (!a.unit_id().empty()) {
    return FieldError(prefix + "unit_id", absl::StrCat("must be empty for ", RoleName(role),
                                                       ", which acts for no unit"));
  }
  RETURN_IF_ERROR(CheckMobile(prefix + "mobile", a.mobile()));
  return CheckEmail(prefix + "email", a.email());
}

absl::Status CheckUnitFitsRole(const std::string& field, Role role,
                               const uplift::registry::v1::Unit& unit) {
  namespace rv1 = uplift::registry::v1;
  using uplift::registry::UnitKindLabel;
  bool fits = true;
  std::string wanted;
  switch (role) {
    case uplift::auth::v1::ROLE_TOWNSHIP:
      fits = uplift::registry::IsTerritorial(unit.kind());
      wanted = absl::StrCat(UnitKindLabel(rv1::UNIT_KIND_TOWNSHIP), "、",
                            UnitKindLabel(rv1::UNIT_KIND_SUBDISTRICT), "或",
                            UnitKindLabel(rv1::UNIT_KIND_DEVELOPMENT_ZONE));
      break;
    case uplift::auth::v1::ROLE_DEPARTMENT:
    case uplift::auth::v1::ROLE_PLAN_OWNER:
      fits = unit.kind() == rv1::UNIT_KIND_DEPARTMENT;
      wanted = UnitKindLabel(rv1::UNIT_KIND_DEPARTMENT);
      break;
    case uplift::auth::v1::ROLE_LEADER:
      fits = unit.kind() == rv1::UNIT_KIND_CITY_LEADER;
      wanted = UnitKindLabel(rv1::UNIT_KIND_CITY_LEADER);
      break;
    case uplift::auth::v1::ROLE_PROVINCE:
      fits = unit.kind() == rv1::UNIT_KIND_PROVINCE_PREFECTURE;
      wanted = UnitKindLabel(rv1::UNIT_KIND_PROVINCE_PREFECTURE);
      break;
    default:
      break;  // roles that act for no unit: CheckAccountFields says so
  }
  if (fits) return absl::OkStatus();
  return FieldError(
      field, absl::StrCat(unit.name(), " (", unit.unit_id(), ") is a ", UnitKindLabel(unit.kind()),
                          "; a ", RoleName(role), " account acts for a ", wanted));
}

}  // namespace uplift::web
