#include "backup/backup_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "backup/chunk_tree.h"
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

Result<bool> ObjectsPresent(const ManifestChunk& chunk, const Repository::ObjectListing& present) {
  for (const auto& object : chunk.objects) {
    ASSIGN_OR_RETURN(bool found, present.Contains(object.id));
    if (!found) return false;
  }
  return true;
}

namespace {

using Key = ChunkTreeWalk::Key;

Key KeyOf(const ChunkVersionRecord& chunk, const TableRecord& table) {
  return {table.name, chunk.path};
}
Key KeyOf(const ManifestChunk& chunk) { return {chunk.table, chunk.path}; }

// What the comparison knows of one selected table.
struct TablePlan {
  std::shared_ptr<const TableRef> ref;
  std::unique_ptr<PartitionScheme> own_scheme;  // its own layout, if it has one
  const PartitionScheme* scheme = nullptr;      // that, else the database's
  // The head has the table with the same rows in the same chunks (else its chunks belong to
  // something else: a recreated table, other SQL columns; they are not carried over), and
  // (reusable) made by the same query.
  bool same_definition = false;
  bool reusable = false;
  std::vector<PrunePredicate> predicates;         // SQL mode
  const PartitionSelection* selection = nullptr;  // copy-files: none selects all
  bool global_selection = false;                  // the call's `partitions`
};

// A chunk of the catalog as the comparison reads it.
struct CatalogItem {
  size_t table = 0;  // in State::tables
  ChunkVersionRecord chunk;
  bool chosen = false;  // the call selects it
  bool whole = false;   // SQL mode: the query selects all of its rows
};

}  // namespace

struct FullComparison::State {
  Engine& engine;
  const Snapshot& snapshot;
  const BackupRequest& request;
  const std::optional<Manifest>& head;
  const Repository::ObjectListing& present;
  const bool files;
  std::map<Key, const ManifestChunk*> in_journal;
  PlanSummary summary;
  std::unique_ptr<PartitionScheme> scheme;
  std::vector<TablePlan> tables;  // by name
  std::set<std::string> carried_tables;
  std::vector<std::string> wanted;    // the tables the call names
  bool every_table = false;           // it selects every table of the database
  bool selected_any = false;          // a partition selection matched a chunk
  std::vector<std::string> examples;  // paths the database has, for the error
  bool done = false;

  // The catalog's side: the page of table `table` being read.
  size_t table = 0;
  bool table_started = false;
  std::optional<std::string> next_after;
  std::vector<CatalogItem> page;
  size_t page_at = 0;

  // The head's side: its tree's leaf being read (or, for a version-1 head, its chunks).
  std::unique_ptr<ChunkTreeCursor> cursor;
  std::vector<ManifestChunk> leaf;
  size_t leaf_at = 0;

  // The database, its scheme, and the tables the call names (every table when none).
  Status SelectTables() {
    ASSIGN_OR_RETURN(summary.db, engine.GetDatabase(snapshot, request.database));
    if (files && summary.db.granularity == ChunkGranularity::kDatabase) {
      return FailedPrecondition("database " + Quote(request.database) +
                                " has chunkGranularity='DATABASE', so only SQL backups work for it")
          .WithRemedy({RemedyKind::kUseBackupMethod, {"sql", request.database}});
    }
    ASSIGN_OR_RETURN(scheme, engine.SchemeOf(summary.db));
    ASSIGN_OR_RETURN(auto all_tables, engine.ListTables(snapshot, summary.db.id));
    wanted = files ? request.tables : std::vector{request.sql_table};
    std::vector<TableRecord> selected;
    for (const auto& name : wanted) {
      auto it = std::find_if(all_tables.begin(), all_tables.end(),
                             [&](const TableRecord& t) { return t.name == name; });
      if (it == all_tables.end()) {
        return NotFound("table " + Quote(name) + " does not exist in database " +
                        Quote(request.database));
      }
      selected.push_back(*it);
    }
    if (wanted.empty()) selected = all_tables;
    every_table = std::all_of(all_tables.begin(), all_tables.end(), [&](const TableRecord& t) {
      return wanted.empty() || std::find(wanted.begin(), wanted.end(), t.name) != wanted.end();
    });
    for (const auto& table : selected) RETURN_IF_ERROR(PlanTable(table));
    std::sort(tables.begin(), tables.end(), [](const TablePlan& a, const TablePlan& b) {
      return a.ref->table.name < b.ref->table.name;
    });
    return Status::Ok();
  }

