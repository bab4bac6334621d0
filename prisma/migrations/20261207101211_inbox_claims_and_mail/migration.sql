-- AlterTable
ALTER TABLE "users" ADD COLUMN "email" TEXT;

-- CreateTable
CREATE TABLE "approval_claims" (
    "task_id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "claimed_at" DATETIME NOT NULL,
    CONSTRAINT "approval_claims_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "approval_tasks" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "approval_mail_cursor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "lease_owner" TEXT,
    "lease_until" DATETIME
);

-- CreateIndex
CREATE INDEX "approval_claims_username_idx" ON "approval_claims"("username");

-- CreateIndex
CREATE INDEX "approval_decisions_by_at_idx" ON "approval_decisions"("by", "at");
