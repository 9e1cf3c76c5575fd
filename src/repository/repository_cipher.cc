#include "repository/repository_cipher.h"

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "base/hash.h"
#include "base/json.h"
#include "base/json_fields.h"
#include "base/strings.h"
#include "base/utc_time.h"

namespace strata {

namespace {

constexpr std::string_view kEnvelopeMagic = "STRATENC";
constexpr uint8_t kEnvelopeVersion = 1;
constexpr size_t kEnvelopeHeaderBytes = 10;  // magic, version, kind
enum class Sealed : uint8_t { kObject = 1, kDocument = 2 };

constexpr char kSlotFormat[] = "strata-key-slot";
constexpr int kSlotVersion = 1;
constexpr std::string_view kSlotPurpose = "strata-keyslot-v1";

std::string EnvelopeHeader(Sealed kind) {
  ByteWriter out;
  out.PutBytes(kEnvelopeMagic);
  out.PutU8(kEnvelopeVersion);
  out.PutU8(static_cast<uint8_t>(kind));
  return out.Release();
}

// What a sealed message is bound to: its header, then what it is (an object's id, a document's
// key), so no sealed bytes open in another place or as another kind.
std::string AadOf(std::string_view header, std::string_view name) {
  std::string aad(header);
  aad += '\0';
  aad += name;
  return aad;
}

Result<std::string> SealAs(const SecretKey& key, Sealed kind, std::string_view name,
                           const std::vector<std::string_view>& pieces) {
  std::string header = EnvelopeHeader(kind);
  return Seal(key, AadOf(header, name), pieces, header);
}

// The plaintext of `stored`, decrypted in place: a view into it.
Result<std::string_view> OpenInPlaceAs(const SecretKey& key, Sealed kind, std::string_view name,
                                       std::string& stored, const std::string& what) {
  if (stored.size() < kEnvelopeHeaderBytes || !stored.starts_with(kEnvelopeMagic)) {
    return Corruption(what +
                      " is damaged: it is not encrypted, yet its repository is (it does not "
                      "start with a strata encryption header)");
  }
  if (static_cast<uint8_t>(stored[kEnvelopeMagic.size()]) != kEnvelopeVersion) {
    return Unimplemented(what + " has encryption format version " +
                         std::to_string(static_cast<uint8_t>(stored[kEnvelopeMagic.size()])) +
                         "; this strata reads version 1 — upgrade strata");
  }
  std::string header = EnvelopeHeader(kind);
  if (stored.substr(0, kEnvelopeHeaderBytes) != header) {
    return Corruption(what + " is damaged: its encryption header is not that of its kind");
  }
  auto opened = OpenInPlace(key, AadOf(header, name), stored.data() + kEnvelopeHeaderBytes,
                            stored.size() - kEnvelopeHeaderBytes, what);
  if (!opened.ok()) {
    return Corruption(what +
                      " is damaged: it does not authenticate under the repository's key (its "
                      "bytes were changed, or it was moved from another name)");
  }
  return opened;
}

Result<SecretKey> Derive(const SecretKey& master, std::string_view repository_id,
                         std::string_view purpose) {
  ASSIGN_OR_RETURN(std::string bytes,
                   HkdfSha256(master.view(), repository_id, purpose, kSecretKeyBytes));
  auto key = SecretKey::FromBytes(bytes);
  std::fill(bytes.begin(), bytes.end(), '\0');
  return key;
}

std::string SlotAad(std::string_view repository_id, std::string_view key_id) {
  std::string aad(kSlotPurpose);
  aad += '\0';
  aad += repository_id;
  aad += '\0';
  aad += key_id;
  return aad;
}

}  // namespace

Result<RepositoryCipher> RepositoryCipher::FromMaster(const SecretKey& master,
                                                      std::string_view repository_id) {
  RepositoryCipher cipher;
  ASSIGN_OR_RETURN(cipher.data_key_, Derive(master, repository_id, "strata-v1 data"));
  ASSIGN_OR_RETURN(cipher.name_key_, Derive(master, repository_id, "strata-v1 names"));
  return cipher;
}

std::string RepositoryCipher::StoredNameOf(std::string_view id) const {
  return NameHash("object", id);
}

std::string RepositoryCipher::NameHash(std::string_view purpose, std::string_view text) const {
  std::string message(purpose);
  message += '\0';
  message += text;
  return ToHex(HmacSha256(name_key_.view(), message));
}

Result<std::unique_ptr<char[]>> RepositoryCipher::SealObject(
    std::string_view id, const std::vector<std::string_view>& pieces, size_t* size) const {
  const std::string header = EnvelopeHeader(Sealed::kObject);
  size_t plain_bytes = 0;
  for (std::string_view piece : pieces) plain_bytes += piece.size();
  *size = header.size() + plain_bytes + kSealOverheadBytes;
  std::unique_ptr<char[]> out(new char[*size]);
  std::copy(header.begin(), header.end(), out.get());
  RETURN_IF_ERROR(SealTo(data_key_, AadOf(header, id), pieces, out.get() + header.size()));
  return out;
}

Result<std::string_view> RepositoryCipher::OpenObject(std::string_view id,
                                                      std::string& stored) const {
  return OpenInPlaceAs(data_key_, Sealed::kObject, id, stored,
                       "repository object " + std::string(id));
}

Result<std::string> RepositoryCipher::SealDocument(std::string_view key,
                                                   std::string_view text) const {
  return SealAs(data_key_, Sealed::kDocument, key, {text});
}

Result<std::string> RepositoryCipher::OpenDocument(std::string_view key, std::string_view stored,
                                                   std::string_view what) const {
  std::string buffer(stored);
  ASSIGN_OR_RETURN(std::string_view text,
                   OpenInPlaceAs(data_key_, Sealed::kDocument, key, buffer, std::string(what)));
  return std::string(text);
}

std::string KeySlotKey(std::string_view key_id) { return "keys/" + std::string(key_id) + ".json"; }

bool IsKeySlotKey(std::string_view key) {
  return key.starts_with("keys/") && key.ends_with(".json");
}

Result<std::string> MakeKeySlot(const KeyFile& key, std::string_view repository_id,
                                const SecretKey& master) {
  ASSIGN_OR_RETURN(std::string sealed,
                   Seal(key.key, SlotAad(repository_id, key.key_id), master.view()));
  nlohmann::json slot = {{"format", kSlotFormat},   {"version", kSlotVersion},
                         {"key_id", key.key_id},    {"created", FormatUtcMs(NowMs())},
                         {"cipher", "aes-256-gcm"}, {"sealed_master", BytesToHex(sealed)}};
  return DumpJson(slot, 2) + "\n";
}

Result<SecretKey> OpenKeySlot(const KeyFile& key, std::string_view repository_id,
                              std::string_view slot, std::string_view where) {
  const std::string what = "key slot " + KeySlotKey(key.key_id) + " in " + std::string(where);
  ASSIGN_OR_RETURN(nlohmann::json document, ParseJson(slot, what));
  JsonFields fields(document, what);
  ASSIGN_OR_RETURN(std::string format, fields.String("format"));
  ASSIGN_OR_RETURN(int64_t version, fields.Int("version"));
  if (format != kSlotFormat || version != kSlotVersion) {
    return Unimplemented(what + " is a " + Quote(format) + " version " + std::to_string(version) +
                         "; this strata reads strata-key-slot version 1 — upgrade strata");
  }
  ASSIGN_OR_RETURN(std::string sealed_hex, fields.String("sealed_master"));
  auto sealed = HexToBytes(sealed_hex);
  if (!sealed) return fields.Damaged("member 'sealed_master' is not hex");
  auto master = Open(key.key, SlotAad(repository_id, key.key_id), *sealed, what);
  if (!master.ok()) {
    return PermissionDenied("key file " + Quote(key.path) + " (key " + key.key_id +
                            ") does not open the repository in " + std::string(where) +
                            ": its key slot does not authenticate with that key (the file was "
                            "changed, or the slot was)");
  }
  auto out = SecretKey::FromBytes(*master);
  std::fill(master->begin(), master->end(), '\0');
  return out;
}

std::string KeySlotCreated(std::string_view slot) {
  auto document = ParseJson(slot, "key slot");
  if (!document.ok()) return "";
  auto created = JsonFields(*document, "key slot").String("created");
  return created.ok() ? *created : "";
}

}  // namespace strata
