// Tells the session store when a call finds the session gone, without the
// clients importing the store (which imports the clients).
import { Code, ConnectError } from "@connectrpc/connect";

type Listener = () => void;
let listener: Listener | null = null;

export function onSessionEnded(l: Listener): void {
  listener = l;
}

// Sign-in's own refusal (a wrong password) is not a session ending, nor is
// WhoAmI's answer when a page loads without one (the router sends the
// person to 登录 then, without saying a session expired).
const NOT_A_SESSION = new Set(["SignIn", "ChangePassword", "WhoAmI"]);

export function onUnauthenticated(e: unknown, method: string): void {
  if (NOT_A_SESSION.has(method)) return;
  if (e instanceof ConnectError && e.code === Code.Unauthenticated && listener)
    listener();
}
