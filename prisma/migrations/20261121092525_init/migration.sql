-- CreateTable
CREATE TABLE "workflows" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "draft" TEXT NOT NULL,
    "draft_rev" INTEGER NOT NULL DEFAULT 0,
    "active_version" INTEGER,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "workflow_versions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflow_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "graph" TEXT NOT NULL,
    "graph_hash" TEXT NOT NULL,
    "note" TEXT,
    "published_at" DATETIME NOT NULL,
    CONSTRAINT "workflow_versions_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "instances" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflow_id" TEXT NOT NULL,
    "version_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "input" TEXT NOT NULL,
    "output" TEXT,
    "error" TEXT,
    "state" TEXT NOT NULL,
    "rev" INTEGER NOT NULL,
    "history_count" INTEGER NOT NULL,
    "waiting_on" TEXT,
    "lease_owner" TEXT,
    "lease_expires_at" DATETIME,
    "idempotency_key" TEXT,
    "parent_id" TEXT,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL,
    "finished_at" DATETIME,
    CONSTRAINT "instances_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "instances_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "workflow_versions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "history_events" (
    "instance_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "node_id" TEXT,
    "visit" INTEGER,
    "attempt" INTEGER,
    "data" TEXT,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("instance_id", "seq"),
    CONSTRAINT "history_events_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "timers" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "instance_id" TEXT NOT NULL,
    "token_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "due_at" DATETIME NOT NULL,
    CONSTRAINT "timers_instance_id_fkey" FOREIGN KEY ("instance_id") REFERENCES "instances" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "workflows_slug_key" ON "workflows"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "workflow_versions_workflow_id_version_key" ON "workflow_versions"("workflow_id", "version");

-- CreateIndex
CREATE INDEX "instances_status_lease_expires_at_idx" ON "instances"("status", "lease_expires_at");

-- CreateIndex
CREATE INDEX "instances_workflow_id_status_idx" ON "instances"("workflow_id", "status");

-- CreateIndex
CREATE INDEX "instances_version_id_status_idx" ON "instances"("version_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "instances_workflow_id_idempotency_key_key" ON "instances"("workflow_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "timers_due_at_idx" ON "timers"("due_at");

-- CreateIndex
CREATE INDEX "timers_instance_id_idx" ON "timers"("instance_id");