  // The table's definition in the new snapshot (SQL mode: the query's columns).
  Result<ManifestTable> DefinitionOf(const TableRecord& table) const {
    ManifestTable definition = ManifestTableOf(table);
    if (files) return definition;
    if (!(request.rows->schema() == table.schema)) {
      return FailedPrecondition("table " + Quote(table.name) + " of " + Quote(request.database) +
                                " changed after the backup query was read; run the backup again");
    }
    ASSIGN_OR_RETURN(definition.schema,
                     SqlResultSchema(request.rows->query(), table.schema, table.name));
    return definition;
  }

  Status PlanTable(const TableRecord& table) {
    TablePlan t;
    t.ref = std::make_shared<const TableRef>(TableRef{summary.db, table});
    ASSIGN_OR_RETURN(ManifestTable definition, DefinitionOf(table));
    const ManifestTable* before = head ? head->FindTable(table.name) : nullptr;
    t.same_definition = before != nullptr && before->SameRowsAs(definition);
    t.reusable = t.same_definition && (files || head->sql == request.sql_text);
    summary.tables.push_back(std::move(definition));
    if (!table.scheme.is_null()) {
      ASSIGN_OR_RETURN(t.own_scheme, engine.SchemeOf(*t.ref));
    }
    t.scheme = t.own_scheme ? t.own_scheme.get() : scheme.get();
    if (!files) t.predicates = request.rows->PrunePredicates(table.partition_columns);
    auto per_table = request.table_partitions.find(table.name);
    if (files && per_table != request.table_partitions.end()) {
      t.selection = &per_table->second;
    } else if (files && !request.partitions.is_all()) {
      t.selection = &request.partitions;
      t.global_selection = true;
    }
    tables.push_back(std::move(t));
    return Status::Ok();
  }

  // SQL mode: whether the chunk's partition proves every where condition of the query (its
  // `predicates` on the table's partition columns), so the query selects all of its rows (a
  // condition on another column, or one the partition does not decide, makes it false).
  bool WholeUnderQuery(const TablePlan& t, const std::string& path) const {
    const TableRecord& table = t.ref->table;
    std::vector<bool> proven(request.rows->query().where.size(), false);
    for (const auto& p : t.predicates) {
      auto column = table.schema.Find(table.partition_columns[p.level]);
      if (p.whole_condition && column &&
          table.schema.field(*column).type == t.scheme->level_type(p.level) &&
          t.scheme->AlwaysMatches(path, p.level, p.predicate)) {
        proven[p.where_index] = true;
      }
    }
    return std::all_of(proven.begin(), proven.end(), [](bool b) { return b; });
  }

  // A page of table `index`'s chunks, each marked as the call selects it: its partition
  // selection (copy-files), or the query's where conditions (SQL).
  Status Choose(size_t index, std::vector<ChunkVersionRecord> chunks) {
    const TablePlan& t = tables[index];
    std::vector<std::string> paths;
    for (const auto& c : chunks) paths.push_back(c.path);
    std::set<std::string> chosen(paths.begin(), paths.end());
    if (t.selection != nullptr) {
      auto resolved = ResolveSelection(*t.scheme, *t.selection, paths);
      if (!resolved.ok()) {
        return resolved.status().WithContext("backup of " + Quote(t.ref->table.name));
      }
      chosen = std::set<std::string>(resolved->begin(), resolved->end());
      if (t.global_selection) {
        selected_any = selected_any || !chosen.empty();
        if (examples.empty()) {
          examples.assign(paths.begin(), paths.begin() + std::min(paths.size(), kExamplePathsMax));
        }
      }
    }
    for (const auto& p : t.predicates) {
      for (const auto& c : chunks) {
        if (!t.scheme->MayMatch(c.path, p.level, p.predicate)) chosen.erase(c.path);
      }
    }
    page.clear();
    page_at = 0;
    for (auto& c : chunks) {
      CatalogItem item{index, std::move(c)};
      item.chosen = chosen.count(item.chunk.path) > 0;
      item.whole = item.chosen && !files && WholeUnderQuery(t, item.chunk.path);
      page.push_back(std::move(item));
    }
    return Status::Ok();
  }

