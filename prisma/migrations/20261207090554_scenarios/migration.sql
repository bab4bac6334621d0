-- AlterTable
ALTER TABLE "workflow_versions" ADD COLUMN "scenarios" TEXT;

-- CreateTable
CREATE TABLE "workflow_scenarios" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflow_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "workflow_scenarios_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_workflows" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "draft" TEXT NOT NULL,
    "draft_rev" INTEGER NOT NULL DEFAULT 0,
    "active_version" INTEGER,
    "require_passing_scenarios" BOOLEAN NOT NULL DEFAULT false,
    "created_at" DATETIME NOT NULL,
    "updated_at" DATETIME NOT NULL
);
INSERT INTO "new_workflows" ("active_version", "created_at", "draft", "draft_rev", "id", "name", "slug", "updated_at") SELECT "active_version", "created_at", "draft", "draft_rev", "id", "name", "slug", "updated_at" FROM "workflows";
DROP TABLE "workflows";
ALTER TABLE "new_workflows" RENAME TO "workflows";
CREATE UNIQUE INDEX "workflows_slug_key" ON "workflows"("slug");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "workflow_scenarios_workflow_id_name_key" ON "workflow_scenarios"("workflow_id", "name");
