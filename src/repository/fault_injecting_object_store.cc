#include "repository/fault_injecting_object_store.h"

#include "base/strings.h"

namespace strata {

FaultInjectingObjectStore::FaultInjectingObjectStore(ObjectStore* inner, FaultOptions options)
    : inner_(inner), options_(options), random_(options.seed) {}

bool FaultInjectingObjectStore::NextFails(bool write) {
  std::lock_guard lock(mutex_);
  ++operations_;
  if (write) ++writes_;
  bool fails = options_.fail_from_operation != 0 && operations_ >= options_.fail_from_operation;
  fails = fails || (write && options_.fail_write == writes_);
  if (!fails && options_.failure_probability > 0) {
    fails = std::uniform_real_distribution<double>(0, 1)(random_) < options_.failure_probability;
  }
  if (fails) ++faults_;
  return fails;
}

Status FaultInjectingObjectStore::Fault(const char* operation, const std::string& key) const {
  return IoError(std::string("injected fault: ") + operation + " of " + Quote(key) + " in " +
                 Describe() + " failed");
}

Status FaultInjectingObjectStore::Put(const std::string& key, std::string_view bytes) {
  if (NextFails(/*write=*/true)) return Fault("put", key);
  return inner_->Put(key, bytes);
}

Result<std::string> FaultInjectingObjectStore::Get(const std::string& key) {
  if (NextFails()) {
    if (!options_.truncate_reads) return Fault("get", key);
    ASSIGN_OR_RETURN(std::string bytes, inner_->Get(key));
    bytes.resize(bytes.size() / 2);
    return bytes;
  }
  return inner_->Get(key);
}

Result<std::string> FaultInjectingObjectStore::GetRange(const std::string& key, uint64_t offset,
                                                        uint64_t length) {
  if (NextFails()) return Fault("ranged get", key);
  return inner_->GetRange(key, offset, length);
}

Result<std::optional<ObjectInfo>> FaultInjectingObjectStore::Head(const std::string& key) {
  if (NextFails()) return Fault("head", key);
  return inner_->Head(key);
}

Result<std::vector<ObjectInfo>> FaultInjectingObjectStore::List(const std::string& prefix) {
  if (NextFails()) return Fault("list", prefix);
  return inner_->List(prefix);
}

Status FaultInjectingObjectStore::Delete(const std::string& key) {
  if (NextFails(/*write=*/true)) return Fault("delete", key);
  return inner_->Delete(key);
}

uint64_t FaultInjectingObjectStore::operations() const {
  std::lock_guard lock(mutex_);
  return operations_;
}

uint64_t FaultInjectingObjectStore::writes() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

uint64_t FaultInjectingObjectStore::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

}  // namespace strata