  // The catalog's next chunk, reading pages as needed; null after the last table's last.
  Result<CatalogItem*> PeekCatalog() {
    while (page_at == page.size()) {
      if (table == tables.size()) return nullptr;
      if (table_started && !next_after) {
        ++table;
        table_started = false;
        continue;
      }
      ASSIGN_OR_RETURN(Engine::ChunkPage read, engine.ListChunkPage(snapshot, *tables[table].ref,
                                                                    next_after, kPlanBatchChunks));
      table_started = true;
      next_after = std::move(read.next_after);
      RETURN_IF_ERROR(Choose(table, std::move(read.chunks)));
    }
    return &page[page_at];
  }

  // The head's next entry, reading leaves as needed; null after its last.
  Result<const ManifestChunk*> PeekHead() {
    if (!head) return nullptr;
    if (!cursor) {  // a version-1 head: its chunks came with it
      return leaf_at < head->chunks.size() ? &head->chunks[leaf_at] : nullptr;
    }
    if (leaf_at == leaf.size()) {
      ASSIGN_OR_RETURN(leaf, cursor->NextLeaf());
      leaf_at = 0;
    }
    return leaf_at < leaf.size() ? &leaf[leaf_at] : nullptr;
  }
  // The entry PeekHead returned, moving on.
  ManifestChunk TakeHead() {
    const size_t at = leaf_at++;
    return cursor ? std::move(leaf[at]) : head->chunks[at];
  }

  // A selected chunk: reused from the head when unchanged and stored, resumed from the
  // journal when an earlier run of this call stored it, else copied.
  // SQL mode reuses a stored chunk made by the same query, or, when the stored rows and the
  // new query's are both the whole chunk (`whole`), by any query with the same columns: the
  // old tutorial's backup of 10 partitions then of 20 copies only the 10 new ones.
  Status PlanChunk(CatalogItem item, std::optional<ManifestChunk> stored, PlanBatch& batch) {
    const TablePlan& t = tables[item.table];
    const TableRecord& table = t.ref->table;
    const ChunkVersionRecord& chunk = item.chunk;
    bool missing = false;  // the head or the journal has it, but not all of its objects
    if (!request.force && stored &&
        (t.reusable || (!files && t.same_definition && item.whole && stored->whole))) {
      bool unchanged = files ? SameObjects(*stored, chunk, table.id)
                             : stored->cid == chunk.cid && stored->chunk_id == chunk.chunk_id;
      bool present_all = false;
      if (unchanged) {
        ASSIGN_OR_RETURN(present_all, ObjectsPresent(*stored, present));
      }
      if (present_all) {
        batch.entries.push_back({PlannedEntry::Source::kReused, Refreshed(*stored, chunk)});
        return Status::Ok();
      }
      missing = unchanged;
    }
    PlannedEntry entry;
    if (!files && stored && t.same_definition) entry.shadowed = std::move(*stored);
    auto done = in_journal.find(KeyOf(chunk, table));
    if (done != in_journal.end() && done->second->cid == chunk.cid &&
        done->second->chunk_id == chunk.chunk_id) {
      ASSIGN_OR_RETURN(bool present_all, ObjectsPresent(*done->second, present));
      if (present_all) {
        entry.source = PlannedEntry::Source::kResumed;
        entry.chunk = *done->second;
        batch.entries.push_back(std::move(entry));
        return Status::Ok();
      }
      missing = true;
    }
    if (missing) ++summary.missing_recopied;
    entry.unit = batch.copy.size();
    batch.copy.push_back(BackupUnit{t.ref, std::move(item.chunk), item.whole});
    batch.entries.push_back(std::move(entry));
    return Status::Ok();
  }

  // A head chunk the call does not select: carried over as it is, unless the call drops it (a
  // snapshot backup of a partition the database no longer has (`exists` false), or of a table
  // it no longer has; a table recreated since; a partition that left its table's layout).
  Status Carry(ManifestChunk stored, bool exists, PlanBatch& batch) {
    if (request.exact) return Status::Ok();
    const bool sync_deletions = files && request.snapshot && request.partitions.is_all();
    auto t = std::find_if(tables.begin(), tables.end(),
                          [&](const TablePlan& p) { return p.ref->table.name == stored.table; });
    if (t != tables.end()) {
      if (!t->same_definition) return Status::Ok();
      if (sync_deletions && !exists) return Status::Ok();
      if (t->own_scheme && !t->own_scheme->ValidatePath(stored.path).ok()) return Status::Ok();
    } else if (sync_deletions && request.tables.empty()) {
      return Status::Ok();  // the table no longer exists
    }
    ASSIGN_OR_RETURN(bool present_all, ObjectsPresent(stored, present));
    if (!present_all) ++summary.carried_damaged;
    carried_tables.insert(stored.table);
    batch.entries.push_back({PlannedEntry::Source::kCarried, std::move(stored)});
    return Status::Ok();
  }

