// Input checks shared by every service. Each error is INVALID_ARGUMENT and
// starts with the field's name, e.g. "enterprise.name: must not be empty".
#pragma once

#include <cstddef>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace uplift {

absl::Status FieldError(absl::string_view field, absl::string_view message);

// `value` in quotes for an error message, cut to 40 characters so that no
// input can make a status too large to send, with control characters and
// bytes that are not UTF-8 escaped as \xNN so that none can forge a line of
// a log. Every echo of input in a status or a log goes through here.
std::string QuoteInput(absl::string_view value);

// `text` for a log line: control characters and invalid bytes escaped, cut
// to `max_chars` characters with the full size said.
std::string SafeForLog(absl::string_view text, size_t max_chars = 512);

// Number of code points, or -1 if `text` is not valid UTF-8.
long Utf8Length(absl::string_view text);

// Valid UTF-8, no control characters, at most `max_chars` characters, and
// (when `required`) not empty or blank.
absl::Status CheckText(absl::string_view field, absl::string_view value,
                       size_t max_chars, bool required);

// Ids chosen by people: lower-case ASCII letter, then letters, digits or
// '-', 2..64 characters in all.
absl::Status CheckId(absl::string_view field, absl::string_view value);

// request_id: empty, or 1..64 characters of [A-Za-z0-9_-].
absl::Status CheckRequestId(absl::string_view field, absl::string_view value);

// A bulk import lists at most this many failed rows (and counts them all),
// so that no file can make its answer too large to send.
inline constexpr int kMaxListedImportErrors = 1000;

// Text with surrounding ASCII and ideographic (U+3000) spaces removed.
std::string TrimText(absl::string_view text);

}  // namespace uplift
