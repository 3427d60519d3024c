// Errors from the services in words, and next to the field they name: a
// service's message starts with the field's path ("problem.title: must not
// be empty"), which forms map to their inputs.
import { Code, ConnectError } from "@connectrpc/connect";

export interface FieldError {
  field: string; // "problem.title", or "" when the error names no field
  message: string;
}

const CODE_WORDS: Partial<Record<Code, string>> = {
  [Code.PermissionDenied]: "无权限",
  [Code.NotFound]: "未找到",
  [Code.Unauthenticated]: "登录已失效，请重新登录",
  [Code.Unavailable]: "服务暂不可用，请稍后重试",
  [Code.DeadlineExceeded]: "请求超时，请稍后重试",
  [Code.ResourceExhausted]: "尝试过于频繁，请稍后再试",
  [Code.AlreadyExists]: "已存在",
  [Code.FailedPrecondition]: "当前状态不允许此操作",
  [Code.Aborted]: "数据已被他人修改，请刷新后重试",
};

const FIELD_PREFIX =
  /^([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*|\[\d+\])*): (.*)$/s;

export function fieldError(e: unknown): FieldError {
  if (!(e instanceof ConnectError)) {
    return { field: "", message: e instanceof Error ? e.message : String(e) };
  }
  const raw = e.rawMessage;
  const m = FIELD_PREFIX.exec(raw);
  if (m) return { field: m[1], message: m[2] };
  const words = CODE_WORDS[e.code];
  return {
    field: "",
    message: words && !raw ? words : raw || words || "操作失败",
  };
}

export function isPermissionDenied(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.PermissionDenied;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ConnectError && e.code === Code.NotFound;
}

export function errorWords(e: unknown): string {
  if (isPermissionDenied(e)) return "无权限";
  const f = fieldError(e);
  return f.field ? `${f.field}: ${f.message}` : f.message;
}
