// CREATE/DROP DATABASE, CREATE/ALTER/DROP/TRUNCATE TABLE and the partition and distribution
// clauses, in Doris's clause order (shared/spec/doris-sql.md).
#include <utility>

#include "base/strings.h"
#include "sql/sql_parser.h"

namespace strata {

namespace {

// Aggregation types of an AGGREGATE KEY table's value columns (parsed; the binder refuses the
// key model).
constexpr const char* kAggregations[] = {
    "SUM",       "MAX",          "MIN",           "REPLACE", "REPLACE_IF_NOT_NULL",
    "HLL_UNION", "BITMAP_UNION", "QUANTILE_UNION"};

}  // namespace

Result<Statement> SqlParser::ParseCreate() {
  SqlPosition position = Position();
  Advance();  // CREATE
  if (AcceptKeyword("DATABASE") || AcceptKeyword("SCHEMA")) {
    SqlCreateDatabase create{.position = position};
    ASSIGN_OR_RETURN(create.if_not_exists, ParseIfNotExists());
    ASSIGN_OR_RETURN(create.name, ParseName("a database name"));
    if (AcceptKeyword("PROPERTIES")) {
      ASSIGN_OR_RETURN(create.properties, ParseProperties());
    }
    return Statement(std::move(create));
  }
  if (AcceptKeyword("TABLE")) return ParseCreateTable(position);
  if (AcceptKeyword("USER")) return ParseCreateUser(position);
  if (AtKeyword("READ")) {
    Advance();
    RETURN_IF_ERROR(ExpectKeyword("ONLY", "ONLY after READ"));
    RETURN_IF_ERROR(ExpectKeyword("REPOSITORY", "REPOSITORY after READ ONLY"));
    return ParseCreateRepository(position, true);
  }
  if (AcceptKeyword("REPOSITORY")) return ParseCreateRepository(position, false);
  return ErrorAtCurrent("TABLE, DATABASE, USER or REPOSITORY after CREATE");
}

Result<Statement> SqlParser::ParseDrop() {
  SqlPosition position = Position();
  Advance();  // DROP
  if (AcceptKeyword("DATABASE") || AcceptKeyword("SCHEMA")) {
    SqlDropDatabase drop{.position = position};
    ASSIGN_OR_RETURN(drop.if_exists, ParseIfExists());
    ASSIGN_OR_RETURN(drop.name, ParseName("a database name"));
    return Statement(std::move(drop));
  }
  if (AcceptKeyword("TABLE")) {
    SqlDropTable drop{.position = position};
    ASSIGN_OR_RETURN(drop.if_exists, ParseIfExists());
    ASSIGN_OR_RETURN(drop.table, ParseTableRef());
    return Statement(std::move(drop));
  }
  if (AcceptKeyword("USER")) return ParseDropUser(position);
  if (AcceptKeyword("REPOSITORY")) {
    SqlDropRepository drop{.position = position};
    ASSIGN_OR_RETURN(drop.name, ParseNameOrString("a repository name"));
    return Statement(std::move(drop));
  }
  if (AcceptKeyword("SNAPSHOT")) return ParseDropSnapshot(position);
  return ErrorAtCurrent("DATABASE, TABLE, USER, REPOSITORY or SNAPSHOT after DROP");
}

Result<Statement> SqlParser::ParseCreateTable(SqlPosition position) {
  SqlCreateTable create{.position = position};
  ASSIGN_OR_RETURN(create.if_not_exists, ParseIfNotExists());
  ASSIGN_OR_RETURN(create.table, ParseTableRef());
  RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' and the column definitions"));
  do {
    RETURN_IF_ERROR(ParseColumnDef(&create));
  } while (Accept(SqlTokenKind::kComma));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' after a column definition"));
  RETURN_IF_ERROR(ParseTableClauses(&create));
  return Statement(std::move(create));
}

Status SqlParser::ParseColumnDef(SqlCreateTable* table) {
  SqlColumnDef column{.position = Position()};
  ASSIGN_OR_RETURN(column.name, ParseName("a column name"));
  ASSIGN_OR_RETURN(std::string type, ParseName("a column type, as INT or VARCHAR(32)"));
  column.type_name = ToUpper(type);
  if (Accept(SqlTokenKind::kLParen)) {
    do {
      if (!At(SqlTokenKind::kInteger))
        return ErrorAtCurrent("a number in " + column.type_name + "(...)");
      ASSIGN_OR_RETURN(Value value, NumberValue(Advance(), false));
      column.type_params.push_back(value.scalar().int_value());
    } while (Accept(SqlTokenKind::kComma));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' after the type's parameters"));
  }
  for (const char* aggregation : kAggregations) {
    if (AcceptKeyword(aggregation)) {
      column.aggregation = aggregation;
      break;
    }
  }
  while (true) {
    if (AcceptKeyword("NOT")) {
      RETURN_IF_ERROR(ExpectKeyword("NULL", "NULL after NOT"));
      column.nullability = SqlNullability::kNotNull;
    } else if (AcceptKeyword("NULL")) {
      column.nullability = SqlNullability::kNull;
    } else if (AcceptKeyword("DEFAULT")) {
      int line = Peek().line;
      auto value = std::make_shared<Expr>();
      value->line = line;
      if (AcceptKeyword("CURRENT_TIMESTAMP")) {
        value->kind = ExprKind::kCall;
        value->name = "CURRENT_TIMESTAMP";
      } else {
        ASSIGN_OR_RETURN(value->literal,
                         ParseLiteralValue("a constant or CURRENT_TIMESTAMP after DEFAULT"));
      }
      column.default_value = std::move(value);
    } else if (AcceptKeyword("COMMENT")) {
      ASSIGN_OR_RETURN(column.comment, ParseString("a comment in quotes after COMMENT"));
    } else {
      break;
    }
  }
  table->columns.push_back(std::move(column));
  return Status::Ok();
}

Status SqlParser::ParseTableClauses(SqlCreateTable* table) {
  if (AcceptKeyword("ENGINE")) {
    RETURN_IF_ERROR(Expect(SqlTokenKind::kEq, "'=' after ENGINE"));
    ASSIGN_OR_RETURN(table->engine, ParseName("an engine name, as OLAP"));
  }
  if (AtKeyword("KEY", 1)) {
    if (AtKeyword("DUPLICATE")) table->key_kind = SqlKeyKind::kDuplicate;
    if (AtKeyword("UNIQUE")) table->key_kind = SqlKeyKind::kUnique;
    if (AtKeyword("AGGREGATE")) table->key_kind = SqlKeyKind::kAggregate;
    if (table->key_kind == SqlKeyKind::kNone) {
      return ErrorAtCurrent("DUPLICATE, UNIQUE or AGGREGATE before KEY");
    }
    Advance();
    Advance();
    ASSIGN_OR_RETURN(table->key_columns, ParseNameList("key column"));
  }
  if (AcceptKeyword("COMMENT")) {
    ASSIGN_OR_RETURN(table->comment, ParseString("a comment in quotes after COMMENT"));
  }
  if (AtKeyword("PARTITION")) {
    ASSIGN_OR_RETURN(table->partition, ParsePartitionClause());
  }
  if (AtKeyword("DISTRIBUTED")) {
    ASSIGN_OR_RETURN(table->distribution, ParseDistribution());
  }
  if (AcceptKeyword("PROPERTIES")) {
    ASSIGN_OR_RETURN(table->properties, ParseProperties());
  }
  return Status::Ok();
}

Result<SqlPartitionClause> SqlParser::ParsePartitionClause() {
  SqlPartitionClause clause{.position = Position()};
  Advance();  // PARTITION
  RETURN_IF_ERROR(ExpectKeyword("BY", "BY after PARTITION"));
  if (AcceptKeyword("LIST")) {
    clause.kind = SqlPartitionKind::kList;
  } else if (!AcceptKeyword("RANGE")) {
    return ErrorAtCurrent("RANGE or LIST after PARTITION BY");
  }
  ASSIGN_OR_RETURN(clause.columns, ParseNameList("partition column"));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' and the partitions"));
  if (Accept(SqlTokenKind::kRParen)) return clause;
  do {
    RETURN_IF_ERROR(ExpectKeyword("PARTITION", "PARTITION and a partition's name"));
    ASSIGN_OR_RETURN(SqlPartitionDef partition, ParsePartitionDef(clause.kind));
    clause.partitions.push_back(std::move(partition));
  } while (Accept(SqlTokenKind::kComma));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' after a partition"));
  return clause;
}

Result<SqlPartitionDef> SqlParser::ParsePartitionDef(std::optional<SqlPartitionKind> kind) {
  SqlPartitionDef partition{.position = Position()};
  ASSIGN_OR_RETURN(partition.name, ParseName("a partition name"));
  RETURN_IF_ERROR(ExpectKeyword("VALUES", "VALUES after the partition name"));
  if (kind == SqlPartitionKind::kList && !AtKeyword("IN")) {
    return ErrorAtCurrent("IN after VALUES in a LIST partition");
  }
  if (kind == SqlPartitionKind::kRange && AtKeyword("IN")) {
    return ErrorAtCurrent("LESS THAN or '[' after VALUES in a RANGE partition");
  }
  if (AcceptKeyword("IN")) {
    partition.bound = SqlPartitionBound::kIn;
    RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' and the values after IN"));
    do {
      if (At(SqlTokenKind::kLParen)) {
        ASSIGN_OR_RETURN(SqlPartitionTuple tuple, ParsePartitionTuple(false));
        partition.in_values.push_back(std::move(tuple));
      } else {
        SqlPartitionValue value{.position = Position()};
        ASSIGN_OR_RETURN(value.literal, ParseLiteralValue("a value in the IN list"));
        partition.in_values.push_back({std::move(value)});
      }
    } while (Accept(SqlTokenKind::kComma));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' in the IN list"));
  } else if (Accept(SqlTokenKind::kLBracket)) {
    partition.bound = SqlPartitionBound::kFixedRange;
    ASSIGN_OR_RETURN(partition.lower, ParsePartitionTuple(false));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kComma, "',' between the bounds of [(lower), (upper))"));
    ASSIGN_OR_RETURN(partition.upper, ParsePartitionTuple(true));
    RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "')' to close [(lower), (upper))"));
  } else if (AcceptKeyword("LESS")) {
    RETURN_IF_ERROR(ExpectKeyword("THAN", "THAN after LESS"));
    if (AtKeyword("MAXVALUE")) {
      partition.upper.push_back({.is_max_value = true, .position = Position()});
      Advance();
    } else {
      ASSIGN_OR_RETURN(partition.upper, ParsePartitionTuple(true));
    }
  } else {
    return ErrorAtCurrent("LESS THAN, '[' or IN after VALUES");
  }
  return partition;
}

