-- AlterTable
ALTER TABLE "users" ADD COLUMN     "email" TEXT;

-- CreateTable
CREATE TABLE "approval_claims" (
    "task_id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "claimed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "approval_claims_pkey" PRIMARY KEY ("task_id")
);

-- CreateTable
CREATE TABLE "approval_mail_cursor" (
    "id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMP(3),

    CONSTRAINT "approval_mail_cursor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "approval_claims_username_idx" ON "approval_claims"("username");

-- CreateIndex
CREATE INDEX "approval_decisions_by_at_idx" ON "approval_decisions"("by", "at");

-- AddForeignKey
ALTER TABLE "approval_claims" ADD CONSTRAINT "approval_claims_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "approval_tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
