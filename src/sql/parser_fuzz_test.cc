// Seeded fuzzing: random truncations and byte flips of valid statements must each give a
// value or an error, never a crash (CI runs this under ASan and UBSan).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include "sql/parser.h"

namespace strata {
namespace {

constexpr const char* kValidStatements[] = {
    "CREATE DATABASE IF NOT EXISTS example_db PROPERTIES (\"a\" = \"b\")",
    "CREATE TABLE example_db.example_tbl (k1 DATE, k2 INT, v DOUBLE, s VARCHAR(32)) DUPLICATE "
    "KEY(k1, k2) PARTITION BY RANGE(k1) (PARTITION p1 VALUES LESS THAN (\"2020-02-01\"), "
    "PARTITION p2 VALUES [(\"2020-02-01\"), (\"2020-03-01\")), PARTITION p3 VALUES LESS THAN "
    "(MAXVALUE)) DISTRIBUTED BY HASH(k2) BUCKETS 8 PROPERTIES (\"replication_num\" = \"1\")",
    "CREATE TABLE t (city VARCHAR(20) NOT NULL DEFAULT 'x' COMMENT 'c') PARTITION BY LIST(city) "
    "(PARTITION p_cn VALUES IN (\"Beijing\",\"Shanghai\"))",
    "ALTER TABLE example_db.t ADD PARTITION IF NOT EXISTS p5 VALUES [(\"2020-05-01\"), "
    "(\"2020-06-01\"))",
    "ALTER TABLE example_db.t DROP PARTITION IF EXISTS p1; TRUNCATE TABLE t PARTITION (p1, p2)",
    "INSERT INTO example_db.example_tbl VALUES ('2020-01-05', 1, 2.5, 'a\\n'), (NULL, -1, 1e5, "
    "\"b\")",
    "SELECT k1, count(*) AS n FROM db.t WHERE k1 >= '2020-01-01' AND s IS NOT NULL AND v NOT "
    "IN (1, 2) OR x BETWEEN 1 AND 2 OR s LIKE 'a%' GROUP BY k1 ORDER BY n DESC LIMIT 10 OFFSET 2",
    "USE db; SHOW DATABASES; SHOW TABLES; SHOW PARTITIONS FROM t; SHOW CREATE TABLE db.t; DESC t",
    "CREATE USER 'u' IDENTIFIED BY 'secret'; SET PASSWORD FOR 'u' = PASSWORD('new'); GRANT "
    "SELECT_PRIV ON example_db.* TO 'u'; REVOKE LOAD_PRIV ON db.* FROM 'u'; SHOW GRANTS FOR 'u'",
    "CREATE READ ONLY REPOSITORY `repo` WITH S3 ON LOCATION \"s3://bucket/prefix\" PROPERTIES "
    "(\"s3.endpoint\"=\"http://127.0.0.1:9000\") -- comment\n; DROP REPOSITORY `repo`",
    "BACKUP SNAPSHOT db.label TO `repo` ON (tbl PARTITION (p1, p2), tbl2) PROPERTIES "
    "(\"type\" = \"full\") /* c */",
    "RESTORE SNAPSHOT db.label FROM `repo` ON (tbl AS t2) PROPERTIES (\"backup_timestamp\" = "
    "\"2026-11-21-10-00-00\"); CANCEL RESTORE FROM db",
    "SHOW SNAPSHOT ON `repo` WHERE SNAPSHOT = \"l\" AND TIMESTAMP = \"t\"; SHOW BACKUP FROM db "
    "WHERE SnapshotName LIKE 'x%'; DROP SNAPSHOT l ON `repo` WHERE TIMESTAMP = \"t\"",
};

constexpr int kFuzzCaseCount = 2000;
constexpr uint32_t kDefaultSeed = 13;

// The seed: STRATA_SQL_FUZZ_SEED if set (to replay or vary a run), else kDefaultSeed.
uint32_t FuzzSeed() {
  const char* text = std::getenv("STRATA_SQL_FUZZ_SEED");
  return text ? static_cast<uint32_t>(std::strtoul(text, nullptr, 10)) : kDefaultSeed;
}

TEST(SqlParserFuzz, TruncationsAndByteFlipsNeverCrash) {
  const uint32_t seed = FuzzSeed();
  std::cout << "SqlParserFuzz seed: " << seed << "\n";
  std::mt19937 random(seed);
  const size_t statement_count = std::size(kValidStatements);
  for (const char* valid : kValidStatements) {
    auto statements = ParseSql(valid);
    ASSERT_TRUE(statements.ok()) << valid << "\n" << statements.status().ToString();
  }
  int errors = 0;
  for (int i = 0; i < kFuzzCaseCount; ++i) {
    std::string text = kValidStatements[random() % statement_count];
    switch (random() % 3) {
      case 0:  // truncate
        text.resize(random() % (text.size() + 1));
        break;
      case 1:  // flip up to 4 bytes to anything, including NUL and non-UTF-8
        for (uint32_t flips = 1 + random() % 4; flips > 0; --flips) {
          text[random() % text.size()] = static_cast<char>(random() % 256);
        }
        break;
      default:  // both
        text[random() % text.size()] = static_cast<char>(random() % 256);
        text.resize(random() % (text.size() + 1));
        break;
    }
    auto statements = ParseSql(text);
    if (!statements.ok()) {
      ++errors;
      const std::string& message = statements.status().message();
      EXPECT_EQ(message.rfind("line ", 0), 0u) << "seed " << seed << ": " << message;
    }
  }
  EXPECT_GT(errors, 0) << "seed " << seed;
}

}  // namespace
}  // namespace strata
