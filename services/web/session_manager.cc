// Sessions: sign-in, resume, end, and the revocation of their tokens.
#include "services/web/session_manager.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/redis_acl.h"
#include "common/sql/query.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/web/account_rules.h"
#include "services/web/password_policy.h"

namespace uplift::web {
namespace {

const char kWrongLogin[] = "login or password is wrong";
const char kEnded[] = "the session has ended or expired: sign in again";

int64_t Unix(absl::Time t) { return absl::ToUnixSeconds(t); }

Principal PrincipalOf(const acv1::Account* account, const std::string& login) {
  Principal p;
  p.subject = login;
  if (account != nullptr) {
    p.role = account->role();
    p.unit_id = account->unit_id();
  }
  return p;
}

std::string LocalTime(absl::Time t) { return FormatLocalTimestamp(ToProtoTimestamp(t)); }

}  // namespace

std::string SessionHash(absl::string_view session_id) { return Sha256Hex(session_id); }

SessionManager::SessionManager(sql::Store* db, const Clock* clock, const PasswordHasher* hasher,
                               const TokenSigner* signer, SignInThrottle* throttle,
                               SessionOptions options)
    : db_(db),
      clock_(clock),
      hasher_(hasher),
      signer_(signer),
      throttle_(throttle),
      options_(std::move(options)),
      audit_(clock) {}

void SessionManager::AuditEvent(sql::Connection& tx, const acv1::Account* account,
                                const std::string& login, const std::string& action,
                                const acv1::SessionEvent& event) {
  audit_.Record(tx, PrincipalOf(account, login), action, "account/" + login, nullptr, &event, "");
}

absl::StatusOr<SignedIn> SessionManager::SignIn(const acv1::SignInRequest& request,
                                                const std::string& client_address) {
  RETURN_IF_ERROR(throttle_->Attempt(client_address));
  if (!CheckLogin("login", request.login()).ok() || request.password().empty() ||
      request.password().size() > kMaxPasswordBytes) {
    hasher_->VerifyNothing(request.password().substr(0, 256));
    return absl::UnauthenticatedError(kWrongLogin);
  }
  const std::string& login = request.login();
  std::optional<AccountRow> row;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    row = FindAccount(db, login, clock_->Now());
    return absl::OkStatus();
  }));
  if (!row) {
    hasher_->VerifyNothing(request.password());
    return Refuse(nullptr, login, client_address, "unknown login");
  }
  if (row->locked_until > clock_->Now()) {
    return Refuse(&*row, login, client_address, "locked");
  }
  if (!hasher_->Verify(row->password_hash, request.password())) {
    return Refuse(&*row, login, client_address, "wrong password");
  }
  if (row->account.disabled()) return Refuse(&*row, login, client_address, "disabled");
  return Admit(*row, client_address);
}

absl::Status SessionManager::Refuse(const AccountRow* row, const std::string& login,
                                    const std::string& client_address, const std::string& outcome) {
  acv1::SessionEvent event;
  event.set_login(login);
  event.set_client_address(client_address);
  event.set_outcome(outcome);
  absl::Status answer = absl::UnauthenticatedError(kWrongLogin);
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    const absl::Time now = clock_->Now();
    std::optional<AccountRow> current;
    if (row != nullptr) current = FindAccount(tx, login, now);
    const acv1::Account* account = current ? &current->account : nullptr;
    std::string action = "SignInFailed";
    if (current && outcome == "wrong password") {
      if (++current->failed_sign_ins >= options_.lock_after_failures) {
        current->failed_sign_ins = 0;
        current->locked_until = now + options_.lock_for;
        *event.mutable_locked_until() = ToProtoTimestamp(current->locked_until);
        action = "LockAccount";
        answer = absl::PermissionDeniedError(absl::StrCat(
            kWrongLogin, "; after ", options_.lock_after_failures,
            " failures in a row the account is locked until ", LocalTime(current->locked_until)));
      }
      SaveAccount(tx, *current);
    } else if (current && outcome == "locked") {
      answer = absl::PermissionDeniedError(absl::StrCat(
          "the account is locked after ", options_.lock_after_failures, " failed sign-ins until ",
          LocalTime(current->locked_until), "; an ADMIN can reset its password to unlock it now"));
    } else if (current && outcome == "disabled") {
      answer = absl::PermissionDeniedError("the account is disabled; ask an ADMIN");
    }
    AuditEvent(tx, account, login, action, event);
    return absl::OkStatus();
  }));
  spdlog::info("sign-in refused: login={} address={} outcome={}", SafeForLog(login, 40),
               SafeForLog(client_address, 64), outcome);
  return answer;
}

