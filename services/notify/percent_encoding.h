// Percent-encoding (RFC 3986 unreserved characters kept, every other byte
// as %XX, upper case): 钉钉's sign parameter and SMS gateways' templates.
#pragma once

#include <string>

namespace uplift::notify {

std::string PercentEncode(const std::string& text);

}  // namespace uplift::notify
