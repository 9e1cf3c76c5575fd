#include "backup/restore_plan.h"

#include <algorithm>
#include <set>

#include "backup/backup_plan.h"
#include "backup/chunk_tree.h"
#include "backup/restore.h"
#include "base/strings.h"

namespace strata {

namespace {

// The snapshot's chunks in (table, path) order.
class ChunkSource {
 public:
  virtual ~ChunkSource() = default;
  // The next chunk, null once there is none; valid until Pop.
  virtual Result<const ManifestChunk*> Peek() = 0;
  virtual void Pop() = 0;
};

// The chunk tree, a leaf at a time.
class TreeSource : public ChunkSource {
 public:
  TreeSource(Repository& repository, const Manifest& manifest)
      : cursor_(repository, manifest.tree, manifest.id) {}
  Result<const ManifestChunk*> Peek() override {
    while (next_ == leaf_.size() && !done_) {
      ASSIGN_OR_RETURN(leaf_, cursor_.NextLeaf());
      next_ = 0;
      done_ = leaf_.empty();
    }
    return done_ ? nullptr : &leaf_[next_];
  }
  void Pop() override { ++next_; }

 private:
  ChunkTreeCursor cursor_;
  std::vector<ManifestChunk> leaf_;
  size_t next_ = 0;
  bool done_ = false;
};

// Chunks already in memory (a manifest read with its chunks, or those under a path prefix).
class ListSource : public ChunkSource {
 public:
  explicit ListSource(const std::vector<ManifestChunk>& chunks) {
    for (const auto& c : chunks) order_.push_back(&c);
    std::sort(order_.begin(), order_.end(), [](const ManifestChunk* a, const ManifestChunk* b) {
      return std::tie(a->table, a->path) < std::tie(b->table, b->path);
    });
  }
  Result<const ManifestChunk*> Peek() override {
    return next_ < order_.size() ? order_[next_] : nullptr;
  }
  void Pop() override { ++next_; }

 private:
  std::vector<const ManifestChunk*> order_;
  size_t next_ = 0;
};

// A target table's chunks in path order, a page at a time (or those in `range` at once).
class TargetCursor {
 public:
  // No table (one the restore creates): no chunks.
  TargetCursor(Engine& engine, const Snapshot& snapshot, const TableRef* table,
               const std::optional<Engine::PathRange>& range)
      : engine_(engine), snapshot_(snapshot), table_(table), range_(range), last_(!table) {}
  Result<const ChunkVersionRecord*> Peek() {
    while (next_ == page_.size() && !last_) {
      next_ = 0;
      if (range_) {
        ASSIGN_OR_RETURN(page_, engine_.ListChunks(snapshot_, *table_, range_));
        last_ = true;
        continue;
      }
      ASSIGN_OR_RETURN(Engine::ChunkPage read,
                       engine_.ListChunkPage(snapshot_, *table_, after_, kRestoreBatchChunks));
      page_ = std::move(read.chunks);
      after_ = std::move(read.next_after);
      last_ = !after_;
    }
    return next_ < page_.size() ? &page_[next_] : nullptr;
  }
  void Pop() { ++next_; }

 private:
  Engine& engine_;
  const Snapshot& snapshot_;
  const TableRef* table_;
  const std::optional<Engine::PathRange>& range_;
  std::vector<ChunkVersionRecord> page_;
  size_t next_ = 0;
  std::optional<std::string> after_;
  bool last_;
};

}  // namespace

struct RestorePlan::State {
  Engine* engine = nullptr;
  BackupLocation* location = nullptr;
  const Manifest* manifest = nullptr;
  const RestoreRequest* request = nullptr;
  bool files = true;
  bool snapshot = false;  // target chunks the backup lacks go
  SnapshotPtr pin;
  std::vector<RestoreTablePlan> tables;
  std::vector<size_t> order;  // indexes into tables, by backed-up name: the snapshot's order
  // Per table: the scheme that names its partitions and the names to restore, when the
  // request names partitions of it; whether it is one partition (replace_partitions).
  std::vector<std::unique_ptr<PartitionScheme>> naming;
  std::vector<const std::set<std::string>*> names;
  std::vector<bool> one_partition;
  // Set when only the partitions under the pattern's path prefix are read: those chunks.
  std::optional<Engine::PathRange> paths;
  std::vector<ManifestChunk> chunks_in_range;

  // A pass.
  std::unique_ptr<ChunkSource> source;
  size_t position = 0;  // into order
  std::unique_ptr<TargetCursor> target;
  // replace_partitions: the first-level partition being merged, whether a chunk of it is
  // restored, and the target's chunks in it the backup lacks (a partition's buckets).
  std::string group;
  bool group_restored = false;
  std::vector<std::string> group_lacking;
  RestoreCounts counts;

