-- AlterTable
ALTER TABLE "approval_tasks" ADD COLUMN     "escalated_at" TIMESTAMP(3),
ADD COLUMN     "on_behalf_of" TEXT,
ADD COLUMN     "policy" TEXT,
ADD COLUMN     "reminded_at" TIMESTAMP(3),
ADD COLUMN     "reminders" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "approval_decisions" (
    "task_id" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "on_behalf_of" TEXT,
    "decision" TEXT NOT NULL,
    "comment" TEXT,
    "form_values" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "audit_seq" INTEGER NOT NULL,

    CONSTRAINT "approval_decisions_pkey" PRIMARY KEY ("task_id","by")
);

-- CreateTable
CREATE TABLE "delegations" (
    "id" TEXT NOT NULL,
    "from_user" TEXT NOT NULL,
    "to_user" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "delegations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "task_id" TEXT,
    "instance_id" TEXT,
    "actor" TEXT,
    "on_behalf_of" TEXT,
    "data" TEXT NOT NULL,
    "shown_hash" TEXT,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "delegations_to_user_ends_at_idx" ON "delegations"("to_user", "ends_at");

-- CreateIndex
CREATE INDEX "delegations_from_user_ends_at_idx" ON "delegations"("from_user", "ends_at");

-- CreateIndex
CREATE INDEX "audit_log_task_id_idx" ON "audit_log"("task_id");

-- AddForeignKey
ALTER TABLE "approval_decisions" ADD CONSTRAINT "approval_decisions_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "approval_tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
