-- Issue 9: the whole settle as one function call, and no row that every settle locks.
--
-- 1. Stock buckets. An item's settle-side stock lives in item_stock_buckets (16 rows per item)
--    instead of items.remaining, so concurrent settles of one item take units from different
--    rows. The guarantee stays in the database: no bucket goes below zero (CHECK), the
--    buckets start with the item's stock, and only restock and refund add to them, so the
--    units taken by COMPLETED orders never exceed stock. An item's remaining is the sum of
--    its buckets (item_remaining).
-- 2. order_counters rows are chosen with SKIP LOCKED, so two settles never wait on one
--    counter row while another of the 16 is free.
-- 3. settle_order(): the order and its lines, the guarded holding, the guarded debit with its
--    ledger row, reward points, the stock take and the timestamps, in one call (autocommit:
--    the call is the transaction), returning COMPLETED, REJECTED with its reason, or what an
--    earlier delivery settled. record_unsettled_order() writes a REJECTED or FAILED order.
--
-- Lock order (unchanged in spirit): holdings -> wallets -> buckets (items in id order) ->
-- orders and their counter row last. A settle's fast path locks one bucket without waiting
-- (SKIP LOCKED) and never waits on another bucket of that item; the slow path (no single
-- bucket can serve the line) locks all the item's buckets in bucket order. Refund and restock
-- lock all buckets in bucket order too. So no two of them wait on each other in a cycle.

CREATE TABLE "item_stock_buckets" (
  "item_id" UUID NOT NULL,
  "bucket" SMALLINT NOT NULL,
  "remaining" INTEGER NOT NULL,
  CONSTRAINT "item_stock_buckets_pkey" PRIMARY KEY ("item_id", "bucket"),
  CONSTRAINT "item_stock_buckets_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "item_stock_buckets_remaining_nonnegative" CHECK ("remaining" >= 0)
) WITH (fillfactor = 50);
-- Room on each page for the next version of a row: bucket and counter updates stay HOT.
ALTER TABLE "order_counters" SET (fillfactor = 50);

-- How many buckets a new item gets.
CREATE FUNCTION item_stock_bucket_count() RETURNS INT LANGUAGE sql IMMUTABLE AS $$ SELECT 16 $$;

-- Units of an item not yet sold: the sum of its buckets.
CREATE FUNCTION item_remaining(p_item UUID) RETURNS INT LANGUAGE sql STABLE AS $$
  SELECT COALESCE(sum("remaining"), 0)::INT FROM "item_stock_buckets" WHERE "item_id" = p_item
$$;

