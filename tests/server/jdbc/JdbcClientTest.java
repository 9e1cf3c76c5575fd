// MariaDB Connector/J (Debian's libmariadb-java 2.7.6) against `strata serve`: connect with a
// jdbc:mysql: URL, create, insert and select every type with NULLs, a PreparedStatement with
// parameters both client-side and server-side (useServerPrepStmts: COM_STMT_PREPARE/EXECUTE,
// binary rows), result metadata, a BACKUP followed to FINISHED and a RESTORE, and errors with
// their codes. Prints one line per check; exits 1 on the first failure.
//
// usage: java -cp mariadb-java-client.jar:. JdbcClientTest PORT REPOSITORY_DIR
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;

public class JdbcClientTest {
  static int port;

  static void check(boolean ok, String what) {
    if (!ok) {
      System.out.println("FAIL: " + what);
      System.exit(1);
    }
    System.out.println("ok: " + what);
  }

  static Connection connect(String options, String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mysql://127.0.0.1:" + port + "/" + options, user, password);
  }

  static int errorCode(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      return e.getErrorCode();
    }
    return 0;
  }

  static String waitForJob(Statement s, String show) throws Exception {
    long deadline = System.currentTimeMillis() + 120000;
    while (System.currentTimeMillis() < deadline) {
      String state = null;
      try (ResultSet r = s.executeQuery(show)) {
        while (r.next()) state = r.getString("State");
      }
      if ("FINISHED".equals(state) || "CANCELLED".equals(state)) return state;
      Thread.sleep(100);
    }
    return "TIMEOUT";
  }

  static void typesAndParameters(Connection c, String table) throws Exception {
    Statement s = c.createStatement();
    s.execute("CREATE TABLE shop." + table + " (k INT, b BOOLEAN, s SMALLINT, l BIGINT, d DOUBLE,"
        + " dt DATE, ts DATETIME, v VARCHAR(40)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    PreparedStatement insert =
        c.prepareStatement("INSERT INTO shop." + table + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.setInt(1, 1);
    insert.setBoolean(2, true);
    insert.setShort(3, (short) -300);
    insert.setLong(4, 9007199254740993L);
    insert.setDouble(5, 2.25);
    insert.setDate(6, Date.valueOf("2020-01-05"));
    insert.setTimestamp(7, Timestamp.valueOf("2020-01-05 10:11:12"));
    insert.setString(8, "it's; DROP DATABASE shop; --");
    check(insert.executeUpdate() == 1, table + ": prepared INSERT of every type");
    insert.setInt(1, 2);
    for (int i = 2; i <= 8; i++) insert.setNull(i, Types.VARCHAR);
    check(insert.executeUpdate() == 1, table + ": prepared INSERT of NULLs");
    PreparedStatement select =
        c.prepareStatement("SELECT * FROM shop." + table + " WHERE k = ? OR v = ? ORDER BY k");
    select.setInt(1, 2);
    select.setString(2, "it's; DROP DATABASE shop; --");
    ResultSet r = select.executeQuery();
    check(r.next(), table + ": first row");
    check(r.getInt("k") == 1 && r.getBoolean("b") && r.getShort("s") == -300
            && r.getLong("l") == 9007199254740993L && r.getDouble("d") == 2.25
            && r.getDate("dt").equals(Date.valueOf("2020-01-05"))
            && r.getTimestamp("ts").equals(Timestamp.valueOf("2020-01-05 10:11:12"))
            && r.getString("v").equals("it's; DROP DATABASE shop; --"),
        table + ": values read back");
    check(r.next(), table + ": second row");
    r.getString("v");
    check(r.wasNull() && r.getObject("l") == null && r.getObject("dt") == null,
        table + ": NULLs read back as NULL");
    check(!r.next(), table + ": two rows");
    ResultSetMetaData meta = r.getMetaData();
    check(meta.getColumnCount() == 8 && meta.getColumnType(1) == Types.INTEGER
            && meta.getColumnType(4) == Types.BIGINT && meta.getColumnType(5) == Types.DOUBLE
            && meta.getColumnType(6) == Types.DATE && meta.getColumnType(7) == Types.TIMESTAMP
            && meta.getColumnType(8) == Types.VARCHAR && meta.getColumnName(8).equals("v"),
        table + ": result metadata");
  }

  public static void main(String[] args) throws Exception {
    port = Integer.parseInt(args[0]);
    String repository = args[1];
    try (Connection c = connect("", "admin", "123456")) {
      Statement s = c.createStatement();
      s.execute("CREATE DATABASE shop");
      typesAndParameters(c, "client_side");
    }
    try (Connection c = connect("?useServerPrepStmts=true", "admin", "123456")) {
      typesAndParameters(c, "server_side");
      check(errorCode(c, "SELECT * FROM shop.nosuch") == 1146, "unknown table is 1146");
      check(errorCode(c, "SELEC 1") == 1064, "syntax error is 1064");
      check(errorCode(c, "USE nosuchdb") == 1049, "unknown database is 1049");
      Statement s = c.createStatement();
      s.execute("CREATE REPOSITORY repo WITH LOCAL ON LOCATION 'file://" + repository + "'");
      s.execute("BACKUP SNAPSHOT shop.s1 TO repo ON (client_side)");
      check(waitForJob(s, "SHOW BACKUP FROM shop").equals("FINISHED"), "backup FINISHED");
      String timestamp;
      try (ResultSet r = s.executeQuery("SHOW SNAPSHOT ON repo WHERE SNAPSHOT = 's1'")) {
        check(r.next(), "SHOW SNAPSHOT lists s1");
        timestamp = r.getString("Timestamp");
      }
      s.execute("TRUNCATE TABLE shop.client_side");
      s.execute("RESTORE SNAPSHOT shop.s1 FROM repo ON (client_side) PROPERTIES "
          + "('backup_timestamp' = '" + timestamp + "')");
      check(waitForJob(s, "SHOW RESTORE FROM shop").equals("FINISHED"), "restore FINISHED");
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM shop.client_side")) {
        check(r.next() && r.getLong(1) == 2, "restored rows");
      }
    }
    try {
      connect("", "admin", "wrong").close();
      check(false, "a wrong password is refused");
    } catch (SQLException e) {
      check(e.getErrorCode() == 1045, "a wrong password is 1045");
    }
    System.out.println("all JDBC checks passed");
  }
}
