// Encrypted repositories (issue 15): what the store holds reveals no plaintext and no content
// hash; every read needs one of the repository's keys; a wrong, missing or removed key is a
// clear error that never shows key bytes; changed or moved bytes are found; keys rotate without
// rewriting data.
#include <gtest/gtest.h>

#include "base/hash.h"
#include "repository/memory_object_store.h"
#include "repository/object_codec.h"
#include "repository/repository.h"

namespace strata {
namespace {

KeyFile MakeKey(const std::string& path) {
  KeyFile key;
  key.path = path;
  key.key = *SecretKey::Random();
  key.key_id = BytesToHex(*RandomBytes(8));
  return key;
}

// Every byte and every key the store holds, one after the other.
std::string EverythingStored(MemoryObjectStore& store) {
  std::string all;
  auto listed = store.List("");
  for (const auto& info : *listed) all += info.key + "\n" + *store.Get(info.key) + "\n";
  return all;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class EncryptedRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto repo = Repository::Open(&store_, RepositoryOpen::kCreateIfMissing, &key_a_);
    ASSERT_TRUE(repo.ok()) << repo.status().ToString();
    EXPECT_TRUE((*repo)->encrypted());
    auto put = (*repo)->PutObject(content_, Repository::IfPresent::kKeep);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    id_ = put->id;
    ASSERT_TRUE((*repo)
                    ->PutSnapshot("20261206T120000000Z-0000abcd",
                                  R"({"id":"20261206T120000000Z-0000abcd","database":)"
                                  R"("dfs://secretDB","object":")" +
                                      id_ + "\"}")
                    .ok());
    ASSERT_TRUE((*repo)->PutDocument("heads/one.json", R"({"database":"dfs://secretDB"})").ok());
  }

  Result<std::unique_ptr<Repository>> OpenWith(const KeyFile* key) {
    return Repository::Open(&store_, RepositoryOpen::kMustExist, key);
  }

  MemoryObjectStore store_;
  KeyFile key_a_ = MakeKey("/keys/a.key");
  KeyFile key_b_ = MakeKey("/keys/b.key");
  std::string content_ = [] {
    std::string s;
    while (s.size() < 100000) s += "PLAINTEXT-ROW-VALUE-4711 ";
    return s;
  }();
  std::string id_;
};

TEST_F(EncryptedRepositoryTest, TheStoreHoldsNoPlaintextNorContentHashes) {
  std::string all = EverythingStored(store_);
  EXPECT_FALSE(Contains(all, "PLAINTEXT-ROW-VALUE"));
  EXPECT_FALSE(Contains(all, "secretDB"));
  EXPECT_FALSE(Contains(all, id_)) << "an object's content hash is visible";
  EXPECT_FALSE(Contains(all, BytesToHex(key_a_.key.view())));
  // Objects, manifests and documents are sealed envelopes; the marker says how.
  auto repo = *OpenWith(&key_a_);
  std::string stored = *store_.Get(ObjectKeyOf(repo->StoredNameOf(id_)));
  EXPECT_TRUE(stored.starts_with("STRATENC"));
  EXPECT_TRUE(store_.Get("snapshots/20261206T120000000Z-0000abcd.json")->starts_with("STRATENC"));
  EXPECT_TRUE(Contains(*store_.Get("strata-repo.json"), "aes-256-gcm"));
  // The same content in another encrypted repository is stored under another name.
  MemoryObjectStore other;
  auto second = *Repository::Open(&other, RepositoryOpen::kCreateIfMissing, &key_a_);
  EXPECT_NE(second->StoredNameOf(id_), repo->StoredNameOf(id_));
}

TEST_F(EncryptedRepositoryTest, ItsKeyReadsEverythingBack) {
  auto repo = OpenWith(&key_a_);
  ASSERT_TRUE(repo.ok()) << repo.status().ToString();
  EXPECT_EQ((*repo)->ReadObject(id_)->content(), content_);
  EXPECT_TRUE(*(*repo)->HasObject(id_));
  auto listing = *(*repo)->ListObjects();
  EXPECT_TRUE(*listing.Contains(id_));
  EXPECT_FALSE(*listing.Contains(ObjectIdOf("absent")));
  auto snapshot = (*repo)->GetSnapshot("20261206T120000000Z-0000abcd");
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)["database"], "dfs://secretDB");
  EXPECT_TRUE(Contains(*(*repo)->GetDocument("heads/one.json", "head"), "dfs://secretDB"));
  // Writing the same content again finds it present.
  EXPECT_FALSE((*repo)->PutObject(content_, Repository::IfPresent::kKeep)->written);
}

TEST_F(EncryptedRepositoryTest, NoKeyOrAnotherKeyIsAClearErrorWithoutKeyBytes) {
  auto none = OpenWith(nullptr);
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(none.status().message(), "is encrypted; give keyPath"));
  EXPECT_TRUE(Contains(none.status().message(), key_a_.key_id));

