-- Order history (GET /orders) and order metrics (GET /metrics).
-- Generated part: `prisma migrate diff`, the triggers below it are written by hand.

-- DropIndex (superseded by the two item indexes below, which start with item_id)
DROP INDEX "order_lines_item_id_idx";

-- AlterTable
ALTER TABLE "order_lines" ADD COLUMN     "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "status" "OrderStatus" NOT NULL DEFAULT 'PENDING';

-- CreateTable
CREATE TABLE "order_counters" (
    "status" "OrderStatus" NOT NULL,
    "shard" SMALLINT NOT NULL,
    "orders" BIGINT NOT NULL DEFAULT 0,
    "timed_orders" BIGINT NOT NULL DEFAULT 0,
    "processing_ms" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "order_counters_pkey" PRIMARY KEY ("status","shard")
);

-- CreateIndex
CREATE INDEX "order_lines_item_id_created_at_order_id_idx" ON "order_lines"("item_id", "created_at" DESC, "order_id" DESC);

-- CreateIndex
CREATE INDEX "order_lines_item_id_status_created_at_order_id_idx" ON "order_lines"("item_id", "status", "created_at" DESC, "order_id" DESC);

-- CreateIndex
CREATE INDEX "orders_user_id_status_created_at_id_idx" ON "orders"("user_id", "status", "created_at" DESC, "id" DESC);


-- ---------------------------------------------------------------------------------------
-- order_lines.created_at and .status are copies of their order's, so that the item filter
-- of GET /orders is served by one index. The database keeps them, whoever writes: a line
-- takes its order's values when inserted, and an order passes a change on to its lines.
-- ---------------------------------------------------------------------------------------
UPDATE "order_lines" l SET "created_at" = o."created_at", "status" = o."status"
FROM "orders" o WHERE o."id" = l."order_id";

CREATE FUNCTION order_lines_copy_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o RECORD;
BEGIN
  SELECT "created_at", "status" INTO o FROM "orders" WHERE "id" = NEW."order_id";
  IF FOUND THEN
    NEW."created_at" := o."created_at";
    NEW."status" := o."status";
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER order_lines_copy_order BEFORE INSERT OR UPDATE ON "order_lines"
  FOR EACH ROW EXECUTE FUNCTION order_lines_copy_order();

CREATE FUNCTION orders_copy_to_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "order_lines" SET "status" = NEW."status", "created_at" = NEW."created_at" WHERE "order_id" = NEW."id";
  RETURN NULL;
END $$;

CREATE TRIGGER orders_copy_to_lines AFTER UPDATE OF "status", "created_at" ON "orders"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."created_at" IS DISTINCT FROM NEW."created_at")
  EXECUTE FUNCTION orders_copy_to_lines();


-- ---------------------------------------------------------------------------------------
-- order_counters: orders per final status in 16 shards (GET /metrics sums 96 rows).
-- PENDING and PROCESSING are not counted here: a committed order is always final (the
-- worker inserts it when it settles it); the API counts those two from Redis.
-- The trigger is DEFERRED: it runs at commit, after every other lock of the transaction is
-- taken, and takes counter rows in the enum's order, so two transactions never deadlock on
-- them and a settlement holds a counter row for microseconds, not for the whole transaction.
-- The shard is the backend's pid: each connection keeps to its own row.
-- ---------------------------------------------------------------------------------------
INSERT INTO "order_counters" ("status", "shard")
SELECT s, g FROM unnest(enum_range(NULL::"OrderStatus")) AS s CROSS JOIN generate_series(0, 15) AS g;

CREATE FUNCTION order_processing_ms(created TIMESTAMPTZ, completed TIMESTAMPTZ) RETURNS BIGINT
  LANGUAGE sql IMMUTABLE AS $$ SELECT COALESCE((EXTRACT(EPOCH FROM (completed - created)) * 1000)::BIGINT, 0) $$;

UPDATE "order_counters" c
SET "orders" = x.n, "timed_orders" = x.timed, "processing_ms" = x.ms
FROM (
  SELECT "status", count(*) AS n, count("completed_at") AS timed,
         COALESCE(sum(order_processing_ms("created_at", "completed_at")), 0) AS ms
  FROM "orders" WHERE "status" NOT IN ('PENDING', 'PROCESSING') GROUP BY "status"
) x
WHERE c."status" = x."status" AND c."shard" = 0;

CREATE FUNCTION order_counters_add(st "OrderStatus", sign INT, created TIMESTAMPTZ, completed TIMESTAMPTZ) RETURNS VOID
  LANGUAGE plpgsql AS $$
BEGIN
  IF st IN ('PENDING', 'PROCESSING') THEN RETURN; END IF;
  UPDATE "order_counters"
  SET "orders" = "orders" + sign,
      "timed_orders" = "timed_orders" + sign * (completed IS NOT NULL)::INT,
      "processing_ms" = "processing_ms" + sign * order_processing_ms(created, completed)
  WHERE "status" = st AND "shard" = pg_backend_pid() % 16;
END $$;

CREATE FUNCTION order_counters_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM order_counters_add(NEW."status", 1, NEW."created_at", NEW."completed_at");
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM order_counters_add(OLD."status", -1, OLD."created_at", OLD."completed_at");
  ELSIF NEW."status" < OLD."status" THEN
    PERFORM order_counters_add(NEW."status", 1, NEW."created_at", NEW."completed_at");
    PERFORM order_counters_add(OLD."status", -1, OLD."created_at", OLD."completed_at");
  ELSE
    PERFORM order_counters_add(OLD."status", -1, OLD."created_at", OLD."completed_at");
    PERFORM order_counters_add(NEW."status", 1, NEW."created_at", NEW."completed_at");
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER order_counters_on_insert_delete AFTER INSERT OR DELETE ON "orders"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION order_counters_track();

CREATE CONSTRAINT TRIGGER order_counters_on_update AFTER UPDATE OF "status", "created_at", "completed_at" ON "orders"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."created_at" IS DISTINCT FROM NEW."created_at"
        OR OLD."completed_at" IS DISTINCT FROM NEW."completed_at")
  EXECUTE FUNCTION order_counters_track();

CREATE FUNCTION order_counters_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "order_counters" SET "orders" = 0, "timed_orders" = 0, "processing_ms" = 0;
  RETURN NULL;
END $$;

CREATE TRIGGER order_counters_on_truncate AFTER TRUNCATE ON "orders"
  FOR EACH STATEMENT EXECUTE FUNCTION order_counters_reset();
