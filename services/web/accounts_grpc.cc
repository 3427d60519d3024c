// RPC forwarding for Accounts. SignIn and SignOut set and clear a browser's
// session cookie, so they are answered over HTTP only.
#include "services/web/accounts_grpc.h"

#include "common/unary_call.h"

namespace uplift::web {
namespace {

grpc::ServerUnaryReactor* HttpOnly(grpc::CallbackServerContext* context, const char* method) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                               std::string(method) +
                                   " sets a browser's session cookie: call it over HTTP, POST "
                                   "/uplift.accounts.v1.Accounts/" +
                                   method + "; over gRPC, call with a bearer token"));
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* AccountsGrpcService::SignIn(grpc::CallbackServerContext* context,
                                                      const acv1::SignInRequest*,
                                                      acv1::SignInResponse*) {
  return HttpOnly(context, "SignIn");
}
grpc::ServerUnaryReactor* AccountsGrpcService::SignOut(grpc::CallbackServerContext* context,
                                                       const acv1::SignOutRequest*,
                                                       acv1::SignOutResponse*) {
  return HttpOnly(context, "SignOut");
}

UPLIFT_SERVE_UNARY(AccountsGrpcService, acv1::Accounts, acv1, WhoAmI)
UPLIFT_SERVE_UNARY(AccountsGrpcService, acv1::Accounts, acv1, ChangePassword)
UPLIFT_SERVE_UNARY(AccountsGrpcService, acv1::Accounts, acv1, CreateAccount)
UPLIFT_SERVE_UNARY(AccountsGrpcService, acv1::Accounts, acv1, ListAccounts)
UPLIFT_SERVE_UNARY(AccountsGrpcService, acv1::Accounts, acv1, UpdateAccount)
UPLIFT_SERVE_UNARY(AccountsGrpcService, acv1::Accounts, acv1, DisableAccount)
UPLIFT_SERVE_UNARY(AccountsGrpcService, acv1::Accounts, acv1, ResetPassword)

grpc::ServerUnaryReactor* AccountsGrpcService::ListAuditRecords(
    grpc::CallbackServerContext* context, const uplift::audit::v1::ListAuditRecordsRequest* request,
    uplift::audit::v1::ListAuditRecordsResponse* response) {
  static const std::string kRpc =
      std::string(acv1::Accounts::service_full_name()) + "/ListAuditRecords";
  return ServeUnary(context, *auth_, kRpc, service_, &AccountsService::ListAuditRecords, request,
                    response);
}

}  // namespace uplift::web
