// argon2id password hashes through libsodium.
#include "services/web/password_hasher.h"

#include <sodium.h>

#include <cstdlib>

#include "absl/base/call_once.h"

namespace uplift::web {
namespace {

void InitSodium() {
  static absl::once_flag once;
  absl::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no usable random source: a broken host
  });
}

}  // namespace

PasswordCost PasswordCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PasswordCost PasswordCost::Minimal() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

// Holds one of the `max_parallel` places while a hash runs.
class PasswordHasher::Turn {
 public:
  explicit Turn(const PasswordHasher* h) : h_(h) {
    absl::MutexLock lock(&h_->mu_);
    h_->mu_.Await(absl::Condition(
        +[](const PasswordHasher* p)
             ABSL_NO_THREAD_SAFETY_ANALYSIS { return p->running_ < p->max_parallel_; },
        h_));
    ++h_->running_;
  }
  ~Turn() {
    absl::MutexLock lock(&h_->mu_);
    --h_->running_;
  }

 private:
  const PasswordHasher* h_;
};

PasswordHasher::PasswordHasher(PasswordCost cost, int max_parallel)
    : cost_(cost), max_parallel_(max_parallel < 1 ? 1 : max_parallel) {
  InitSodium();
  absl::StatusOr<std::string> dummy = Hash("not the password of any account");
  if (dummy.ok()) dummy_hash_ = *dummy;
}

absl::StatusOr<std::string> PasswordHasher::Hash(absl::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  Turn turn(this);
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost_.ops, cost_.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash a password; try again");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(absl::string_view hash, absl::string_view password) const {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  Turn turn(this);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyNothing(absl::string_view password) const {
  (void)Verify(dummy_hash_, password);
}

}  // namespace uplift::web
