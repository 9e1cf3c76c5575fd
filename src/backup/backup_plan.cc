#include "backup/backup_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "partition/selection.h"
#include "query/pruning.h"
#include "types/format.h"

namespace strata {

namespace {

using ChunkKey = std::pair<std::string, std::string>;  // (table, path)

constexpr size_t kExamplePathsMax = 5;  // partitions named in an empty-selection error

// The columns a SQL-mode backup stores: `select *` or plain column names, nothing else.
Result<Schema> SqlResultSchema(const SelectQuery& query, const Schema& schema,
                               const std::string& table) {
  auto shape_error = [&](const std::string& what) {
    return InvalidArgument(
        "a SQL backup takes `select <columns or *> from loadTable(db, table) "
        "[where ...]`; this query has " +
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

// The new snapshot's entry for a chunk found unchanged: the current version's identity with
// the stored objects.
ManifestChunk Refreshed(const ManifestChunk& stored, const ChunkVersionRecord& chunk) {
  ManifestChunk out = stored;
  out.chunk_id = chunk.chunk_id;
  out.cid = chunk.cid;
  out.update_time_ms = chunk.update_time_ms;
  return out;
}

}  // namespace

bool ObjectsPresent(const ManifestChunk& chunk, const std::set<std::string>& present) {
  return std::all_of(chunk.objects.begin(), chunk.objects.end(),
                     [&](const ManifestObject& o) { return present.count(o.id) > 0; });
}

int64_t CountMissing(const std::vector<ManifestChunk>& chunks,
                     const std::set<std::string>& present) {
  return std::count_if(chunks.begin(), chunks.end(),
                       [&](const ManifestChunk& c) { return !ObjectsPresent(c, present); });
}

Result<BackupPlan> MakeBackupPlan(Engine& engine, const Snapshot& snapshot,
                                  const BackupRequest& request, const std::optional<Manifest>& head,
                                  const std::optional<Journal>& journal,
                                  const std::set<std::string>& present) {
  auto all_present = [&](const ManifestChunk& c) { return ObjectsPresent(c, present); };
  const bool files = request.method == BackupMethod::kFiles;
  BackupPlan plan;
  ASSIGN_OR_RETURN(plan.db, engine.GetDatabase(snapshot, request.database));
  if (files && plan.db.granularity == ChunkGranularity::kDatabase) {
    return FailedPrecondition(
        "database " + Quote(request.database) +
        " has chunkGranularity='DATABASE', so only SQL backups work for it: back it up with "
        "backup(backupDir, <select * from loadTable(\"" +
        request.database + "\", tableName)>)");
  }
  ASSIGN_OR_RETURN(auto scheme, engine.SchemeOf(plan.db));
  ASSIGN_OR_RETURN(auto all_tables, engine.ListTables(snapshot, plan.db.id));

  std::vector<std::string> wanted = files ? request.tables : std::vector{request.sql_table};
  std::vector<std::shared_ptr<const TableRef>> selected;
  for (const auto& name : wanted) {
    auto it = std::find_if(all_tables.begin(), all_tables.end(),
                           [&](const TableRecord& t) { return t.name == name; });
    if (it == all_tables.end()) {
      return NotFound("table " + Quote(name) + " does not exist in database " +
                      Quote(request.database));
    }
    selected.push_back(std::make_shared<const TableRef>(TableRef{plan.db, *it}));
  }
  if (wanted.empty()) {
    for (const auto& t : all_tables) {
      selected.push_back(std::make_shared<const TableRef>(TableRef{plan.db, t}));
    }
  }

  std::map<ChunkKey, const ManifestChunk*> in_head, in_journal;
  if (head) {
    for (const auto& c : head->chunks) in_head[{c.table, c.path}] = &c;
  }
  if (journal) {
    for (const auto& c : journal->finished) in_journal[{c.table, c.path}] = &c;
  }

  // Per selected table: its definition in the new snapshot, and the chunks selected.
  std::set<std::string> replaced_tables;  // head chunks of these tables are not carried at all
  std::set<ChunkKey> selected_paths;      // head chunks at these (table, path) are replaced
  std::set<ChunkKey> existing_paths;      // every chunk the selected tables have now
  bool selected_any = false;              // a partition selection matched a chunk
  std::vector<std::string> examples;      // paths the database has, for the error
  for (const auto& ref : selected) {
    const TableRecord& table = ref->table;
    ManifestTable definition{table.name, table.physical_index, table.schema,
                             table.partition_columns};
    if (!files) {
      if (!(request.rows->schema() == table.schema)) {
        return FailedPrecondition("table " + Quote(table.name) + " of " + Quote(request.database) +
                                  " changed after the backup query was read; run the backup again");
      }
      ASSIGN_OR_RETURN(definition.schema,
                       SqlResultSchema(request.rows->query(), table.schema, table.name));
    }
    const ManifestTable* before = head ? head->FindTable(table.name) : nullptr;
    // Another definition (a recreated table, other SQL columns): the head's chunks of the
    // table belong to something else and are not carried over.
    const bool same_definition = before != nullptr && *before == definition;
    if (before != nullptr && !same_definition) replaced_tables.insert(table.name);
    const bool reusable = same_definition && (files || head->sql == request.sql_text);
    plan.tables.push_back(definition);

    ASSIGN_OR_RETURN(auto chunks, engine.ListChunks(snapshot, *ref));
    std::vector<std::string> paths;
    for (const auto& c : chunks) {
      paths.push_back(c.path);
      existing_paths.insert({table.name, c.path});
    }
    std::set<std::string> chosen(paths.begin(), paths.end());
    if (files && request.partition) {
      auto resolved = ResolveSelection(*scheme, *request.partition, paths);
      if (!resolved.ok()) return resolved.status().WithContext("backup of " + Quote(table.name));
      chosen = std::set<std::string>(resolved->begin(), resolved->end());
      selected_any = selected_any || !chosen.empty();
      if (examples.empty()) {
        examples.assign(paths.begin(), paths.begin() + std::min(paths.size(), kExamplePathsMax));
      }
    } else if (!files) {
      auto predicates = request.rows->PrunePredicates(table.partition_columns);
      for (const auto& c : chunks) {
        for (const auto& p : predicates) {
          if (!scheme->MayMatch(c.path, p.level, p.predicate)) chosen.erase(c.path);
        }
      }
    }
    for (auto& chunk : chunks) {
      if (!chosen.count(chunk.path)) continue;
      ChunkKey key{table.name, chunk.path};
      selected_paths.insert(key);
      bool missing = false;  // the head or the journal has it, but not all of its objects
      auto stored = in_head.find(key);
      if (!request.force && reusable && stored != in_head.end()) {
        const ManifestChunk& h = *stored->second;
        bool unchanged = files ? ObjectIds(h) == OwnSegmentIds(chunk, table.id)
                               : h.cid == chunk.cid && h.chunk_id == chunk.chunk_id;
        if (unchanged && all_present(h)) {
          plan.reused.push_back(Refreshed(h, chunk));
          continue;
        }
        missing = unchanged;
      }
      if (!files && stored != in_head.end() && same_definition) {
        plan.shadowed[key] = *stored->second;
      }
      auto done = in_journal.find(key);
      if (done != in_journal.end() && done->second->cid == chunk.cid &&
          done->second->chunk_id == chunk.chunk_id) {
        if (all_present(*done->second)) {
          plan.resumed.push_back(*done->second);
          continue;
        }
        missing = true;
      }
      if (missing) ++plan.missing_recopied;
      plan.copy.push_back(BackupUnit{ref, std::move(chunk)});
    }
  }

  // A selection that matches nothing is a mistake (a mistyped path), never an empty backup.
  if (files && request.partition && !selected_any) {
    return NotFound("partition " + Quote(FormatValueText(*request.partition)) +
                    " selects no partition of " +
                    (wanted.empty() ? std::string("any table") : "table " + Join(wanted, ", ")) +
                    " in database " + Quote(request.database) +
                    (examples.empty() ? std::string(" (it has no partitions)")
                                      : " (its partitions include " + Join(examples, ", ") + ")") +
                    "; nothing was backed up");
  }

  // The head's chunks outside the selection.
  if (head) {
    std::set<std::string> selected_names;
    for (const auto& ref : selected) selected_names.insert(ref->table.name);
    const bool sync_deletions = files && request.snapshot && !request.partition;
    std::set<std::string> carried_tables;
    for (const auto& c : head->chunks) {
      ChunkKey key{c.table, c.path};
      if (selected_names.count(c.table)) {
        if (replaced_tables.count(c.table) || selected_paths.count(key)) continue;
        if (sync_deletions && !existing_paths.count(key)) continue;  // partition deleted
      } else if (sync_deletions && request.tables.empty()) {
        continue;  // the table no longer exists
      }
      plan.carried.push_back(c);
      carried_tables.insert(c.table);
    }
    for (const auto& t : head->tables) {
      if (carried_tables.count(t.name) && !selected_names.count(t.name)) plan.tables.push_back(t);
    }
  }
  return plan;
}

}  // namespace strata
