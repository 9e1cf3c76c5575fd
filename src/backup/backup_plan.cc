#include "backup/backup_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "partition/selection.h"
#include "query/pruning.h"

namespace strata {

namespace {

using ChunkKey = std::pair<std::string, std::string>;  // (table, path)

constexpr size_t kExamplePathsMax = 5;  // partitions named in an empty-selection error

// The columns a SQL-mode backup stores: `select *` or plain column names, nothing else.
Result<Schema> SqlResultSchema(const SelectQuery& query, const Schema& schema,
                               const std::string& table) {
  auto shape_error = [&](const std::string& what) {
    return InvalidArgument(
        "a SQL backup takes a query that selects columns (or *) of one table, with an optional "
        "where condition; this query has " +
        what);
  };
  if (query.kind != SelectQuery::Kind::kSelect) return shape_error("exec");
  if (!query.group_by.empty()) return shape_error("group by");
  if (!query.order_by.empty()) return shape_error("order by");
  if (query.top || query.limit || query.offset) return shape_error("top/limit");
  Schema out;
  for (const auto& column : query.columns) {
    if (column.expr->kind == ExprKind::kStar) {
      for (const auto& f : schema.fields()) out.Add(f);
      continue;
    }
    if (column.expr->kind != ExprKind::kVariable || !column.alias.empty()) {
      return shape_error("a computed or renamed column");
    }
    auto index = schema.Find(column.expr->name);
    if (!index) {
      return InvalidArgument("column " + Quote(column.expr->name) + " is not a column of table " +
                             Quote(table));
    }
    out.Add(schema.field(*index));
  }
  return out;
}

// The segment ids of `table`'s rows in `chunk`, in order.
std::vector<std::string> OwnSegmentIds(const ChunkVersionRecord& chunk, int64_t table_id) {
  std::vector<std::string> ids;
  for (const auto& s : chunk.segments) {
    if (s.table_id == table_id) ids.push_back(s.id);
  }
  return ids;
}

std::vector<std::string> ObjectIds(const ManifestChunk& chunk) {
  std::vector<std::string> ids;
  for (const auto& o : chunk.objects) ids.push_back(o.id);
  return ids;
}

}  // namespace

ManifestTable ManifestTableOf(const TableRecord& table) {
  return {table.name,   table.physical_index, table.schema, table.partition_columns,
          table.scheme, table.definition};
}

bool SameObjects(const ManifestChunk& stored, const ChunkVersionRecord& chunk, int64_t table_id) {
  return ObjectIds(stored) == OwnSegmentIds(chunk, table_id);
}

ManifestChunk Refreshed(const ManifestChunk& stored, const ChunkVersionRecord& chunk) {
  ManifestChunk out = stored;
  out.chunk_id = chunk.chunk_id;
  out.cid = chunk.cid;
  out.update_time_ms = chunk.update_time_ms;
  return out;
}

bool ObjectsPresent(const ManifestChunk& chunk, const Repository::ObjectListing& present) {
  return std::all_of(chunk.objects.begin(), chunk.objects.end(),
                     [&](const ManifestObject& o) { return present.Contains(o.id); });
}

int64_t CountMissing(const std::vector<ManifestChunk>& chunks,
                     const Repository::ObjectListing& present) {
  return std::count_if(chunks.begin(), chunks.end(),
                       [&](const ManifestChunk& c) { return !ObjectsPresent(c, present); });
}

namespace {

// Plans one call: picks the tables, then per table its chunks, then what of the head the new
// snapshot carries over. Used once, by MakeBackupPlan.
class Planner {
 public:
  Planner(Engine& engine, const Snapshot& snapshot, const BackupRequest& request,
          const std::optional<Manifest>& head, const std::optional<Journal>& journal,
          const Repository::ObjectListing& present)
      : engine_(engine),
        snapshot_(snapshot),
        request_(request),
        head_(head),
        present_(present),
        files_(request.method == BackupMethod::kFiles) {
    if (head) {
      for (const auto& c : head->chunks) in_head_[{c.table, c.path}] = &c;
    }
    if (journal) {
      for (const auto& c : journal->finished) in_journal_[{c.table, c.path}] = &c;
    }
  }

