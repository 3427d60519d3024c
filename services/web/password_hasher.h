// Password hashes: argon2id through libsodium's crypto_pwhash, in its
// self-describing string form ("$argon2id$v=19$m=65536,t=2,p=1$..."), so a
// hash made with older costs still verifies after the costs are raised.
// Each hash holds its memory (64 MiB by default) while it runs, so at most
// `max_parallel` run at once; the others wait their turn.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace uplift::web {

struct PasswordCost {
  unsigned long long ops;  // passes over memory
  size_t memory_bytes;
  // libsodium's INTERACTIVE costs (2 passes, 64 MiB): about 0.1 s here.
  static PasswordCost Interactive();
  // The smallest costs argon2id allows: for unit tests only.
  static PasswordCost Minimal();
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = PasswordCost::Interactive(), int max_parallel = 2);

  absl::StatusOr<std::string> Hash(absl::string_view password) const;
  // False for a wrong password and for a malformed hash.
  bool Verify(absl::string_view hash, absl::string_view password) const;
  // Spends the time of a verification without a hash of any account, so an
  // unknown login answers as slowly as a wrong password.
  void VerifyNothing(absl::string_view password) const;

 private:
  class Turn;
  const PasswordCost cost_;
  const int max_parallel_;
  std::string dummy_hash_;
  mutable absl::Mutex mu_;
  mutable int running_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace uplift::web
