-- CreateTable
CREATE TABLE "triggers" (
    "id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret" TEXT,
    "cron" TEXT,
    "timezone" TEXT,
    "missed" TEXT,
    "input" TEXT,
    "next_fire_at" TIMESTAMP(3),
    "claim_owner" TEXT,
    "claim_expires_at" TIMESTAMP(3),
    "last_fired_at" TIMESTAMP(3),
    "last_run_id" TEXT,
    "last_error" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "triggers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "triggers_next_fire_at_idx" ON "triggers"("next_fire_at");

-- CreateIndex
CREATE INDEX "triggers_workflow_id_idx" ON "triggers"("workflow_id");

-- AddForeignKey
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
