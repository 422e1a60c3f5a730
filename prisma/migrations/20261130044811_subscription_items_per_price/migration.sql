-- CreateTable
CREATE TABLE "subscription_items" (
    "account_id" VARCHAR(24) NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "monthly_cents" INTEGER NOT NULL,
    "price_id" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscription_items_pkey" PRIMARY KEY ("subscription_id","monthly_cents")
);

-- CreateIndex
CREATE UNIQUE INDEX "subscription_items_item_id_key" ON "subscription_items"("item_id");

-- CreateIndex
CREATE INDEX "subscription_items_account_id_idx" ON "subscription_items"("account_id");

-- AddForeignKey
ALTER TABLE "subscription_items" ADD CONSTRAINT "subscription_items_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "billing_accounts"("account_id") ON DELETE RESTRICT ON UPDATE CASCADE;

