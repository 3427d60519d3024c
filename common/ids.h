// Random identifiers: UUID v4 strings from OpenSSL's CSPRNG.
#pragma once

#include <string>

namespace uplift {

std::string NewUuid();           // "3f2a...-....-4...-....-............"
std::string RandomHex(int bytes);  // 2*bytes hex characters

}  // namespace uplift
