// RPC forwarding for token revocations.
#include "services/registry/revocation_grpc.h"

#include "common/unary_call.h"

namespace uplift::registry {

UPLIFT_SERVE_UNARY(RevocationGrpcService, av1::TokenRevocations, av1, RevokeToken)
UPLIFT_SERVE_UNARY(RevocationGrpcService, av1::TokenRevocations, av1, ListRevokedTokens)

}  // namespace uplift::registry
