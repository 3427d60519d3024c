// GB 32100-2015 check character: weights 3^i mod 31, check = 31 - sum mod 31.
#include "services/registry/credit_code.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/validation.h"

namespace uplift::registry {
namespace {

constexpr absl::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int ValueOf(char c) {
  const size_t pos = kAlphabet.find(c);
  return pos == absl::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::string NormalizeCreditCode(absl::string_view code) {
  // Fast path (the usual case): already 18 upper-case characters.
  bool clean = code.size() == 18;
  for (size_t i = 0; clean && i < code.size(); ++i) clean = !absl::ascii_islower(code[i]) && !absl::ascii_isspace(code[i]);
  if (clean) return std::string(code);
  return absl::AsciiStrToUpper(TrimText(code));
}

char CreditCodeCheckCharacter(absl::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    const int v = ValueOf(first17[i]);
    if (v < 0) return '\0';
    sum += v * kWeights[i];
  }
  const int check = (31 - sum % 31) % 31;
  return kAlphabet[check];
}

std::string WithCheckCharacter(absl::string_view first17) {
  return absl::StrCat(first17, std::string(1, CreditCodeCheckCharacter(first17)));
}

absl::Status CheckCreditCode(absl::string_view field, absl::string_view code) {
  if (code.empty()) return FieldError(field, "must not be empty");
  if (code.size() != 18) {
    const long chars = Utf8Length(code);
    if (chars < 0) return FieldError(field, "is not valid UTF-8");
    return FieldError(field, absl::StrCat(QuoteInput(code), " has ", chars,
                                          " characters; a unified social credit code has 18"));
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (ValueOf(code[i]) < 0) {
      return FieldError(field, absl::StrCat(QuoteInput(code), ": character ", i + 1,
                                            " is not one of 0-9 and A-Y without I, O, S, V, Z"));
    }
  }
  for (size_t i = 2; i < 8; ++i) {
    if (!absl::ascii_isdigit(code[i])) {
      return FieldError(field, absl::StrCat(QuoteInput(code),
                                            ": characters 3-8 are the division code and must be digits"));
    }
  }
  const char expected = CreditCodeCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) {
    return FieldError(field, absl::StrCat(QuoteInput(code), " fails the GB 32100-2015 check: the 18th "
                                          "character should be ", std::string(1, expected),
                                          " (a mistyped character?)"));
  }
  return absl::OkStatus();
}

}  // namespace uplift::registry