  Result<BackupPlan> Run() {
    RETURN_IF_ERROR(SelectTables());
    for (const auto& ref : selected_) RETURN_IF_ERROR(PlanTable(ref));
    RETURN_IF_ERROR(CheckSelectionMatched());
    CarryHead();
    ASSIGN_OR_RETURN(plan_.origin, OriginAt(engine_, snapshot_, plan_.db));
    // Every chunk of every table, copied or reused with its objects checked; exact when the
    // head's chunks the database no longer has were dropped, not carried.
    plan_.origin.complete = files_ && request_.tables.empty() && request_.partitions.is_all() &&
                            request_.table_partitions.empty();
    plan_.origin.exact = plan_.origin.complete && (request_.snapshot || request_.exact);
    return std::move(plan_);
  }

 private:
  // The database, its scheme, and the tables the call names (every table when none).
  Status SelectTables() {
    ASSIGN_OR_RETURN(plan_.db, engine_.GetDatabase(snapshot_, request_.database));
    if (files_ && plan_.db.granularity == ChunkGranularity::kDatabase) {
      return FailedPrecondition("database " + Quote(request_.database) +
                                " has chunkGranularity='DATABASE', so only SQL backups work for it")
          .WithRemedy({RemedyKind::kUseBackupMethod, {"sql", request_.database}});
    }
    ASSIGN_OR_RETURN(scheme_, engine_.SchemeOf(plan_.db));
    ASSIGN_OR_RETURN(auto all_tables, engine_.ListTables(snapshot_, plan_.db.id));
    wanted_ = files_ ? request_.tables : std::vector{request_.sql_table};
    for (const auto& name : wanted_) {
      auto it = std::find_if(all_tables.begin(), all_tables.end(),
                             [&](const TableRecord& t) { return t.name == name; });
      if (it == all_tables.end()) {
        return NotFound("table " + Quote(name) + " does not exist in database " +
                        Quote(request_.database));
      }
      selected_.push_back(std::make_shared<const TableRef>(TableRef{plan_.db, *it}));
    }
    if (wanted_.empty()) {
      for (const auto& t : all_tables) {
        selected_.push_back(std::make_shared<const TableRef>(TableRef{plan_.db, t}));
      }
    }
    return Status::Ok();
  }

  // The table's definition in the new snapshot (SQL mode: the query's columns).
  Result<ManifestTable> DefinitionOf(const TableRecord& table) const {
    ManifestTable definition = ManifestTableOf(table);
    if (files_) return definition;
    if (!(request_.rows->schema() == table.schema)) {
      return FailedPrecondition("table " + Quote(table.name) + " of " + Quote(request_.database) +
                                " changed after the backup query was read; run the backup again");
    }
    ASSIGN_OR_RETURN(definition.schema,
                     SqlResultSchema(request_.rows->query(), table.schema, table.name));
    return definition;
  }

  Status PlanTable(const std::shared_ptr<const TableRef>& ref) {
    const TableRecord& table = ref->table;
    ASSIGN_OR_RETURN(ManifestTable definition, DefinitionOf(table));
    const ManifestTable* before = head_ ? head_->FindTable(table.name) : nullptr;
    // Another definition (a recreated table, other SQL columns): the head's chunks of the
    // table belong to something else and are not carried over.
    const bool same_definition = before != nullptr && before->SameRowsAs(definition);
    if (before != nullptr && !same_definition) replaced_tables_.insert(table.name);
    const bool reusable = same_definition && (files_ || head_->sql == request_.sql_text);
    plan_.tables.push_back(definition);

    ASSIGN_OR_RETURN(auto chunks, engine_.ListChunks(snapshot_, *ref));
    for (const auto& c : chunks) existing_paths_.insert({table.name, c.path});
    if (!table.scheme.is_null()) {
      ASSIGN_OR_RETURN(own_schemes_[table.name], engine_.SchemeOf(*ref));
    }
    ASSIGN_OR_RETURN(std::set<std::string> chosen, ChooseChunks(*ref, chunks));
    std::vector<PrunePredicate> predicates;
    if (!files_) predicates = request_.rows->PrunePredicates(table.partition_columns);
    for (auto& chunk : chunks) {
      if (!chosen.count(chunk.path)) continue;
      bool whole = !files_ && WholeUnderQuery(table, predicates, chunk.path);
      PlanChunk(ref, std::move(chunk), reusable, same_definition, whole);
    }
    return Status::Ok();
  }

