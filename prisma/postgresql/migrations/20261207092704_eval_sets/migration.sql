-- AlterTable
ALTER TABLE "workflow_versions" ADD COLUMN     "evals" TEXT;

-- CreateTable
CREATE TABLE "workflow_eval_sets" (
    "id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "workflow_eval_sets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eval_runs" (
    "id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "version" INTEGER,
    "graph_hash" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "results" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "ran_by" TEXT,
    "ran_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "eval_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workflow_eval_sets_workflow_id_node_id_key" ON "workflow_eval_sets"("workflow_id", "node_id");

-- CreateIndex
CREATE INDEX "eval_runs_workflow_id_ran_at_idx" ON "eval_runs"("workflow_id", "ran_at");

-- AddForeignKey
ALTER TABLE "workflow_eval_sets" ADD CONSTRAINT "workflow_eval_sets_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
