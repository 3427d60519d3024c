// Bearer tokens as callers present them: whatever the header holds, the
// authenticator answers without crashing; and no edit of a real token
// yields a principal other than the one it was minted for.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>

#include "common/auth/authenticator.h"
#include "common/clock.h"
#include "common/deployment_secrets.h"
#include "fuzz/fuzz_deployment.h"

namespace uplift::fuzz {
namespace {

struct Tokens {
  Tokens() : clock(absl::Now()) {
    const FuzzDeployment& deployment = FuzzDeployment::Get();
    absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier =
        TokenVerifier::FromPemFile(PublicKeysDir(deployment.auth_dir()) + "/tokens.pub");
    MustOk(verifier.status(), "the token verifier");
    auth = std::make_unique<Authenticator>(std::move(*verifier), &clock, "uplift-tasks");
    absl::StatusOr<std::string> minted =
        MintToken(TokenKeyFile(deployment.auth_dir()), "承安镇专班", auth::v1::ROLE_TOWNSHIP,
                  "town-chengan", absl::Hours(24), {"uplift-tasks"});
    MustOk(minted.status(), "mint a token");
    token = *minted;
  }
  ManualClock clock;
  std::unique_ptr<Authenticator> auth;
  std::string token;
};

}  // namespace
}  // namespace uplift::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const uplift::fuzz::Tokens* tokens = new uplift::fuzz::Tokens();
  FuzzedDataProvider input(data, size);
  // An edit of the real token: bytes replaced at chosen places.
  std::string edited = tokens->token;
  const int edits = input.ConsumeIntegralInRange<int>(0, 4);
  for (int i = 0; i < edits; ++i) {
    const size_t at = input.ConsumeIntegralInRange<size_t>(0, edited.size() - 1);
    edited[at] = input.ConsumeIntegral<char>();
  }
  absl::StatusOr<uplift::Principal> who = tokens->auth->Authenticate("Bearer " + edited);
  if (who.ok() && (who->role != uplift::auth::v1::ROLE_TOWNSHIP || who->unit_id != "town-chengan" ||
                   who->subject != "承安镇专班")) {
    std::abort();  // an edit changed whom the token speaks for
  }
  // Anything at all in the header.
  const std::string header = input.ConsumeRemainingBytesAsString();
  absl::StatusOr<uplift::Principal> any = tokens->auth->Authenticate(header);
  if (!any.ok() && any.status().message().size() > 512) std::abort();  // echoed whole
  (void)uplift::ReadUnverifiedClaims(header);
  return 0;
}
