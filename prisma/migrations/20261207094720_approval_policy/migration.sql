-- CreateTable
CREATE TABLE "approval_decisions" (
    "task_id" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "on_behalf_of" TEXT,
    "decision" TEXT NOT NULL,
    "comment" TEXT,
    "form_values" TEXT,
    "at" DATETIME NOT NULL,
    "audit_seq" INTEGER NOT NULL,

    PRIMARY KEY ("task_id", "by"),
    CONSTRAINT "approval_decisions_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "approval_tasks" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "delegations" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "from_user" TEXT NOT NULL,
    "to_user" TEXT NOT NULL,
    "starts_at" DATETIME NOT NULL,
    "ends_at" DATETIME NOT NULL,
    "created_at" DATETIME NOT NULL,
    "created_by" TEXT NOT NULL,
    "revoked_at" DATETIME
);

-- CreateTable
CREATE TABLE "audit_log" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "task_id" TEXT,
    "instance_id" TEXT,
    "actor" TEXT,
    "on_behalf_of" TEXT,
    "data" TEXT NOT NULL,
    "shown_hash" TEXT,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_approval_tasks" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "visit" INTEGER NOT NULL,
    "token_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "details" TEXT,
    "data" TEXT,
    "form" TEXT,
    "shown_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "due_at" DATETIME,
    "created_at" DATETIME NOT NULL,
    "decided_at" DATETIME,
    "decided_by" TEXT,
    "decision" TEXT,
    "comment" TEXT,
    "form_values" TEXT,
    "on_behalf_of" TEXT,
    "policy" TEXT,
    "reminders" INTEGER NOT NULL DEFAULT 0,
    "reminded_at" DATETIME,
    "escalated_at" DATETIME,
    CONSTRAINT "approval_tasks_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_approval_tasks" ("comment", "created_at", "data", "decided_at", "decided_by", "decision", "details", "due_at", "form", "form_values", "id", "instance_id", "node_id", "shown_hash", "status", "title", "token_id", "visit") SELECT "comment", "created_at", "data", "decided_at", "decided_by", "decision", "details", "due_at", "form", "form_values", "id", "instance_id", "node_id", "shown_hash", "status", "title", "token_id", "visit" FROM "approval_tasks";
DROP TABLE "approval_tasks";
ALTER TABLE "new_approval_tasks" RENAME TO "approval_tasks";
CREATE INDEX "approval_tasks_status_due_at_idx" ON "approval_tasks"("status", "due_at");
CREATE INDEX "approval_tasks_instance_id_idx" ON "approval_tasks"("instance_id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "delegations_to_user_ends_at_idx" ON "delegations"("to_user", "ends_at");

-- CreateIndex
CREATE INDEX "delegations_from_user_ends_at_idx" ON "delegations"("from_user", "ends_at");

-- CreateIndex
CREATE INDEX "audit_log_task_id_idx" ON "audit_log"("task_id");
