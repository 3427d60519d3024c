// Service errors become words next to the field they name.
import { describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { errorWords, fieldError } from "@/api/errors";
import { signInErrorWords } from "@/api/sign-in-errors";

describe("errors", () => {
  it("splits a field path from the message", () => {
    expect(
      fieldError(
        new ConnectError(
          "problem.title: must not be empty",
          Code.InvalidArgument,
        ),
      ),
    ).toEqual({
      field: "problem.title",
      message: "must not be empty",
    });
    expect(
      fieldError(
        new ConnectError("figures[2].value: negative", Code.InvalidArgument),
      ).field,
    ).toBe("figures[2].value");
  });
  it("says 无权限 for a permission refusal", () => {
    expect(
      errorWords(
        new ConnectError(
          "township town-a may not read problem pb-1",
          Code.PermissionDenied,
        ),
      ),
    ).toBe("无权限");
  });
  it("explains a locked account with its time", () => {
    const e = new ConnectError(
      "the account is locked after 5 failed sign-ins until 2026-12-02 15:04; an ADMIN can reset its password to unlock it now",
      Code.PermissionDenied,
    );
    expect(signInErrorWords(e)).toContain("已锁定至 2026-12-02 15:04");
    expect(
      signInErrorWords(
        new ConnectError("wrong login or password", Code.Unauthenticated),
      ),
    ).toBe("用户名或密码错误");
  });
});
