-- CreateTable
CREATE TABLE "draft_revisions" (
    "id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "rev" INTEGER NOT NULL,
    "graph" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "restored_from" INTEGER,
    "saved_by" TEXT,
    "client_id" TEXT,
    "saved_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "draft_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "draft_revisions_workflow_id_rev_key" ON "draft_revisions"("workflow_id", "rev");

-- AddForeignKey
ALTER TABLE "draft_revisions" ADD CONSTRAINT "draft_revisions_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Each existing draft becomes its workflow's first kept revision (who saved it is not known).
INSERT INTO "draft_revisions" ("id", "workflow_id", "rev", "graph", "kind", "saved_at")
SELECT "id" || ':' || "draft_rev", "id", "draft_rev", "draft", 'save', "updated_at" FROM "workflows";
