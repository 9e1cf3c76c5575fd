// DatabaseHandle: what database(...) returns — a named database of the engine, or an unnamed
// scheme (`database(, VALUE, ...)`) used as a level of a COMPO database. Immutable.
#pragma once

#include <memory>
#include <string>

#include "partition/partition_scheme.h"
#include "types/value.h"

namespace strata {

class DatabaseHandle : public Object {
 public:
  DatabaseHandle(std::string name, std::shared_ptr<const PartitionScheme> scheme)
      : name_(std::move(name)), scheme_(std::move(scheme)) {}
  // "dfs://x", or empty for an unnamed scheme.
  const std::string& name() const { return name_; }
  const PartitionScheme& scheme() const { return *scheme_; }
  std::string KindName() const override { return "database handle"; }
  std::string ToString() const override {
    return (name_.empty() ? std::string("unnamed database") : "database '" + name_ + "'") + " " +
           scheme_->Describe();
  }

 private:
  std::string name_;
  std::shared_ptr<const PartitionScheme> scheme_;
};

inline const DatabaseHandle* AsDatabaseHandle(const Value& value) {
  return value.is_object() ? dynamic_cast<const DatabaseHandle*>(value.object().get()) : nullptr;
}

}  // namespace strata
