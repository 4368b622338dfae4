-- settle_order() again, with one change: the search for a single free bucket runs in a
-- subtransaction that is rolled back when it finds none, so that the locks it took on rows it
-- then skipped (emptied meanwhile by a committed settle) are released before the fallback
-- waits for all the item's buckets in bucket order. Kept, they were taken out of that order,
-- and two settles at the end of a sale could deadlock (test/pipeline/stock-buckets.test.ts,
-- "race the last units"). And a COMPLETED order's completed_at is the moment its row is
-- written (clock_timestamp()), no longer the statement's start (now()), so that it and the
-- processing time GET /metrics reports include the settle's own work. Everything else is as
-- in 20261203000000.

CREATE OR REPLACE FUNCTION settle_order(
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
      -- The search runs in a subtransaction of its own. FOR UPDATE keeps the lock on a row it
      -- locked and then found emptied by a settle that committed meanwhile (the recheck
      -- fails, the row is skipped, the lock stays); kept, such locks are taken out of bucket
      -- order, and the fallback below, which waits for every bucket in order, deadlocked on
      -- them. Rolling the subtransaction back when the search finds nothing releases them.
      v_bucket := NULL;
      BEGIN
        SELECT k."bucket" INTO v_bucket FROM "item_stock_buckets" k
        WHERE k."item_id" = line.item_id AND k."remaining" >= line.qty
        ORDER BY (k."bucket" - v_start + item_stock_bucket_count()) % item_stock_bucket_count()
        LIMIT 1 FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN RAISE SQLSTATE 'FS404'; END IF;
        UPDATE "item_stock_buckets" SET "remaining" = "remaining" - line.qty WHERE "item_id" = line.item_id AND "bucket" = v_bucket;
      EXCEPTION
        WHEN SQLSTATE 'FS404' THEN v_bucket := NULL;
      END;
      IF v_bucket IS NULL THEN
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
    VALUES (p_order, p_user, 'COMPLETED', NULL, p_total, p_currency, v_points, p_idem, p_created, p_started, clock_timestamp(), now())
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
