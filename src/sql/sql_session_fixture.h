// A test fixture: a fresh data directory, its Instance, a Session logged in as the default
// superuser, and a SqlSession on it; everything removed after the test. Error(text) runs
// statements that must fail and returns the error as SQL users read it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "auth/auth.h"
#include "base/file_util.h"
#include "sql/sql_session.h"

namespace strata {

class SqlSessionFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / UniqueTempName("strata_sql_session_test");
    auto engine = Engine::Open(dir_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
    ASSERT_TRUE(EnsureDefaultAdmin(engine_->catalog()).ok());
    instance_ = Instance::Open(engine_.get());
    session_ = std::make_unique<Session>(*instance_);
    ASSERT_TRUE(session_->Login(kDefaultAdminName, kDefaultAdminPassword).ok());
    sql_ = std::make_unique<SqlSession>(*session_);
  }
  void TearDown() override {
    sql_.reset();
    session_.reset();
    instance_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Error(const std::string& text) {
    auto outcomes = sql_->Execute(text);
    EXPECT_FALSE(outcomes.ok()) << text;
    return outcomes.ok() ? "" : SqlErrorText(outcomes.status());
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Instance> instance_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<SqlSession> sql_;
};

}  // namespace strata
