// HashScheme (HASH): a declared type and n buckets; partition `Key<b>` holds the rows whose value
// hashes to bucket b (0-based). Integer and temporal values hash to their physical value mod n
// (made non-negative), SYMBOL/STRING values to FNV-1a 32-bit of their bytes mod n
// (docs/format/partition-paths.md). Immutable after construction; thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "partition/single_level_scheme.h"

namespace strata {

class HashScheme final : public SingleLevelScheme {
 public:
  static constexpr int64_t kBucketCountMax = 1'000'000;

  // `scheme`: [type, bucketCount] as a tuple of two scalars or a 2-element integer vector; the
  // type as its DolphinDB id (INT = 4) or name. InvalidArgument naming the problem.
  static Result<std::unique_ptr<PartitionScheme>> Make(const Value& scheme);
  // Reads what ToJson wrote; Corruption naming the problem.
  static Result<std::unique_ptr<PartitionScheme>> FromJson(const nlohmann::json& json);

  // The bucket of the non-NULL `value` of a HASH level with `bucket_count` buckets.
  static uint32_t BucketOf(const Scalar& value, uint32_t bucket_count);
  // FNV-1a, 32 bits: the hash of SYMBOL/STRING values.
  static uint32_t Fnv1a32(std::string_view bytes);

  PartitionType type() const override { return PartitionType::kHash; }
  nlohmann::json ToJson() const override;
  std::string Describe() const override;
  uint32_t bucket_count() const { return bucket_count_; }

  std::unique_ptr<SingleLevelScheme> CloneLevel() const override;
  Result<LevelIds> Locate(const Column& column, size_t position) const override;
  std::string ComponentName(uint32_t id) const override;
  Status CheckComponent(std::string_view component) const override;
  void SelectComponent(const Scalar& value, ComponentSet* selected) const override;
  bool ComponentMayMatch(std::string_view component,
                         const LevelPredicate& predicate) const override;

 private:
  HashScheme(Type type, uint32_t bucket_count)
      : SingleLevelScheme(type), bucket_count_(bucket_count) {}
  static Result<std::unique_ptr<HashScheme>> FromParts(Type type, int64_t bucket_count);

  uint32_t bucket_count_;
};

}  // namespace strata