absl::StatusOr<SignedIn> SessionManager::Admit(const AccountRow& row,
                                               const std::string& client_address) {
  SignedIn out;
  out.session_id = RandomHex(32);
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    const absl::Time now = clock_->Now();
    std::optional<AccountRow> current = FindAccount(tx, row.account.login(), now);
    if (!current) return absl::UnauthenticatedError(kWrongLogin);
    current->failed_sign_ins = 0;
    current->locked_until = absl::UnixEpoch();
    current->account.clear_locked_until();
    *current->account.mutable_last_sign_in_time() = ToProtoTimestamp(now);
    SaveAccount(tx, *current);
    out.expires = std::min(now + options_.idle, now + options_.max_age);
    sql::Query insert(tx,
                      "INSERT INTO sessions(id_hash, login, client_address, create_time,"
                      " idle_expire_time, expire_time) VALUES(?,?,?,?,?,?)");
    insert.Bind(1, SessionHash(out.session_id));
    insert.Bind(2, current->account.login());
    insert.Bind(3, client_address);
    insert.Bind(4, Unix(now));
    insert.Bind(5, Unix(out.expires));
    insert.Bind(6, Unix(now + options_.max_age));
    insert.Exec();
    acv1::SessionEvent event;
    event.set_login(current->account.login());
    event.set_client_address(client_address);
    event.set_outcome("signed in");
    AuditEvent(tx, &current->account, current->account.login(), "SignIn", event);
    out.account = current->account;
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SessionManager::SignOut(absl::string_view session_id,
                                     const std::string& client_address) {
  const std::string hash = SessionHash(session_id);
  std::string login;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    sql::Query q(tx, "SELECT login FROM sessions WHERE id_hash=?");
    q.Bind(1, hash);
    if (!q.Step()) return absl::UnauthenticatedError(kEnded);
    login = q.Text(0);
    sql::Query end_tokens(tx, "UPDATE session_tokens SET ended=1 WHERE session_hash=?");
    end_tokens.Bind(1, hash);
    end_tokens.Exec();
    sql::Query del(tx, "DELETE FROM sessions WHERE id_hash=?");
    del.Bind(1, hash);
    del.Exec();
    std::optional<AccountRow> row = FindAccount(tx, login, clock_->Now());
    acv1::SessionEvent event;
    event.set_login(login);
    event.set_client_address(client_address);
    event.set_outcome("signed out");
    AuditEvent(tx, row ? &row->account : nullptr, login, "SignOut", event);
    return absl::OkStatus();
  }));
  {
    absl::MutexLock lock(&mu_);
    sessions_.erase(hash);
  }
  if (on_end_) on_end_(login, hash);
  return absl::OkStatus();
}

absl::StatusOr<SessionManager::CachedSession> SessionManager::Lookup(const std::string& hash,
                                                                     absl::Time now) {
  {
    absl::MutexLock lock(&mu_);
    auto it = sessions_.find(hash);
    if (it != sessions_.end() && now - it->second.read_at < kRecheck &&
        it->second.idle_expires > now && it->second.expires > now) {
      return it->second;
    }
  }
  CachedSession session;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    sql::Query q(db,
                 "SELECT login, idle_expire_time, expire_time FROM sessions"
                 " WHERE id_hash=?");
    q.Bind(1, hash);
    if (!q.Step()) return absl::UnauthenticatedError(kEnded);
    session.idle_expires = absl::FromUnixSeconds(q.Int64(1));
    session.expires = absl::FromUnixSeconds(q.Int64(2));
    if (session.idle_expires <= now || session.expires <= now) {
      return absl::UnauthenticatedError(kEnded);
    }
    std::optional<AccountRow> row = FindAccount(db, q.Text(0), now);
    if (!row || row->account.disabled()) return absl::UnauthenticatedError(kEnded);
    session.account = std::move(row->account);
    return absl::OkStatus();
  }));
  session.read_at = now;
  absl::MutexLock lock(&mu_);
  CachedSession& cached = sessions_[hash];
  session.token = std::move(cached.token);
  session.token_expires = cached.token_expires;
  cached = session;
  return session;
}

absl::StatusOr<ActiveSession> SessionManager::Resume(absl::string_view session_id) {
  if (session_id.size() != 64) return absl::UnauthenticatedError(kEnded);
  const std::string hash = SessionHash(session_id);
  const absl::Time now = clock_->Now();
  ASSIGN_OR_RETURN(CachedSession session, Lookup(hash, now));
  // Kept alive by use; written at most once a minute.
  const absl::Time renewed = std::min(now + options_.idle, session.expires);
  if (renewed - session.idle_expires >= absl::Minutes(1)) {
    RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) {
      sql::Query q(tx, "UPDATE sessions SET idle_expire_time=? WHERE id_hash=?");
      q.Bind(1, Unix(renewed));
      q.Bind(2, hash);
      q.Exec();
      return absl::OkStatus();
    }));
    session.idle_expires = renewed;
    absl::MutexLock lock(&mu_);
    if (auto it = sessions_.find(hash); it != sessions_.end()) it->second.idle_expires = renewed;
  }
  ActiveSession out;
  ASSIGN_OR_RETURN(out.token, TokenFor(hash, session));
  out.account = std::move(session.account);
  out.expires = session.idle_expires;
  out.session_hash = hash;
  return out;
}

