// Users, privileges, repositories, BACKUP, RESTORE, SHOW BACKUP/RESTORE/SNAPSHOT, CANCEL and
// DROP SNAPSHOT: the examples of shared/spec/doris-sql.md.
#include <gtest/gtest.h>

#include "sql/parser_test_util.h"

namespace strata {
namespace {

TEST(SqlParserUsers, CreateAndDropUser) {
  auto create = ParseOne<SqlCreateUser>("CREATE USER IF NOT EXISTS 'u' IDENTIFIED BY 'secret'");
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_EQ(create.user.name, "u");
  EXPECT_EQ(create.password, "secret");
  EXPECT_EQ(ParseOne<SqlCreateUser>("create user 'u'@'%'").user.host, "%");
  auto drop = ParseOne<SqlDropUser>("DROP USER IF EXISTS 'u'");
  EXPECT_TRUE(drop.if_exists);
  EXPECT_EQ(drop.user.name, "u");
}

TEST(SqlParserUsers, SetPassword) {
  auto for_user = ParseOne<SqlSetPassword>("SET PASSWORD FOR 'u' = PASSWORD('new')");
  ASSERT_TRUE(for_user.user.has_value());
  EXPECT_EQ(for_user.user->name, "u");
  EXPECT_EQ(for_user.password, "new");
  auto own = ParseOne<SqlSetPassword>("SET PASSWORD = PASSWORD('new')");
  EXPECT_FALSE(own.user.has_value());
}

TEST(SqlParserUsers, GrantRevokeShowGrants) {
  auto grant = ParseOne<SqlGrant>("GRANT select_priv, LOAD_PRIV ON example_db.* TO 'u'");
  EXPECT_FALSE(grant.revoke);
  EXPECT_EQ(grant.privileges, (std::vector<std::string>{"SELECT_PRIV", "LOAD_PRIV"}));
  EXPECT_EQ(grant.target.db, "example_db");
  EXPECT_EQ(grant.target.table, "*");
  EXPECT_EQ(grant.user.name, "u");
  EXPECT_EQ(ParseOne<SqlGrant>("GRANT ALL ON *.* TO 'u'").target.db, "*");
  auto revoke = ParseOne<SqlGrant>("REVOKE SELECT_PRIV ON example_db.* FROM 'u'");
  EXPECT_TRUE(revoke.revoke);
  EXPECT_EQ(ParseOne<SqlShow>("SHOW GRANTS").kind, SqlShowKind::kGrants);
  EXPECT_EQ(ParseOne<SqlShow>("SHOW GRANTS FOR 'u'").user->name, "u");
}

TEST(SqlParserRepositories, CreateS3Repository) {
  auto create = ParseOne<SqlCreateRepository>(R"(
CREATE READ ONLY REPOSITORY `repo` WITH S3 ON LOCATION "s3://bucket/prefix"
  PROPERTIES ("s3.endpoint"="http://127.0.0.1:9000", "s3.region"="us-east-1",
              "s3.access_key"="ak", "s3.secret_key"="sk", "use_path_style"="true"))");
  EXPECT_TRUE(create.read_only);
  EXPECT_EQ(create.name, "repo");
  EXPECT_EQ(create.kind, SqlRepositoryKind::kS3);
  EXPECT_EQ(create.location, "s3://bucket/prefix");
  ASSERT_EQ(create.properties.size(), 5u);
  EXPECT_EQ(create.properties[0].key, "s3.endpoint");
  EXPECT_EQ(create.properties[0].value, "http://127.0.0.1:9000");
  EXPECT_EQ(create.properties[4].position.line, 4);
}

TEST(SqlParserRepositories, LocalRepositoryDropAndShow) {
  auto create = ParseOne<SqlCreateRepository>(
      "CREATE REPOSITORY `repo` WITH LOCAL ON LOCATION \"file:///var/backups/strata\"");
  EXPECT_FALSE(create.read_only);
  EXPECT_EQ(create.kind, SqlRepositoryKind::kLocal);
  EXPECT_TRUE(create.properties.empty());
  EXPECT_EQ(ParseOne<SqlDropRepository>("DROP REPOSITORY `repo`").name, "repo");
  EXPECT_EQ(ParseOne<SqlShow>("SHOW REPOSITORIES").kind, SqlShowKind::kRepositories);
}

TEST(SqlParserBackup, BackupWithOnAndProperties) {
  auto backup = ParseOne<SqlBackupSnapshot>(
      "BACKUP SNAPSHOT example_db.snapshot_label TO `repo` ON (tbl PARTITION (p1, p2), tbl2) "
      "PROPERTIES (\"type\" = \"full\", \"timeout\" = \"3600\")");
  EXPECT_EQ(backup.db, "example_db");
  EXPECT_EQ(backup.label, "snapshot_label");
  EXPECT_EQ(backup.repository, "repo");
  EXPECT_EQ(backup.filter, SqlTableFilter::kOn);
  ASSERT_EQ(backup.tables.size(), 2u);
  EXPECT_EQ(backup.tables[0].table, "tbl");
  EXPECT_EQ(backup.tables[0].partitions, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_TRUE(backup.tables[1].partitions.empty());
  ASSERT_EQ(backup.properties.size(), 2u);
  EXPECT_EQ(backup.properties[1].value, "3600");
}

TEST(SqlParserBackup, BackupExcludeAndBare) {
  auto exclude = ParseOne<SqlBackupSnapshot>(
      "backup snapshot label1 to repo exclude (tbl partition (`20170807`, `0_50`))");
  EXPECT_FALSE(exclude.db.has_value());
  EXPECT_EQ(exclude.filter, SqlTableFilter::kExclude);
  EXPECT_EQ(exclude.tables.at(0).partitions, (std::vector<std::string>{"20170807", "0_50"}));
  auto bare = ParseOne<SqlBackupSnapshot>("BACKUP SNAPSHOT db.l TO `repo`");
  EXPECT_EQ(bare.filter, SqlTableFilter::kAll);
  EXPECT_TRUE(bare.tables.empty());
}

TEST(SqlParserBackup, Restore) {
  auto restore = ParseOne<SqlRestoreSnapshot>(R"(
RESTORE SNAPSHOT example_db.label FROM `repo`
  ON (tbl PARTITION (p1) AS new_tbl, tbl2)
  PROPERTIES ("backup_timestamp" = "2026-11-21-10-00-00", "replication_num" = "1",
              "clean_tables" = "true"))");
  EXPECT_EQ(restore.db, "example_db");
  EXPECT_EQ(restore.label, "label");
  EXPECT_EQ(restore.repository, "repo");
  EXPECT_EQ(restore.filter, SqlTableFilter::kOn);
  ASSERT_EQ(restore.tables.size(), 2u);
  EXPECT_EQ(restore.tables[0].alias, "new_tbl");
  EXPECT_EQ(restore.tables[0].partitions, std::vector<std::string>{"p1"});
  ASSERT_EQ(restore.properties.size(), 3u);
  EXPECT_EQ(restore.properties[0].key, "backup_timestamp");
  auto exclude = ParseOne<SqlRestoreSnapshot>(
      "RESTORE SNAPSHOT l FROM repo EXCLUDE (tbl) PROPERTIES (\"backup_timestamp\"=\"t\")");
  EXPECT_EQ(exclude.filter, SqlTableFilter::kExclude);
}

TEST(SqlParserBackup, ShowBackupRestoreSnapshot) {
  auto backup = ParseOne<SqlShow>("SHOW BACKUP FROM example_db WHERE SnapshotName = 'x'");
  EXPECT_EQ(backup.kind, SqlShowKind::kBackup);
  EXPECT_EQ(backup.db, "example_db");
  EXPECT_EQ(backup.label, "x");
  EXPECT_FALSE(backup.label_is_pattern);
  auto like = ParseOne<SqlShow>("SHOW BACKUP LIKE 'x%'");
  EXPECT_TRUE(like.label_is_pattern);
  EXPECT_EQ(like.label, "x%");
  auto restore = ParseOne<SqlShow>("SHOW RESTORE FROM example_db");
  EXPECT_EQ(restore.kind, SqlShowKind::kRestore);
  EXPECT_EQ(restore.db, "example_db");
  auto snapshot = ParseOne<SqlShow>(
      "SHOW SNAPSHOT ON `repo` WHERE SNAPSHOT = \"label\" AND TIMESTAMP = "
      "\"2026-11-21-10-00-00\"");
  EXPECT_EQ(snapshot.kind, SqlShowKind::kSnapshot);
  EXPECT_EQ(snapshot.repository, "repo");
  EXPECT_EQ(snapshot.snapshot, "label");
  EXPECT_EQ(snapshot.timestamp, "2026-11-21-10-00-00");
  EXPECT_FALSE(ParseOne<SqlShow>("SHOW SNAPSHOT ON repo").snapshot.has_value());
}

TEST(SqlParserBackup, CancelAndDropSnapshot) {
  auto cancel = ParseOne<SqlCancelJob>("CANCEL BACKUP FROM db_name");
  EXPECT_EQ(cancel.kind, SqlJobKind::kBackup);
  EXPECT_EQ(cancel.db, "db_name");
  EXPECT_EQ(ParseOne<SqlCancelJob>("CANCEL RESTORE FROM db_name").kind, SqlJobKind::kRestore);
  auto drop = ParseOne<SqlDropSnapshot>(
      "DROP SNAPSHOT label ON `repo` WHERE TIMESTAMP = \"2026-11-21-10-00-00\"");
  EXPECT_EQ(drop.label, "label");
  EXPECT_EQ(drop.repository, "repo");
  EXPECT_EQ(drop.timestamp, "2026-11-21-10-00-00");
  EXPECT_FALSE(ParseOne<SqlDropSnapshot>("DROP SNAPSHOT label ON repo").timestamp.has_value());
}

}  // namespace
}  // namespace strata
