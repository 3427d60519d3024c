// The gRPC face of Accounts (served by uplift-web beside its HTTP port):
// upliftctl manages accounts through it, and the HTTP gateway forwards
// every Accounts call but SignIn and SignOut to it like any backend's.
#pragma once

#include "common/auth/authenticator.h"
#include "services/web/accounts_service.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"

namespace uplift::web {

class AccountsGrpcService final : public acv1::Accounts::CallbackService {
 public:
  AccountsGrpcService(AccountsService* service, const Authenticator* auth)
      : service_(service), auth_(auth) {}

  grpc::ServerUnaryReactor* SignIn(grpc::CallbackServerContext* context,
                                   const acv1::SignInRequest* request,
                                   acv1::SignInResponse* response) override;
  grpc::ServerUnaryReactor* SignOut(grpc::CallbackServerContext* context,
                                    const acv1::SignOutRequest* request,
                                    acv1::SignOutResponse* response) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context,
                                   const acv1::WhoAmIRequest* request,
                                   acv1::WhoAmIResponse* response) override;
  grpc::ServerUnaryReactor* ChangePassword(grpc::CallbackServerContext* context,
                                           const acv1::ChangePasswordRequest* request,
                                           acv1::ChangePasswordResponse* response) override;
  grpc::ServerUnaryReactor* CreateAccount(grpc::CallbackServerContext* context,
                                          const acv1::CreateAccountRequest* request,
                                          acv1::CreateAccountResponse* response) override;
  grpc::ServerUnaryReactor* ListAccounts(grpc::CallbackServerContext* context,
                                         const acv1::ListAccountsRequest* request,
                                         acv1::ListAccountsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateAccount(grpc::CallbackServerContext* context,
                                          const acv1::UpdateAccountRequest* request,
                                          acv1::UpdateAccountResponse* response) override;
  grpc::ServerUnaryReactor* DisableAccount(grpc::CallbackServerContext* context,
                                           const acv1::DisableAccountRequest* request,
                                           acv1::DisableAccountResponse* response) override;
  grpc::ServerUnaryReactor* ResetPassword(grpc::CallbackServerContext* context,
                                          const acv1::ResetPasswordRequest* request,
                                          acv1::ResetPasswordResponse* response) override;
  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const uplift::audit::v1::ListAuditRecordsRequest* request,
      uplift::audit::v1::ListAuditRecordsResponse* response) override;

 private:
  AccountsService* const service_;
  const Authenticator* const auth_;
};

}  // namespace uplift::web
