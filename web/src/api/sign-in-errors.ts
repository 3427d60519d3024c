// What a refused sign-in means, in words: a wrong login or password, a
// locked account (until when), a disabled account, too many attempts.
import { Code, ConnectError } from "@connectrpc/connect";

export function signInErrorWords(e: unknown): string {
  if (!(e instanceof ConnectError)) return "无法连接服务器，请稍后重试";
  const msg = e.rawMessage;
  const until = /locked\b.*? until ([^;]+)/.exec(msg)?.[1]?.trim();
  if (until) {
    const fresh = msg.includes("failures in a row");
    return fresh
      ? `用户名或密码错误。连续 5 次失败，账号已锁定至 ${until}，可请管理员重置密码解锁。`
      : `账号因连续 5 次登录失败已锁定至 ${until}，可请管理员重置密码解锁。`;
  }
  switch (e.code) {
    case Code.Unauthenticated:
      return "用户名或密码错误";
    case Code.PermissionDenied:
      return msg.includes("disabled")
        ? "账号已停用，请联系管理员"
        : `无法登录：${msg}`;
    case Code.ResourceExhausted:
      return "登录尝试过于频繁，请一分钟后再试";
    case Code.Unavailable:
      return "服务暂不可用，请稍后重试";
    default:
      return msg || "登录失败";
  }
}
