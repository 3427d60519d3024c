// Token revocations, kept by the registry (uplift.auth.v1.TokenRevocations):
// an ADMIN revokes a token by its id until the token's own expiry; the
// revocation is stored, audited and published on uplift:revocations in one
// transaction, and every replica of every service honours it from there
// (RevocationWatcher). Free of gRPC; tests build it on a Database.
#pragma once

#include "absl/status/statusor.h"
#include "common/audit_log.h"
#include "common/auth/access_table.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/outbox.h"
#include "common/sql/store.h"
#include "uplift/auth/v1/revocation.pb.h"

namespace uplift::registry {

namespace av1 = uplift::auth::v1;

class RevocationService {
 public:
  RevocationService(sql::Store* db, const Clock* clock);

  absl::StatusOr<av1::RevokeTokenResponse> RevokeToken(const Principal& who,
                                                       const av1::RevokeTokenRequest& req);
  absl::StatusOr<av1::ListRevokedTokensResponse> ListRevokedTokens(
      const Principal& who, const av1::ListRevokedTokensRequest& req);

 private:
  sql::Store* const db_;
  const Clock* const clock_;
  Outbox outbox_;
  AuditLog audit_;
  const ServiceAccess access_{"uplift.auth.v1.TokenRevocations"};
};

}  // namespace uplift::registry