  Status ChooseSource();
  void OpenTarget(size_t t);
  void Take(size_t t, const ManifestChunk& chunk, const ChunkVersionRecord* current,
            RestoreBatch& batch);
  void TargetOnly(size_t t, const std::string& path, RestoreBatch& batch);
  void EnterGroup(size_t t, const std::string& path, RestoreBatch& batch);
  void FlushGroup(size_t t, RestoreBatch& batch);
};

// When the pattern names a path prefix and nothing needs the other partitions (snapshot=true
// and Doris's partition names and replacement do), the chunks under it, reading only the tree
// nodes on the way to them; otherwise (or when none is there, so that the no-match error can
// show what the backup holds) the whole tree, a leaf at a time.
Status RestorePlan::State::ChooseSource() {
  if (!manifest->chunks.empty() || manifest->tree.root.empty()) return Status::Ok();
  auto range = PatternPathRange(request->pattern, request->database);
  if (!range || snapshot || request->replace_partitions || !request->partition_names.empty()) {
    return Status::Ok();
  }
  std::vector<std::string> names;
  for (const auto& t : tables) names.push_back(t.source->name);
  ASSIGN_OR_RETURN(chunks_in_range,
                   ReadChunksInRange(*location->repository, *manifest, names, *range));
  if (!chunks_in_range.empty()) paths = std::move(range);
  return Status::Ok();
}

void RestorePlan::State::OpenTarget(size_t t) {
  group.clear();
  group_restored = false;
  group_lacking.clear();
  const TableRef* table = tables[t].target ? &*tables[t].target : nullptr;
  target = std::make_unique<TargetCursor>(*engine, *pin, table, paths);
}

void RestorePlan::State::Take(size_t t, const ManifestChunk& chunk,
                              const ChunkVersionRecord* current, RestoreBatch& batch) {
  EnterGroup(t, chunk.path, batch);
  if (naming[t] && !names[t]->count(naming[t]->PartitionName(chunk.path))) return;
  std::string subject = PatternSubject(request->database, chunk.path);
  if (!MatchesWildcard(request->pattern, subject)) {
    if (counts.unmatched_examples.size() < kUnmatchedExamplesMax) {
      counts.unmatched_examples.push_back(std::move(subject));
    }
    return;
  }
  counts.matched_any = true;
  if (files && !request->force && current != nullptr &&
      SameObjects(chunk, *current, tables[t].target->table.id)) {
    return;  // the target holds exactly this data already
  }
  batch.restore.push_back({t, chunk});
  ++counts.chunks[t];
  counts.bytes += static_cast<int64_t>(chunk.bytes());
  group_restored = true;
}

void RestorePlan::State::TargetOnly(size_t t, const std::string& path, RestoreBatch& batch) {
  if (snapshot) {
    batch.drops.push_back({t, path});
    ++counts.drops[t];
  } else if (request->replace_partitions) {
    EnterGroup(t, path, batch);
    group_lacking.push_back(path);
  }
}

// Partitions as Doris counts them: the first path component, and a table with a layout of its
// own but no named partitions (buckets only) is one partition. A partition's paths are
// consecutive in path order (they share a prefix, and a table's paths have one depth).
void RestorePlan::State::EnterGroup(size_t t, const std::string& path, RestoreBatch& batch) {
  if (!request->replace_partitions) return;
  std::string key = one_partition[t] ? std::string() : path.substr(0, path.find('/', 1));
  if (key == group) return;
  FlushGroup(t, batch);
  group = std::move(key);
}

void RestorePlan::State::FlushGroup(size_t t, RestoreBatch& batch) {
  if (group_restored) {
    for (auto& path : group_lacking) {
      batch.drops.push_back({t, std::move(path)});
      ++counts.drops[t];
    }
  }
  group_lacking.clear();
  group_restored = false;
}

RestorePlan::RestorePlan(std::unique_ptr<State> state) : state_(std::move(state)) {}
RestorePlan::~RestorePlan() = default;

Result<std::unique_ptr<RestorePlan>> RestorePlan::Open(Engine& engine, BackupLocation& location,
                                                       const Manifest& manifest,
                                                       const RestoreRequest& request) {
  auto s = std::make_unique<State>();
  s->engine = &engine;
  s->location = &location;
  s->manifest = &manifest;
  s->request = &request;
  s->files = manifest.method == BackupMethod::kFiles;
  // DolphinDB's restore: snapshot "only takes effect when partition is \"%\"".
  s->snapshot = request.snapshot && request.pattern == "%";
  const std::string& target_db =
      request.target_database.empty() ? request.database : request.target_database;

  std::vector<const ManifestTable*> selected;
  for (const auto& name : request.tables) {
    const ManifestTable* t = manifest.FindTable(name);
    if (t == nullptr) {
      std::vector<std::string> held;
      for (const auto& h : manifest.tables) held.push_back(h.name);
      return NotFound("table " + Quote(name) + " is not in the backup of " +
                      Quote(request.database) + " in " + Quote(location.dir) + " (it holds " +
                      (held.empty() ? "no tables" : Join(held, ", ")) + ")");
    }
    if (std::find(selected.begin(), selected.end(), t) == selected.end()) selected.push_back(t);
  }
  if (request.tables.empty()) {
    for (const auto& t : manifest.tables) selected.push_back(&t);
  }
  s->pin = engine.PinLatest();
  for (const ManifestTable* table : selected) {
    RestoreTablePlan plan{table, table->name, std::nullopt};
    auto renamed = request.target_names.find(table->name);
    if (renamed != request.target_names.end()) plan.target_name = renamed->second;
    auto target = engine.GetTable(*s->pin, target_db, plan.target_name);
    if (target.ok()) {
      plan.target = std::move(*target);
    } else if (target.status().code() != StatusCode::kNotFound || !request.create_missing) {
      return target.status();
    }
    std::unique_ptr<PartitionScheme> naming;
    const std::set<std::string>* names = nullptr;
    auto named = request.partition_names.find(table->name);
    if (named != request.partition_names.end()) {
      auto scheme =
          PartitionScheme::FromJson(table->scheme.is_null() ? manifest.scheme : table->scheme);
      if (!scheme.ok()) return scheme.status().WithContext("table " + Quote(table->name));
      naming = std::move(*scheme);
      names = &named->second;
    }
    bool one_partition = false;
    if (request.replace_partitions && !table->scheme.is_null()) {
      auto scheme = PartitionScheme::FromJson(table->scheme);
      if (!scheme.ok()) return scheme.status().WithContext("table " + Quote(table->name));
      one_partition = (*scheme)->partition_names().empty();
    }
    s->tables.push_back(std::move(plan));
    s->naming.push_back(std::move(naming));
    s->names.push_back(names);
    s->one_partition.push_back(one_partition);
  }
  for (size_t t = 0; t < s->tables.size(); ++t) s->order.push_back(t);
  std::sort(s->order.begin(), s->order.end(), [&](size_t a, size_t b) {
    return s->tables[a].source->name < s->tables[b].source->name;
  });
  RETURN_IF_ERROR(s->ChooseSource());
  auto plan = std::unique_ptr<RestorePlan>(new RestorePlan(std::move(s)));
  RETURN_IF_ERROR(plan->Rewind());
  return plan;
}

Status RestorePlan::Rewind() {
  State& s = *state_;
  if (!s.pin) return FailedPrecondition("the restore plan let go of its pinned state");
  s.target.reset();
  s.position = 0;
  s.counts = RestoreCounts{std::vector<size_t>(s.tables.size(), 0),
                           std::vector<size_t>(s.tables.size(), 0)};
  if (s.paths) {
    s.source = std::make_unique<ListSource>(s.chunks_in_range);
  } else if (!s.manifest->chunks.empty() || s.manifest->tree.root.empty()) {
    s.source = std::make_unique<ListSource>(s.manifest->chunks);
  } else {
    s.source = std::make_unique<TreeSource>(*s.location->repository, *s.manifest);
  }
  return Status::Ok();
}

Result<bool> RestorePlan::Next(RestoreBatch& batch) {
  State& s = *state_;
  batch.clear();
  if (!s.source) return FailedPrecondition("the restore plan let go of its pinned state");
  while (batch.restore.size() < kRestoreBatchChunks && batch.drops.size() < kRestoreBatchChunks) {
    if (!s.target) {
      if (s.position == s.order.size()) break;
      s.OpenTarget(s.order[s.position]);
    }
    const size_t t = s.order[s.position];
    const std::string& name = s.tables[t].source->name;
    const ManifestChunk* chunk = nullptr;
    for (;;) {  // past the chunks of tables not selected
      ASSIGN_OR_RETURN(chunk, s.source->Peek());
      if (chunk == nullptr || chunk->table >= name) break;
      s.source->Pop();
    }
    if (chunk != nullptr && chunk->table != name) chunk = nullptr;
    ASSIGN_OR_RETURN(const ChunkVersionRecord* current, s.target->Peek());
    if (chunk == nullptr && current == nullptr) {
      s.FlushGroup(t, batch);
      s.target.reset();
      ++s.position;
      continue;
    }
    if (chunk != nullptr && (current == nullptr || chunk->path <= current->path)) {
      const bool same_path = current != nullptr && current->path == chunk->path;
      s.Take(t, *chunk, same_path ? current : nullptr, batch);
      s.source->Pop();
      if (same_path) s.target->Pop();
    } else {
      s.TargetOnly(t, current->path, batch);
      s.target->Pop();
    }
  }
  return !batch.restore.empty() || !batch.drops.empty();
}

const std::vector<RestoreTablePlan>& RestorePlan::tables() const { return state_->tables; }

const RestoreCounts& RestorePlan::counts() const { return state_->counts; }

bool RestorePlan::snapshot() const { return state_->snapshot; }

void RestorePlan::ReleasePin() {
  state_->target.reset();
  state_->source.reset();
  state_->pin.reset();
}

}  // namespace strata
