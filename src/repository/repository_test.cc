// Repository: marker handling, verified objects, sealed snapshot documents.
#include "repository/repository.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_util.h"
#include "repository/fault_injecting_object_store.h"
#include "repository/local_object_store.h"
#include "repository/memory_object_store.h"
#include "repository/object_codec.h"
#include "repository/sealed_document.h"

namespace strata {
namespace {

std::string Repetitive(size_t n) {
  std::string s;
  while (s.size() < n) s += "segment bytes that compress well ";
  s.resize(n);
  return s;
}

std::string RandomBytesForTest(size_t n) {
  std::string s(n, '\0');
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x);
  }
  return s;
}

TEST(ObjectCodecTest, RoundTripsAndCompressesOnlyWhenItPays) {
  std::string compressible = Repetitive(100000);
  std::string stored = EncodeObject(compressible);
  EXPECT_LT(stored.size(), compressible.size() / 4);
  EXPECT_EQ(*DecodeObject(stored, ObjectIdOf(compressible)), compressible);

  std::string random = RandomBytesForTest(4096);
  std::string raw = EncodeObject(random);
  EXPECT_EQ(raw.size(), random.size() + 18);  // stored as is: zstd would not save 1/8
  EXPECT_EQ(*DecodeObject(raw, ObjectIdOf(random)), random);
  EXPECT_EQ(*DecodeObject(EncodeObject(""), ObjectIdOf("")), "");
}

TEST(ObjectCodecTest, LargeObjectsAreJudgedBySlicesFromAcrossThem) {
  // Incompressible: stored as is, in two pieces (header, then the content itself, not a copy).
  std::string random = RandomBytesForTest(1 << 20);
  EncodedObject raw(random);
  ASSERT_EQ(raw.pieces().size(), 2u);
  EXPECT_EQ(raw.pieces()[1].data(), random.data());
  EXPECT_EQ(raw.size(), random.size() + 18);
  // Random at the start but repetitive after it: a sample of the start alone would say "do
  // not compress"; slices from across the object say it pays.
  std::string mixed = RandomBytesForTest(64 * 1024) + Repetitive((1 << 20) - 64 * 1024);
  EncodedObject packed(mixed);
  EXPECT_LT(packed.size(), mixed.size() / 4);
  std::string joined;
  for (auto piece : packed.pieces()) joined.append(piece);
  EXPECT_EQ(joined, EncodeObject(mixed));
  EXPECT_EQ(*DecodeObject(joined, ObjectIdOf(mixed)), mixed);
}

TEST(ObjectCodecTest, EveryDamageIsCorruptionNamingTheObject) {
  std::string content = Repetitive(5000);
  std::string id = ObjectIdOf(content);
  std::string stored = EncodeObject(content);
  for (size_t pos : {size_t{0}, size_t{9}, size_t{12}, size_t{20}, stored.size() - 1}) {
    std::string bad = stored;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x40);
    auto decoded = DecodeObject(bad, id);
    ASSERT_FALSE(decoded.ok()) << "flip at " << pos;
    EXPECT_NE(decoded.status().message().find(id), std::string::npos);
  }
  EXPECT_EQ(DecodeObject(stored.substr(0, stored.size() - 3), id).status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(DecodeObject(stored, ObjectIdOf("other")).status().code(), StatusCode::kCorruption);
  std::string newer = stored;
  newer[8] = 2;
  EXPECT_EQ(DecodeObject(newer, id).status().code(), StatusCode::kUnimplemented);
}

TEST(ObjectCodecTest, AuthenticatedBytesAreNotHashedAgainButStillChecked) {
  // An encrypted repository's tag already binds the bytes to the id, so the decoder skips only
  // the hash: given another object's id the content still comes back (the tag is what refuses
  // that, see encrypted_repository_test), while the header, codec and size checks stay.
  std::string content = Repetitive(5000);
  std::string stored = EncodeObject(content);
  std::string scratch;
  auto kept = DecodeObjectView(stored, ObjectIdOf("other"), &scratch, ContentCheck::kHash);
  EXPECT_EQ(kept.status().code(), StatusCode::kCorruption);
  auto authenticated =
      DecodeObjectView(stored, ObjectIdOf("other"), &scratch, ContentCheck::kAuthenticated);
  ASSERT_TRUE(authenticated.ok()) << authenticated.status().ToString();
  EXPECT_EQ(*authenticated, content);
  std::string cut = stored.substr(0, stored.size() - 3);
  EXPECT_EQ(DecodeObjectView(cut, ObjectIdOf(content), &scratch, ContentCheck::kAuthenticated)
                .status()
                .code(),
            StatusCode::kCorruption);
  std::string foreign = stored;
  foreign[0] = 'X';
  EXPECT_EQ(DecodeObjectView(foreign, ObjectIdOf(content), &scratch, ContentCheck::kAuthenticated)
                .status()
                .code(),
            StatusCode::kCorruption);
}

