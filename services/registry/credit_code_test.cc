// Tests of the GB 32100-2015 check character.
#include "services/registry/credit_code.h"

#include <gtest/gtest.h>

#include <random>

namespace uplift::registry {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Codes published on business licences; their check characters are the
// standard's, not ours.
TEST(CreditCode, AcceptsPublishedCodes) {
  for (const char* code : {"9144030071526726XG", "91330100716105852F", "91110108551385082Q",
                           "91440300708461136T"}) {
    EXPECT_TRUE(CheckCreditCode("credit_code", code).ok()) << code;
  }
}

TEST(CreditCode, ComputesTheCheckCharacterByTheAlgorithm) {
  // The weights are 3^i mod 31.
  const std::string body = "91130184MA0000000";
  int sum = 0;
  const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  for (int i = 0; i < 17; ++i) sum += static_cast<int>(std::string(kAlphabet).find(body[i])) * weights[i];
  EXPECT_EQ(CreditCodeCheckCharacter(body), kAlphabet[(31 - sum % 31) % 31]);
  EXPECT_EQ(WithCheckCharacter(body), "91130184MA0000000L");
}

TEST(CreditCode, EverySingleCharacterCorruptionIsCaught) {
  std::mt19937 rng(20230527);
  std::uniform_int_distribution<int> pick(0, 30);
  for (int n = 0; n < 200; ++n) {
    std::string body = "91130184";
    for (int i = 0; i < 9; ++i) body += kAlphabet[pick(rng)];
    const std::string code = WithCheckCharacter(body);
    ASSERT_TRUE(CheckCreditCode("c", code).ok()) << code;
    for (size_t pos = 0; pos < 18; ++pos) {
      if (pos >= 2 && pos < 8) continue;  // digits only there; changed below
      for (const char* a = kAlphabet; *a != '\0'; ++a) {
        if (*a == code[pos]) continue;
        std::string bad = code;
        bad[pos] = *a;
        EXPECT_FALSE(CheckCreditCode("c", bad).ok()) << bad;
      }
    }
    std::string digit = code;
    digit[5] = digit[5] == '9' ? '8' : '9';
    EXPECT_FALSE(CheckCreditCode("c", digit).ok()) << digit;
  }
}

TEST(CreditCode, AdjacentTranspositionsAreCaught) {
  const std::string code = WithCheckCharacter("91130184MA0A1B2C3");
  for (size_t i = 0; i + 1 < 17; ++i) {
    if (code[i] == code[i + 1]) continue;
    std::string swapped = code;
    std::swap(swapped[i], swapped[i + 1]);
    EXPECT_FALSE(CheckCreditCode("c", swapped).ok()) << swapped;
  }
}

TEST(CreditCode, ExplainsWhatIsWrong) {
  EXPECT_EQ(CheckCreditCode("enterprise.credit_code", "").message(),
            "enterprise.credit_code: must not be empty");
  EXPECT_EQ(CheckCreditCode("c", "91130184MA000000").message(),
            "c: \"91130184MA000000\" has 16 characters; a unified social credit code has 18");
  EXPECT_NE(CheckCreditCode("c", "91130184MA0000000I").message().find("character 18"),
            std::string::npos);
  EXPECT_NE(CheckCreditCode("c", "9113A184MA0000000L").message().find("division code"),
            std::string::npos);
  EXPECT_NE(CheckCreditCode("c", "91130184MA0000000X").message().find("should be L"),
            std::string::npos);
  EXPECT_EQ(CheckCreditCode("c", "统一社会信用代码").message(),
            "c: \"统一社会信用代码\" has 8 characters; a unified social credit code has 18");
  // Six Chinese characters are 18 bytes: caught by the alphabet instead.
  EXPECT_NE(CheckCreditCode("c", "统一社会信用").message().find("character 1 is not"),
            std::string::npos);
}

TEST(CreditCode, NormalizesCaseAndSpaces) {
  EXPECT_EQ(NormalizeCreditCode(" 91130184ma0000000l\t"), "91130184MA0000000L");
}

}  // namespace
}  // namespace uplift::registry
