// Tests of the Ed25519 keys against OpenSSL's own implementation: what we
// sign OpenSSL verifies, what OpenSSL signs we verify, and nothing else
// verifies (tampered data, a changed or short signature, another key).
#include "common/auth/ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/test_env.h"

namespace uplift {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// An EVP_PKEY from a PEM file, private or public.
EVP_PKEY* OpenSslKey(const std::string& path, bool private_key) {
  const std::string pem = ReadAll(path);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = private_key ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr)
                              : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return key;
}

bool OpenSslVerifies(EVP_PKEY* key, const std::string& data, const std::string& sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string OpenSslSign(EVP_PKEY* key, const std::string& data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char sig[64];
  size_t len = sizeof(sig);
  EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key);
  EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  EVP_MD_CTX_free(ctx);
  return std::string(reinterpret_cast<char*>(sig), len);
}

class Ed25519Test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(GenerateEd25519KeyPair(dir_.File("a.key"), dir_.File("a.pub")).ok());
    ASSERT_TRUE(GenerateEd25519KeyPair(dir_.File("b.key"), dir_.File("b.pub")).ok());
    private_ = OpenSslKey(dir_.File("a.key"), true);
    public_ = OpenSslKey(dir_.File("a.pub"), false);
    ASSERT_NE(private_, nullptr);
    ASSERT_NE(public_, nullptr);
  }
  void TearDown() override {
    EVP_PKEY_free(private_);
    EVP_PKEY_free(public_);
  }
  testing::TempDir dir_;
  EVP_PKEY* private_ = nullptr;
  EVP_PKEY* public_ = nullptr;
  const std::string data_ = "问题上报：新乐市恒泰机械制造有限公司 event 42";
};

TEST_F(Ed25519Test, OpenSslVerifiesWhatWeSignAndSignsTheSameBytes) {
  auto key = Ed25519PrivateKey::FromPemFile("test key", dir_.File("a.key"));
  ASSERT_TRUE(key.ok()) << key.status();
  const std::string sig = key->Sign(data_);
  ASSERT_EQ(sig.size(), 64u);
  EXPECT_TRUE(OpenSslVerifies(public_, data_, sig));
  EXPECT_FALSE(OpenSslVerifies(public_, data_ + ".", sig));
  EXPECT_EQ(sig, OpenSslSign(private_, data_));  // Ed25519 is deterministic
}

TEST_F(Ed25519Test, WeVerifyWhatOpenSslSignsAndNothingElse) {
  auto keys = Ed25519PublicKeys::FromPemFile("test keys", dir_.File("a.pub"));
  auto signer = Ed25519PrivateKey::FromPemFile("test key", dir_.File("a.key"));
  auto other = Ed25519PrivateKey::FromPemFile("other key", dir_.File("b.key"));
  ASSERT_TRUE(keys.ok() && signer.ok() && other.ok());
  const std::string& id = signer->key_id();
  ASSERT_TRUE((*keys)->Has(id));
  EXPECT_FALSE((*keys)->Has(other->key_id()));

  const std::string sig = OpenSslSign(private_, data_);
  EXPECT_TRUE((*keys)->Verify(id, data_, sig));
  EXPECT_FALSE((*keys)->Verify(id, data_ + ".", sig));
  std::string flipped = sig;
  flipped[10] ^= 1;
  EXPECT_FALSE((*keys)->Verify(id, data_, flipped));
  EXPECT_FALSE((*keys)->Verify(id, data_, sig.substr(0, 63)));
  EXPECT_FALSE((*keys)->Verify(id, data_, sig + "x"));
  EXPECT_FALSE((*keys)->Verify(id, data_, ""));
  // Another key's signature, under its own id or under this key's id.
  EXPECT_FALSE((*keys)->Verify(other->key_id(), data_, other->Sign(data_)));
  EXPECT_FALSE((*keys)->Verify(id, data_, other->Sign(data_)));
}

TEST_F(Ed25519Test, AMovedKeySignsAndTheKeyIdIsThePublicKeys) {
  auto key = Ed25519PrivateKey::FromPemFile("test key", dir_.File("a.key"));
  auto keys = Ed25519PublicKeys::FromPemFile("test keys", dir_.File("a.pub"));
  ASSERT_TRUE(key.ok() && keys.ok());
  Ed25519PrivateKey moved = std::move(*key);
  EXPECT_EQ(moved.key_id().size(), 16u);
  EXPECT_TRUE((*keys)->Verify(moved.key_id(), data_, moved.Sign(data_)));
}

TEST_F(Ed25519Test, AFileWithoutAnEd25519KeyIsRefused) {
  std::ofstream(dir_.File("junk.pem")) << "not a key\n";
  EXPECT_FALSE(Ed25519PrivateKey::FromPemFile("junk", dir_.File("junk.pem")).ok());
  EXPECT_FALSE(Ed25519PublicKeys::FromPemFile("junk", dir_.File("junk.pem")).ok());
  EXPECT_FALSE(Ed25519PrivateKey::FromPemFile("public as private", dir_.File("a.pub")).ok());
}

}  // namespace
}  // namespace uplift
