// The gRPC face of the notification service: unary RPCs forward to
// NotifyService; Subscribe is a server-streaming reactor fed by FeedHub.
#pragma once

#include "common/auth/authenticator.h"
#include "services/notify/feed_hub.h"
#include "services/notify/notify_service.h"
#include "uplift/notify/v1/notify.grpc.pb.h"

#define UPLIFT_NOTIFY_UNARY_RPCS(X)                                                        \
  X(ListInbox)                                                                             \
  X(GetNotification)                                                                       \
  X(Acknowledge)                                                                           \
  X(AcknowledgeByLink) X(AddChannel) X(ListChannels) X(RemoveChannel) X(ListDeliveries)    \
      X(ListDeadLetters) X(RetryDeadLetter) X(SetPolicy) X(ListPolicies) X(GetPreferences) \
          X(SetPreferences)

namespace uplift::notify {

class NotifyGrpcService final : public v1::Notification::CallbackService {
 public:
  NotifyGrpcService(NotifyService* service, FeedHub* hub, const Authenticator* auth)
      : service_(service), hub_(hub), auth_(auth) {}

#define UPLIFT_NOTIFY_DECLARE(Method)                                      \
  grpc::ServerUnaryReactor* Method(grpc::CallbackServerContext* context, \
                                   const v1::Method##Request* request,   \
                                   v1::Method##Response* response) override;
  UPLIFT_NOTIFY_UNARY_RPCS(UPLIFT_NOTIFY_DECLARE)
#undef UPLIFT_NOTIFY_DECLARE

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const uplift::audit::v1::ListAuditRecordsRequest* request,
      uplift::audit::v1::ListAuditRecordsResponse* response) override;

  grpc::ServerWriteReactor<v1::SubscribeResponse>* Subscribe(
      grpc::CallbackServerContext* context, const v1::SubscribeRequest* request) override;

 private:
  NotifyService* const service_;
  FeedHub* const hub_;
  const Authenticator* const auth_;
};

}  // namespace uplift::notify