Result<SqlPartitionTuple> SqlParser::ParsePartitionTuple(bool allow_max_value) {
  RETURN_IF_ERROR(Expect(SqlTokenKind::kLParen, "'(' and the partition's values"));
  SqlPartitionTuple tuple;
  do {
    SqlPartitionValue value{.position = Position()};
    if (allow_max_value && AcceptKeyword("MAXVALUE")) {
      value.is_max_value = true;
    } else {
      ASSIGN_OR_RETURN(value.literal, ParseLiteralValue(allow_max_value ? "a constant or MAXVALUE"
                                                                        : "a constant"));
    }
    tuple.push_back(std::move(value));
  } while (Accept(SqlTokenKind::kComma));
  RETURN_IF_ERROR(Expect(SqlTokenKind::kRParen, "',' or ')' after a partition value"));
  return tuple;
}

Result<SqlDistribution> SqlParser::ParseDistribution() {
  SqlDistribution distribution{.position = Position()};
  Advance();  // DISTRIBUTED
  RETURN_IF_ERROR(ExpectKeyword("BY", "BY after DISTRIBUTED"));
  RETURN_IF_ERROR(ExpectKeyword("HASH", "HASH after DISTRIBUTED BY"));
  ASSIGN_OR_RETURN(distribution.hash_columns, ParseNameList("bucket column"));
  if (AcceptKeyword("BUCKETS")) {
    if (!AcceptKeyword("AUTO")) {
      if (!At(SqlTokenKind::kInteger) || Peek().value.find_first_not_of('0') == std::string::npos) {
        return ErrorAtCurrent("a positive bucket count or AUTO after BUCKETS");
      }
      ASSIGN_OR_RETURN(Value count, NumberValue(Advance(), false));
      distribution.bucket_count = count.scalar().int_value();
    }
  }
  return distribution;
}