  auto other = OpenWith(&key_b_);
  EXPECT_EQ(other.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(Contains(other.status().message(), "/keys/b.key"));
  EXPECT_TRUE(Contains(other.status().message(), "is not a key of the encrypted repository"));
  for (const KeyFile* key : {&key_a_, &key_b_}) {
    EXPECT_FALSE(Contains(other.status().message(), BytesToHex(key->key.view())));
  }

  // The same key id with other key bytes (a replaced key file) does not open it either.
  KeyFile impostor = MakeKey("/keys/impostor.key");
  impostor.key_id = key_a_.key_id;
  auto forged = OpenWith(&impostor);
  EXPECT_EQ(forged.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(Contains(forged.status().message(), "does not open the repository"));

  // A plain repository refuses a key rather than mixing plain and encrypted backups.
  MemoryObjectStore plain_store;
  ASSERT_TRUE(Repository::Open(&plain_store, RepositoryOpen::kCreateIfMissing).ok());
  auto plain = Repository::Open(&plain_store, RepositoryOpen::kMustExist, &key_a_);
  EXPECT_EQ(plain.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(plain.status().message(), "is not encrypted"));
}

TEST_F(EncryptedRepositoryTest, ChangedOrMovedBytesAreFound) {
  auto repo = *OpenWith(&key_a_);
  const std::string key = ObjectKeyOf(repo->StoredNameOf(id_));
  const std::string original = *store_.Get(key);
  for (size_t at : {size_t{3}, size_t{12}, original.size() / 2, original.size() - 1}) {
    std::string changed = original;
    changed[at] ^= 0x20;
    ASSERT_TRUE(store_.Put(key, changed).ok());
    auto read = repo->ReadObject(id_);
    EXPECT_EQ(read.status().code(), StatusCode::kCorruption) << "byte " << at;
    EXPECT_TRUE(Contains(read.status().message(), id_));
  }
  ASSERT_TRUE(store_.Put(key, original).ok());
  // Another object's bytes under this object's name do not pass for it.
  auto other = *repo->PutObject("another object", Repository::IfPresent::kKeep);
  ASSERT_TRUE(store_.Put(key, *store_.Get(ObjectKeyOf(repo->StoredNameOf(other.id)))).ok());
  EXPECT_EQ(repo->ReadObject(id_).status().code(), StatusCode::kCorruption);
  // A forced put repairs it.
  EXPECT_TRUE(repo->PutObject(content_, Repository::IfPresent::kVerify)->written);
  ASSERT_TRUE(store_.Flush().ok());
  EXPECT_EQ(repo->ReadObject(id_)->content(), content_);
  // A document moved to another name does not open there.
  ASSERT_TRUE(store_.Put("heads/two.json", *store_.Get("heads/one.json")).ok());
  EXPECT_EQ(repo->GetDocument("heads/two.json", "head two").status().code(),
            StatusCode::kCorruption);
  // A plain object where an encrypted one belongs is refused, not read.
  ASSERT_TRUE(store_.Put(key, EncodeObject(content_)).ok());
  EXPECT_EQ(repo->ReadObject(id_).status().code(), StatusCode::kCorruption);
}

TEST_F(EncryptedRepositoryTest, KeysRotateWithoutRewritingData) {
  auto repo = *OpenWith(&key_a_);
  std::string object_before = *store_.Get(ObjectKeyOf(repo->StoredNameOf(id_)));
  ASSERT_TRUE(repo->AddKey(key_b_).ok());
  EXPECT_EQ(repo->AddKey(key_b_).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(repo->ListKeys()->size(), 2u);
  ASSERT_TRUE(repo->RemoveKey(key_a_.key_id).ok());
  EXPECT_EQ(repo->RemoveKey(key_a_.key_id).code(), StatusCode::kNotFound);
  // The old key no longer opens it; the new one reads the same bytes, untouched.
  EXPECT_EQ(OpenWith(&key_a_).status().code(), StatusCode::kPermissionDenied);
  auto rotated = OpenWith(&key_b_);
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_EQ((*rotated)->ReadObject(id_)->content(), content_);
  EXPECT_EQ(*store_.Get(ObjectKeyOf((*rotated)->StoredNameOf(id_))), object_before);
  // The last key cannot be removed.
  Status last = (*rotated)->RemoveKey(key_b_.key_id);
  EXPECT_EQ(last.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(last.message(), "last key"));
  // A changed slot does not open.
  std::string slot = *store_.Get(KeySlotKey(key_b_.key_id));
  size_t hex = slot.find("sealed_master") + 20;
  slot[hex] = slot[hex] == '0' ? '1' : '0';
  ASSERT_TRUE(store_.Put(KeySlotKey(key_b_.key_id), slot).ok());
  EXPECT_EQ(OpenWith(&key_b_).status().code(), StatusCode::kPermissionDenied);
}

TEST(EncryptedRepositoryCreationTest, SlotsLeftByAnInterruptedCreationAreNoObstacle) {
  MemoryObjectStore store;
  KeyFile key = MakeKey("/keys/k.key");
  ASSERT_TRUE(store.Put(KeySlotKey("0123456789abcdef"), "{}").ok());
  auto repo = Repository::Open(&store, RepositoryOpen::kCreateIfMissing, &key);
  ASSERT_TRUE(repo.ok()) << repo.status().ToString();
  EXPECT_TRUE(Repository::Open(&store, RepositoryOpen::kMustExist, &key).ok());
  ASSERT_EQ((*repo)->ListKeys()->size(), 1u);
  EXPECT_EQ((*repo)->ListKeys()->front().key_id, key.key_id);
  // Without a key, the same leftovers are someone else's files.
  MemoryObjectStore other;
  ASSERT_TRUE(other.Put(KeySlotKey("0123456789abcdef"), "{}").ok());
  EXPECT_EQ(Repository::Open(&other, RepositoryOpen::kCreateIfMissing).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace strata