TEST(RepositoryTest, CreatesOnceAndReopensTheSameRepository) {
  MemoryObjectStore store;
  EXPECT_EQ(Repository::Open(&store, RepositoryOpen::kMustExist).status().code(),
            StatusCode::kNotFound);
  auto created = Repository::Open(&store, RepositoryOpen::kCreateIfMissing);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto reopened = Repository::Open(&store, RepositoryOpen::kMustExist);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->repository_id(), (*created)->repository_id());
}

TEST(RepositoryTest, RefusesForeignLocationsAndUnknownVersions) {
  MemoryObjectStore foreign;
  ASSERT_TRUE(foreign.Put("notes.txt", "mine").ok());
  auto refused = Repository::Open(&foreign, RepositoryOpen::kCreateIfMissing);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("not a strata backup repository"), std::string::npos);

  MemoryObjectStore newer;
  ASSERT_TRUE(newer
                  .Put("strata-repo.json",
                       R"({"format":"strata-repository","version":3,"repository_id":"x"})")
                  .ok());
  EXPECT_EQ(Repository::Open(&newer, RepositoryOpen::kMustExist).status().code(),
            StatusCode::kUnimplemented);
}

// A hand-edited or foreign marker (it has no checksum) is an error naming the file and what is
// wrong with it; a "version" that is a string used to throw out of Open and abort the process.
TEST(RepositoryTest, MarkersOfTheWrongShapeAreErrorsNamingTheFile) {
  const std::pair<const char*, const char*> markers[] = {
      {R"({"format":"strata-repository","version":"1","repository_id":"x"})",
       "member 'version' is not an integer"},
      {R"({"format":"strata-repository","version":1,"repository_id":7})",
       "member 'repository_id' is not a string"},
      {R"({"format":"strata-repository","version":1,"repository_id":""})",
       "member 'repository_id' is empty"},
      {R"({"format":["strata-repository"],"version":1})", "member 'format' is not a string"},
      {R"({"format":"other","version":1,"repository_id":"x"})", "its format is 'other'"},
      {R"([1,2])", "it is not a JSON object"},
      {"{\"format\":", "is not valid JSON"},
      {"{\"format\":\"\xfc\"}", "is not valid JSON"}};
  for (const auto& [marker, problem] : markers) {
    MemoryObjectStore store;
    ASSERT_TRUE(store.Put("strata-repo.json", marker).ok());
    auto opened = Repository::Open(&store, RepositoryOpen::kMustExist);
    ASSERT_FALSE(opened.ok()) << marker;
    EXPECT_EQ(opened.status().code(), StatusCode::kCorruption) << marker;
    EXPECT_NE(opened.status().message().find("strata-repo.json in "), std::string::npos)
        << opened.status().message();
    EXPECT_NE(opened.status().message().find(problem), std::string::npos)
        << opened.status().message();
  }
}

TEST(RepositoryTest, ObjectsAreWrittenOnceAndRepairedWhenDamaged) {
  MemoryObjectStore store;
  auto repo = *Repository::Open(&store, RepositoryOpen::kCreateIfMissing);
  std::string content = Repetitive(20000);
  auto first = *repo->PutObject(content, Repository::IfPresent::kKeep);
  EXPECT_TRUE(first.written);
  EXPECT_FALSE(repo->PutObject(content, Repository::IfPresent::kKeep)->written);
  EXPECT_EQ(repo->ReadObject(first.id)->content(), content);
  auto listing = *repo->ListObjects();
  EXPECT_EQ(listing.size(), 1u);
  EXPECT_TRUE(*listing.Contains(first.id));
  EXPECT_FALSE(*listing.Contains(ObjectIdOf("other")));

  // Damage the stored copy: reads fail; an incremental put trusts it; a full put repairs it.
  std::string key = ObjectKeyOf(first.id);
  std::string stored = *store.Get(key);
  stored[stored.size() / 2] ^= 1;
  ASSERT_TRUE(store.Put(key, stored).ok());
  EXPECT_EQ(repo->ReadObject(first.id).status().code(), StatusCode::kCorruption);
  EXPECT_FALSE(repo->PutObject(content, Repository::IfPresent::kKeep)->written);
  EXPECT_TRUE(repo->PutObject(content, Repository::IfPresent::kVerify)->written);
  EXPECT_EQ(repo->ReadObject(first.id)->content(), content);

  ASSERT_TRUE(repo->DeleteObject(first.id).ok());
  EXPECT_EQ(repo->ReadObject(first.id).status().code(), StatusCode::kNotFound);
}

TEST(RepositoryTest, ObjectsKnownAbsentAreWrittenWithoutLookingFirst) {
  MemoryObjectStore memory;
  FaultInjectingObjectStore counted(&memory, FaultOptions{});
  auto repo = *Repository::Open(&counted, RepositoryOpen::kCreateIfMissing);
  uint64_t before = counted.operations();
  ASSERT_TRUE(repo->PutObject(Repetitive(1000), Repository::IfPresent::kAbsent)->written);
  EXPECT_EQ(counted.operations() - before, 1u);  // the write alone
  before = counted.operations();
  EXPECT_FALSE(repo->PutObject(Repetitive(1000), Repository::IfPresent::kKeep)->written);
  EXPECT_EQ(counted.operations() - before, 1u);  // the look alone
}