Result<Statement> SqlParser::ParseAlter() {
  SqlAlterTable alter{.position = Position()};
  Advance();  // ALTER
  RETURN_IF_ERROR(ExpectKeyword("TABLE", "TABLE after ALTER"));
  ASSIGN_OR_RETURN(alter.table, ParseTableRef());
  if (AcceptKeyword("ADD")) {
    RETURN_IF_ERROR(ExpectKeyword("PARTITION", "PARTITION after ADD"));
    ASSIGN_OR_RETURN(alter.if_not_exists, ParseIfNotExists());
    ASSIGN_OR_RETURN(alter.partition, ParsePartitionDef(std::nullopt));
  } else if (AcceptKeyword("DROP")) {
    alter.action = SqlAlterTable::Action::kDropPartition;
    RETURN_IF_ERROR(ExpectKeyword("PARTITION", "PARTITION after DROP"));
    ASSIGN_OR_RETURN(alter.if_exists, ParseIfExists());
    alter.partition.position = Position();
    ASSIGN_OR_RETURN(alter.partition.name, ParseName("a partition name"));
  } else {
    return ErrorAtCurrent("ADD PARTITION or DROP PARTITION after ALTER TABLE");
  }
  return Statement(std::move(alter));
}

Result<Statement> SqlParser::ParseTruncate() {
  SqlTruncateTable truncate{.position = Position()};
  Advance();  // TRUNCATE
  RETURN_IF_ERROR(ExpectKeyword("TABLE", "TABLE after TRUNCATE"));
  ASSIGN_OR_RETURN(truncate.table, ParseTableRef());
  if (AcceptKeyword("PARTITION")) {
    ASSIGN_OR_RETURN(truncate.partitions, ParseNameList("partition name"));
  }
  return Statement(std::move(truncate));
}

}  // namespace strata
