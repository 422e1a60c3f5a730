-- CreateTable
CREATE TABLE "stock_watches" (
    "id" VARCHAR(24) NOT NULL,
    "account_id" VARCHAR(24) NOT NULL,
    "country" CHAR(2) NOT NULL,
    "number_type" "NumberType",
    "area_code" VARCHAR(6),
    "checked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_watches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stock_watches_account_id_created_at_idx" ON "stock_watches"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "stock_watches_country_number_type_area_code_idx" ON "stock_watches"("country", "number_type", "area_code");

-- AddForeignKey
ALTER TABLE "stock_watches" ADD CONSTRAINT "stock_watches_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