  Result<std::optional<PlanBatch>> Next() {
    PlanBatch batch;
    while (!done && batch.entries.size() < kPlanBatchChunks) {
      ASSIGN_OR_RETURN(CatalogItem * item, PeekCatalog());
      ASSIGN_OR_RETURN(const ManifestChunk* entry, PeekHead());
      if (item == nullptr && entry == nullptr) {
        RETURN_IF_ERROR(Finish());
        break;
      }
      std::optional<Key> at;
      if (item != nullptr) at = KeyOf(item->chunk, tables[item->table].ref->table);
      if (item != nullptr && (entry == nullptr || !(KeyOf(*entry) < *at))) {
        std::optional<ManifestChunk> stored;
        if (entry != nullptr && KeyOf(*entry) == *at) stored = TakeHead();
        CatalogItem taken = std::move(*item);
        ++page_at;
        if (taken.chosen) {
          RETURN_IF_ERROR(PlanChunk(std::move(taken), std::move(stored), batch));
        } else if (stored) {
          RETURN_IF_ERROR(Carry(std::move(*stored), /*exists=*/true, batch));
        }
      } else {
        RETURN_IF_ERROR(Carry(TakeHead(), /*exists=*/false, batch));
      }
    }
    if (batch.entries.empty()) return std::optional<PlanBatch>();
    return std::optional<PlanBatch>(std::move(batch));
  }

  // After the last key: a selection that matched nothing is a mistake (a mistyped path), never
  // an empty backup; the definitions of the tables carried chunks belong to; the origin.
  Status Finish() {
    done = true;
    if (files && !request.partitions.is_all() && !selected_any) {
      return NotFound(
          "partition " + Quote(request.partitions.text()) + " selects no partition of " +
          (wanted.empty() ? std::string("any table") : "table " + Join(wanted, ", ")) +
          " in database " + Quote(request.database) +
          (examples.empty() ? std::string(" (it has no partitions)")
                            : " (its partitions include " + Join(examples, ", ") + ")") +
          "; nothing was backed up");
    }
    bool carried_other = false;  // chunks of a table the database no longer has
    if (head) {
      for (const auto& t : head->tables) {
        const bool selected = std::any_of(tables.begin(), tables.end(), [&](const TablePlan& p) {
          return p.ref->table.name == t.name;
        });
        if (carried_tables.count(t.name) && !selected) {
          summary.tables.push_back(t);
          carried_other = true;
        }
      }
    }
    ASSIGN_OR_RETURN(summary.origin, OriginAt(engine, snapshot, summary.db));
    // Every chunk of every table (named one by one or not), copied or reused with its objects
    // checked; exact when the head's chunks the database no longer has were dropped, not
    // carried.
    summary.origin.complete =
        files && every_table && request.partitions.is_all() && request.table_partitions.empty();
    summary.origin.exact =
        summary.origin.complete && (request.snapshot || request.exact) && !carried_other;
    return Status::Ok();
  }
};

FullComparison::FullComparison(std::unique_ptr<State> state) : state_(std::move(state)) {}
FullComparison::~FullComparison() = default;

Result<std::unique_ptr<FullComparison>> FullComparison::Start(
    Engine& engine, const Snapshot& snapshot, const BackupRequest& request,
    const std::optional<Manifest>& head, const std::optional<Journal>& journal,
    const Repository::ObjectListing& present, Repository* repository) {
  auto state = std::unique_ptr<State>(new State{.engine = engine,
                                                .snapshot = snapshot,
                                                .request = request,
                                                .head = head,
                                                .present = present,
                                                .files = request.method == BackupMethod::kFiles});
  if (journal) {
    for (const auto& c : journal->finished) state->in_journal[KeyOf(c)] = &c;
  }
  if (head && !head->tree.root.empty()) {
    state->cursor = std::make_unique<ChunkTreeCursor>(*repository, head->tree, head->id);
  }
  RETURN_IF_ERROR(state->SelectTables());
  return std::unique_ptr<FullComparison>(new FullComparison(std::move(state)));
}

Result<std::optional<PlanBatch>> FullComparison::Next() { return state_->Next(); }

const PlanSummary& FullComparison::summary() const { return state_->summary; }

}  // namespace strata