  // The scheme that lays out `table`'s partitions: its own, else the database's.
  const PartitionScheme& SchemeFor(const TableRecord& table) const {
    auto own = own_schemes_.find(table.name);
    return own != own_schemes_.end() ? *own->second : *scheme_;
  }

  // SQL mode: whether the chunk's partition proves every where condition of the query (its
  // `predicates` on the table's partition columns), so the query selects all of its rows (a
  // condition on another column, or one the partition does not decide, makes it false).
  bool WholeUnderQuery(const TableRecord& table, const std::vector<PrunePredicate>& predicates,
                       const std::string& path) const {
    const PartitionScheme& scheme = SchemeFor(table);
    std::vector<bool> proven(request_.rows->query().where.size(), false);
    for (const auto& p : predicates) {
      auto column = table.schema.Find(table.partition_columns[p.level]);
      if (p.whole_condition && column &&
          table.schema.field(*column).type == scheme.level_type(p.level) &&
          scheme.AlwaysMatches(path, p.level, p.predicate)) {
        proven[p.where_index] = true;
      }
    }
    return std::all_of(proven.begin(), proven.end(), [](bool b) { return b; });
  }

  // The paths of `chunks` the call selects: its partition selection (copy-files), or those the
  // query's where conditions may match (SQL).
  Result<std::set<std::string>> ChooseChunks(const TableRef& ref,
                                             const std::vector<ChunkVersionRecord>& chunks) {
    const TableRecord& table = ref.table;
    const PartitionScheme& scheme = SchemeFor(table);
    std::vector<std::string> paths;
    for (const auto& c : chunks) paths.push_back(c.path);
    std::set<std::string> chosen(paths.begin(), paths.end());
    auto per_table = request_.table_partitions.find(table.name);
    if (files_ && per_table != request_.table_partitions.end()) {
      auto resolved = ResolveSelection(scheme, per_table->second, paths);
      if (!resolved.ok()) return resolved.status().WithContext("backup of " + Quote(table.name));
      chosen = std::set<std::string>(resolved->begin(), resolved->end());
    } else if (files_ && !request_.partitions.is_all()) {
      auto resolved = ResolveSelection(scheme, request_.partitions, paths);
      if (!resolved.ok()) return resolved.status().WithContext("backup of " + Quote(table.name));
      chosen = std::set<std::string>(resolved->begin(), resolved->end());
      selected_any_ = selected_any_ || !chosen.empty();
      if (examples_.empty()) {
        examples_.assign(paths.begin(), paths.begin() + std::min(paths.size(), kExamplePathsMax));
      }
    } else if (!files_) {
      for (const auto& p : request_.rows->PrunePredicates(table.partition_columns)) {
        for (const auto& c : chunks) {
          if (!scheme.MayMatch(c.path, p.level, p.predicate)) chosen.erase(c.path);
        }
      }
    }
    return chosen;
  }

  // A selected chunk: reused from the head when unchanged and stored, resumed from the
  // journal when an earlier run of this call stored it, else copied.
  // SQL mode reuses a stored chunk made by the same query, or, when the stored rows and the
  // new query's are both the whole chunk (`whole`), by any query with the same columns: the
  // old tutorial's backup of 10 partitions then of 20 copies only the 10 new ones.
  void PlanChunk(const std::shared_ptr<const TableRef>& ref, ChunkVersionRecord chunk,
                 bool reusable, bool same_definition, bool whole) {
    const TableRecord& table = ref->table;
    ChunkKey key{table.name, chunk.path};
    selected_paths_.insert(key);
    bool missing = false;  // the head or the journal has it, but not all of its objects
    auto stored = in_head_.find(key);
    if (!request_.force && stored != in_head_.end() &&
        (reusable || (!files_ && same_definition && whole && stored->second->whole))) {
      const ManifestChunk& h = *stored->second;
      bool unchanged = files_ ? SameObjects(h, chunk, table.id)
                              : h.cid == chunk.cid && h.chunk_id == chunk.chunk_id;
      if (unchanged && ObjectsPresent(h, present_)) {
        plan_.reused.push_back(Refreshed(h, chunk));
        return;
      }
      missing = unchanged;
    }
    if (!files_ && stored != in_head_.end() && same_definition) {
      plan_.shadowed[key] = *stored->second;
    }
    auto done = in_journal_.find(key);
    if (done != in_journal_.end() && done->second->cid == chunk.cid &&
        done->second->chunk_id == chunk.chunk_id) {
      if (ObjectsPresent(*done->second, present_)) {
        plan_.resumed.push_back(*done->second);
        return;
      }
      missing = true;
    }
    if (missing) ++plan_.missing_recopied;
    plan_.copy.push_back(BackupUnit{ref, std::move(chunk), whole});
  }

