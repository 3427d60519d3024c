// UUIDs and random hex from RAND_bytes.
#include "common/ids.h"

#include <openssl/rand.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace uplift {
namespace {

std::vector<uint8_t> Random(int n) {
  std::vector<uint8_t> buf(n);
  // RAND_bytes fails only when the system has no entropy source: a broken
  // invariant of the machine, not bad input.
  if (RAND_bytes(buf.data(), n) != 1) throw std::runtime_error("RAND_bytes failed");
  return buf;
}

}  // namespace

std::string RandomHex(int bytes) {
  std::vector<uint8_t> buf = Random(bytes);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(buf.data()), buf.size()));
}

std::string NewUuid() {
  std::vector<uint8_t> b = Random(16);
  b[6] = (b[6] & 0x0F) | 0x40;  // version 4
  b[8] = (b[8] & 0x3F) | 0x80;  // RFC 4122 variant
  const std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4),
                      "-", hex.substr(16, 4), "-", hex.substr(20));
}

}  // namespace uplift
