// People's sessions: signing in with a password (per-address throttle,
// lockout after five failures in a row, every attempt audited), the opaque
// session id behind the cookie (only its SHA-256 is stored), and the
// short-lived bearer token minted for the person of each session, renewed
// while the session is used. A session ends on sign-out, when it has been
// idle too long or reached its maximum age, and when its account is
// disabled, changes its password or its role or unit; then every token
// minted for it is marked for revocation, and RevokeEnded sends those to
// the registry's revocation list (until it has them). Free of HTTP and
// gRPC; tests build it on a Database and a ManualClock.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/audit_log.h"
#include "common/auth/token.h"
#include "common/clock.h"
#include "common/sql/store.h"
#include "services/web/accounts_store.h"
#include "services/web/password_hasher.h"
#include "services/web/sign_in_throttle.h"

namespace uplift::web {

struct SessionOptions {
  absl::Duration idle = absl::Hours(1);  // unused this long: ended
  absl::Duration max_age = absl::Hours(12);
  // A session's token lives this long (at most 12 hours) and is renewed
  // once half of it has passed.
  absl::Duration token_lifetime = absl::Minutes(30);
  int lock_after_failures = 5;
  absl::Duration lock_for = absl::Minutes(15);
  // The audiences of a person's token: every service of the suite. An
  // account that must change its password gets a token for uplift-web only.
  std::vector<std::string> audiences;
};

struct SignedIn {
  acv1::Account account;
  std::string session_id;  // for the cookie; never stored
  absl::Time expires;      // of the session, if it stays in use
};

struct ActiveSession {
  acv1::Account account;
  std::string token;  // the person's bearer token, for backend calls
  absl::Time expires;
  std::string session_hash;  // SessionHash of its id, as stored
};

class SessionManager {
 public:
  SessionManager(sql::Store* db, const Clock* clock, const PasswordHasher* hasher,
                 const TokenSigner* signer, SignInThrottle* throttle, SessionOptions options);

  // UNAUTHENTICATED for an unknown login or a wrong password (the same
  // answer), PERMISSION_DENIED for a locked or disabled account,
  // RESOURCE_EXHAUSTED when the address tries too often.
  absl::StatusOr<SignedIn> SignIn(const acv1::SignInRequest& request,
                                  const std::string& client_address);
  // Ends the session (UNAUTHENTICATED if there is none).
  absl::Status SignOut(absl::string_view session_id, const std::string& client_address);
  // The session behind a cookie, kept alive, with a valid token;
  // UNAUTHENTICATED when it has ended.
  absl::StatusOr<ActiveSession> Resume(absl::string_view session_id);

  // In the caller's transaction: ends every session of `login` and marks
  // their tokens for revocation. Call ForgetLogin after the commit.
  static void EndSessionsOf(sql::Connection& tx, const std::string& login);
  void ForgetLogin(const std::string& login);
  // Whether `token_id` was minted for a session (not by upliftctl).
  bool IsSessionToken(const std::string& token_id);

  // Sends each ended, unexpired token to `revoke` (its id and expiry) and
  // forgets it once that succeeds; deletes expired sessions and tokens.
  // Returns how many were revoked.
  int RevokeEnded(const std::function<absl::Status(const std::string&, absl::Time)>& revoke);

  // Told of every session that ends here: (login, session hash) for a
  // sign-out, (login, "") when all of a login's end. Set before serving.
  void SetEndListener(std::function<void(const std::string&, const std::string&)> fn) {
    on_end_ = std::move(fn);
  }

  const SessionOptions& options() const { return options_; }

 private:
  // What Resume last read of a session, trusted for kRecheck (or until
  // something here ends the session), and the token minted for it.
  struct CachedSession {
    acv1::Account account;
    absl::Time idle_expires, expires, read_at;
    std::string token;
    absl::Time token_expires;
  };
  static constexpr absl::Duration kRecheck = absl::Seconds(5);
  // The session's row and account, from the cache or the database.
  absl::StatusOr<CachedSession> Lookup(const std::string& hash, absl::Time now);
  absl::StatusOr<SignedIn> Admit(const AccountRow& row, const std::string& client_address);
  absl::Status Refuse(const AccountRow* row, const std::string& login,
                      const std::string& client_address, const std::string& outcome);
  absl::StatusOr<std::string> TokenFor(const std::string& session_hash,
                                       const CachedSession& session);
  void AuditEvent(sql::Connection& tx, const acv1::Account* account, const std::string& login,
                  const std::string& action, const acv1::SessionEvent& event);

  sql::Store* const db_;
  const Clock* const clock_;
  const PasswordHasher* const hasher_;
  const TokenSigner* const signer_;
  SignInThrottle* const throttle_;
  const SessionOptions options_;
  AuditLog audit_;
  std::function<void(const std::string&, const std::string&)> on_end_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, CachedSession> sessions_ ABSL_GUARDED_BY(mu_);
};

// The SHA-256 (hex) a session is stored under.
std::string SessionHash(absl::string_view session_id);

}  // namespace uplift::web
