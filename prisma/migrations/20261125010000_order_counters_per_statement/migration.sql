-- order_counters: count per statement instead of per row.
-- The deferred row triggers of 20261125000000 updated one counter row once per order row at
-- commit: a transaction writing n orders made n versions of one row, each found by walking
-- the ones before it, so a bulk load of 200,000 orders did not finish in ten minutes.
-- Statement triggers with transition tables apply one aggregated update per status instead.
--
-- Locks: a statement trigger runs when its statement ends, not at commit, so which rows it
-- takes matters. Counter rows are taken in the enum's order, and transitions are split so
-- that a settlement and a refund never wait on the same counter row:
--   * rows arriving (INSERT) or leaving an uncounted status (PROCESSING -> COMPLETED, the
--     last statement of a settlement) use shard pid % 16;
--   * rows leaving a counted status (COMPLETED -> REFUNDED, the first statement of a refund,
--     and DELETE) use shard 16 + pid % 16.
-- A settlement takes its counter row in its last statement, just before it commits; a refund
-- takes its rows first, then items, holdings and wallets, but no settlement ever waits on
-- those rows, so the two never wait on each other in a cycle.

DROP TRIGGER order_counters_on_insert_delete ON "orders";
DROP TRIGGER order_counters_on_update ON "orders";
DROP FUNCTION order_counters_track();
DROP FUNCTION order_counters_add("OrderStatus", INT, TIMESTAMPTZ, TIMESTAMPTZ);

INSERT INTO "order_counters" ("status", "shard")
SELECT s, g FROM unnest(enum_range(NULL::"OrderStatus")) AS s CROSS JOIN generate_series(16, 31) AS g;

-- Applies signed per-status deltas (status, orders, timed_orders, processing_ms) to one shard, in enum order.
CREATE FUNCTION order_counters_apply(deltas JSONB, shard_no SMALLINT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE d RECORD;
BEGIN
  FOR d IN
    SELECT x.status, sum(x.n) AS n, sum(x.timed) AS timed, sum(x.ms) AS ms
    FROM jsonb_to_recordset(deltas) AS x(status "OrderStatus", n BIGINT, timed BIGINT, ms BIGINT)
    WHERE x.status NOT IN ('PENDING', 'PROCESSING')
    GROUP BY x.status
    HAVING sum(x.n) <> 0 OR sum(x.timed) <> 0 OR sum(x.ms) <> 0
    ORDER BY x.status
  LOOP
    UPDATE "order_counters"
    SET "orders" = "orders" + d.n, "timed_orders" = "timed_orders" + d.timed, "processing_ms" = "processing_ms" + d.ms
    WHERE "status" = d.status AND "shard" = shard_no;
  END LOOP;
END $$;

CREATE FUNCTION order_counters_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM order_counters_apply(
    (SELECT COALESCE(jsonb_agg(jsonb_build_object('status', status, 'n', 1, 'timed', (completed_at IS NOT NULL)::INT,
       'ms', order_processing_ms(created_at, completed_at))), '[]'::jsonb) FROM new_rows),
    (pg_backend_pid() % 16)::SMALLINT);
  RETURN NULL;
END $$;

CREATE FUNCTION order_counters_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM order_counters_apply(
    (SELECT COALESCE(jsonb_agg(jsonb_build_object('status', status, 'n', -1, 'timed', -(completed_at IS NOT NULL)::INT,
       'ms', -order_processing_ms(created_at, completed_at))), '[]'::jsonb) FROM old_rows),
    (16 + pg_backend_pid() % 16)::SMALLINT);
  RETURN NULL;
END $$;

CREATE FUNCTION order_counters_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  deltas JSONB;
  leaving BOOLEAN;
BEGIN
  WITH changed AS (
    SELECT o.status AS old_status, o.created_at AS old_created, o.completed_at AS old_completed,
           n.status AS new_status, n.created_at AS new_created, n.completed_at AS new_completed
    FROM old_rows o JOIN new_rows n USING ("id")
    WHERE (o.status, o.created_at, o.completed_at) IS DISTINCT FROM (n.status, n.created_at, n.completed_at)
  )
  SELECT COALESCE(jsonb_agg(d), '[]'::jsonb), COALESCE(bool_or(d->>'status' NOT IN ('PENDING', 'PROCESSING') AND (d->>'n')::INT < 0), FALSE)
  INTO deltas, leaving
  FROM (
    SELECT jsonb_build_object('status', old_status, 'n', -1, 'timed', -(old_completed IS NOT NULL)::INT,
      'ms', -order_processing_ms(old_created, old_completed)) AS d FROM changed
    UNION ALL
    SELECT jsonb_build_object('status', new_status, 'n', 1, 'timed', (new_completed IS NOT NULL)::INT,
      'ms', order_processing_ms(new_created, new_completed)) FROM changed
  ) x;
  IF deltas <> '[]'::jsonb THEN
    PERFORM order_counters_apply(deltas, ((CASE WHEN leaving THEN 16 ELSE 0 END) + pg_backend_pid() % 16)::SMALLINT);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER order_counters_on_insert AFTER INSERT ON "orders"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_counters_on_insert();
CREATE TRIGGER order_counters_on_update AFTER UPDATE ON "orders"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION order_counters_on_update();
CREATE TRIGGER order_counters_on_delete AFTER DELETE ON "orders"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION order_counters_on_delete();
