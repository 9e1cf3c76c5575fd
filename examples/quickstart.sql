-- The Doris dialect on the same data directory (docs/sql.md): a table with named RANGE
-- partitions and HASH buckets; scripts/quickstart.sh then backs one partition up as a snapshot
-- and restores the dropped table from it.
CREATE DATABASE shop;
CREATE TABLE shop.sales (day DATE, store INT, amount DOUBLE, note VARCHAR(32))
  DUPLICATE KEY(day, store)
  PARTITION BY RANGE(day) (
    PARTITION p2020 VALUES LESS THAN ("2021-01-01"),
    PARTITION p2021 VALUES LESS THAN ("2022-01-01"),
    PARTITION pmax VALUES LESS THAN (MAXVALUE))
  DISTRIBUTED BY HASH(store) BUCKETS 4;
INSERT INTO shop.sales VALUES ('2020-06-01', 1, 10.5, 'first'), ('2021-03-15', 2, 20.0, NULL),
  ('2021-07-04', 1, 7.25, 'summer'), ('2023-01-01', 3, 99.0, 'late');
SELECT store, count(*) AS n, sum(amount) AS total FROM shop.sales
  WHERE day >= '2021-01-01' GROUP BY store ORDER BY store;
SHOW PARTITIONS FROM shop.sales;
-- The script's dfs://compoDB, made by quickstart.dos, is a Doris database here too.
SELECT count(*) FROM compoDB.pt;
