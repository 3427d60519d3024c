// Unified social credit codes as they arrive from forms and spreadsheets:
// whatever the text, the check answers, and what it accepts is a code whose
// check character is its own; its error quotes the input cut short.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>

#include "services/registry/credit_code.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string code = uplift::registry::NormalizeCreditCode(text);
  const absl::Status checked = uplift::registry::CheckCreditCode("enterprise.credit_code", code);
  if (checked.ok()) {
    if (code.size() != 18 || uplift::registry::WithCheckCharacter(code.substr(0, 17)) != code) {
      std::abort();  // accepted a code whose check character is not its own
    }
  } else if (checked.message().size() > 512) {
    std::abort();  // echoed the input whole
  }
  (void)uplift::registry::CreditCodeCheckCharacter(text.substr(0, 17));
  return 0;
}