TEST(RepositoryTest, ObjectsReadWithoutCopyingAreStillVerified) {
  std::string dir = std::filesystem::temp_directory_path() / UniqueTempName("strata_repo_read");
  auto store = *LocalObjectStore::Open(dir);
  auto repo = *Repository::Open(store.get(), RepositoryOpen::kCreateIfMissing);
  std::string raw = RandomBytesForTest(300000);  // stored as is: a view of what was read
  std::string packed = Repetitive(300000);       // stored compressed
  auto raw_id = repo->PutObject(raw, Repository::IfPresent::kKeep)->id;
  auto packed_id = repo->PutObject(packed, Repository::IfPresent::kKeep)->id;
  // Deferred until a flush: not there yet.
  EXPECT_EQ(repo->ReadObject(raw_id).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(repo->ReadObject(raw_id)->content(), raw);
  EXPECT_EQ(repo->ReadObject(packed_id)->content(), packed);
  // A truncated object is Corruption naming it, not a short read.
  std::filesystem::resize_file(dir + "/" + ObjectKeyOf(raw_id), 1000);
  auto truncated = repo->ReadObject(raw_id);
  ASSERT_EQ(truncated.status().code(), StatusCode::kCorruption);
  EXPECT_NE(truncated.status().message().find(raw_id), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(RepositoryTest, SnapshotsAreSealedListedInTimeOrderAndVerified) {
  MemoryObjectStore store;
  auto repo = *Repository::Open(&store, RepositoryOpen::kCreateIfMissing);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    std::string id = Repository::NewSnapshotId();
    ids.push_back(id);
    nlohmann::json doc = {{"id", id}, {"format", "strata-snapshot"}, {"n", i}};
    ASSERT_TRUE(repo->PutSnapshot(id, doc.dump()).ok());
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(*repo->ListSnapshotIds(), ids);
  auto doc = *repo->GetSnapshot(ids[1]);
  EXPECT_EQ(doc["id"], ids[1]);
  EXPECT_TRUE(doc["n"].is_number_integer());
  std::string key = "snapshots/" + ids[1] + ".json";
  std::string text = *store.Get(key);
  EXPECT_TRUE(IsSealedIntact(text));

  size_t digit = text.find("\"n\":") + 4;  // tamper with the value, keep the checksum
  text[digit] = text[digit] == '7' ? '8' : '7';
  ASSERT_TRUE(store.Put(key, text).ok());
  auto damaged = repo->GetSnapshot(ids[1]);
  EXPECT_EQ(damaged.status().code(), StatusCode::kCorruption);
  EXPECT_NE(damaged.status().message().find("checksum"), std::string::npos);

  // A sealed document that names another id is damaged too.
  std::string other = Repository::NewSnapshotId();
  ASSERT_TRUE(
      store.Put("snapshots/" + other + ".json", *store.Get("snapshots/" + ids[0] + ".json")).ok());
  EXPECT_EQ(repo->GetSnapshot(other).status().code(), StatusCode::kCorruption);

  EXPECT_FALSE(repo->PutSnapshot("../escape", R"({"id":"../escape"})").ok());
  EXPECT_FALSE(repo->PutSnapshot(other, "{}").ok());
}

TEST(SealedDocumentTest, SealsTextAndDetectsEveryChange) {
  std::string sealed = *SealDocument(R"({"a":1,"b":[2,3]})");
  EXPECT_TRUE(sealed.starts_with(R"({"a":1,"b":[2,3],"checksum":")"));
  EXPECT_TRUE(sealed.ends_with("\"}\n"));
  EXPECT_TRUE(IsSealedIntact(sealed));
  auto parsed = nlohmann::json::parse(sealed);
  EXPECT_EQ(parsed["b"][1], 3);
  EXPECT_EQ(parsed["checksum"].get<std::string>().size(), 64u);
  for (size_t i = 0; i < sealed.size() - 1; ++i) {  // every byte but the final newline counts
    std::string changed = sealed;
    changed[i] ^= 0x01;
    EXPECT_FALSE(IsSealedIntact(changed)) << "byte " << i;
  }
  EXPECT_FALSE(IsSealedIntact(sealed.substr(0, sealed.size() - 3)));
  EXPECT_FALSE(IsSealedIntact(""));
  EXPECT_FALSE(IsSealedIntact(R"({"a":1})"));
}

// What is not an object with members is refused with an error, in every build (a plain assert
// compiled out in Release used to let it through, and abort in Debug).
TEST(SealedDocumentTest, RefusesWhatIsNotAnObjectWithMembers) {
  for (const char* text : {"", "{}", "[1,2]", "{\"a\":1} ", "x"}) {
    auto sealed = SealDocument(text);
    ASSERT_FALSE(sealed.ok()) << text;
    EXPECT_EQ(sealed.status().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace strata