absl::StatusOr<std::string> SessionManager::TokenFor(const std::string& session_hash,
                                                     const CachedSession& session) {
  const absl::Time now = clock_->Now();
  if (!session.token.empty() && session.token_expires - now > options_.token_lifetime / 2) {
    return session.token;
  }
  const acv1::Account& account = session.account;
  TokenClaims claims;
  claims.set_token_id(RandomHex(8));
  claims.set_subject(account.login());
  claims.set_subject_name(account.display_name());
  claims.set_role(account.role());
  claims.set_unit_id(account.unit_id());
  claims.set_issued_at_unix(Unix(now));
  const absl::Time expires = std::min(now + options_.token_lifetime, session.expires);
  claims.set_expires_at_unix(Unix(expires));
  if (account.must_change_password()) {
    claims.add_audiences("uplift-web");
  } else {
    for (const std::string& a : options_.audiences) claims.add_audiences(a);
  }
  const std::string token = signer_->Mint(claims);
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) {
    sql::Query q(tx,
                 "INSERT INTO session_tokens(token_id, session_hash, login, expire_time)"
                 " VALUES(?,?,?,?)");
    q.Bind(1, claims.token_id());
    q.Bind(2, session_hash);
    q.Bind(3, account.login());
    q.Bind(4, Unix(expires));
    q.Exec();
    return absl::OkStatus();
  }));
  absl::MutexLock lock(&mu_);
  if (auto it = sessions_.find(session_hash); it != sessions_.end()) {
    it->second.token = token;
    it->second.token_expires = expires;
  }
  return token;
}

void SessionManager::EndSessionsOf(sql::Connection& tx, const std::string& login) {
  sql::Query end_tokens(tx, "UPDATE session_tokens SET ended=1 WHERE login=?");
  end_tokens.Bind(1, login);
  end_tokens.Exec();
  sql::Query del(tx, "DELETE FROM sessions WHERE login=?");
  del.Bind(1, login);
  del.Exec();
}

void SessionManager::ForgetLogin(const std::string& login) {
  {
    absl::MutexLock lock(&mu_);
    absl::erase_if(sessions_,
                   [&](const auto& entry) { return entry.second.account.login() == login; });
  }
  if (on_end_) on_end_(login, "");
}

bool SessionManager::IsSessionToken(const std::string& token_id) {
  bool found = false;
  (void)db_->Read([&](sql::Connection& db) {
    sql::Query q(db, "SELECT 1 FROM session_tokens WHERE token_id=?");
    q.Bind(1, token_id);
    found = q.Step();
    return absl::OkStatus();
  });
  return found;
}

int SessionManager::RevokeEnded(
    const std::function<absl::Status(const std::string&, absl::Time)>& revoke) {
  const absl::Time now = clock_->Now();
  std::vector<std::pair<std::string, absl::Time>> ended;
  absl::Status read = db_->Write([&](sql::Connection& tx) {
    sql::Query expired(tx, "DELETE FROM session_tokens WHERE expire_time <= ?");
    expired.Bind(1, Unix(now));
    expired.Exec();
    // Sessions that ran out end like the others: their tokens are revoked.
    sql::Query end_tokens(tx,
                          "UPDATE session_tokens SET ended=1 WHERE session_hash IN"
                          " (SELECT id_hash FROM sessions WHERE expire_time <= ? OR"
                          " idle_expire_time <= ?)");
    end_tokens.Bind(1, Unix(now));
    end_tokens.Bind(2, Unix(now));
    end_tokens.Exec();
    sql::Query sessions(tx,
                        "DELETE FROM sessions WHERE expire_time <= ? OR"
                        " idle_expire_time <= ?");
    // A token minted while its session was ending belongs to no session.
    sql::Query orphans(tx,
                       "UPDATE session_tokens SET ended=1 WHERE ended=0 AND session_hash"
                       " NOT IN (SELECT id_hash FROM sessions)");
    sessions.Bind(1, Unix(now));
    sessions.Bind(2, Unix(now));
    sessions.Exec();
    orphans.Exec();
    sql::Query q(tx,
                 "SELECT token_id, expire_time FROM session_tokens WHERE ended=1"
                 " ORDER BY expire_time LIMIT 200");
    ended.clear();  // a run again after a conflict lists afresh
    while (q.Step()) {
      ended.emplace_back(q.Text(0), absl::FromUnixSeconds(q.Int64(1)));
    }
    return absl::OkStatus();
  });
  if (!read.ok()) {
    spdlog::warn("revoking the tokens of ended sessions: {}", std::string(read.message()));
    return 0;
  }
  int revoked = 0;
  for (const auto& [token_id, expires] : ended) {
    const absl::Status sent = revoke(token_id, expires);
    if (!sent.ok()) {
      spdlog::warn("revoking token {} of an ended session: {} (retried)", token_id,
                   std::string(sent.message()));
      break;
    }
    (void)db_->Write([&, id = token_id](sql::Connection& tx) {
      sql::Query q(tx, "DELETE FROM session_tokens WHERE token_id=?");
      q.Bind(1, id);
      q.Exec();
      return absl::OkStatus();
    });
    ++revoked;
  }
  return revoked;
}

}  // namespace uplift::web