  // A selection that matches nothing is a mistake (a mistyped path), never an empty backup.
  Status CheckSelectionMatched() const {
    if (!files_ || request_.partitions.is_all() || selected_any_) return Status::Ok();
    return NotFound("partition " + Quote(request_.partitions.text()) + " selects no partition of " +
                    (wanted_.empty() ? std::string("any table") : "table " + Join(wanted_, ", ")) +
                    " in database " + Quote(request_.database) +
                    (examples_.empty()
                         ? std::string(" (it has no partitions)")
                         : " (its partitions include " + Join(examples_, ", ") + ")") +
                    "; nothing was backed up");
  }

  // The head's chunks outside the selection, and the definitions of the tables they belong to.
  void CarryHead() {
    if (!head_ || request_.exact) return;
    std::set<std::string> selected_names;
    for (const auto& ref : selected_) selected_names.insert(ref->table.name);
    const bool sync_deletions = files_ && request_.snapshot && request_.partitions.is_all();
    std::set<std::string> carried_tables;
    for (const auto& c : head_->chunks) {
      ChunkKey key{c.table, c.path};
      if (selected_names.count(c.table)) {
        if (replaced_tables_.count(c.table) || selected_paths_.count(key)) continue;
        if (sync_deletions && !existing_paths_.count(key)) continue;  // partition deleted
        // A partition its table dropped (ALTER TABLE DROP PARTITION) has left its layout.
        auto own = own_schemes_.find(c.table);
        if (own != own_schemes_.end() && !own->second->ValidatePath(c.path).ok()) continue;
      } else if (sync_deletions && request_.tables.empty()) {
        continue;  // the table no longer exists
      }
      plan_.carried.push_back(c);
      carried_tables.insert(c.table);
    }
    for (const auto& t : head_->tables) {
      if (carried_tables.count(t.name) && !selected_names.count(t.name)) {
        plan_.tables.push_back(t);
      }
    }
  }

  Engine& engine_;
  const Snapshot& snapshot_;
  const BackupRequest& request_;
  const std::optional<Manifest>& head_;
  const Repository::ObjectListing& present_;
  const bool files_;
  std::map<ChunkKey, const ManifestChunk*> in_head_, in_journal_;

  BackupPlan plan_;
  std::unique_ptr<PartitionScheme> scheme_;
  std::map<std::string, std::unique_ptr<PartitionScheme>> own_schemes_;  // by table name
  std::vector<std::string> wanted_;  // the tables the call names
  std::vector<std::shared_ptr<const TableRef>> selected_;
  std::set<std::string> replaced_tables_;  // head chunks of these tables are not carried at all
  std::set<ChunkKey> selected_paths_;      // head chunks at these (table, path) are replaced
  std::set<ChunkKey> existing_paths_;      // every chunk the selected tables have now
  bool selected_any_ = false;              // a partition selection matched a chunk
  std::vector<std::string> examples_;      // paths the database has, for the error
};

}  // namespace

Result<BackupPlan> MakeBackupPlan(Engine& engine, const Snapshot& snapshot,
                                  const BackupRequest& request, const std::optional<Manifest>& head,
                                  const std::optional<Journal>& journal,
                                  const Repository::ObjectListing& present) {
  return Planner(engine, snapshot, request, head, journal, present).Run();
}

}  // namespace strata
