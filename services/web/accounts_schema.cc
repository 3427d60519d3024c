// uplift-web migrations. Append new versions; never edit a shipped one.
// Times are Unix seconds.
#include "services/web/accounts_schema.h"

namespace uplift::web {

MigrationSet AccountsMigrations() {
  return {"web",
          {
              {1, "accounts, sessions, session tokens",
               "CREATE TABLE accounts ("
               " login TEXT PRIMARY KEY,"
               " display_name TEXT NOT NULL,"
               " role INTEGER NOT NULL,"
               " unit_id TEXT NOT NULL DEFAULT '',"
               " unit_name TEXT NOT NULL DEFAULT '',"
               " mobile TEXT NOT NULL DEFAULT '',"
               " email TEXT NOT NULL DEFAULT '',"
               " disabled INTEGER NOT NULL DEFAULT 0,"
               " must_change_password INTEGER NOT NULL DEFAULT 1,"
               " password_hash TEXT NOT NULL,"
               " failed_sign_ins INTEGER NOT NULL DEFAULT 0,"
               " locked_until INTEGER NOT NULL DEFAULT 0,"
               " create_time INTEGER NOT NULL,"
               " last_sign_in_time INTEGER NOT NULL DEFAULT 0);"
               "CREATE INDEX accounts_by_unit ON accounts(unit_id, login);"
               // A session is known by the SHA-256 of its cookie's id only.
               "CREATE TABLE sessions ("
               " id_hash TEXT PRIMARY KEY,"
               " login TEXT NOT NULL REFERENCES accounts(login),"
               " client_address TEXT NOT NULL,"
               " create_time INTEGER NOT NULL,"
               " idle_expire_time INTEGER NOT NULL,"
               " expire_time INTEGER NOT NULL);"
               "CREATE INDEX sessions_by_login ON sessions(login);"
               // Every token minted for a session until it expires; `ended`
               // ones wait for their revocation to reach the registry.
               "CREATE TABLE session_tokens ("
               " token_id TEXT PRIMARY KEY,"
               " session_hash TEXT NOT NULL,"
               " login TEXT NOT NULL,"
               " expire_time INTEGER NOT NULL,"
               " ended INTEGER NOT NULL DEFAULT 0);"
               "CREATE INDEX session_tokens_by_session ON session_tokens(session_hash);"
               "CREATE INDEX session_tokens_by_login ON session_tokens(login);"
               "CREATE INDEX session_tokens_ended ON session_tokens(ended, expire_time);"},
          }};
}

}  // namespace uplift::web
