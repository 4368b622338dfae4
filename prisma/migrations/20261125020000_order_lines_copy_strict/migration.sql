-- A line's created_at/status copies come from its order, so the order must be visible when
-- the line is inserted (earlier in the transaction, or earlier in the same statement, as the
-- worker's one-statement insert of an order and its lines does). Until now a line inserted
-- before its order in one statement kept the column defaults silently, and GET /orders?itemId=
-- would have listed it wrong; now such an insert fails loudly.
CREATE OR REPLACE FUNCTION order_lines_copy_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o RECORD;
BEGIN
  SELECT "created_at", "status" INTO o FROM "orders" WHERE "id" = NEW."order_id";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'order_lines: order % is not visible; insert the order before its lines', NEW."order_id"
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  NEW."created_at" := o."created_at";
  NEW."status" := o."status";
  RETURN NEW;
END $$;