-- Adds units to an item's buckets, spread evenly (the remainder to the emptiest buckets),
-- after locking all of them in bucket order. Restock and refund both come here.
CREATE FUNCTION item_stock_spread(p_item UUID, p_units INT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE n INT;
BEGIN
  IF p_units <= 0 THEN RETURN; END IF;
  PERFORM 1 FROM "item_stock_buckets" WHERE "item_id" = p_item ORDER BY "bucket" FOR UPDATE;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN RAISE EXCEPTION 'item % has no stock buckets', p_item; END IF;
  WITH ranked AS (
    SELECT "bucket", row_number() OVER (ORDER BY "remaining", "bucket") - 1 AS rank
    FROM "item_stock_buckets" WHERE "item_id" = p_item
  )
  UPDATE "item_stock_buckets" b
  SET "remaining" = b."remaining" + p_units / n + CASE WHEN r.rank < p_units % n THEN 1 ELSE 0 END
  FROM ranked r
  WHERE b."item_id" = p_item AND b."bucket" = r."bucket";
END $$;

-- A new item's stock is spread over its buckets; a restock (stock going up) adds the
-- difference, whatever the writer.
CREATE FUNCTION items_stock_to_buckets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "item_stock_buckets" ("item_id", "bucket", "remaining")
    SELECT NEW."id", g, 0 FROM generate_series(0, item_stock_bucket_count() - 1) AS g;
    PERFORM item_stock_spread(NEW."id", NEW."stock");
  ELSIF NEW."stock" > OLD."stock" THEN
    PERFORM item_stock_spread(NEW."id", NEW."stock" - OLD."stock");
  ELSIF NEW."stock" < OLD."stock" THEN
    RAISE EXCEPTION 'items.stock only grows (restock); % -> %', OLD."stock", NEW."stock";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER items_stock_to_buckets AFTER INSERT OR UPDATE OF "stock" ON "items"
  FOR EACH ROW EXECUTE FUNCTION items_stock_to_buckets();

-- Existing items: their remaining units become buckets; then the column goes.
INSERT INTO "item_stock_buckets" ("item_id", "bucket", "remaining")
SELECT i."id", g, 0 FROM "items" i CROSS JOIN generate_series(0, item_stock_bucket_count() - 1) AS g;
SELECT item_stock_spread("id", "remaining") FROM "items";
ALTER TABLE "items" DROP CONSTRAINT "items_remaining_in_stock";
ALTER TABLE "items" DROP COLUMN "remaining";

-- Counter rows: the first of the 16 shards of the range (0-15 for arriving rows, 16-31 for
-- leaving ones) that no other transaction holds, starting at this backend's own; only when
-- all 16 are held does it wait, on its own.
CREATE OR REPLACE FUNCTION order_counters_apply(deltas JSONB, shard_no SMALLINT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  d RECORD;
  base SMALLINT := (shard_no / 16) * 16;
  own SMALLINT := shard_no % 16;
  pick SMALLINT;
BEGIN
  FOR d IN
    SELECT x.status, sum(x.n) AS n, sum(x.timed) AS timed, sum(x.ms) AS ms
    FROM jsonb_to_recordset(deltas) AS x(status "OrderStatus", n BIGINT, timed BIGINT, ms BIGINT)
    WHERE x.status NOT IN ('PENDING', 'PROCESSING')
    GROUP BY x.status
    HAVING sum(x.n) <> 0 OR sum(x.timed) <> 0 OR sum(x.ms) <> 0
    ORDER BY x.status
  LOOP
    SELECT c."shard" INTO pick FROM "order_counters" c
    WHERE c."status" = d.status AND c."shard" BETWEEN base AND base + 15
    ORDER BY (c."shard" - base - own + 16) % 16
    LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN pick := base + own; END IF;
    UPDATE "order_counters"
    SET "orders" = "orders" + d.n, "timed_orders" = "timed_orders" + d.timed, "processing_ms" = "processing_ms" + d.ms
    WHERE "status" = d.status AND "shard" = pick;
  END LOOP;
END $$;

-- Writes an order that took nothing (REJECTED with its reason, or FAILED) with its lines;
-- false when the id exists already.
CREATE FUNCTION record_unsettled_order(
  p_order UUID, p_user UUID, p_status "OrderStatus", p_reason TEXT, p_currency VARCHAR(3), p_total BIGINT,
  p_idem VARCHAR(255), p_created TIMESTAMPTZ, p_started TIMESTAMPTZ, p_items UUID[], p_qty INT[], p_price BIGINT[]
) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "orders" ("id", "user_id", "status", "reason", "total", "currency", "reward_points", "idempotency_key",
    "created_at", "started_at", "completed_at", "updated_at")
  VALUES (p_order, p_user, p_status, p_reason, p_total, p_currency, 0, p_idem, p_created, p_started, now(), now())
  ON CONFLICT ("id") DO NOTHING;
  IF NOT FOUND THEN RETURN FALSE; END IF;
  INSERT INTO "order_lines" ("order_id", "item_id", "quantity", "price")
  SELECT p_order, x.item_id, x.qty, x.price FROM unnest(p_items, p_qty, p_price) AS x(item_id, qty, price);
  RETURN TRUE;
END $$;

-- Settles one queued order. Refusals are raised with SQLSTATE FS409 (message = reason) inside
-- a subtransaction, which undoes every write of the attempt; the order is then recorded
-- REJECTED. A concurrent delivery of the same order that committed first makes the insert
-- conflict (FS200): the attempt is undone and that delivery's outcome returned.
CREATE FUNCTION settle_order(
  p_order UUID, p_user UUID, p_currency VARCHAR(3), p_total BIGINT, p_idem VARCHAR(255),
  p_created TIMESTAMPTZ, p_started TIMESTAMPTZ, p_items UUID[], p_qty INT[], p_price BIGINT[], p_points_currency VARCHAR(3)
) RETURNS TABLE (status "OrderStatus", reason TEXT, reward_points BIGINT, fresh BOOLEAN) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  line RECORD;
  b RECORD;
  v_already BOOLEAN := FALSE;
  v_points BIGINT := 0;
  v_reason TEXT;
  v_bucket SMALLINT;
  v_need INT;
  v_have INT;
  v_start INT := pg_backend_pid() % item_stock_bucket_count();
BEGIN
  RETURN QUERY SELECT o."status", o."reason", o."reward_points", FALSE FROM "orders" o WHERE o."id" = p_order;
  IF FOUND THEN RETURN; END IF;

  BEGIN
    -- Every guarded write that touches only this buyer's rows first.
    FOR line IN
      SELECT x.item_id, x.qty, x.price, i."reward_ppm", i."max_per_user", i."id" IS NOT NULL AS known
      FROM unnest(p_items, p_qty, p_price) AS x(item_id, qty, price)
      LEFT JOIN "items" i ON i."id" = x.item_id
      ORDER BY x.item_id
    LOOP
      IF NOT line.known THEN RAISE SQLSTATE 'FS409' USING MESSAGE = 'SOLD_OUT'; END IF;
      INSERT INTO "holdings" ("user_id", "item_id", "quantity", "max_per_user")
      SELECT p_user, line.item_id, line.qty, line."max_per_user" WHERE line.qty <= line."max_per_user"
      ON CONFLICT ("user_id", "item_id") DO UPDATE SET "quantity" = "holdings"."quantity" + EXCLUDED."quantity"
      WHERE "holdings"."quantity" + EXCLUDED."quantity" <= "holdings"."max_per_user";
      IF NOT FOUND THEN RAISE SQLSTATE 'FS409' USING MESSAGE = 'LIMIT_EXCEEDED'; END IF;
      -- Each line's points rounded down on its own (packages/domain linePoints).
      v_points := v_points + floor(line.price::NUMERIC * line.qty * line."reward_ppm" / 1000000)::BIGINT;
    END LOOP;

    IF p_total > 0 THEN
      UPDATE "wallets" SET "amount" = "amount" - p_total, "updated_at" = now()
      WHERE "user_id" = p_user AND "currency" = p_currency AND "amount" >= p_total;
      IF NOT FOUND THEN RAISE SQLSTATE 'FS409' USING MESSAGE = 'INSUFFICIENT_FUNDS'; END IF;
      INSERT INTO "ledger_entries" ("id", "user_id", "currency", "delta", "reason", "order_id", "created_at")
      VALUES (gen_random_uuid(), p_user, p_currency, -p_total, 'PURCHASE', p_order, now());
    END IF;
    IF v_points > 0 THEN
      INSERT INTO "wallets" ("user_id", "currency", "amount", "updated_at") VALUES (p_user, p_points_currency, v_points, now())
      ON CONFLICT ("user_id", "currency") DO UPDATE SET "amount" = "wallets"."amount" + EXCLUDED."amount", "updated_at" = now();
      INSERT INTO "ledger_entries" ("id", "user_id", "currency", "delta", "reason", "order_id", "created_at")
      VALUES (gen_random_uuid(), p_user, p_points_currency, v_points, 'REWARD', p_order, now());
    END IF;

    -- The stock, item by item in id order: one bucket nobody else holds, starting at this
    -- backend's own; else wait for all the item's buckets and take from several.
    FOR line IN SELECT x.item_id, x.qty FROM unnest(p_items, p_qty) AS x(item_id, qty) ORDER BY x.item_id LOOP
      SELECT k."bucket" INTO v_bucket FROM "item_stock_buckets" k
      WHERE k."item_id" = line.item_id AND k."remaining" >= line.qty
      ORDER BY (k."bucket" - v_start + item_stock_bucket_count()) % item_stock_bucket_count()
      LIMIT 1 FOR UPDATE SKIP LOCKED;
      IF FOUND THEN
        UPDATE "item_stock_buckets" SET "remaining" = "remaining" - line.qty WHERE "item_id" = line.item_id AND "bucket" = v_bucket;
      ELSE
        SELECT COALESCE(sum(t."remaining"), 0) INTO v_have FROM (
          SELECT k."remaining" FROM "item_stock_buckets" k WHERE k."item_id" = line.item_id ORDER BY k."bucket" FOR UPDATE
        ) t;
        IF v_have < line.qty THEN RAISE SQLSTATE 'FS409' USING MESSAGE = 'SOLD_OUT'; END IF;
        v_need := line.qty;
        FOR b IN SELECT k."bucket", k."remaining" FROM "item_stock_buckets" k
                 WHERE k."item_id" = line.item_id AND k."remaining" > 0 ORDER BY k."remaining" DESC, k."bucket" LOOP
          EXIT WHEN v_need = 0;
          UPDATE "item_stock_buckets" SET "remaining" = "remaining" - LEAST(b."remaining", v_need)
          WHERE "item_id" = line.item_id AND "bucket" = b."bucket";
          v_need := v_need - LEAST(b."remaining", v_need);
        END LOOP;
      END IF;
    END LOOP;

    -- The order row (and its counter row, by the statement trigger) last.
    INSERT INTO "orders" ("id", "user_id", "status", "reason", "total", "currency", "reward_points", "idempotency_key",
      "created_at", "started_at", "completed_at", "updated_at")
    VALUES (p_order, p_user, 'COMPLETED', NULL, p_total, p_currency, v_points, p_idem, p_created, p_started, now(), now())
    ON CONFLICT ("id") DO NOTHING;
    IF NOT FOUND THEN RAISE SQLSTATE 'FS200' USING MESSAGE = 'ALREADY_SETTLED'; END IF;
    INSERT INTO "order_lines" ("order_id", "item_id", "quantity", "price")
    SELECT p_order, x.item_id, x.qty, x.price FROM unnest(p_items, p_qty, p_price) AS x(item_id, qty, price);
  EXCEPTION
    WHEN SQLSTATE 'FS409' THEN v_reason := SQLERRM;
    WHEN SQLSTATE 'FS200' THEN v_already := TRUE;
  END;

  IF NOT v_already AND v_reason IS NULL THEN
    RETURN QUERY SELECT 'COMPLETED'::"OrderStatus", NULL::TEXT, v_points, TRUE;
    RETURN;
  END IF;
  IF v_reason IS NOT NULL
     AND record_unsettled_order(p_order, p_user, 'REJECTED', v_reason, p_currency, p_total, p_idem, p_created, p_started, p_items, p_qty, p_price) THEN
    RETURN QUERY SELECT 'REJECTED'::"OrderStatus", v_reason, 0::BIGINT, TRUE;
    RETURN;
  END IF;
  RETURN QUERY SELECT o."status", o."reason", o."reward_points", FALSE FROM "orders" o WHERE o."id" = p_order;
END $$;
