// The signed-in person: who they are, their role and unit, and what the
// console does when the session ends (back to sign-in, then back here).
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { accounts } from "@/api/clients";
import { Role } from "@/gen/uplift/auth/v1/token_pb";
import type { Account } from "@/gen/uplift/accounts/v1/accounts_pb";
import { Code, ConnectError } from "@connectrpc/connect";

export const useSession = defineStore("session", () => {
  const account = ref<Account | null>(null);
  const checked = ref(false);

  const role = computed(() => account.value?.role ?? Role.UNSPECIFIED);
  const unitId = computed(() => account.value?.unitId ?? "");
  const signedIn = computed(() => account.value !== null);
  const mustChangePassword = computed(
    () => account.value?.mustChangePassword ?? false,
  );

  // Asks uplift-web once per page load who the cookie belongs to.
  async function load(): Promise<void> {
    if (checked.value) return;
    try {
      const r = await accounts.whoAmI({});
      account.value = r.account ?? null;
    } catch (e) {
      if (!(e instanceof ConnectError) || e.code !== Code.Unauthenticated)
        throw e;
      account.value = null;
    }
    checked.value = true;
  }

  async function signIn(login: string, password: string): Promise<Account> {
    const r = await accounts.signIn({ login, password });
    account.value = r.account ?? null;
    checked.value = true;
    return account.value!;
  }

  async function signOut(): Promise<void> {
    try {
      await accounts.signOut({});
    } finally {
      forget();
    }
  }

  function forget(): void {
    account.value = null;
    checked.value = true;
  }

  function passwordChanged(): void {
    // uplift-web ends every session of the person, this one too.
    forget();
  }

  function hasRole(...roles: Role[]): boolean {
    return roles.includes(role.value);
  }

  return {
    account,
    role,
    unitId,
    signedIn,
    mustChangePassword,
    load,
    signIn,
    signOut,
    forget,
    passwordChanged,
    hasRole,
  };
});
