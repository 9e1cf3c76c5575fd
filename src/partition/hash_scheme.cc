#include "partition/hash_scheme.h"

#include <type_traits>

#include "base/strings.h"
#include "partition/level_types.h"
#include "partition/path_component.h"
#include "partition/predicate_match.h"
#include "partition/scheme_values.h"

namespace strata {

namespace {

constexpr std::string_view kBucketPrefix = "Key";
constexpr uint32_t kFnvOffsetBasis = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;

Status NotAHashScheme(const Value& scheme) {
  std::string got = scheme.Describe();
  if (scheme.is_vector() || scheme.is_pair() || scheme.is_tuple()) {
    got += " of " + std::to_string(scheme.size()) + " elements";
  }
  return InvalidArgument("a HASH scheme is [type, bucketCount], such as [INT, 10]; got " + got);
}

uint32_t IntegerBucket(int64_t value, int64_t bucket_count) {
  int64_t bucket = value % bucket_count;
  return static_cast<uint32_t>(bucket < 0 ? bucket + bucket_count : bucket);
}

}  // namespace

Result<std::unique_ptr<PartitionScheme>> HashScheme::Make(const Value& scheme) {
  std::vector<Scalar> parts;
  if (scheme.is_tuple()) {
    for (const Value& element : scheme.tuple()) {
      if (!element.is_scalar() || element.is_void()) return NotAHashScheme(scheme);
      parts.push_back(element.scalar());
    }
  } else if (scheme.is_vector() || scheme.is_pair()) {
    for (size_t i = 0; i < scheme.column()->size(); ++i) parts.push_back(scheme.column()->Get(i));
  }
  if (parts.size() != 2) return NotAHashScheme(scheme);
  const Scalar& type_part = parts[0];
  const Scalar& count_part = parts[1];
  std::optional<Type> type;
  if (IsIntegral(type_part.type()) && !type_part.is_null()) {
    type = TypeFromId(static_cast<int>(type_part.int_value()));
  } else if (IsStringLike(type_part.type())) {
    type = TypeFromName(type_part.string_value());
  }
  if (!type) {
    return InvalidArgument(
        "the first element of a HASH scheme must be a type, such as INT, "
        "got " +
        DescribeValue(type_part));
  }
  if (!IsIntegral(count_part.type()) || count_part.is_null()) {
    return InvalidArgument(
        "the second element of a HASH scheme must be an integer bucket "
        "count, got " +
        DescribeValue(count_part));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<HashScheme> made, FromParts(*type, count_part.int_value()));
  return std::unique_ptr<PartitionScheme>(std::move(made));
}

Result<std::unique_ptr<PartitionScheme>> HashScheme::FromJson(const nlohmann::json& json) {
  ASSIGN_OR_RETURN(Type type, ReadJsonHeader(json, PartitionType::kHash));
  ASSIGN_OR_RETURN(const nlohmann::json* buckets, JsonField(json, "buckets"));
  auto count = JsonFields(json, "HASH partition scheme").Int("buckets");
  if (!count.ok()) return InvalidSchemeJson(InvalidArgument("buckets is " + DumpJson(*buckets)));
  Result<std::unique_ptr<HashScheme>> made = FromParts(type, *count);
  if (!made.ok()) return InvalidSchemeJson(made.status());
  return std::unique_ptr<PartitionScheme>(std::move(made).value());
}

Result<std::unique_ptr<HashScheme>> HashScheme::FromParts(Type type, int64_t bucket_count) {
  RETURN_IF_ERROR(CheckSchemeValueType(type, PartitionType::kHash));
  if (bucket_count < 1 || bucket_count > kBucketCountMax) {
    return InvalidArgument("a HASH scheme needs 1 to " + std::to_string(kBucketCountMax) +
                           " buckets, got " + std::to_string(bucket_count));
  }
  return std::unique_ptr<HashScheme>(new HashScheme(type, static_cast<uint32_t>(bucket_count)));
}

uint32_t HashScheme::Fnv1a32(std::string_view bytes) {
  uint32_t hash = kFnvOffsetBasis;
  for (char c : bytes) {
    hash ^= static_cast<uint8_t>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

uint32_t HashScheme::BucketOf(const Scalar& value, uint32_t bucket_count) {
  if (IsStringLike(value.type())) return Fnv1a32(value.string_value()) % bucket_count;
  return IntegerBucket(value.int_value(), bucket_count);
}

nlohmann::json HashScheme::ToJson() const {
  nlohmann::json json = JsonHeader(type(), value_type());
  json["buckets"] = bucket_count_;
  return json;
}

std::string HashScheme::Describe() const {
  return std::string("HASH ") + TypeName(value_type()) + " " + CountOf(bucket_count_, "bucket");
}

std::unique_ptr<SingleLevelScheme> HashScheme::CloneLevel() const {
  return std::unique_ptr<SingleLevelScheme>(new HashScheme(*this));
}

Result<LevelIds> HashScheme::Locate(const Column& column, size_t position) const {
  LevelIds out;
  out.ids.resize(column.size());
  out.id_count = bucket_count_;
  const int64_t buckets = bucket_count_;
  Status status;
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        for (size_t row = 0; row < values.size(); ++row) {
          if (IsNullValue(values[row])) {
            status = NullPartitionValue(position, row);
            return;
          }
          if constexpr (std::is_same_v<T, std::string>) {
            out.ids[row] = Fnv1a32(values[row]) % bucket_count_;
          } else if constexpr (std::is_integral_v<T>) {
            out.ids[row] = IntegerBucket(values[row], buckets);
          } else {
            STRATA_CHECK(false);  // floating columns never reach a partition level
          }
        }
      },
      column.data());
  RETURN_IF_ERROR(status);
  return out;
}

std::string HashScheme::ComponentName(uint32_t id) const {
  return std::string(kBucketPrefix) + std::to_string(id);
}

Status HashScheme::CheckComponent(std::string_view component) const {
  if (ParseNumberedComponent(component, kBucketPrefix, bucket_count_)) return Status::Ok();
  return InvalidArgument("is not a bucket of the scheme; its buckets are named " +
                         Quote(ComponentName(0)) + " to " +
                         Quote(ComponentName(bucket_count_ - 1)));
}

void HashScheme::SelectComponent(const Scalar& value, ComponentSet* selected) const {
  selected->insert(ComponentName(BucketOf(value, bucket_count_)));
}

bool HashScheme::ComponentMayMatch(std::string_view component,
                                   const LevelPredicate& predicate) const {
  std::optional<uint32_t> bucket = ParseNumberedComponent(component, kBucketPrefix, bucket_count_);
  if (!bucket) return true;
  return EvaluatePredicate(predicate, [&](LevelPredicate::Op op, const Scalar& x) {
    if (op != LevelPredicate::Op::kEq) return true;  // hashing does not preserve order
    std::optional<Scalar> value = ToLevelValue(x, value_type());
    if (!value || value->is_null()) return true;
    return BucketOf(*value, bucket_count_) == *bucket;
  });
}

}  // namespace strata
