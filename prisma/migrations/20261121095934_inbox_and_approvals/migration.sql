-- CreateTable
CREATE TABLE "signals" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "data" TEXT,
    "created_at" DATETIME NOT NULL,
    "delivered_at" DATETIME,
    CONSTRAINT "signals_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "approval_tasks" (
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
    CONSTRAINT "approval_tasks_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "approval_assignees" (
    "task_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    PRIMARY KEY ("task_id", "kind", "name"),
    CONSTRAINT "approval_assignees_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "approval_tasks" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "signals_delivered_at_id_idx" ON "signals"("delivered_at", "id");

-- CreateIndex
CREATE INDEX "signals_instance_id_delivered_at_idx" ON "signals"("instance_id", "delivered_at");

-- CreateIndex
CREATE INDEX "approval_tasks_status_due_at_idx" ON "approval_tasks"("status", "due_at");

-- CreateIndex
CREATE INDEX "approval_tasks_instance_id_idx" ON "approval_tasks"("instance_id");

-- CreateIndex
CREATE INDEX "approval_assignees_kind_name_idx" ON "approval_assignees"("kind", "name");
