// The gRPC face of token revocations (served by uplift-registry).
#pragma once

#include "common/auth/authenticator.h"
#include "services/registry/revocation_service.h"
#include "uplift/auth/v1/revocation.grpc.pb.h"

namespace uplift::registry {

class RevocationGrpcService final : public av1::TokenRevocations::CallbackService {
 public:
  RevocationGrpcService(RevocationService* service, const Authenticator* auth)
      : service_(service), auth_(auth) {}

  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* context,
                                        const av1::RevokeTokenRequest* request,
                                        av1::RevokeTokenResponse* response) override;
  grpc::ServerUnaryReactor* ListRevokedTokens(grpc::CallbackServerContext* context,
                                              const av1::ListRevokedTokensRequest* request,
                                              av1::ListRevokedTokensResponse* response) override;

 private:
  RevocationService* const service_;
  const Authenticator* const auth_;
};

}  // namespace uplift::registry
